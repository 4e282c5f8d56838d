// `polymm backtest` re-runs itself in a child with a capped young generation, unless the flag is set,
// and sets the heap growing factor at run time, unless node was given one.
import { describe, expect, it } from 'vitest';
import { batchHeapArgs, heapGrowingFlag } from '../../src/cli/batchHeap.js';

describe('batchHeapArgs', () => {
  it('adds the flag after node’s own arguments, before the script and its arguments', () => {
    expect(batchHeapArgs(['--import', 'tsx'], ['/usr/bin/node', 'src/index.ts', 'backtest', '--markets', '2'])).toEqual(
      ['--import', 'tsx', '--max-semi-space-size=8', 'src/index.ts', 'backtest', '--markets', '2'],
    );
  });

  it('runs in place when node already has the flag, from its arguments or NODE_OPTIONS (the child itself)', () => {
    expect(batchHeapArgs(['--max-semi-space-size=8'], ['node', 'x.js', 'backtest'])).toBeUndefined();
    expect(batchHeapArgs([], ['node', 'x.js'], '--max-old-space-size=512 --max-semi-space-size=4')).toBeUndefined();
    expect(batchHeapArgs([], ['node', 'x.js'], '--max-old-space-size=512')).toEqual([
      '--max-semi-space-size=8',
      'x.js',
    ]);
  });
});

describe('split runs (--segments > 1)', () => {
  it('4 MB semi-spaces and collection on the mutator thread, a 10 % growing factor; flags node has win', () => {
    expect(batchHeapArgs([], ['node', 'x.js', 'backtest'], '', true)).toEqual([
      '--max-semi-space-size=4',
      '--single-threaded-gc',
      'x.js',
      'backtest',
    ]);
    expect(batchHeapArgs(['--single-threaded-gc'], ['node', 'x.js'], '', true)).toEqual([
      '--single-threaded-gc',
      '--max-semi-space-size=4',
      'x.js',
    ]);
    expect(batchHeapArgs(['--max-semi-space-size=4'], ['node', 'x.js'], '', true)).toBeUndefined();
    expect(heapGrowingFlag([], '', true)).toBe('--heap-growing-percent=10');
    expect(heapGrowingFlag(['--heap-growing-percent=25'], '', true)).toBeUndefined();
  });
});

describe('heapGrowingFlag', () => {
  it('is 25 % unless node was given a factor, in its arguments or NODE_OPTIONS', () => {
    expect(heapGrowingFlag(['--max-semi-space-size=8'])).toBe('--heap-growing-percent=25');
    expect(heapGrowingFlag(['--heap-growing-percent=50'])).toBeUndefined();
    expect(heapGrowingFlag([], '--max-old-space-size=512 --heap-growing-percent=10')).toBeUndefined();
  });
});
