// `polymm backtest` runs with two heap settings (results are the same with or without them: only
// memory and speed differ):
// - the young generation capped at 8 MB semi-spaces, in a child process. V8 lets it grow to 16 MB; a
//   backtest then often ran ~40 % slower with ~300 MB peak RSS instead of ~180 MB (bench/backtest.ts,
//   16 markets, four interleaved pairs on the 2-core machine: README "Backtest"). This flag is read
//   when the heap is created, so the running process cannot take it (v8.setFlagsFromString has no
//   effect);
// - the old generation collected once it has grown to 1.25× what its last major collection left
//   (--heap-growing-percent=25), set at run time in the process that runs the batch: V8 reads it at
//   each collection, and a runtime without the flag ignores it where the command line would refuse to
//   start. V8's own factor (up to 4×: a collector that looks cheap is run rarely) let a backtested
//   day's heap reach ~250 MB of mostly garbage (peak RSS ~400 MB). A full collection forced at each
//   market's end held it near the live heap but stopped the main thread (~15 % of the CPU); at 1.25×
//   V8 collects on its own, marking concurrently on the other core. A day: 78–96 s, 144–154 MB peak,
//   +4.9 to +8.7 % RSS growth, against 101–122 s and 170–177 MB forced (README "Backtest").
// A split run (`--segments` > 1, src/backtest/segments.ts) has two heaps busy at once on the 2-core
// machine, in one process: each gets 4 MB semi-spaces (the workers through `resourceLimits`) and a
// 1.10× growing factor so that both fit where one did, and V8 collects on the mutator's own thread
// (--single-threaded-gc): its helper threads would only compete with the other segment for the cores.
// (At a day's ~20 MB live heap V8's minimum growing step, 8 MB, sets the limit, not the factor: 10, 20
// and 30 % gave the same 94-95 major collections a segment; docs/performance.md, twentieth session.)
import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import { setFlagsFromString } from 'node:v8';

export const SEMI_SPACE_FLAG = '--max-semi-space-size';
export const BATCH_SEMI_SPACE_MB = 8;
export const HEAP_GROWING_FLAG = '--heap-growing-percent';
export const BATCH_HEAP_GROWING_PERCENT = 25;
export const SEGMENTED_SEMI_SPACE_MB = 4;
export const SEGMENTED_HEAP_GROWING_PERCENT = 10;
const SINGLE_THREADED_GC = '--single-threaded-gc';
/** A worker's young generation: V8 sizes it as three semi-spaces. */
export const SEGMENT_YOUNG_GENERATION_MB = 3 * SEGMENTED_SEMI_SPACE_MB;

/** Whether node was given `flag`, in its arguments or NODE_OPTIONS. */
const nodeHas = (flag: string, execArgv: readonly string[], nodeOptions: string): boolean =>
  [...execArgv, ...nodeOptions.split(/\s+/)].some((a) => a.startsWith(flag));

/** The child's arguments (node's, then the script and its own); undefined when the semi-space flag is set. */
export function batchHeapArgs(
  execArgv: readonly string[],
  argv: readonly string[],
  nodeOptions = '',
  segmented = false,
): string[] | undefined {
  if (nodeHas(SEMI_SPACE_FLAG, execArgv, nodeOptions)) return undefined;
  const semi = `${SEMI_SPACE_FLAG}=${segmented ? SEGMENTED_SEMI_SPACE_MB : BATCH_SEMI_SPACE_MB}`;
  const gc = segmented && !nodeHas(SINGLE_THREADED_GC, execArgv, nodeOptions) ? [SINGLE_THREADED_GC] : [];
  return [...execArgv, semi, ...gc, ...argv.slice(1)];
}

/** The heap growing flag to set at run time, or undefined when node was given one. */
export function heapGrowingFlag(execArgv: readonly string[], nodeOptions = '', segmented = false): string | undefined {
  return nodeHas(HEAP_GROWING_FLAG, execArgv, nodeOptions)
    ? undefined
    : `${HEAP_GROWING_FLAG}=${segmented ? SEGMENTED_HEAP_GROWING_PERCENT : BATCH_HEAP_GROWING_PERCENT}`;
}

/** Sets the batch heap growing factor in this process (all its threads), unless node was given one. */
function growHeapForBatch(segmented: boolean): void {
  const flag = heapGrowingFlag(process.execArgv, process.env.NODE_OPTIONS, segmented);
  if (flag) setFlagsFromString(flag);
}

/**
 * Runs this very command again in a child with the capped young generation (same stdio, signals
 * passed on) and gives its exit code; undefined when this process already is that child, or the
 * child could not be started (the command then runs here, as before). Whichever process runs the
 * batch gets the heap growing factor.
 */
export function inBatchHeap(segmented = false): Promise<number | undefined> {
  const args = batchHeapArgs(process.execArgv, process.argv, process.env.NODE_OPTIONS, segmented);
  if (!args) {
    growHeapForBatch(segmented);
    return Promise.resolve(undefined);
  }
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { stdio: 'inherit' });
    const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
    const forward = (sig: NodeJS.Signals): void => void child.kill(sig);
    const done = (code: number | undefined): void => {
      for (const s of signals) process.off(s, forward);
      resolve(code); // a promise settles once: a later call changes nothing
    };
    for (const s of signals) process.on(s, forward);
    // Only a child that never started lets the command run here (not a failed kill of a running one).
    child.on('error', () => {
      if (child.pid !== undefined) return;
      growHeapForBatch(segmented);
      done(undefined);
    });
    child.on('exit', (code, signal) => done(code ?? 128 + (signal ? constants.signals[signal] : 0)));
  });
}
