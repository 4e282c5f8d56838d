import { beforeEach, describe, expect, it } from 'vitest';
import { idSeqFrom } from '../../src/core/exchange.js';
import { createVenueCore } from '../../src/core/venue.js';
import type { VenueCore, VMarket, VOrderRequest } from '../../src/core/types.js';

const START = Date.UTC(2026, 10, 24, 20, 0, 0);
const A = '0x000000000000000000000000000000000000000a';
const B = '0x000000000000000000000000000000000000000b';
const C = '0x000000000000000000000000000000000000000c';

let core: VenueCore;
let m: VMarket;
const order = (
  o: Partial<VOrderRequest> & Pick<VOrderRequest, 'owner' | 'tokenId' | 'side' | 'price' | 'size'>,
): VOrderRequest => ({
  orderType: 'GTC',
  postOnly: false,
  expirationS: 0,
  ...o,
});
const place = (o: Parameters<typeof order>[0]) => core.placeOrder(order(o), START + 1000);

beforeEach(() => {
  core = createVenueCore({
    startMs: START,
    participants: false,
    startingBalance: 1000,
    minedDelayMs: 2000,
    confirmedDelayMs: 4000,
  });
  core.advance(START + 1000);
  m = core.markets().find((x) => x.status === 'open')!;
  core.drainEvents();
});

