// The incremental strategy step (shared maps, bounded closed-order ids, only touched markets
// evaluated) against the reference step kept in ./reference (maps copied on every event, every
// closed id kept, the same touched-markets rule): identical decisions and an equivalent state on
// random two-market event sequences. Plus the retention rule and the touched rule themselves.
import fc from 'fast-check';
import { isDeepStrictEqual as isEqual } from 'node:util';
import { describe, expect, it } from 'vitest';
import type { InputEvent, LiveOrder, MarketIdentity } from '../../src/domain/index.js';
import { CLOSED_KEPT, ClosedOrders } from '../../src/execution/closedOrders.js';
import {
  initialStrategy,
  stateParams,
  strategyStep,
  type StrategyEvent,
  type StrategyState,
} from '../../src/strategy/step.js';
import * as ref from './reference/step.js';
import { dormantReason, evaluateMarket } from '../../src/strategy/evaluate.js';
import { applyChurn } from '../../src/strategy/churn.js';
import { sameQuotedBook, touchedMarkets } from '../../src/strategy/touched.js';
import type { Book } from '../../src/domain/index.js';
import { binance, chainlink, clockEv, down, market as A, START, testConfig, up } from '../support/events.js';

const cfg = testConfig();
const params = stateParams(cfg);
// A second market that ends early, so that sequences also see it dropped.
const B: MarketIdentity = {
  ...A,
  slug: 'btc-updown-15m-b',
  conditionId: '0xcondB',
  tokenUp: 'BUP',
  tokenDown: 'BDOWN',
  startMs: START - 840_000,
  endMs: START + 60_000,
};
// A third settled by the TWAP rule, on the venue's TWAP ticks and our own average, that ends
// within the sequences (so price ticks find it before, around and after its boundaries).
const C: MarketIdentity = {
  ...A,
  slug: 'btc-updown-15m-c',
  conditionId: '0xcondC',
  tokenUp: 'CUP',
  tokenDown: 'CDOWN',
  startMs: START,
  endMs: START + 120_000,
  resolution: { rule: 'twap', lookbackS: 60 },
};
const ORDER_IDS = ['o1', 'o2', 'o3', 'o4'];
const twap = (t: number, price: number): InputEvent => ({
  kind: 'price',
  tsMs: t,
  tick: { source: 'chainlink-twap', symbol: 'btc/usd', price, tsMs: t, windowS: 60 },
});

const book = (m: MarketIdentity, tok: 'up' | 'down', t: number, bid: number, ask: number): InputEvent => ({
  kind: 'book',
  tsMs: t,
  conditionId: m.conditionId,
  book: {
    tokenId: tok === 'up' ? m.tokenUp : m.tokenDown,
    bids: [{ price: bid, size: 100 }],
    asks: [{ price: ask, size: 100 }],
    tsMs: t,
    stale: false,
  },
});
const order = (m: MarketIdentity, t: number, id: string, cancel: boolean, price: number): InputEvent => {
  const o: LiveOrder = {
    orderId: `${m.conditionId}:${id}`,
    conditionId: m.conditionId,
    tokenId: m.tokenUp,
    outcome: 'up',
    side: 'BUY',
    price,
    size: 10,
    sizeMatched: 0,
    orderType: 'GTC',
    status: cancel ? 'cancelled' : 'live',
    tsMs: t,
  };
  return { kind: 'order', tsMs: t, change: cancel ? 'CANCELLATION' : 'PLACEMENT', order: o };
};
const fill = (
  m: MarketIdentity,
  tok: 'up' | 'down',
  t: number,
  size: number,
  price: number,
  id: number,
): InputEvent => ({
  kind: 'fill',
  tsMs: t,
  reversal: false,
  fill: {
    tradeId: `t${id}`,
    orderId: `o${id}`,
    conditionId: m.conditionId,
    tokenId: tok === 'up' ? m.tokenUp : m.tokenDown,
    outcome: tok,
    side: 'BUY',
    price,
    size,
    role: 'MAKER',
    feeRateBps: 0,
    status: 'MATCHED',
    tsMs: t,
  },
});

