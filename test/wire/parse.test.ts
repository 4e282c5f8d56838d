// Every real fixture of the types the streams consume parses into the expected message.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseMarketFrame, type MarketMsg } from '../../src/wire/market.js';
import { parseUserFrame } from '../../src/wire/user.js';
import { parsePolyboltFrame, parseRtdsFrame } from '../../src/wire/prices.js';
import { parseGammaMarket } from '../../src/wire/gamma.js';

const FIX = resolve(import.meta.dirname, '../fixtures');
const text = (p: string): string => readFileSync(resolve(FIX, p), 'utf8');
const NOW = 1_700_000_000_000;
const market = (p: string): MarketMsg[] =>
  parseMarketFrame(text(p), NOW).map((r) =>
    r.ok
      ? r.msg
      : (() => {
          throw new Error(r.reason);
        })(),
  );

describe('market channel fixtures', () => {
  it.each([
    [
      'nautilus-test-data/ws_market_book_msg.json',
      {
        type: 'book',
        bids: [
          { price: 0.5, size: 200 },
          { price: 0.49, size: 350 },
        ],
        tsMs: 1703875200000,
      },
    ],
    [
      'nautilus-test-data/ws_book_snapshot.json',
      {
        type: 'book',
        bids: [
          { price: 0.5, size: 200 },
          { price: 0.49, size: 350 },
          { price: 0.48, size: 500 },
        ],
        asks: [
          { price: 0.51, size: 150 },
          { price: 0.52, size: 250 },
          { price: 0.53, size: 400 },
        ],
      },
    ],
    [
      'nautilus-test-data/ws_market_price_change_msg.json',
      { type: 'priceChange', changes: [{ price: 0.51, size: 150, side: 'BUY', bestBid: 0.51, bestAsk: 0.52 }] },
    ],
    ['nautilus-test-data/ws_market_tick_size_msg.json', { type: 'tickSize', tickSize: 0.01 }],
    ['nautilus-test-data/ws_tick_size_change.json', { type: 'tickSize', tickSize: 0.01 }],
    ['nautilus-resources/ws_messages/tick_size_change.json', { type: 'tickSize', tickSize: 0.001 }],
    ['nautilus-test-data/ws_market_last_trade_msg.json', { type: 'lastTrade', price: 0.51, size: 25, side: 'BUY' }],
    ['nautilus-test-data/ws_last_trade.json', { type: 'lastTrade', price: 0.51, size: 25, side: 'BUY' }],
    [
      'nautilus-resources/ws_messages/last_trade_price.json',
      { type: 'lastTrade', price: 0.491, size: 85.36, side: 'SELL' },
    ],
    ['nautilus-test-data/ws_market_best_bid_ask_msg.json', { type: 'bestBidAsk', bestBid: 0.73, bestAsk: 0.77 }],
    [
      'nautilus-test-data/ws_market_resolved_msg.json',
      {
        type: 'marketResolved',
        winningTokenId: '76043073756653678226373981964075571318267289248134717369284518995922789326425',
        winningOutcome: 'Yes',
      },
    ],
    [
      'nautilus-test-data/ws_market_new_market_msg.json',
      { type: 'newMarket', slug: 'nvda-above-240-on-january-30-2026' },
    ],
  ])('%s', (file, expected) => {
    const [msg] = market(file);
    expect(msg).toMatchObject(expected);
  });

  it('parses the current price_change schema with several changes', () => {
    const [msg] = market('nautilus-resources/ws_messages/price_change_v2.json');
    expect(msg?.type).toBe('priceChange');
    if (msg?.type === 'priceChange') expect(msg.changes.length).toBeGreaterThan(1);
    const [quotes] = market('nautilus-test-data/ws_quotes.json');
    expect(quotes?.type === 'priceChange' && quotes.changes.map((c) => c.side)).toEqual(['BUY', 'SELL']);
  });

  it('parses the large resources book and sorts levels best first', () => {
    const [book] = market('nautilus-resources/ws_messages/book.json');
    if (book?.type !== 'book') throw new Error('not a book');
    expect(book.asks[0]!.price).toBeLessThan(book.asks[1]!.price);
    expect(book.bids[0]!.price).toBeGreaterThan(book.bids.at(-1)!.price);
  });

  it('rejects the legacy price_change schema knowingly, as a counted skip', () => {
    const [r] = parseMarketFrame(text('nautilus-resources/ws_messages/price_change.json'), NOW);
    expect(r).toMatchObject({ ok: false, reason: expect.stringMatching(/legacy/) });
  });

  it.each([
    ['{not json', /malformed/],
    ['{"event_type":"mystery"}', /unknown event_type/],
    [
      '{"event_type":"book","market":"m","asset_id":"a","bids":[{"price":"x","size":"1"}],"asks":[]}',
      /price is not a number/,
    ],
    ['{"event_type":"tick_size_change","market":"m","new_tick_size":"0.01"}', /missing asset_id/],
    ['[1]', /not an object/],
  ])('skips bad input %s', (raw, reason) => {
    const [r] = parseMarketFrame(raw, NOW);
    expect(r).toMatchObject({ ok: false, reason: expect.stringMatching(reason) });
    if (r && !r.ok) expect(r.raw.length).toBeLessThanOrEqual(201);
  });

  it('splits array frames and ignores PONG', () => {
    const frame = `[${text('nautilus-test-data/ws_market_book_msg.json')},${text('nautilus-test-data/ws_market_last_trade_msg.json')}]`;
    expect(parseMarketFrame(frame, NOW).map((r) => r.ok && r.msg.type)).toEqual(['book', 'lastTrade']);
    expect(parseMarketFrame('PONG', NOW)).toEqual([]);
  });
});

