// An operator's halt (polymm cancel-all) is an input: it latches the cancelling halt
// `operator_halt`, which later healthy inputs do not clear, and replay reproduces it.
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { haltCancelsAll, type InputEvent } from '../../src/domain/index.js';
import { initialStrategy, strategyStep, type StrategyEvent } from '../../src/strategy/step.js';
import { isInput } from '../../src/replay/replay.js';

describe('operator halt', () => {
  it('halts with a cancelling reason until restart', () => {
    const cfg = loadConfig({});
    let s = initialStrategy(['market']);
    const out: StrategyEvent[] = [];
    const inputs: InputEvent[] = [
      { kind: 'connection', tsMs: 1, feed: 'market', state: 'up' },
      { kind: 'operatorHalt', tsMs: 2, reason: 'cancel_all' },
      { kind: 'connection', tsMs: 3, feed: 'market', state: 'up' },
      { kind: 'clock', tsMs: 4 },
    ];
    for (const ev of inputs) {
      expect(isInput(ev)).toBe(true);
      const r = strategyStep(s, ev, cfg);
      s = r.state;
      out.push(...r.out);
    }
    const halts = out.filter((e) => e.kind === 'halt').map((e) => (e.kind === 'halt' ? e.reasons : []));
    expect(halts).toEqual([[], ['operator_halt']]);
    expect(haltCancelsAll(['operator_halt'])).toBe(true);
    expect(s.halts).toEqual(['operator_halt']);
  });
});