const cents = fc.integer({ min: 2, max: 98 });
const mkt = fc.constantFrom(A, B, C);
const tok = fc.constantFrom<'up' | 'down'>('up', 'down');
const event = (t: number): fc.Arbitrary<InputEvent> =>
  fc.oneof(
    {
      arbitrary: fc
        .tuple(mkt, tok, cents, fc.integer({ min: 1, max: 6 }))
        .map(([m, k, b, s]) => book(m, k, t, b / 100, Math.min(99, b + s) / 100)),
      weight: 6,
    },
    {
      arbitrary: fc
        .tuple(mkt, fc.constantFrom(...ORDER_IDS), fc.boolean(), cents)
        .map(([m, id, c, p]) => order(m, t, id, c, p / 100)),
      weight: 3,
    },
    {
      arbitrary: fc
        .tuple(mkt, tok, fc.integer({ min: 1, max: 30 }), cents, fc.integer({ min: 0, max: 5 }))
        .map(([m, k, s, p, id]) => fill(m, k, t, s, p / 100, id)),
      weight: 2,
    },
    { arbitrary: fc.double({ min: 99_000, max: 101_000, noNaN: true }).map((p) => chainlink(t, p)), weight: 2 },
    { arbitrary: fc.double({ min: 99_000, max: 101_000, noNaN: true }).map((p) => binance(t, p)), weight: 2 },
    { arbitrary: fc.double({ min: 99_000, max: 101_000, noNaN: true }).map((p) => twap(t, p)), weight: 2 },
    { arbitrary: fc.constant(clockEv(t)), weight: 3 },
    { arbitrary: mkt.map((m): InputEvent => ({ kind: 'market', tsMs: t, market: m })), weight: 1 },
    fc.constantFrom<InputEvent>(
      down('user', t),
      up('user', t),
      { kind: 'heartbeat', tsMs: t, ok: false, error: 'HTTP 500' },
      { kind: 'heartbeat', tsMs: t, ok: true },
    ),
    mkt.map((m): InputEvent => ({
      kind: 'marketResolved',
      tsMs: t,
      conditionId: m.conditionId,
      winningTokenId: m.tokenUp,
      winner: 'up',
    })),
  );
/** What the random sequences start from: the three markets, healthy feeds, ticks covering their starts. */
const OPENING: InputEvent[] = [
  { kind: 'market', tsMs: START - 3_000, market: A },
  { kind: 'market', tsMs: START - 3_000, market: B },
  { kind: 'market', tsMs: START - 3_000, market: C },
  up('market', START - 3_000),
  up('user', START - 3_000),
  chainlink(START - 70_000, 100_000),
  chainlink(START - 3_000, 100_000),
  twap(START - 100, 100_000),
];
const sequence = fc.array(fc.integer({ min: -2_000, max: 20_000 }), { minLength: 1, maxLength: 60 }).chain((gaps) => {
  let t = START - 2_000;
  return fc.tuple(...gaps.map((g) => event((t = Math.max(START - 30_000, t + g)))));
});

/**
 * The state with closed ids as a sorted list (the two steps keep them in different structures),
 * without the fills awaiting confirmation, which the reference predates (confirmed-fill accounting,
 * tested in test/state/confirmedFills.test.ts; the generated fills are never reversed).
 */
function comparable(bot: StrategyState['bot'] | ref.StrategyState['bot']): unknown {
  const ids = [A, B, C].flatMap((m) => ORDER_IDS.map((id) => `${m.conditionId}:${id}`));
  const markets = [...bot.markets].map(([id, m]) => {
    const { unsettled: _unsettled, ...known } = m as typeof m & { unsettled?: unknown };
    return [id, { ...known, closedOrders: ids.filter((o) => m.closedOrders.has(o)) }];
  });
  return { ...bot, markets };
}

