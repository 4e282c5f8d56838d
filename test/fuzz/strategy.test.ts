// Fuzzing the state reducer and the strategy step with hostile event sequences: times that go
// backwards, duplicates, crossed or empty books, prices of 0, negative, huge or jumping 20 %, fills
// reversed that were never counted, orders in any order, feeds flapping. Nothing may throw, time
// never runs backwards in the state, and every desired order keeps the safety invariants.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { DecisionEvent, InputEvent, LiveOrder } from '../../src/domain/index.js';
import { haltCancelsAll } from '../../src/domain/index.js';
import { isOnGrid } from '../../src/quant/index.js';
import { initialStrategy, strategyStep, type StrategyState } from '../../src/strategy/step.js';
import {
  binance,
  bookEv,
  chainlink,
  clockEv,
  down,
  END,
  fillEv,
  market,
  marketEv,
  START,
  testConfig,
  up,
} from '../support/events.js';

const RUNS = 10_000;
const cfg = testConfig();

const nastyPrice = fc.oneof(
  fc.double({ min: 90_000, max: 110_000, noNaN: true }),
  fc.constantFrom(0, -1, 1e12, 120_000, 80_000, Number.MIN_VALUE),
);
const cents = fc.integer({ min: 1, max: 99 });
const orderEv = (
  t: number,
  id: string,
  change: 'PLACEMENT' | 'UPDATE' | 'CANCELLATION',
  price: number,
  matched: number,
): InputEvent => {
  const order: LiveOrder = {
    orderId: id,
    conditionId: market.conditionId,
    tokenId: 'UP',
    outcome: 'up',
    side: 'BUY',
    price,
    size: 10,
    sizeMatched: matched,
    orderType: 'GTC',
    status: change === 'CANCELLATION' ? 'cancelled' : matched >= 10 ? 'matched' : 'live',
    tsMs: t,
  };
  return { kind: 'order', tsMs: t, change, order };
};

const event = (t: number): fc.Arbitrary<InputEvent> =>
  fc.oneof(
    nastyPrice.map((p) => chainlink(t, p)),
    nastyPrice.map((p) => binance(t, p)),
    // Books: normal, crossed, locked, one-sided.
    fc
      .tuple(fc.constantFrom('UP', 'DOWN'), cents, fc.integer({ min: -10, max: 20 }))
      .map(([tok, bid, spread]) => bookEv(tok, t, bid / 100, Math.min(99, Math.max(1, bid + spread)) / 100)),
    fc.constantFrom('UP', 'DOWN').map((tok): InputEvent => ({
      kind: 'book',
      tsMs: t,
      conditionId: market.conditionId,
      book: { tokenId: tok, bids: [], asks: [], tsMs: t, stale: false },
    })),
    // Fills, some reversed (a FAILED trade that may never have been counted), some repeated.
    fc
      .tuple(
        fc.constantFrom('UP', 'DOWN'),
        fc.integer({ min: 1, max: 80 }),
        cents,
        fc.boolean(),
        fc.integer({ min: 0, max: 3 }),
      )
      .map(([tok, size, p, rev, id]) => fillEv(tok, size, p / 100, t, `t${id}`, rev)),
    fc
      .tuple(
        fc.constantFrom('o1', 'o2', 'o3'),
        fc.constantFrom('PLACEMENT', 'UPDATE', 'CANCELLATION') as fc.Arbitrary<'PLACEMENT' | 'UPDATE' | 'CANCELLATION'>,
        cents,
        fc.constantFrom(0, 5, 10),
      )
      .map(([id, ch, p, m]) => orderEv(t, id, ch, p / 100, m)),
    fc.constant(clockEv(t)),
    fc.constant(marketEv(t)),
    fc.constantFrom<InputEvent>(
      down('user', t),
      up('user', t),
      down('market', t),
      up('market', t),
      { kind: 'stale', tsMs: t, feed: 'prices', stale: true },
      { kind: 'stale', tsMs: t, feed: 'prices', stale: false },
      { kind: 'heartbeat', tsMs: t, ok: false, error: 'HTTP 500' },
      { kind: 'heartbeat', tsMs: t, ok: true },
      { kind: 'skip', tsMs: t, source: 'market', reason: 'malformed JSON', raw: '{' },
      { kind: 'position', tsMs: t, conditionId: market.conditionId, up: 7, down: 0 },
      { kind: 'marketResolved', tsMs: t, conditionId: market.conditionId, winningTokenId: 'UP', winner: 'up' },
    ),
  );

/** Event times: mostly forward, sometimes backwards (reordered), sometimes repeated (duplicates). */
const sequence = fc.array(fc.integer({ min: -5_000, max: 60_000 }), { minLength: 1, maxLength: 40 }).chain((gaps) => {
  let t = START - 2_000;
  return fc.tuple(...gaps.map((g) => event((t = Math.max(START - 60_000, t + g)))));
});

const decisions = (out: readonly { kind: string }[]): DecisionEvent[] =>
  out.filter((e): e is DecisionEvent => e.kind === 'decision');

describe(`fuzzing the state reducer and strategy step (${RUNS} sequences)`, { timeout: 300_000 }, () => {
  it('no throw; time never runs backwards; desired orders keep every safety invariant', () => {
    fc.assert(
      fc.property(sequence, (evs) => {
        let s: StrategyState = initialStrategy();
        for (const ev of [marketEv(START - 3_000), up('market', START - 3_000), up('user', START - 3_000), ...evs]) {
          const before = s.bot.nowMs;
          const r = strategyStep(s, ev, cfg);
          s = r.state;
          expect(s.bot.nowMs).toBeGreaterThanOrEqual(before);
          const m = s.bot.markets.get(market.conditionId);
          for (const o of m ? [...m.orders.values()] : []) expect(o.status).toBe('live');
          const alpha = s.lastAlpha.get(market.conditionId);
          for (const d of decisions(r.out)) {
            const orders = d.desired.orders;
            if (haltCancelsAll(s.halts) || d.tsMs >= END - cfg.cutoffMs) expect(orders).toEqual([]);
            for (const o of orders) {
              const tick = m?.tickSize ?? market.tickSize;
              expect(isOnGrid(o.price, tick)).toBe(true);
              expect(o.price).toBeGreaterThanOrEqual(tick - 1e-9);
              expect(o.price).toBeLessThanOrEqual(1 - tick + 1e-9);
              expect(o.size).toBeGreaterThanOrEqual(market.minSize);
              expect(Number.isFinite(o.size)).toBe(true);
              const book = o.outcome === 'up' ? m?.bookUp : m?.bookDown;
              const ask = book?.asks[0]?.price;
              if (ask !== undefined) expect(o.price).toBeLessThan(ask - 1e-9);
              if (alpha) expect(o.price).toBeLessThanOrEqual((o.outcome === 'up' ? alpha.capUp : alpha.capDown) + 1e-9);
            }
            const best = (side: 'up' | 'down'): number | undefined => {
              const ps = orders.filter((o) => o.outcome === side).map((o) => o.price);
              return ps.length ? Math.max(...ps) : undefined;
            };
            const [bu, bd] = [best('up'), best('down')];
            if (bu !== undefined && bd !== undefined && alpha)
              expect(bu + bd).toBeLessThanOrEqual(alpha.targetTotal + 1e-9);
          }
          for (const e of r.out)
            if (e.kind === 'alpha') expect(Number.isFinite(e.qUp) && e.qUp >= 0 && e.qUp <= 1).toBe(true);
        }
      }),
      { numRuns: RUNS },
    );
  });
});