describe('matching engine', () => {
  it('mints: a buy of Up matches a resting buy of Down at 1 - p', () => {
    expect(place({ owner: A, tokenId: m.tokenDown, side: 'BUY', price: 0.45, size: 10 }).status).toBe('live');
    const r = place({ owner: B, tokenId: m.tokenUp, side: 'BUY', price: 0.6, size: 10 });
    expect(r).toMatchObject({ success: true, status: 'matched' });
    expect(core.balance(A).positions[m.tokenDown]).toBe(10);
    expect(core.balance(B).positions[m.tokenUp]).toBe(10);
    // The maker pays its price; the taker pays 1 - 0.45 = 0.55 plus the fee.
    const fee = 10 * 0.072 * 0.55 * 0.45;
    expect(core.balance(A).collateral).toBeCloseTo(1000 - 4.5 + 0.2 * fee, 6);
    expect(core.balance(B).collateral).toBeCloseTo(1000 - 5.5 - fee, 6);
  });

  it('merges: a sell of Up matches a resting sell of Down at <= 1 - p', () => {
    core.split(A, m.conditionId, 20, START);
    core.split(B, m.conditionId, 20, START);
    place({ owner: A, tokenId: m.tokenDown, side: 'SELL', price: 0.4, size: 10 });
    const r = place({ owner: B, tokenId: m.tokenUp, side: 'SELL', price: 0.55, size: 10 });
    expect(r.status).toBe('matched');
    expect(core.balance(A).positions[m.tokenDown]).toBe(10);
    expect(core.balance(B).positions[m.tokenUp]).toBe(10);
    expect(core.balance(A).collateral).toBeCloseTo(980 + 4 + 0.2 * 10 * 0.072 * 0.6 * 0.4, 6);
    expect(core.balance(B).collateral).toBeCloseTo(980 + 6 - 10 * 0.072 * 0.6 * 0.4, 6);
  });

  it('price-time priority: best price first, then earliest', () => {
    const first = place({ owner: A, tokenId: m.tokenUp, side: 'BUY', price: 0.5, size: 5 });
    const second = place({ owner: B, tokenId: m.tokenUp, side: 'BUY', price: 0.5, size: 5 });
    const better = place({ owner: C, tokenId: m.tokenDown, side: 'SELL', price: 0.49, size: 5 }); // needs shares
    expect(better.success).toBe(false);
    core.split(C, m.conditionId, 50, START);
    const best = place({ owner: C, tokenId: m.tokenUp, side: 'BUY', price: 0.51, size: 5 });
    core.drainEvents();
    place({ owner: C, tokenId: m.tokenUp, side: 'SELL', price: 0.5, size: 8, orderType: 'FAK' });
    const fills = core
      .drainEvents()
      .filter((e) => e.type === 'trade')
      .flatMap((e) => (e.type === 'trade' ? e.trade.makers : []));
    expect(fills.map((f) => [f.orderId, f.matchedAmount, f.price])).toEqual([
      [best.orderId, 5, 0.51],
      [first.orderId, 3, 0.5],
    ]);
    expect(core.openOrders(B).map((o) => o.id)).toEqual([second.orderId]);
  });

  it('FOK fills all or nothing; FAK fills what is there', () => {
    place({ owner: A, tokenId: m.tokenDown, side: 'BUY', price: 0.45, size: 10 });
    const fok = place({ owner: B, tokenId: m.tokenUp, side: 'BUY', price: 0.55, size: 20, orderType: 'FOK' });
    expect(fok).toMatchObject({ success: false, status: 'unmatched' });
    expect(fok.errorMsg).toMatch(/FOK/);
    expect(core.balance(B).positions[m.tokenUp]).toBeUndefined();
    const fak = place({ owner: B, tokenId: m.tokenUp, side: 'BUY', price: 0.55, size: 20, orderType: 'FAK' });
    expect(fak).toMatchObject({ success: true, status: 'matched', takingAmount: '10' });
    expect(core.openOrders(B)).toEqual([]);
    expect(place({ owner: B, tokenId: m.tokenUp, side: 'BUY', price: 0.55, size: 5, orderType: 'FAK' })).toMatchObject({
      success: false,
      status: 'unmatched',
    });
  });

  it('a marketable BUY spends its USDC, best ask first: cheaper asks buy more shares than it signed for', () => {
    // Up asks: 10 at 0.52 and 10 at 0.55 (resting Down bids at 0.48 and 0.45).
    place({ owner: A, tokenId: m.tokenDown, side: 'BUY', price: 0.48, size: 10 });
    place({ owner: A, tokenId: m.tokenDown, side: 'BUY', price: 0.45, size: 10 });
    const buy = (spendUsdc: number, orderType: 'FOK' | 'FAK') =>
      place({ owner: B, tokenId: m.tokenUp, side: 'BUY', price: 0.6, size: spendUsdc / 0.6, spendUsdc, orderType });
    expect(buy(0.9, 'FOK').errorMsg).toBe('invalid amount for a marketable BUY order ($0.9), min size: $1');
    const nan = { owner: B, tokenId: m.tokenUp, side: 'BUY' as const, price: 0.6, size: 10, spendUsdc: Number.NaN };
    expect(place({ ...nan, orderType: 'FAK' }).errorMsg).toMatch(/invalid amount for a marketable BUY order/);
    // $6 at the cap 0.60 signs for 10 shares; it buys 10 at 0.52 and 0.80 / 0.55 at 0.55.
    expect(buy(6, 'FOK')).toMatchObject({ success: true, status: 'matched', makingAmount: '6' });
    expect(core.balance(B).positions[m.tokenUp]).toBeCloseTo(10 + 0.8 / 0.55, 5);
    const fees = 10 * 0.072 * 0.52 * 0.48 + (0.8 / 0.55) * 0.072 * 0.55 * 0.45;
    expect(core.balance(B).collateral).toBeCloseTo(1000 - 6 - fees, 5);
    // What is left (5.2 USDC of asks) cannot take $6: a FOK is killed, a FAK buys it all.
    expect(buy(6, 'FOK')).toMatchObject({ success: false, status: 'unmatched' });
    expect(buy(6, 'FAK')).toMatchObject({ success: true, status: 'matched' });
    expect(core.balance(B).positions[m.tokenUp]).toBeCloseTo(20, 5);
    expect(core.openOrders(B)).toEqual([]);
  });

  it('a marketable BUY of Down spends its USDC against Up bids, at their complements', () => {
    // Down asks: 10 at 0.52 and 10 at 0.55 (resting Up bids at 0.48 and 0.45).
    place({ owner: A, tokenId: m.tokenUp, side: 'BUY', price: 0.48, size: 10 });
    place({ owner: A, tokenId: m.tokenUp, side: 'BUY', price: 0.45, size: 10 });
    const r = place({
      owner: B,
      tokenId: m.tokenDown,
      side: 'BUY',
      price: 0.6,
      size: 10,
      spendUsdc: 6,
      orderType: 'FAK',
    });
    expect(r).toMatchObject({ success: true, status: 'matched', makingAmount: '6' });
    expect(core.balance(B).positions[m.tokenDown]).toBeCloseTo(10 + 0.8 / 0.55, 5);
    expect(core.balance(A).positions[m.tokenUp]).toBeCloseTo(10 + 0.8 / 0.55, 5);
  });

  it('rejects post-only orders that would cross, in both tokens', () => {
    place({ owner: A, tokenId: m.tokenDown, side: 'BUY', price: 0.45, size: 10 }); // Up ask at 0.55
    expect(place({ owner: B, tokenId: m.tokenUp, side: 'BUY', price: 0.55, size: 5, postOnly: true }).errorMsg).toMatch(
      /crosses book/,
    );
    expect(place({ owner: B, tokenId: m.tokenUp, side: 'BUY', price: 0.54, size: 5, postOnly: true }).status).toBe(
      'live',
    );
    expect(
      place({ owner: B, tokenId: m.tokenDown, side: 'BUY', price: 0.47, size: 5, postOnly: true }).errorMsg,
    ).toMatch(/crosses book/);
  });

  it.each([
    [{ price: 0.555 }, /tick size/],
    [{ price: 1 }, /between/],
    [{ price: 0 }, /between/],
    [{ size: 4.99 }, /minimum/],
    [{ size: 5000 }, /balance/],
    [{ tokenId: '123' }, /invalid token/],
  ])('rejects %o', (patch, msg) => {
    expect(place({ owner: A, tokenId: m.tokenUp, side: 'BUY', price: 0.5, size: 10, ...patch }).errorMsg).toMatch(msg);
  });

  it('reserves collateral for resting bids and releases it on cancel', () => {
    const r = place({ owner: A, tokenId: m.tokenUp, side: 'BUY', price: 0.5, size: 100 });
    expect(core.balance(A).collateral).toBeCloseTo(950, 6);
    expect(core.cancelOrder(A, r.orderId, START + 2000)).toEqual({ canceled: true });
    expect(core.balance(A).collateral).toBeCloseTo(1000, 6);
    expect(core.cancelOrder(A, r.orderId, START + 2000).canceled).toBe(false);
    expect(core.cancelOrder(B, r.orderId, START + 2000).canceled).toBe(false);
  });

  it('pays maker rebates from taker fees', () => {
    place({ owner: A, tokenId: m.tokenDown, side: 'BUY', price: 0.5, size: 100 });
    place({ owner: B, tokenId: m.tokenUp, side: 'BUY', price: 0.5, size: 100, orderType: 'FOK' });
    const fee = 100 * 0.072 * 0.25;
    expect(core.balance(A).collateral).toBeCloseTo(1000 - 50 + fee * 0.2, 6);
    expect(core.balance(B).collateral).toBeCloseTo(1000 - 50 - fee, 6);
  });

  it('expires GTD orders', () => {
    const r = place({
      owner: A,
      tokenId: m.tokenUp,
      side: 'BUY',
      price: 0.5,
      size: 10,
      orderType: 'GTD',
      expirationS: (START + 5000) / 1000,
    });
    core.advance(START + 4900);
    expect(core.openOrders(A).length).toBe(1);
    core.advance(START + 5100);
    expect(core.openOrders(A)).toEqual([]);
    expect(
      core.drainEvents().some((e) => e.type === 'order' && e.change === 'CANCELLATION' && e.order.id === r.orderId),
    ).toBe(true);
  });
});

