// alpha.fastBand (issue 12): outside fast moves too, the side a small move on the fast feed makes
// stale is capped by where the lagging oracle is about to be; the other side is left alone.
import { describe, expect, it } from 'vitest';
import { initialStrategy, strategyStep, type StrategyState } from '../../src/strategy/step.js';
import { evaluateMarket } from '../../src/strategy/evaluate.js';
import type { InputEvent } from '../../src/domain/index.js';
import { START, healthyOpening, testConfig, market, binance } from '../support/events.js';

function run(events: InputEvent[], c: ReturnType<typeof testConfig>): StrategyState {
  let s = initialStrategy();
  for (const ev of events) s = strategyStep(s, ev, c).state;
  return s;
}
const level0 = (s: StrategyState, c: ReturnType<typeof testConfig>, outcome: 'up' | 'down'): number | undefined =>
  evaluateMarket(s.bot, s.bot.markets.get(market.conditionId)!, c).desired.orders.find(
    (o) => o.outcome === outcome && o.level === 0,
  )?.price;

describe('alpha.fastBand', () => {
  const on = testConfig({ alpha: { minVolSamples: 0, fastBand: true } });
  const off = testConfig({ alpha: { minVolSamples: 0 } });
  // Binance +0.05 % over 2.6 s (below the 0.2 % fast-move threshold); Chainlink still shows the old price.
  const rise = [...healthyOpening(), binance(START + 3_600, 100_060)];

  it('a rise too small for FAST_MOVE lowers the Down bid at once; Up keeps its price', () => {
    const a = run(rise, on);
    const b = run(rise, off);
    const alpha = evaluateMarket(a.bot, a.bot.markets.get(market.conditionId)!, on).alpha;
    expect(alpha.regime).not.toBe('FAST_MOVE');
    expect(alpha.qUpFast).toBeGreaterThan(alpha.qUp + 0.05);
    expect(level0(b, off, 'down')).toBeCloseTo(0.46, 9);
    expect(level0(a, on, 'down') ?? 0).toBeLessThanOrEqual(0.4);
    expect(level0(a, on, 'up')).toBeCloseTo(level0(b, off, 'up')!, 9);
  });

  it('a fall lowers Up, not Down', () => {
    const fall = [...healthyOpening(), binance(START + 3_600, 99_960)];
    const a = run(fall, on);
    expect(level0(a, on, 'up') ?? 0).toBeLessThanOrEqual(0.43);
    expect(level0(run(fall, off), off, 'up')).toBeCloseTo(0.46, 9);
    expect(level0(a, on, 'down')).toBeCloseTo(0.46, 9);
  });

  it('no fast tick as old as the lag: no band (nothing to project from)', () => {
    const longLag = testConfig({ alpha: { minVolSamples: 0, fastBand: true, oracleLagMs: 4_000 } });
    const a = run([...healthyOpening(), binance(START + 1_200, 100_060)], longLag);
    expect(evaluateMarket(a.bot, a.bot.markets.get(market.conditionId)!, longLag).alpha.qUpFast).toBeUndefined();
  });
});
