import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { initialStrategy, strategyStep, type StrategyEvent, type StrategyState } from '../../src/strategy/step.js';
import type { DecisionEvent, InputEvent } from '../../src/domain/index.js';
import { haltCancelsAll } from '../../src/domain/index.js';
import { isOnGrid } from '../../src/quant/index.js';
import {
  START,
  END,
  healthyOpening,
  testConfig,
  clockEv,
  chainlink,
  binance,
  bookEv,
  fillEv,
  down,
  up,
  market,
  marketEv,
} from '../support/events.js';

const cfg = testConfig();

function run(
  events: InputEvent[],
  s: StrategyState = initialStrategy(),
): { state: StrategyState; out: StrategyEvent[] } {
  const out: StrategyEvent[] = [];
  let state = s;
  for (const ev of events) {
    const r = strategyStep(state, ev, cfg);
    state = r.state;
    out.push(...r.out);
  }
  return { state, out };
}
const decisions = (out: StrategyEvent[]): DecisionEvent[] =>
  out.filter((e): e is DecisionEvent => e.kind === 'decision');
const last = <T>(xs: T[]): T => xs[xs.length - 1]!;

describe('strategy step', () => {
  const opened = run(healthyOpening());

  it('quotes a post-only ladder on both tokens once feeds, S0 and books are there', () => {
    const d = last(decisions(opened.out)).desired;
    expect(d.orders.filter((o) => o.outcome === 'up')).toHaveLength(cfg.ladder.levels);
    expect(d.orders.filter((o) => o.outcome === 'down')).toHaveLength(cfg.ladder.levels);
    for (const o of d.orders) {
      expect(o.postOnly).toBe(true);
      expect(o.price).toBeLessThan(0.55);
    }
  });

  it('waits (with a reason) before S0, and pauses for user feed loss with a halt event', () => {
    const early = run(healthyOpening().slice(0, 5));
    expect(last(decisions(early.out)).desired).toMatchObject({ orders: [], reason: expect.stringContaining('no_s0') });
    const r = run([down('user', START + 2_000)], opened.state);
    expect(r.out.find((e) => e.kind === 'halt')).toMatchObject({ reasons: ['user_feed_down'] });
    expect(last(decisions(r.out)).desired).toMatchObject({ orders: [], reason: 'user_feed_down' });
    const back = run([up('user', START + 3_000)], r.state);
    expect(back.out.find((e) => e.kind === 'halt')).toMatchObject({ reasons: [] });
    expect(last(decisions(back.out)).desired.orders.length).toBeGreaterThan(0);
  });

  it('pauses exactly when the oracle goes stale (hard pause), not a tick before', () => {
    const staleAt = START + 1_000 + cfg.alpha.chainlinkStaleMs;
    const feed: InputEvent[] = [];
    for (let t = START + 1_250; t <= staleAt; t += 250) feed.push(binance(t, 100_010), clockEv(t));
    const before = run(feed.slice(0, -2), opened.state);
    expect(decisions(before.out).every((d) => d.desired.orders.length > 0)).toBe(true);
    const r = run([binance(staleAt + 1, 100_010), clockEv(staleAt + 1)], before.state);
    expect(last(decisions(r.out)).desired).toMatchObject({ orders: [], reason: 'stale_oracle' });
    expect(r.out.find((e) => e.kind === 'alpha')).toMatchObject({ regime: 'STALE_ORACLE' });
  });

  it('emits an empty set at end - cutoff and no orders after it', () => {
    const cut = END - cfg.cutoffMs;
    let s = opened.state;
    const outs: StrategyEvent[] = [];
    for (let t = START + 2_000; t <= cut + 2_000; t += 1_000) {
      const r = run([chainlink(t, 100_010), binance(t, 100_010), clockEv(t)], s);
      s = r.state;
      outs.push(...r.out);
    }
    const after = decisions(outs).filter((d) => d.tsMs >= cut);
    expect(after[0]).toMatchObject({ tsMs: cut, desired: { orders: [], reason: 'cutoff' } });
    expect(after.every((d) => d.desired.orders.length === 0)).toBe(true);
  });

  it('asks for a taker completion of unpaired inventory after the wait, within its cap', () => {
    const t = START + 10_000;
    const r = run(
      [
        fillEv('UP', 20, 0.45, t),
        // Below Down's fair value (~0.45 at q_up ~0.55) too: taker.legAtFair takes no leg above fair.
        bookEv('DOWN', t, 0.4, 0.42),
        clockEv(t + 1_000),
        clockEv(t + cfg.taker.minWaitMs + 1),
      ],
      opened.state,
    );
    const taker = r.out.find((e) => e.kind === 'taker');
    expect(taker).toMatchObject({ intent: { outcome: 'down', size: 20, orderType: 'FOK', side: 'BUY' } });
    if (taker?.kind === 'taker') expect(0.45 + taker.intent.maxPrice).toBeLessThanOrEqual(1 - cfg.alpha.requiredEdge);
  });
});