describe('incremental strategy step', () => {
  // ~8 s alone; a loaded 2-core machine took it past the 20 s default.
  it(
    'decides exactly as the reference step on random two-market sequences, with an equivalent state',
    { timeout: 90_000 },
    () => {
      fc.assert(
        fc.property(sequence, (evs) => {
          let s = initialStrategy();
          let r = ref.initialStrategy();
          for (const ev of [...OPENING, ...evs]) {
            const a = strategyStep(s, ev, cfg, params);
            const b = ref.strategyStep(r, ev, cfg, params);
            expect(a.out).toEqual(b.out);
            s = a.state;
            r = b.state;
            expect(comparable(s.bot)).toEqual(comparable(r.bot));
            expect(s.halts).toEqual(r.halts);
            expect(new Map(s.lastAlpha)).toEqual(new Map(r.lastAlpha));
            expect([...s.churn.keys()].sort()).toEqual([...r.churn.keys()].sort());
          }
        }),
        { numRuns: 1_000 },
      );
    },
  );

  it('evaluates only the market an input touches; a clock tick evaluates every market', () => {
    let s = initialStrategy();
    const open: InputEvent[] = [
      { kind: 'market', tsMs: START - 3_000, market: A },
      { kind: 'market', tsMs: START - 3_000, market: { ...B, startMs: START, endMs: START + 900_000 } },
      up('market', START - 3_000),
      up('user', START - 3_000),
      chainlink(START, 100_000),
      binance(START, 100_000),
      book(A, 'up', START + 500, 0.45, 0.55),
      book(A, 'down', START + 500, 0.45, 0.55),
      book(B, 'up', START + 500, 0.45, 0.55),
      book(B, 'down', START + 500, 0.45, 0.55),
    ];
    for (const ev of open) s = strategyStep(s, ev, cfg, params).state;
    const markets = (out: readonly StrategyEvent[]): string[] => [
      ...new Set(out.flatMap((e) => (e.kind === 'alpha' ? [e.conditionId] : []))),
    ];
    // Long enough after the opening that q_up moved with time in both markets.
    const later = START + 300_000;
    const onBook = strategyStep(s, book(A, 'up', later, 0.4, 0.6), cfg, params);
    expect(markets(onBook.out)).toEqual([A.conditionId]);
    const onClock = strategyStep(onBook.state, clockEv(later + 250), cfg, params);
    expect(markets(onClock.out)).toEqual([B.conditionId]);
  });
});

describe('evaluations skipped', () => {
  // Run on the generated sequences: each skip rule, where it applies, skips an evaluation that would
  // have changed nothing (for a dormant market, nothing but its q_up report).
  it(
    "an order update that leaves the others' best bids, and a dormant market already quiet, would evaluate to nothing new",
    { timeout: 90_000 },
    () => {
      let orderSkips = 0;
      let dormantSkips = 0;
      fc.assert(
        fc.property(sequence, (evs) => {
          let s = initialStrategy();
          for (const ev of [...OPENING, ...evs]) {
            const { state } = strategyStep(s, ev, cfg, params);
            const bot = state.bot;
            if (ev.kind === 'order' && bot !== s.bot && touchedMarkets(s.bot, bot, ev) === null) {
              const id = ev.order.conditionId;
              const [was, now] = [s.bot.markets.get(id)!, bot.markets.get(id)!];
              const withWas = { ...bot, markets: new Map(bot.markets).set(id, was) };
              expect(evaluateMarket(bot, now, cfg)).toEqual(evaluateMarket(withWas, was, cfg));
              orderSkips += 1;
            }
            for (const [id, m] of bot.markets) {
              const reason = dormantReason(bot, m, cfg, state.halts);
              const churn = state.churn.get(id);
              if (reason === undefined || churn?.sent?.orders.length !== 0 || churn.sent.reason !== reason) continue;
              const e = evaluateMarket(bot, m, cfg, undefined, state.halts);
              expect(e.desired.orders).toEqual([]);
              expect(e.desired.reason).toBe(reason);
              expect(e.taker).toBeUndefined();
              const c = applyChurn(churn, e.desired, e.limits, m.tickSize, cfg.churn);
              expect(c.emit).toBeUndefined();
              expect(c.state).toBe(churn);
              dormantSkips += 1;
            }
            s = state;
          }
        }),
        { numRuns: 500 },
      );
      expect(orderSkips).toBeGreaterThan(200);
      expect(dormantSkips).toBeGreaterThan(200);
    },
  );
});

