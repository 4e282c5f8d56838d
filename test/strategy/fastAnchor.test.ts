// alpha.fastAnchor (issue 12): q_up also priced from the fast feed at the settlement feed's level
// (the basis between the two, learned at each oracle tick), each side capped by the less favourable
// estimate. A move on the fast feed caps the side it makes stale at once, however long the oracle
// takes to show it; a steady basis between the feeds is learned, not taken for a move.
import { describe, expect, it } from 'vitest';
import { initialStrategy, strategyStep, type StrategyState } from '../../src/strategy/step.js';
import { evaluateMarket } from '../../src/strategy/evaluate.js';
import type { InputEvent } from '../../src/domain/index.js';
import { START, healthyOpening, testConfig, market, binance, chainlink } from '../support/events.js';

function run(events: InputEvent[], c: ReturnType<typeof testConfig>): StrategyState {
  let s = initialStrategy();
  for (const ev of events) s = strategyStep(s, ev, c).state;
  return s;
}
const evaluation = (s: StrategyState, c: ReturnType<typeof testConfig>) =>
  evaluateMarket(s.bot, s.bot.markets.get(market.conditionId)!, c);
const level0 = (s: StrategyState, c: ReturnType<typeof testConfig>, outcome: 'up' | 'down'): number | undefined =>
  evaluation(s, c).desired.orders.find((o) => o.outcome === outcome && o.level === 0)?.price;

describe('alpha.fastAnchor', () => {
  const on = testConfig({ alpha: { minVolSamples: 0, fastAnchor: true } });
  const off = testConfig({ alpha: { minVolSamples: 0, fastAnchor: false } });

  it('a rise on the fast feed too small for FAST_MOVE lowers the Down bid at once; Up keeps its price', () => {
    const rise = [...healthyOpening(), binance(START + 3_600, 100_060)];
    const a = run(rise, on);
    const alpha = evaluation(a, on).alpha;
    expect(alpha.regime).not.toBe('FAST_MOVE');
    expect(alpha.qUpFast).toBeGreaterThan(alpha.qUp + 0.05);
    expect(level0(run(rise, off), off, 'down')).toBeCloseTo(0.46, 9);
    expect(level0(a, on, 'down') ?? 0).toBeLessThanOrEqual(0.4);
    expect(level0(a, on, 'up')).toBeCloseTo(level0(run(rise, off), off, 'up')!, 9);
  });

  it('a fall lowers Up, not Down', () => {
    const fall = [...healthyOpening(), binance(START + 3_600, 99_940)];
    const a = run(fall, on);
    expect(level0(a, on, 'up') ?? 0).toBeLessThanOrEqual(0.4);
    expect(level0(a, on, 'down')).toBeCloseTo(level0(run(fall, off), off, 'down')!, 9);
  });

  it('still capped when the oracle lags by more than alpha.oracleLagMs (fastBand would have let go)', () => {
    // The fast feed rose 6 s ago and has not moved since; the oracle has not shown it yet.
    const late = [...healthyOpening(), binance(START + 1_500, 100_060), binance(START + 7_500, 100_060)];
    const a = run(late, on);
    expect(evaluation(a, on).alpha.qUpFast).toBeGreaterThan(evaluation(a, on).alpha.qUp + 0.05);
    expect(level0(a, on, 'down') ?? 0).toBeLessThanOrEqual(0.4);
  });

  it('a steady basis between the feeds (fast 0.1 % above the oracle) moves the quotes by at most a tick', () => {
    // Twenty minutes of both feeds before the opening, the fast one 0.1 % above the oracle throughout.
    const history: InputEvent[] = [];
    for (let t = START - 1_200_000; t < START - 2_000; t += 1_000)
      history.push(binance(t, 100_100), chainlink(t, 100_000));
    const above = (e: InputEvent): InputEvent =>
      e.kind === 'price' && e.tick.source === 'binance' ? binance(e.tsMs, e.tick.price * 1.001) : e;
    const steady = [...history, ...healthyOpening().map(above)];
    const a = run(steady, on);
    const q = evaluation(a, on).alpha;
    expect(q.qUpFast).toBeDefined();
    expect(Math.abs(q.qUpFast! - q.qUp)).toBeLessThan(0.01);
    // At most a tick lower (the less favourable of two estimates a few dollars apart), never higher.
    for (const side of ['up', 'down'] as const) {
      const without = level0(run(steady, off), off, side)!;
      expect(level0(a, on, side)).toBeLessThanOrEqual(without + 1e-9);
      expect(level0(a, on, side)).toBeGreaterThanOrEqual(without - 0.01 - 1e-9);
    }
  });
});

describe('alpha.fastMovePull', () => {
  const pull = testConfig({ alpha: { minVolSamples: 0, fastMovePull: true } });
  const keep = testConfig({ alpha: { minVolSamples: 0, fastMovePull: false } });
  const bids = (s: StrategyState, c: ReturnType<typeof testConfig>, outcome: 'up' | 'down'): number =>
    evaluation(s, c).desired.orders.filter((o) => o.outcome === outcome).length;

  it('a fast fall pulls every Up bid and keeps Down quoted; without the setting both sides stay', () => {
    const crash = [...healthyOpening(), binance(START + 3_000, 99_700)];
    const a = run(crash, pull);
    expect(evaluation(a, pull).alpha.regime).toBe('FAST_MOVE');
    expect(bids(a, pull, 'up')).toBe(0);
    expect(bids(a, pull, 'down')).toBeGreaterThan(0);
    expect(bids(run(crash, keep), keep, 'up')).toBeGreaterThan(0);
  });

  it('a fast rise pulls Down; once the move leaves the window both sides quote again', () => {
    const rally = [...healthyOpening(), binance(START + 3_000, 100_300)];
    const a = run(rally, pull);
    expect(bids(a, pull, 'down')).toBe(0);
    expect(bids(a, pull, 'up')).toBeGreaterThan(0);
    const calm = run(
      [...rally, chainlink(START + 4_000, 100_300), binance(START + 9_000, 100_300), chainlink(START + 9_000, 100_300)],
      pull,
    );
    expect(evaluation(calm, pull).alpha.regime).not.toBe('FAST_MOVE');
    expect(bids(calm, pull, 'down')).toBeGreaterThan(0);
  });
});
