// Schema conformance and WebSocket behaviour of the simulated venue.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { WebSocket } from 'ws';
import { Wallet } from 'ethers';
import { ClobClient, OrderType, Side } from '@polymarket/clob-client-v2';
import { startVenue, type RunningVenue } from '@polymm/venue';
import { getJson } from '../../support/http.js';

const FIX = resolve(import.meta.dirname, '../../fixtures');
const fixture = (p: string): unknown => JSON.parse(readFileSync(resolve(FIX, p), 'utf8'));

/** Field name -> JSON type, recursively (arrays by their first element). */
function shapeOf(v: unknown): unknown {
  if (Array.isArray(v)) return v.length ? [shapeOf(v[0])] : [];
  if (v === null) return 'null';
  if (typeof v === 'object') return Object.fromEntries(Object.entries(v as object).map(([k, x]) => [k, shapeOf(x)]));
  return typeof v;
}

/** Every field of the fixture is present in ours with the same JSON type (null matches anything). */
function expectSameShape(ours: unknown, theirs: unknown, omit: readonly string[] = [], path = ''): void {
  const a = shapeOf(ours);
  const b = shapeOf(theirs);
  if (b === 'null' || omit.includes(path)) return;
  if (Array.isArray(b)) {
    expect(Array.isArray(a), path).toBe(true);
    if (b.length && (a as unknown[]).length)
      expectSameShape((ours as unknown[])[0], (theirs as unknown[])[0], omit, `${path}[]`);
    return;
  }
  if (typeof b === 'object') {
    for (const key of Object.keys(b as object)) {
      const p = path ? `${path}.${key}` : key;
      if (omit.includes(p)) continue;
      expect(ours, `missing field ${p}`).toHaveProperty([key]);
      expectSameShape((ours as Record<string, unknown>)[key], (theirs as Record<string, unknown>)[key], omit, p);
    }
    return;
  }
  expect(a, path).toBe(b);
}

let venue: RunningVenue;
let client: ClobClient;
let wallet: Wallet;
const messages = (
  url: string,
  first: object | string,
  until: (msgs: unknown[]) => boolean,
  ms = 5000,
): Promise<unknown[]> =>
  new Promise((res, rej) => {
    const ws = new WebSocket(url);
    const got: unknown[] = [];
    const timer = setTimeout(() => {
      ws.close();
      rej(new Error(`timeout; got ${JSON.stringify(got).slice(0, 300)}`));
    }, ms);
    ws.on('open', () => ws.send(typeof first === 'string' ? first : JSON.stringify(first)));
    ws.on('message', (d) => {
      const t = d.toString();
      const parsed = t.startsWith('{') || t.startsWith('[') ? JSON.parse(t) : t;
      for (const m of Array.isArray(parsed) ? parsed : [parsed]) got.push(m);
      if (!until(got)) return;
      clearTimeout(timer);
      ws.close();
      res(got);
    });
  });

// The venue runs on its own clock, 1 minute into a 15-minute market whatever the wall clock says,
// and is stepped once before any test asks for the open market (no waiting for its first tick).
const INTERVAL = 900_000;
let clock: () => number;
beforeEach(async () => {
  const t0 = Date.now();
  const base = Math.floor(t0 / INTERVAL) * INTERVAL + 60_000;
  clock = () => base + (Date.now() - t0);
  venue = await startVenue({
    port: 0,
    clock,
    options: { seed: 5, intervalMs: INTERVAL, participants: false, minedDelayMs: 100, confirmedDelayMs: 100 },
    tickMs: 20,
  });
  venue.core.advance(clock());
  wallet = Wallet.createRandom();
  const creds = await new ClobClient({
    host: venue.urls.clob,
    chain: 137,
    signer: wallet as never,
  }).createOrDeriveApiKey();
  client = new ClobClient({ host: venue.urls.clob, chain: 137, signer: wallet as never, creds, throwOnError: true });
});
afterEach(() => venue.close());

const open = () => {
  const m = venue.core.markets().find((x) => x.status === 'open');
  if (!m) throw new Error('no open market: the venue was not stepped'); // never a silent undefined
  return m;
};

