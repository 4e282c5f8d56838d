// This thread's time on a CPU and waiting for one, from Linux's scheduler statistics
// (/proc/thread-self/schedstat: nanoseconds run, nanoseconds runnable but waiting, timeslices). A
// split backtest's segments report both: a slow run then shows whether the work grew or the machine
// gave the thread less of a core. Diagnostics only: nothing a backtest reports depends on them.
import { readFileSync } from 'node:fs';

export interface ThreadTime {
  /** Seconds this thread ran on a CPU. */
  readonly runS: number;
  /** Seconds it was ready to run and waited for a CPU. */
  readonly waitS: number;
}

/** This thread's times so far; undefined where the file is absent (not Linux, or no scheduler statistics). */
export function threadTime(): ThreadTime | undefined {
  try {
    const [run, wait] = readFileSync('/proc/thread-self/schedstat', 'utf8').split(' ').map(Number);
    if (run === undefined || wait === undefined || !Number.isFinite(run) || !Number.isFinite(wait)) return undefined;
    return { runS: run / 1e9, waitS: wait / 1e9 };
  } catch {
    return undefined;
  }
}

/** The times from `start` to now on this thread (undefined when either reading is). */
export function threadTimeSince(start: ThreadTime | undefined): ThreadTime | undefined {
  const now = threadTime();
  return start && now ? { runS: now.runS - start.runS, waitS: now.waitS - start.waitS } : undefined;
}
