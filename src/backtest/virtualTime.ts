// Virtual time for backtests: an RxJS VirtualTimeScheduler whose frames are epoch milliseconds,
// run forward to a given instant (not to the end), so a driver can interleave it with the venue
// core's advance(nowMs) and with the promise continuations (microtasks) the pipeline creates.
import { Subscription, VirtualAction, VirtualTimeScheduler, type SchedulerAction } from 'rxjs';

/**
 * A VirtualAction that reschedules itself in place. RxJS' VirtualAction chains a new action to
 * the old one at every reschedule, so a periodic timer (interval, the clock ticks) keeps every
 * action it ever ran alive: over a simulated day, memory grows without bound.
 */
class ClockAction<T> extends VirtualAction<T> {
  override schedule(state?: T, delay = 0): Subscription {
    if (!Number.isFinite(delay) || this.closed) return Subscription.EMPTY;
    const self = this as unknown as { id?: unknown; index: number; scheduler: VirtualClock };
    if (self.id) {
      const actions = self.scheduler.actions as unknown[];
      const i = actions.indexOf(this);
      if (i >= 0) actions.splice(i, 1);
      self.index = self.scheduler.index += 1; // FIFO among actions due at the same instant
      self.id = undefined;
    }
    const asyncSchedule = (
      Object.getPrototypeOf(VirtualAction.prototype) as { schedule: SchedulerAction<T>['schedule'] }
    ).schedule;
    return asyncSchedule.call(this, state, delay);
  }
}

export class VirtualClock extends VirtualTimeScheduler {
  constructor(startMs: number) {
    super(ClockAction as typeof VirtualAction, Infinity);
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
