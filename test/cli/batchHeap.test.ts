// `polymm backtest` re-runs itself in a child with its heap settings, unless the semi-space flag is set.
import { describe, expect, it } from 'vitest';
import { batchHeapArgs } from '../../src/cli/batchHeap.js';

describe('batchHeapArgs', () => {
  it('adds the flags after node’s own arguments, before the script and its arguments', () => {
    expect(batchHeapArgs(['--import', 'tsx'], ['/usr/bin/node', 'src/index.ts', 'backtest', '--markets', '2'])).toEqual(
      [
        '--import',
        'tsx',
        '--max-semi-space-size=8',
        '--heap-growing-percent=25',
        'src/index.ts',
        'backtest',
        '--markets',
        '2',
      ],
    );
  });

  it('keeps a heap growing factor given on the command line', () => {
    expect(batchHeapArgs(['--heap-growing-percent=50'], ['node', 'x.js'])).toEqual([
      '--heap-growing-percent=50',
      '--max-semi-space-size=8',
      'x.js',
    ]);
  });

  it('runs in place when node already has the flag, from its arguments or NODE_OPTIONS (the child itself)', () => {
    expect(batchHeapArgs(['--max-semi-space-size=8'], ['node', 'x.js', 'backtest'])).toBeUndefined();
    expect(batchHeapArgs([], ['node', 'x.js'], '--max-old-space-size=512 --max-semi-space-size=4')).toBeUndefined();
    expect(batchHeapArgs([], ['node', 'x.js'], '--max-old-space-size=512')).toEqual([
      '--max-semi-space-size=8',
      '--heap-growing-percent=25',
      'x.js',
    ]);
  });
});