describe('order updates that touch no market', () => {
  it("orders alike by the others' best bids they leave give the same evaluation; others touch their market", () => {
    let s = initialStrategy();
    const bookAt = (tok: 'up' | 'down'): InputEvent => ({
      kind: 'book',
      tsMs: START + 500,
      conditionId: A.conditionId,
      book: {
        tokenId: tok === 'up' ? A.tokenUp : A.tokenDown,
        // Our orders (size 10) can be all of the best level, or part of it.
        bids: [
          { price: 0.45, size: 10 },
          { price: 0.44, size: 30 },
        ],
        asks: [{ price: 0.56, size: 100 }],
        tsMs: START + 500,
        stale: false,
      },
    });
    const open: InputEvent[] = [
      { kind: 'market', tsMs: START - 3_000, market: A },
      up('market', START - 3_000),
      up('user', START - 3_000),
      chainlink(START - 2_000, 100_000),
      chainlink(START, 100_000),
      binance(START, 100_000),
      bookAt('up'),
      bookAt('down'),
    ];
    for (const ev of open) s = strategyStep(s, ev, cfg, params).state;
    const update = fc
      .tuple(fc.constantFrom(...ORDER_IDS), fc.boolean(), fc.constantFrom(0.43, 0.44, 0.45, 0.46), tok)
      .map(([id, cancel, price, k]): InputEvent => {
        const ev = order(A, START + 1_000, id, cancel, price);
        if (ev.kind !== 'order' || k === 'up') return ev;
        return { ...ev, order: { ...ev.order, tokenId: A.tokenDown, outcome: 'down' } };
      });
    let skipped = 0;
    let touched = 0;
    fc.assert(
      fc.property(fc.array(update, { minLength: 1, maxLength: 8 }), (evs) => {
        let t = s;
        for (const ev of evs) {
          const next = strategyStep(t, ev, cfg, params).state;
          if (next.bot !== t.bot && ev.kind === 'order') {
            const [was, now] = [t.bot.markets.get(A.conditionId)!, next.bot.markets.get(A.conditionId)!];
            const withWas = { ...next.bot, markets: new Map([[A.conditionId, was]]) };
            const same = isEqual(evaluateMarket(next.bot, now, cfg), evaluateMarket(withWas, was, cfg));
            if (touchedMarkets(t.bot, next.bot, ev) === null) {
              expect(same).toBe(true);
              skipped += 1;
            } else if (!same) touched += 1;
          }
          t = next;
        }
      }),
      { numRuns: 1_000 },
    );
    expect(skipped).toBeGreaterThan(200);
    expect(touched).toBeGreaterThan(100);
  });
});