describe('orders by owner', () => {
  it("cancel all, cancel by market and open orders reach one owner's resting orders, filled ones gone", () => {
    const a1 = place({ owner: A, tokenId: m.tokenUp, side: 'BUY', price: 0.4, size: 10 }).orderId;
    const b1 = place({ owner: B, tokenId: m.tokenUp, side: 'BUY', price: 0.41, size: 10 }).orderId;
    const a2 = place({ owner: A, tokenId: m.tokenDown, side: 'BUY', price: 0.3, size: 10 }).orderId;
    const a3 = place({ owner: A, tokenId: m.tokenUp, side: 'BUY', price: 0.35, size: 10 }).orderId;
    // C sells Up into the best bids: B's 0.41 fills in full, then 5 of A's 0.40.
    core.split(C, m.conditionId, 15, START);
    place({ owner: C, tokenId: m.tokenUp, side: 'SELL', price: 0.4, size: 15, orderType: 'FAK' });
    expect(core.openOrders(B)).toEqual([]);
    expect(core.openOrders(A).map((o) => o.id)).toEqual([a1, a2, a3]);
    expect(core.cancelMarket(A, { tokenId: m.tokenDown }, START + 2000).canceled).toEqual([a2]);
    expect(core.openOrders(A).map((o) => o.id)).toEqual([a1, a3]);
    const b2 = place({ owner: B, tokenId: m.tokenDown, side: 'BUY', price: 0.2, size: 10 }).orderId;
    expect(core.cancelAll(A, START + 3000).canceled).toEqual([a1, a3]);
    expect(core.openOrders(A)).toEqual([]);
    expect(core.openOrders(B).map((o) => o.id)).toEqual([b2]);
    expect(b1).not.toBe(b2);
  });
});