describe('user channel fixtures', () => {
  const one = (p: string) => {
    const [r] = parseUserFrame(text(p), NOW);
    if (!r?.ok) throw new Error(r?.reason);
    return r.msg;
  };
  it.each([
    [
      'nautilus-test-data/ws_user_order_placement.json',
      { type: 'order', change: 'PLACEMENT', price: 0.5, originalSize: 100, sizeMatched: 0 },
    ],
    ['nautilus-test-data/ws_user_order_update.json', { type: 'order', change: 'UPDATE', sizeMatched: 25 }],
    ['nautilus-test-data/ws_user_order_msg.json', { type: 'order' }],
    ['nautilus-test-data/ws_user_order_matched.json', { type: 'order' }],
    ['nautilus-test-data/ws_user_order_cancellation.json', { type: 'order', change: 'CANCELLATION' }],
    ['nautilus-test-data/ws_user_order_venue_cancel.json', { type: 'order' }],
    [
      'nautilus-test-data/ws_user_order_fok_killed.json',
      { type: 'order', change: 'CANCELLATION', orderType: 'FOK', sizeMatched: 0, status: expect.stringMatching(/FOK/) },
    ],
    ['nautilus-resources/ws_messages/order_placement.json', { type: 'order', change: 'PLACEMENT' }],
    ['nautilus-resources/ws_messages/order_cancel.json', { type: 'order', change: 'CANCELLATION' }],
    [
      'nautilus-test-data/ws_user_trade_msg.json',
      { type: 'trade', status: 'CONFIRMED', size: 25, traderSide: 'TAKER', makers: [] },
    ],
    ['nautilus-test-data/ws_user_trade.json', { type: 'trade', makers: [{ matchedAmount: 25, price: 0.5 }] }],
    ['nautilus-resources/ws_messages/user_trade1.json', { type: 'trade' }],
    ['nautilus-resources/ws_messages/user_trade2.json', { type: 'trade' }],
    ['nautilus-resources/ws_messages/user_trade3.json', { type: 'trade' }],
    ['nautilus-resources/ws_messages/user_trade4.json', { type: 'trade' }],
    ['nautilus-resources/ws_messages/trades.json', { type: 'trade', status: 'CONFIRMED', price: 0.489 }],
  ])('%s', (file, expected) => {
    expect(one(file)).toMatchObject(expected);
  });

  it('skips unknown trade statuses and missing ids', () => {
    expect(parseUserFrame('{"event_type":"trade","status":"WEIRD"}', NOW)[0]).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/status/),
    });
    expect(parseUserFrame('{"event_type":"order","type":"PLACEMENT"}', NOW)[0]).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/missing id/),
    });
  });
});

