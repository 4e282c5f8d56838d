import { describe, expect, it } from 'vitest';
import { COMPACT_EVERY, fullCollector } from '../../src/backtest/collectGarbage.js';

describe('fullCollector', () => {
  it('collects on every call and compacts on every fourth, the flag on for that collection only', () => {
    const log: string[] = [];
    const collect = fullCollector(COMPACT_EVERY, {
      gc: () => void log.push('gc'),
      setFlags: (f) => void log.push(f),
    })!;
    for (let i = 0; i < 8; i++) collect();
    const compacting = ['--compact-on-every-full-gc', 'gc', '--no-compact-on-every-full-gc'];
    expect(log).toEqual(['gc', 'gc', 'gc', ...compacting, 'gc', 'gc', 'gc', ...compacting]);
  });

  it('turns compaction off again when the collection throws', () => {
    const flags: string[] = [];
    const collect = fullCollector(1, {
      gc: () => {
        throw new Error('no heap');
      },
      setFlags: (f) => void flags.push(f),
    })!;
    expect(() => collect()).toThrow('no heap');
    expect(flags).toEqual(['--compact-on-every-full-gc', '--no-compact-on-every-full-gc']);
  });

  it('runs on this runtime without --expose-gc', () => {
    const collect = fullCollector(2);
    expect(collect).toBeDefined();
    collect!();
    collect!();
  });
});
