// alpha.exposureS (issue 12): each side capped by q_up with the settlement price moved one standard
// deviation of the quote's exposure against it — both sides lower, more so where q_up is sensitive.
import { describe, expect, it } from 'vitest';
import { initialStrategy, strategyStep, type StrategyState } from '../../src/strategy/step.js';
import { evaluateMarket } from '../../src/strategy/evaluate.js';
import { quoteCaps } from '../../src/quant/index.js';
import { EMPTY_INVENTORY, type AlphaEvent, type InputEvent } from '../../src/domain/index.js';
import { healthyOpening, testConfig, market } from '../support/events.js';

function run(events: InputEvent[], c: ReturnType<typeof testConfig>): StrategyState {
  let s = initialStrategy();
  for (const ev of events) s = strategyStep(s, ev, c).state;
  return s;
}
const caps = (c: ReturnType<typeof testConfig>): AlphaEvent => {
  const s = run(healthyOpening(), c);
  return evaluateMarket(s.bot, s.bot.markets.get(market.conditionId)!, c).alpha;
};

describe('alpha.exposureS', () => {
  it('off (0): the caps are the model’s; on: both sides lower, the longer the exposure the lower', () => {
    const off = caps(testConfig({ alpha: { minVolSamples: 0 } }));
    const short = caps(testConfig({ alpha: { minVolSamples: 0, exposureS: 2 } }));
    const long = caps(testConfig({ alpha: { minVolSamples: 0, exposureS: 30 } }));
    expect(short.qUp).toBe(off.qUp);
    expect(short.capUp).toBeLessThanOrEqual(off.capUp);
    expect(short.capDown).toBeLessThanOrEqual(off.capDown);
    expect(long.capUp).toBeLessThan(off.capUp);
    expect(long.capDown).toBeLessThan(off.capDown);
    expect(long.capUp).toBeLessThanOrEqual(short.capUp);
  });

  it('quoteCaps caps each side by the band’s end least favourable to it', () => {
    const params = { requiredEdge: 0.02 };
    const base = { qUp: 0.5, targetTotal: 0.98, market, inventory: EMPTY_INVENTORY };
    const plain = quoteCaps(base, params);
    const banded = quoteCaps({ ...base, qUpBand: [0.44, 0.56] }, params);
    expect(plain).toEqual({ capUp: 0.48, capDown: 0.48 });
    expect(banded).toEqual({ capUp: 0.42, capDown: 0.42 });
  });
});
