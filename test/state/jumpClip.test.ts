// alpha.jumpClipSd reaches the price state: with it, one jump on the settlement feed splits into a
// diffusion and a jump part and the volatility priced with stays near its level (issue 12).
import { describe, expect, it } from 'vitest';
import { reduce, type BotState } from '../../src/state/botState.js';
import { initialStrategy, stateParams } from '../../src/strategy/step.js';
import { START, chainlink, testConfig } from '../support/events.js';

/** 120 flat-ish settlement ticks a second apart, then one 0.75 % jump and one more tick. */
function afterJump(over: Record<string, unknown>): BotState['prices']['ewma'] {
  const params = stateParams(testConfig(over));
  let s = initialStrategy().bot;
  let p = 100_000;
  for (let k = 0; k < 120; k++) s = reduce(s, chainlink(START + k * 1000, (p *= k % 2 ? 1.0001 : 0.9999)), params);
  s = reduce(s, chainlink(START + 120_000, p * 1.0075), params);
  return s.prices.ewma;
}

describe('alpha.jumpClipSd', () => {
  it('off (0): the jump is all in the variance', () => {
    const e = afterJump({ alpha: { jumpClipSd: 0 } });
    expect(e.jumpVarPerS).toBe(0);
    expect(e.diffVarPerS).toBe(e.varPerS);
  });

  it('on (the default, 4): the jump goes to the jump part and the volatility stays within a few times its level', () => {
    const plain = afterJump({ alpha: { jumpClipSd: 0 } });
    const split = afterJump({});
    expect(split.jumpVarPerS).toBeGreaterThan(0);
    expect(split.varPerS).toBeLessThan(plain.varPerS / 5);
  });
});
