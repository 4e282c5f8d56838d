// Resolution rule, interval start and Gamma's published prices, parsed from real Gamma shapes;
// TWAP and Chainlink frames on RTDS and PolyBolt, with the source read from the payload too.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseGammaMarket } from '../../src/wire/gamma.js';
import { parsePolyboltFrame, parseRtdsFrame, twapPrice } from '../../src/wire/prices.js';
import { RTDS_SUBSCRIBE } from '../../src/streams/prices.js';
import { loadConfig } from '../../src/config/load.js';

const fixture = (name: string): Record<string, unknown> =>
  JSON.parse(readFileSync(new URL(`../fixtures/${name}`, import.meta.url), 'utf8')) as Record<string, unknown>;

describe('resolution rule from Gamma', () => {
  it('the real TWAP market of 2026-09-21: rule twap, 60 s, start from eventStartTime (not startDate)', () => {
    const m = parseGammaMarket(fixture('gamma-btc-15m-twap.json'));
    expect(m.resolution).toEqual({ rule: 'twap', lookbackS: 60 });
    expect(m.startMs).toBe(Date.parse('2026-09-21T10:45:00Z'));
    expect(m.priceToBeat).toBeUndefined();
  });

  it('an older market without cryptoMarketConfig (Chainlink BTC/USD stream): first tick', () => {
    expect(parseGammaMarket(fixture('nautilus-test-data/gamma_market.json')).resolution).toEqual({ rule: 'firstTick' });
  });

  it('a rule it cannot establish is a readable reason, not a guess', () => {
    const raw = fixture('gamma-btc-15m-twap.json');
    const unknown = (over: Record<string, unknown>) => parseGammaMarket({ ...raw, ...over }).resolution;
    expect(unknown({ cryptoMarketConfig: { twapEnabled: true, twapLookbackSeconds: 'soon' } })).toMatchObject({
      rule: 'unknown',
      reason: expect.stringMatching(/twapLookbackSeconds/),
    });
    expect(
      unknown({ cryptoMarketConfig: undefined, resolutionSource: 'https://www.binance.com/en/trade/BTC_USDT' }),
    ).toMatchObject({ rule: 'unknown', reason: expect.stringMatching(/not one the bot reads/) });
    expect(unknown({ cryptoMarketConfig: { twapEnabled: true, twapLookbackSeconds: 30 } })).toMatchObject({
      rule: 'unknown',
      reason: expect.stringMatching(/60 s TWAP.*30 s/),
    });
    expect(unknown({ cryptoMarketConfig: undefined })).toEqual({ rule: 'twap', lookbackS: 60 }); // the source names it
  });

  it('reads eventMetadata.priceToBeat / finalPrice from the market or its event', () => {
    const raw = fixture('gamma-btc-15m-twap.json');
    const events = raw.events as Record<string, unknown>[];
    const m = parseGammaMarket({
      ...raw,
      events: [{ ...events[0], eventMetadata: { priceToBeat: 115234.5678, finalPrice: '115300.12' } }],
    });
    expect(m).toMatchObject({ priceToBeat: 115234.5678, finalPrice: 115300.12 });
    expect(parseGammaMarket({ ...raw, eventMetadata: { priceToBeat: -3 } }).priceToBeat).toBeUndefined();
  });

  it('a missing eventStartTime comes from the event or the slug, never from startDate', () => {
    const { eventStartTime: _e, events: _ev, ...raw } = fixture('gamma-btc-15m-twap.json');
    expect(parseGammaMarket(raw).startMs).toBe(1789987500 * 1000);
    expect(() => parseGammaMarket({ ...raw, slug: 'some-market' })).toThrow(/no eventStartTime/);
  });

  it('refuses Pyth as the settlement source', () => {
    expect(() => loadConfig({ flags: { prices: { settlementSource: 'pyth' } } })).toThrow(/Pyth settles nothing/);
  });
});