describe('trade lifecycle and dead-man switch', () => {
  it('MATCHED -> MINED -> CONFIRMED', () => {
    place({ owner: A, tokenId: m.tokenDown, side: 'BUY', price: 0.5, size: 10 });
    place({ owner: B, tokenId: m.tokenUp, side: 'BUY', price: 0.5, size: 10 });
    core.advance(START + 10_000);
    const statuses = core.drainEvents().flatMap((e) => (e.type === 'trade' ? [e.trade.status] : []));
    expect(statuses).toEqual(['MATCHED', 'MINED', 'CONFIRMED']);
  });

  it('FAILED trades reverse the balances', () => {
    const c2 = createVenueCore({ startMs: START, participants: false, startingBalance: 1000, tradeFailRate: 1 });
    c2.advance(START + 1000);
    const mk = c2.markets().find((x) => x.status === 'open')!;
    c2.placeOrder(order({ owner: A, tokenId: mk.tokenDown, side: 'BUY', price: 0.5, size: 10 }), START + 1000);
    c2.placeOrder(order({ owner: B, tokenId: mk.tokenUp, side: 'BUY', price: 0.5, size: 10 }), START + 1000);
    expect(c2.balance(B).positions[mk.tokenUp]).toBe(10);
    c2.advance(START + 10_000);
    expect(c2.balance(B).positions[mk.tokenUp]).toBe(0);
    expect(c2.balance(B).collateral).toBeCloseTo(1000, 6);
    expect(c2.balance(A).collateral).toBeCloseTo(1000, 6);
    expect(c2.drainEvents().flatMap((e) => (e.type === 'trade' ? [e.trade.status] : []))).toEqual([
      'MATCHED',
      'RETRYING',
      'FAILED',
    ]);
  });

  it('cancels all orders when heartbeats stop, only once armed', () => {
    place({ owner: A, tokenId: m.tokenUp, side: 'BUY', price: 0.4, size: 10 });
    place({ owner: B, tokenId: m.tokenUp, side: 'BUY', price: 0.4, size: 10 });
    core.heartbeat(A, START + 1000);
    core.advance(START + 15_000);
    expect(core.openOrders(A).length).toBe(1);
    core.advance(START + 16_100);
    expect(core.openOrders(A)).toEqual([]);
    expect(core.openOrders(B).length).toBe(1);
    const cancels = core.drainEvents().filter((e) => e.type === 'order' && e.change === 'CANCELLATION');
    expect(cancels.map((e) => (e.type === 'order' ? e.reason : ''))).toEqual(['heartbeat timeout']);
  });
});