describe('schema conformance with the fixtures', () => {
  it('Gamma markets and events', async () => {
    const m = open();
    const [market] = await getJson(`${venue.urls.gamma}/markets?slug=${m.slug}`);
    const gammaOmit = [
      'events',
      'liquidity',
      'image',
      'icon',
      'volume',
      'marketMakerAddress',
      'new',
      'featured',
      'archived',
      'restricted',
      'groupItemThreshold',
      'volumeNum',
      'liquidityNum',
      'endDateIso',
      'startDateIso',
      'hasReviewedDates',
      'volume24hr',
      'volume1wk',
      'volume1mo',
      'volume1yr',
      'volume24hrClob',
      'volume1wkClob',
      'volume1moClob',
      'volume1yrClob',
      'volumeClob',
      'liquidityClob',
      'ready',
      'funded',
      'acceptingOrdersTimestamp',
      'cyom',
      'competitive',
      'pagerDutyNotificationEnabled',
      'approved',
      'rewardsMinSize',
      'rewardsMaxSpread',
      'spread',
      'lastTradePrice',
      'automaticallyActive',
      'clearBookOnStart',
      'showGmpSeries',
      'showGmpOutcome',
      'manualActivation',
      'negRiskOther',
      'pendingDeployment',
      'deploying',
      'rfqEnabled',
      'holdingRewardsEnabled',
      'requiresTranslation',
    ];
    expectSameShape(market, fixture('nautilus-test-data/gamma_market.json'), gammaOmit);
    expect(JSON.parse(market.clobTokenIds)).toEqual([m.tokenUp, m.tokenDown]);
    expect(await getJson(`${venue.urls.gamma}/markets?slug=nope`)).toEqual([]);
    const [event] = await getJson(`${venue.urls.gamma}/events?slug=${m.slug}`);
    expect(event.markets[0].conditionId).toBe(m.conditionId);
  });

  it('REST book, order responses, open orders, trades, cancels and balances', async () => {
    const m = open();
    const order = await client.createOrder({ tokenID: m.tokenUp, price: 0.3, size: 10, side: Side.BUY });
    const posted = await client.postOrder(order, OrderType.GTC, true);
    expectSameShape(posted, fixture('nautilus-test-data/http_order_response_ok.json'));
    expectSameShape(
      await getJson(`${venue.urls.clob}/book?token_id=${m.tokenUp}`),
      fixture('nautilus-test-data/clob_book_response.json'),
    );
    const page = await client.getOpenOrders();
    expectSameShape({ data: page, next_cursor: 'LTE=' }, fixture('nautilus-test-data/http_open_orders_page.json'));
    venue.core.split(wallet.address, m.conditionId, 20, clock());
    await client.postOrder(
      await client.createOrder({ tokenID: m.tokenUp, price: 0.3, size: 10, side: Side.SELL }),
      OrderType.GTC,
    );
    const trades = await client.getTradesPaginated();
    expectSameShape(
      { data: trades.trades, next_cursor: trades.next_cursor },
      fixture('nautilus-test-data/http_trades_page.json'),
    );
    expectSameShape(
      await client.getBalanceAllowance({ asset_type: 'COLLATERAL' as never }),
      fixture('nautilus-test-data/http_balance_allowance_collateral.json'),
    );
    const o2 = await client.postOrder(
      await client.createOrder({ tokenID: m.tokenUp, price: 0.2, size: 10, side: Side.BUY }),
      OrderType.GTC,
    );
    const cancel = (await client.cancelOrders([o2.orderID, '0xdead'])) as {
      canceled: string[];
      not_canceled: Record<string, string>;
    };
    expectSameShape(cancel, fixture('nautilus-test-data/http_batch_cancel_response.json'), ['not_canceled']);
    expect(cancel.canceled).toEqual([o2.orderID]);
    expect(typeof cancel.not_canceled['0xdead']).toBe('string');
  });

  it('market channel: book, price_change, best_bid_ask, last_trade_price', async () => {
    const m = open();
    const got = messages(
      venue.urls.wsMarket,
      { assets_ids: [m.tokenUp, m.tokenDown], type: 'market', custom_feature_enabled: true },
      (ms) =>
        ['book', 'price_change', 'best_bid_ask', 'last_trade_price'].every((t) =>
          ms.some((x) => (x as { event_type?: string }).event_type === t),
        ),
    );
    await new Promise((r) => setTimeout(r, 100));
    await client.postOrder(
      await client.createOrder({ tokenID: m.tokenDown, price: 0.45, size: 10, side: Side.BUY }),
      OrderType.GTC,
    );
    await client.postOrder(
      await client.createOrder({ tokenID: m.tokenUp, price: 0.55, size: 5, side: Side.BUY }),
      OrderType.GTC,
    );
    const ms = (await got) as { event_type: string }[];
    const of = (t: string) => ms.find((x) => x.event_type === t);
    expectSameShape(of('book'), fixture('nautilus-test-data/ws_market_book_msg.json'));
    expectSameShape(of('price_change'), fixture('nautilus-test-data/ws_market_price_change_msg.json'));
    expectSameShape(of('best_bid_ask'), fixture('nautilus-test-data/ws_market_best_bid_ask_msg.json'));
    expectSameShape(of('last_trade_price'), fixture('nautilus-test-data/ws_market_last_trade_msg.json'));
  });

  it('user channel: order placement, update, cancellation and the trade lifecycle', async () => {
    const m = open();
    const c = client.creds!;
    const got = messages(
      venue.urls.wsUser,
      { auth: { apiKey: c.key, secret: c.secret, passphrase: c.passphrase }, markets: [m.conditionId], type: 'user' },
      (ms) =>
        ms.some((x) => (x as { status?: string }).status === 'CONFIRMED') &&
        ms.some((x) => (x as { type?: string }).type === 'CANCELLATION'),
    );
    await new Promise((r) => setTimeout(r, 100));
    const resting = await client.postOrder(
      await client.createOrder({ tokenID: m.tokenDown, price: 0.45, size: 10, side: Side.BUY }),
      OrderType.GTC,
    );
    await client.postOrder(
      await client.createOrder({ tokenID: m.tokenUp, price: 0.55, size: 5, side: Side.BUY }),
      OrderType.FAK as never,
    );
    await client.cancelOrder({ orderID: resting.orderID });
    const ms = (await got) as { event_type: string; type: string; status: string }[];
    expectSameShape(
      ms.find((x) => x.type === 'PLACEMENT'),
      fixture('nautilus-test-data/ws_user_order_placement.json'),
    );
    expectSameShape(
      ms.find((x) => x.type === 'UPDATE'),
      fixture('nautilus-test-data/ws_user_order_update.json'),
    );
    expectSameShape(
      ms.find((x) => x.type === 'CANCELLATION'),
      fixture('nautilus-test-data/ws_user_order_cancellation.json'),
    );
    const trades = ms.filter((x) => x.event_type === 'trade');
    expect(new Set(trades.map((t) => t.status))).toEqual(new Set(['MATCHED', 'MINED', 'CONFIRMED']));
    expectSameShape(trades[0], fixture('nautilus-test-data/ws_user_trade.json'));
  });

  it('RTDS: history on subscribe then updates; PolyBolt: auth, snapshot, increasing seq', async () => {
    const rtds = await messages(
      venue.urls.rtds,
      { action: 'subscribe', subscriptions: [{ topic: 'crypto_prices', type: 'update', filters: 'btcusdt' }] },
      (ms) => ms.length >= 3,
    );
    expectSameShape(rtds[0], fixture('nautilus-test-data/rtds_crypto_prices_subscribe.json'));
    expectSameShape(rtds[1], fixture('nautilus-test-data/rtds_crypto_prices_update.json'));
    const c = client.creds!;
    const pb = (await messages(
      venue.urls.polybolt,
      { op: 'auth', rid: 'r1', auth: { apiKey: c.key, secret: c.secret, passphrase: c.passphrase } },
      (ms) => ms.length >= 1,
    )) as { op: string }[];
    expect(pb[0]).toEqual({ op: 'authed', rid: 'r1' });
  });
});

