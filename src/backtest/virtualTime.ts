// Virtual time for backtests: an RxJS VirtualTimeScheduler whose frames are epoch milliseconds,
// run forward to a given instant (not to the end), so a driver can interleave it with the venue
// core's advance(nowMs) and with the promise continuations (microtasks) the pipeline creates.
import { VirtualAction, VirtualTimeScheduler } from 'rxjs';

export class VirtualClock extends VirtualTimeScheduler {
  constructor(startMs: number) {
    super(VirtualAction, Infinity);
    this.frame = startMs;
  }

  /** When the next scheduled action is due, if any. */
  nextDueMs(): number | undefined {
    return this.actions[0]?.delay;
  }

  /** Run every action due at or before `tMs`; the clock then reads `tMs`. */
  runUntil(tMs: number): void {
    this.maxFrames = tMs;
    this.flush();
    this.frame = Math.max(this.frame, tMs);
  }
}

/**
 * Let pending promise continuations run: a macrotask turn comes only after the microtask queue
 * is empty. The pipeline's awaits (the execution sink, discovery's fetch) continue here.
 */
export const drainMicrotasks = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