describe('markets', () => {
  it('schedules, closes, resolves by end >= start, and redeems', () => {
    place({ owner: A, tokenId: m.tokenUp, side: 'BUY', price: 0.3, size: 10 });
    core.split(A, m.conditionId, 10, START);
    expect(m.slug).toBe(`btc-updown-15m-${START / 1000}`);
    expect(core.marketBySlug(`btc-updown-15m-${(START + 900_000) / 1000}`)?.status).toBe('scheduled');
    core.advance(m.endMs + 5_000);
    const done = core.marketByCondition(m.conditionId)!;
    expect(done.status).toBe('resolved');
    expect(core.openOrders(A)).toEqual([]);
    expect(done.winner).toBe(done.oracleEnd! >= done.oracleStart! ? 'Up' : 'Down');
    const before = core.balance(A).collateral;
    expect(core.redeem(A, m.conditionId, m.endMs + 5_000)).toEqual({ ok: true, payout: 10 });
    expect(core.balance(A).collateral).toBeCloseTo(before + 10, 6);
    expect(core.balance(A).positions[m.tokenUp]).toBe(0);
  });

  it('takes orders from creation until the end, as live (a market lists a day ahead), then no more', () => {
    const next = core.marketBySlug(`btc-updown-15m-${(START + 900_000) / 1000}`)!;
    expect(next.status).toBe('scheduled');
    // Before its interval: the order rests, and the book published when the market opens holds it.
    expect(place({ owner: A, tokenId: next.tokenUp, side: 'BUY', price: 0.4, size: 10 })).toMatchObject({
      success: true,
      status: 'live',
    });
    core.advance(next.startMs);
    const opened = core.drainEvents().filter((e) => e.type === 'book' && e.book.tokenId === next.tokenUp);
    expect(opened.map((e) => (e.type === 'book' ? e.book.bids : []))).toEqual([[{ price: 0.4, size: 10 }]]);
    core.advance(next.endMs);
    expect(core.marketByCondition(next.conditionId)?.status).toBe('closed');
    expect(
      core.placeOrder(order({ owner: A, tokenId: next.tokenUp, side: 'BUY', price: 0.4, size: 10 }), next.endMs),
    ).toMatchObject({ success: false, errorMsg: 'market not open for trading' });
  });

  it('merges full sets back to collateral', () => {
    core.split(A, m.conditionId, 10, START);
    expect(core.merge(A, m.conditionId, 11, START).ok).toBe(false);
    expect(core.merge(A, m.conditionId, 10, START).ok).toBe(true);
    expect(core.balance(A).collateral).toBeCloseTo(1000, 6);
  });
});

describe('determinism and scenarios', () => {
  const run = (seed: number, scenario: 'calm' | 'flash-crash' | 'oracle-stall' = 'calm') => {
    const c = createVenueCore({ startMs: START, seed, scenario });
    c.advance(START + 10 * 60_000);
    return c.drainEvents();
  };
  it('the same seed gives the same event sequence', () => {
    const a = run(7);
    expect(a.length).toBeGreaterThan(1000);
    expect(run(7)).toEqual(a);
    expect(run(8)).not.toEqual(a);
  });

  it('oracle-stall stops chainlink while the fast feed moves; flash-crash drops the price', () => {
    const stall = run(1, 'oracle-stall').filter((e) => e.type === 'price');
    const cl = stall.filter((e) => e.type === 'price' && e.source === 'chainlink').map((e) => e.tsMs);
    const gaps = cl.slice(1).map((t, i) => t - cl[i]!);
    expect(Math.max(...gaps)).toBeGreaterThanOrEqual(30_000);
    const crash = createVenueCore({ startMs: START, scenario: 'flash-crash', participants: false });
    crash.advance(START + 0.4 * 900_000);
    const before = crash.lastPrice('binance')!.value;
    crash.advance(START + 0.4 * 900_000 + 10_000);
    expect(crash.lastPrice('binance')!.value / before).toBeLessThan(0.99);
  });

  it('the oracle publishes about once a second, lagging the fast feed', () => {
    const c = createVenueCore({ startMs: START, participants: false, oracleLagMs: 1_600 });
    c.advance(START + 60_000);
    const prices = c.drainEvents().flatMap((e) => (e.type === 'price' ? [e] : []));
    const fast = new Map(prices.filter((e) => e.source === 'binance').map((e) => [e.tsMs, e.value]));
    const oracle = prices.filter((e) => e.source === 'chainlink').slice(3);
    expect(oracle.length).toBeGreaterThan(50);
    for (const e of oracle) expect(e.value).toBe(fast.get(e.tsMs - 1_600));
    expect(oracle.some((e) => e.value !== fast.get(e.tsMs))).toBe(true);
  });
});