describe('socket behaviour and faults', () => {
  it('answers PING with PONG', async () => {
    expect(await messages(venue.urls.wsMarket, 'PING', (ms) => ms.includes('PONG'))).toContain('PONG');
  });

  it('the drop knob closes sockets; geoblock answers 403; a 429 burst is served', async () => {
    const ws = new WebSocket(venue.urls.wsMarket);
    await new Promise((r) => ws.on('open', r));
    const closed = new Promise((r) => ws.on('close', r));
    const drop = await getJson(`${venue.urls.control}/drop?socket=market`, { method: 'POST' });
    expect(drop.dropped).toBe(1);
    await closed;
    await fetch(`${venue.urls.control}/faults`, { method: 'POST', body: JSON.stringify({ geoblock: true }) });
    await expect(client.postHeartbeat()).rejects.toThrow(/region/);
    await fetch(`${venue.urls.control}/faults`, {
      method: 'POST',
      body: JSON.stringify({ geoblock: false, http429Burst: 2 }),
    });
    expect((await fetch(`${venue.urls.clob}/time`)).status).toBe(429);
    expect((await fetch(`${venue.urls.clob}/time`)).status).toBe(429);
    expect((await fetch(`${venue.urls.clob}/time`)).status).toBe(200);
    expect(
      (await fetch(`${venue.urls.control}/faults`, { method: 'POST', body: JSON.stringify({ nope: 1 }) })).status,
    ).toBe(400);
  });

  it('a bad user-channel auth closes the socket', async () => {
    const ws = new WebSocket(venue.urls.wsUser);
    await new Promise((r) => ws.on('open', r));
    ws.send(JSON.stringify({ auth: { apiKey: 'x', secret: 'y', passphrase: 'z' }, markets: [], type: 'user' }));
    const code = await new Promise((r) => ws.on('close', (c) => r(c)));
    expect(code).toBe(4001);
  });

  it('message faults: duplicates, delay; REST faults: 5xx, rejects; oracle stall silences Chainlink', async () => {
    const m = open();
    const sub = { assets_ids: [m.tokenUp], type: 'market' };
    await fetch(`${venue.urls.control}/faults`, {
      method: 'POST',
      body: JSON.stringify({ duplicateRate: 1, delayMs: 150 }),
    });
    const t0 = Date.now();
    const dup = await messages(venue.urls.wsMarket, sub, (ms) => ms.length >= 2);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(150);
    expect(dup[0]).toEqual(dup[1]);
    await fetch(`${venue.urls.control}/reset`, { method: 'POST' });
    await fetch(`${venue.urls.control}/faults`, { method: 'POST', body: JSON.stringify({ http5xxRate: 1 }) });
    expect((await fetch(`${venue.urls.clob}/time`)).status).toBe(500);
    await fetch(`${venue.urls.control}/faults`, {
      method: 'POST',
      body: JSON.stringify({ http5xxRate: 0, rejectRate: 1 }),
    });
    const order = await client.createOrder({ tokenID: m.tokenUp, price: 0.2, size: 5, side: Side.BUY });
    await expect(client.postOrder(order, OrderType.GTC, true)).rejects.toThrow();
    await fetch(`${venue.urls.control}/faults`, {
      method: 'POST',
      body: JSON.stringify({ rejectRate: 0, oracleStall: true }),
    });
    const rtdsSub = {
      action: 'subscribe',
      subscriptions: [
        { topic: 'crypto_prices_chainlink', type: '*', filters: JSON.stringify({ symbol: 'btc/usd' }) },
        { topic: 'crypto_prices', type: 'update', filters: 'btcusdt' },
      ],
    };
    const got = await messages(
      venue.urls.rtds,
      rtdsSub,
      (ms) =>
        ms.filter(
          (x) =>
            (x as { topic?: string; type?: string }).topic === 'crypto_prices' &&
            (x as { type?: string }).type === 'update',
        ).length >= 8,
    );
    expect(
      got.filter(
        (x) =>
          (x as { topic?: string; type?: string }).topic === 'crypto_prices_chainlink' &&
          (x as { type?: string }).type === 'update',
      ),
    ).toEqual([]);
  });
});