describe('TWAP and Chainlink frames', () => {
  it('RTDS TWAP topic: payload.window_s, source chainlink-twap', () => {
    const frame = {
      topic: 'crypto_prices_twap_sixty',
      type: 'update',
      timestamp: 1789987500100,
      payload: { symbol: 'btc/usd', timestamp: 1789987500000, value: 115234.56, window_s: 60 },
    };
    expect(parseRtdsFrame(JSON.stringify(frame))).toEqual([
      {
        ok: true,
        msg: { source: 'chainlink-twap', symbol: 'btc/usd', price: 115234.56, tsMs: 1789987500000, windowS: 60 },
      },
    ]);
  });

  it('a Chainlink history frame labelled crypto_prices with symbol btc/usd is Chainlink, not Binance', () => {
    const frame = {
      topic: 'crypto_prices',
      type: 'subscribe',
      timestamp: 1,
      payload: { symbol: 'btc/usd', data: [{ timestamp: 1789987499000, value: 115200 }, { value: 3 }] },
    };
    const out = parseRtdsFrame(JSON.stringify(frame));
    expect(out[0]).toEqual({
      ok: true,
      msg: { source: 'chainlink', symbol: 'btc/usd', price: 115200, tsMs: 1789987499000 },
    });
    expect(out[1]).toMatchObject({ ok: false, reason: 'bad history point' });
    const binance = fixture('nautilus-test-data/rtds_crypto_prices_update.json');
    expect(parseRtdsFrame(JSON.stringify(binance))[0]).toMatchObject({ ok: true, msg: { source: 'binance' } });
  });

  it('PolyBolt price.crypto.twap relays the Chainlink TWAP with its window', () => {
    const f = parsePolyboltFrame(
      JSON.stringify({
        v: 1,
        channel: 'price.crypto.twap',
        seq: 3,
        ts: 5,
        payload: {
          symbol: 'btcusd',
          value: 100.5,
          full_accuracy_value: '100.5',
          timestamp: 1789987500000,
          window_seconds: 60,
        },
      }),
    );
    expect(f).toMatchObject({ ok: true, msg: { ticks: [{ source: 'chainlink-twap', windowS: 60, price: 100.5 }] } });
  });

  it('RTDS TWAP frames carry an E18 fixed-point price (a number or a digit string); plain decimals are taken as they are', () => {
    const frame = (value: unknown, type = 'update'): string =>
      JSON.stringify({
        topic: 'crypto_prices_twap_sixty',
        type,
        timestamp: 1789987500100,
        payload:
          type === 'update'
            ? { symbol: 'btc/usd', timestamp: 1789987500000, value, window_s: 60 }
            : { symbol: 'btc/usd', data: [{ timestamp: 1789987500000, value }], window_s: 60 },
      });
    const priceOf = (text: string): unknown => {
      const [r] = parseRtdsFrame(text);
      return r?.ok ? r.msg.price : r?.reason;
    };
    expect(priceOf(frame(64123.456789e18))).toBeCloseTo(64123.456789, 6);
    expect(priceOf(frame('64123456789012345678901'))).toBe(Number('64123.456789012345678901'));
    expect(priceOf(frame('64123456789012345678901', 'subscribe'))).toBe(Number('64123.456789012345678901'));
    expect(priceOf(frame(64123.45))).toBe(64123.45);
    expect(priceOf(frame('64123.45'))).toBe(64123.45);
    expect(priceOf(frame('abc'))).toMatch(/not a number/);
    expect([twapPrice(1e17), twapPrice('1000000000000000000'), twapPrice(99_999), twapPrice(null)]).toEqual([
      0.1,
      1,
      99_999,
      NaN,
    ]);
  });

  it('subscribes on RTDS to the TWAP topic and to Binance in both filter forms', () => {
    const subs = (JSON.parse(RTDS_SUBSCRIBE) as { subscriptions: { topic: string; filters: string }[] }).subscriptions;
    expect(subs).toContainEqual(expect.objectContaining({ topic: 'crypto_prices', filters: 'btcusdt' }));
    expect(subs).toContainEqual(expect.objectContaining({ topic: 'crypto_prices', filters: '{"symbol":"btcusdt"}' }));
    expect(subs).toContainEqual(
      expect.objectContaining({ topic: 'crypto_prices_twap_sixty', filters: '{"symbol":"btc/usd"}' }),
    );
  });
});