describe('id sequence across a restart', () => {
  const minted = (prefix: 'a' | 'b', n: number): string => `0x${prefix}${n.toString(16).padStart(61, '0')}`;

  it('continues after the saved counter and after every id the venue minted; order hashes do not count', () => {
    const hash = `0xa${'f'.repeat(63)}`;
    expect(idSeqFrom({ seq: 5, orders: [], trades: [] })).toBe(5);
    expect(
      idSeqFrom({ seq: 5, orders: [{ id: minted('a', 9) }, { id: hash }], trades: [{ id: minted('b', 7) }] }),
    ).toBe(9);
    expect(idSeqFrom({ seq: 3, orders: [{ id: hash }, { id: 'nope' }], trades: [{ id: minted('b', 12) }] })).toBe(12);
    // A damaged counter falls back on the ids kept.
    expect(idSeqFrom({ seq: Number.NaN, orders: [{ id: minted('a', 4) }], trades: [] })).toBe(4);
    expect(idSeqFrom({ seq: -1, orders: [], trades: [] })).toBe(0);
  });

  it('a core restored from a saved state mints no id it minted before, participants included', () => {
    const first = createVenueCore({ startMs: START, seed: 3 });
    first.advance(START + 120_000);
    const saved = first.persisted();
    expect(saved.seq).toBeGreaterThan(10);
    const used = new Set(Array.from({ length: saved.seq }, (_, i) => i + 1));
    // The restarted venue catches up with the present (its participants quote and trade) before
    // the saved state is put back, as startVenue does.
    const second = createVenueCore({ startMs: START + 130_000, seed: 3, idSeqFrom: idSeqFrom(saved) });
    second.advance(START + 190_000);
    second.restore(saved, START + 190_000);
    second.advance(START + 200_000);
    const mintedNow = second
      .drainEvents()
      .flatMap((e) => (e.type === 'order' ? [e.order.id] : e.type === 'trade' ? [e.trade.id] : []))
      .map((id) => parseInt(id.slice(3), 16));
    expect(mintedNow.length).toBeGreaterThan(10);
    expect(mintedNow.filter((n) => used.has(n))).toEqual([]);
  });
});

describe('trade store bounds', () => {
  it('after the store drops its oldest trades, every owner still reads its own latest ones (a rare trader’s old one is gone)', () => {
    const rich = createVenueCore({ startMs: START, participants: false, startingBalance: 1e9 });
    rich.advance(START + 1000);
    const mk = rich.markets().find((x) => x.status === 'open')!;
    const mint = (maker: string, taker: string, i: number): void => {
      const t = START + 1000 + i;
      rich.placeOrder(order({ owner: maker, tokenId: mk.tokenUp, side: 'BUY', price: 0.5, size: 5 }), t);
      const r = rich.placeOrder(order({ owner: taker, tokenId: mk.tokenDown, side: 'BUY', price: 0.5, size: 5 }), t);
      expect(r.success).toBe(true);
    };
    mint(A, C, 0); // C's only early trade
    for (let i = 1; i <= 2_500; i++) mint(A, B, i); // the store (2,000) drops the oldest
    mint(A, C, 2_501);
    const cTrades = rich.trades(C, {});
    expect(cTrades).toHaveLength(1); // the early one is gone with the store's oldest
    expect(rich.trades(A, {}).length).toBeGreaterThanOrEqual(1_600); // dropped in chunks of 400
    expect(rich.trades(A, {}).length).toBeLessThanOrEqual(2_001);
    const ids = rich.trades(A, {}).map((t) => Number(t.matchMs));
    expect(ids).toEqual([...ids].sort((a, b) => a - b)); // still the latest, in order
    expect(rich.trades(A, {}).at(-1)?.id).toBe(cTrades[0]?.id);
  });

  it("keeps the trades clients can read, not the simulated participants' among themselves", () => {
    const busy = createVenueCore({ startMs: START, scenario: 'calm' });
    busy.advance(START + 300_000);
    const trades = busy
      .drainEvents()
      .flatMap((ev) => (ev.type === 'trade' && ev.trade.status === 'MATCHED' ? [ev.trade] : []));
    expect(trades.length).toBeGreaterThan(0); // they do trade
    const participants = new Set(trades.flatMap((t) => [t.takerOwner, ...t.makers.map((mk) => mk.owner)]));
    for (const p of participants) expect(busy.trades(p, {})).toEqual([]);
    // A client's trade with a participant is kept, for both.
    const open = busy.markets().find((x) => x.status === 'open')!;
    const r = busy.placeOrder(
      order({ owner: A, tokenId: open.tokenUp, side: 'BUY', price: 0.99, size: 5, orderType: 'FAK' }),
      START + 300_000,
    );
    expect(r.status).toBe('matched');
    const mine = busy.trades(A, {});
    expect(mine).toHaveLength(1);
    expect(busy.trades(mine[0]!.makers[0]!.owner, {}).map((t) => t.id)).toEqual([mine[0]!.id]);
  });
});