describe('book updates that touch no market', () => {
  it('books alike by what the decision reads of them (sameQuotedBook) give the same evaluation', () => {
    let s = initialStrategy();
    const open: InputEvent[] = [
      { kind: 'market', tsMs: START - 3_000, market: A },
      up('market', START - 3_000),
      up('user', START - 3_000),
      chainlink(START - 2_000, 100_000),
      chainlink(START, 100_000),
      binance(START, 100_000),
      chainlink(START + 1_000, 100_010),
      book(A, 'up', START + 500, 0.45, 0.55),
      book(A, 'down', START + 500, 0.45, 0.55),
      order(A, START + 600, 'o1', false, 0.44),
      order(A, START + 600, 'o2', false, 0.43),
    ];
    for (const ev of open) s = strategyStep(s, ev, cfg, params).state;
    // Prices near the quotes (about 0.45), so that the ask and the others' bid bind.
    const level = fc.record({
      price: fc.integer({ min: 38, max: 60 }).map((c) => c / 100),
      size: fc.constantFrom(5, 10, 15, 40),
    });
    const side = fc.array(level, { maxLength: 5 });
    const sorted = (ls: { price: number; size: number }[], desc: boolean) =>
      [...new Map(ls.map((l) => [l.price, l])).values()].sort((a, b) => (desc ? b.price - a.price : a.price - b.price));
    const bookOf = (
      bids: { price: number; size: number }[],
      asks: { price: number; size: number }[],
      stale: boolean,
    ): Book => ({
      tokenId: A.tokenUp,
      bids: sorted(bids, true),
      asks: sorted(asks, false),
      tsMs: START + 1_000,
      stale,
    });
    let alike = 0;
    let quoted = 0;
    fc.assert(
      fc.property(
        side,
        side,
        side,
        side,
        fc.boolean(),
        fc.boolean(),
        fc.integer({ min: 1, max: 9 }),
        (b1, a1, b2, a2, st1, st2, depth) => {
          const one = bookOf(b1, a1, st1);
          // Mostly the same top with other depth; sometimes an unrelated book.
          // Or the same levels with another size at the best bid (where our own bids may rest).
          const resized = one.bids.map((l, i) => (i === 0 ? { ...l, size: b2[0]?.size ?? 5 } : l));
          const two =
            depth > 3
              ? bookOf(
                  [...one.bids.slice(0, depth > 6 ? 1 : 2), ...b2.filter((l) => l.price < (one.bids[1]?.price ?? 0))],
                  [...one.asks.slice(0, 1), ...a2.filter((l) => l.price > (one.asks[0]?.price ?? 1))],
                  st1,
                )
              : depth > 1
                ? bookOf(resized, [...one.asks], st1)
                : bookOf(b2, a2, st2);
          const m = s.bot.markets.get(A.conditionId)!;
          if (!sameQuotedBook(m, one, two, 'up')) return;
          alike += 1;
          const at = (b: Book) => {
            const mb = { ...m, bookUp: b };
            return evaluateMarket({ ...s.bot, nowMs: START + 2_000, markets: new Map([[A.conditionId, mb]]) }, mb, cfg);
          };
          expect(at(two)).toEqual(at(one));
          if (at(one).desired.orders.length > 0) quoted += 1;
        },
      ),
      { numRuns: 2_000 },
    );
    expect(alike).toBeGreaterThan(200);
    expect(quoted).toBeGreaterThan(100);
  });
});

describe('closed order ids', () => {
  it('remember at least the last CLOSED_KEPT ids (at most a small generation more), forget older ones, and never change an old set', () => {
    let c = ClosedOrders.EMPTY;
    const seen: ClosedOrders[] = [];
    for (let i = 0; i < 5 * CLOSED_KEPT; i++) {
      c = c.add(`id${i}`);
      if (i === 10) seen.push(c);
      expect(c.size).toBeLessThanOrEqual(CLOSED_KEPT + 32);
      expect(c.has(`id${Math.max(0, i - CLOSED_KEPT + 1)}`)).toBe(true);
    }
    for (let i = 4 * CLOSED_KEPT; i < 5 * CLOSED_KEPT; i++) expect(c.has(`id${i}`)).toBe(true);
    expect(c.has('id0')).toBe(false);
    expect(c.add(`id${5 * CLOSED_KEPT - 1}`)).toBe(c);
    expect(seen[0]!.has('id10')).toBe(true);
    expect(seen[0]!.has('id11')).toBe(false);
    expect(seen[0]!.size).toBe(11);
  });
});