describe('price fixtures', () => {
  it('RTDS update and subscribe history', () => {
    expect(parseRtdsFrame(text('nautilus-test-data/rtds_crypto_prices_update.json'))).toEqual([
      { ok: true, msg: { source: 'binance', symbol: 'btcusdt', price: 61035.86, tsMs: 1780730269000 } },
    ]);
    const hist = parseRtdsFrame(text('nautilus-test-data/rtds_crypto_prices_subscribe.json'));
    expect(hist.map((r) => r.ok && r.msg.price)).toEqual([61164.12, 61161.07, 61150.89]);
    const cl = parseRtdsFrame(
      '{"topic":"crypto_prices_chainlink","type":"update","timestamp":1780730269142,"payload":{"symbol":"btc/usd","timestamp":1780730269000,"value":100}}',
    );
    expect(cl).toEqual([
      { ok: true, msg: { source: 'chainlink', symbol: 'btc/usd', price: 100, tsMs: 1780730269000 } },
    ]);
  });

  it('skips equity topics and malformed frames', () => {
    expect(parseRtdsFrame(text('nautilus-test-data/rtds_equity_prices_update.json'))[0]).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/topic/),
    });
    expect(parseRtdsFrame(text('nautilus-test-data/rtds_equity_prices_subscribe.json'))[0]).toMatchObject({
      ok: false,
    });
    expect(
      parseRtdsFrame(
        '{"topic":"crypto_prices","type":"update","payload":{"symbol":"btcusdt","value":"abc","timestamp":1}}',
      )[0],
    ).toMatchObject({ ok: false, reason: expect.stringMatching(/not a number/) });
  });

  it('PolyBolt frames (value and the exact full_accuracy_value, snapshots of points), control ops, refusals', () => {
    expect(
      parsePolyboltFrame(
        '{"v":1,"channel":"price.crypto","seq":7,"ts":1780730269100,"payload":{"symbol":"btcusd","value":100.5,"full_accuracy_value":"100.50000001","timestamp":1780730269000}}',
      ),
    ).toEqual({
      ok: true,
      msg: {
        channel: 'price.crypto',
        seq: 7,
        dropped: 0,
        snapshot: false,
        ticks: [{ source: 'pyth', symbol: 'btcusd', price: 100.50000001, tsMs: 1780730269000 }],
      },
    });
    // Without the exact string, the float value.
    expect(
      parsePolyboltFrame(
        '{"v":1,"channel":"price.crypto","seq":8,"ts":1,"payload":{"symbol":"btcusd","value":100.25,"timestamp":1780730270000}}',
      ),
    ).toMatchObject({ ok: true, msg: { ticks: [{ price: 100.25 }] } });
    // A snapshot: the last two minutes as points (empty when quiet).
    const snap = parsePolyboltFrame(
      JSON.stringify({
        v: 1,
        channel: 'price.crypto',
        seq: 1,
        ts: 3,
        snapshot: true,
        payload: {
          symbol: 'btcusd',
          data: [
            { timestamp: 1780730268000, value: 100.1, full_accuracy_value: '100.1' },
            { timestamp: 1780730269000, value: 100.2, full_accuracy_value: '100.2' },
          ],
        },
      }),
    );
    expect(snap).toMatchObject({ ok: true, msg: { snapshot: true, ticks: [{ price: 100.1 }, { price: 100.2 }] } });
    expect(
      parsePolyboltFrame('{"v":1,"channel":"price.crypto","seq":1,"ts":3,"snapshot":true,"payload":{"data":[]}}'),
    ).toMatchObject({ ok: true, msg: { ticks: [] } });
    expect(parsePolyboltFrame('{"op":"authed","rid":"1"}')).toMatchObject({ ok: true, msg: { control: 'authed' } });
    expect(parsePolyboltFrame('{"op":"error","code":"unauthorized","message":"auth required"}')).toMatchObject({
      ok: false,
      reason: 'error: "unauthorized" "auth required"',
    });
    expect(parsePolyboltFrame('{"v":1,"channel":"price.equity","seq":1,"payload":{}}')).toMatchObject({ ok: false });
  });
});

describe('gamma fixtures', () => {
  it('parses the btc-updown market with JSON-string fields', () => {
    const m = parseGammaMarket(JSON.parse(text('nautilus-test-data/gamma_market.json')));
    expect(m).toMatchObject({
      slug: 'btc-updown-5m-1773307200',
      tickSize: 0.01,
      minSize: 5,
      startMs: Date.parse('2026-03-12T09:20:00Z'),
      endMs: Date.parse('2026-03-12T09:25:00Z'),
      acceptingOrders: true,
      closed: false,
    });
    expect(m.tokenUp).toMatch(/^\d+$/);
    expect(m.resolutionSource).toMatch(/chain\.link/);
  });

  it('reads winners from closed markets and rejects non-binary ones', () => {
    const raw = JSON.parse(text('nautilus-test-data/gamma_market_closed_binary_accepting_false.json'));
    // No eventStartTime and not an up/down slug: refused, never dated by startDate (its creation).
    expect(() => parseGammaMarket(raw)).toThrow(/no eventStartTime/);
    const closed = parseGammaMarket({ ...raw, eventStartTime: '2026-02-28T00:00:00Z' });
    expect(closed.closed).toBe(true);
    expect(closed.resolution).toMatchObject({ rule: 'unknown' });
    const event = JSON.parse(text('nautilus-test-data/gamma_event.json'));
    const inner = (Array.isArray(event) ? event[0] : event).markets[0];
    expect(() => parseGammaMarket(inner)).toThrow(/no eventStartTime/);
    expect(parseGammaMarket({ ...inner, events: [{ startTime: '2025-07-12T00:00:00Z' }] }).startMs).toBe(
      Date.parse('2025-07-12T00:00:00Z'),
    );
    for (const f of [
      'gamma_market_closed_nonbinary_legacy.json',
      'gamma_market_sports_market_map_handicap.json',
      'gamma_market_closed_zero_zero_legacy.json',
    ]) {
      const raw = JSON.parse(text(`nautilus-test-data/${f}`));
      try {
        const parsed = parseGammaMarket(raw);
        expect(parsed.tokenUp).not.toBe(parsed.tokenDown);
      } catch (e) {
        expect((e as Error).name).toBe('ParseError');
      }
    }
  });
});