describe('strategy invariants over random event sequences', () => {
  const price = fc.double({ min: 90_000, max: 110_000, noNaN: true });
  const cents = fc.integer({ min: 1, max: 99 });
  const event = (t: number) =>
    fc.oneof(
      price.map((p) => chainlink(t, p)),
      price.map((p) => binance(t, p)),
      fc
        .tuple(fc.constantFrom('UP', 'DOWN'), cents, fc.integer({ min: 1, max: 20 }))
        .map(([tok, bid, spread]) => bookEv(tok, t, bid / 100, Math.min(99, bid + spread) / 100)),
      fc
        .tuple(fc.constantFrom('UP', 'DOWN'), fc.integer({ min: 1, max: 60 }), cents)
        .map(([tok, size, p]) => fillEv(tok, size, p / 100, t)),
      fc.constant(clockEv(t)),
      fc.constantFrom<InputEvent>(
        down('user', t),
        up('user', t),
        { kind: 'heartbeat', tsMs: t, ok: false, error: 'x' },
        { kind: 'heartbeat', tsMs: t, ok: true },
      ),
    );
  const sequence = fc.array(fc.integer({ min: 1, max: 40_000 }), { minLength: 5, maxLength: 80 }).chain((gaps) => {
    let t = START - 1_000;
    const times = gaps.map((g) => (t += g));
    return fc.tuple(...times.map(event));
  });

  it('every desired order is on the grid, in range, above min size, below the ask, within caps and target; empty when halted (not merely frozen) or past cutoff', () => {
    fc.assert(
      fc.property(sequence, (evs) => {
        let s = run([
          marketEv(START - 2_000),
          up('market', START - 2_000),
          up('user', START - 2_000),
          chainlink(START - 1_500, 100_000),
        ]).state;
        for (const ev of evs as InputEvent[]) {
          const r = strategyStep(s, ev, cfg);
          s = r.state;
          const alpha = [...s.lastAlpha.values()][0];
          const m = s.bot.markets.get(market.conditionId)!;
          for (const d of decisions(r.out)) {
            const orders = d.desired.orders;
            if (
              haltCancelsAll(s.halts) ||
              d.tsMs >= END - cfg.cutoffMs ||
              s.bot.prices.settlement === undefined ||
              d.tsMs - s.bot.prices.settlement.tsMs > cfg.alpha.chainlinkStaleMs
            )
              expect(orders).toEqual([]);
            for (const o of orders) {
              expect(isOnGrid(o.price, m.tickSize)).toBe(true);
              expect(o.price).toBeGreaterThanOrEqual(m.tickSize - 1e-9);
              expect(o.price).toBeLessThanOrEqual(1 - m.tickSize + 1e-9);
              expect(o.size).toBeGreaterThanOrEqual(market.minSize);
              const book = o.outcome === 'up' ? m.bookUp : m.bookDown;
              const ask = book?.asks[0]?.price;
              if (ask !== undefined) expect(o.price).toBeLessThan(ask - 1e-9);
              if (alpha) expect(o.price).toBeLessThanOrEqual((o.outcome === 'up' ? alpha.capUp : alpha.capDown) + 1e-9);
            }
            const ups = orders.filter((o) => o.outcome === 'up');
            const downs = orders.filter((o) => o.outcome === 'down');
            if (ups.length && downs.length && alpha)
              expect(Math.max(...ups.map((o) => o.price)) + Math.max(...downs.map((o) => o.price))).toBeLessThanOrEqual(
                alpha.targetTotal + 1e-9,
              );
          }
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('halts moved by the time an informational input carries', () => {
  it('a heartbeat grace running out on a best-bid-ask update halts there, and the halt stays for later inputs', () => {
    const cfg = testConfig();
    const grace = cfg.heartbeat.graceMs;
    let s = initialStrategy();
    const run = (ev: InputEvent): StrategyEvent[] => {
      const r = strategyStep(s, ev, cfg);
      s = r.state;
      return r.out;
    };
    for (const ev of [up('market', START - 3_000), up('user', START - 3_000)]) run(ev);
    run({ kind: 'heartbeat', tsMs: START, ok: false, error: 'HTTP 500' });
    const bba: InputEvent = {
      kind: 'bestBidAsk',
      tsMs: START + grace + 1,
      conditionId: market.conditionId,
      tokenId: market.tokenUp,
      bestBid: 0.4,
      bestAsk: 0.6,
    };
    const out = run(bba);
    expect(out.filter((e) => e.kind === 'halt').flatMap((e) => (e.kind === 'halt' ? e.reasons : []))).toContain(
      'heartbeat_down',
    );
    expect(s.halts).toContain('heartbeat_down');
    run(clockEv(START + grace + 500));
    expect(s.halts).toContain('heartbeat_down');
  });
});
