// Virtual time for backtests: a scheduler whose clock reads epoch milliseconds, run forward to a
// given instant (not to the end), so a driver can interleave it with the venue core's
// advance(nowMs) and with the promise continuations (microtasks) the pipeline creates.
//
// Not RxJS' VirtualTimeScheduler: that one sorts its whole action array on every schedule and
// chains a new action at every reschedule of a periodic timer (unbounded memory over a day). A
// simulated day schedules tens of millions of actions (every WebSocket frame travels on the clock),
// so actions here sit in a binary heap ordered by (due, scheduling order), reschedule in place and
// leave it on unsubscribe in O(log n).
import { MessageChannel, type MessagePort } from 'node:worker_threads';
import { Subscription, type SchedulerAction, type SchedulerLike } from 'rxjs';

type Work<T> = (this: SchedulerAction<T>, state?: T) => void;

/** What the heap needs of an action. */
interface Entry {
  due: number;
  seq: number;
  slot: number;
  execute(): void;
}

class ClockAction<T> extends Subscription implements SchedulerAction<T>, Entry {
  /** When it is due (epoch ms) and its place among actions due at the same instant. */
  due = 0;
  seq = 0;
  /** Position in the clock's heap; -1 while not scheduled. */
  slot = -1;
  private state: T | undefined;

  constructor(
    private readonly clock: VirtualClock,
    private work: Work<T> | undefined,
  ) {
    super();
  }

  schedule(state?: T, delay = 0): Subscription {
    if (this.closed) return this;
    this.state = state;
    this.clock.remove(this);
    // A timer that never fires (delay Infinity) stays unscheduled until it is rescheduled or ends.
    if (Number.isFinite(delay)) this.clock.insert(this, Math.max(0, delay));
    return this;
  }

  /** Runs the work once; it may reschedule itself (periodic timers) through `this.schedule`. */
  execute(): void {
    const work = this.work;
    if (this.closed || !work) return;
    try {
      work.call(this, this.state);
    } catch (err) {
      this.unsubscribe();
      throw err;
    }
  }

  override unsubscribe(): void {
    if (this.closed) return;
    this.clock.remove(this);
    this.work = undefined;
    this.state = undefined;
    super.unsubscribe();
  }
}

/** Earlier due first; among equals, the one scheduled first (FIFO, as RxJS' schedulers). */
const before = (a: Entry, b: Entry): boolean => a.due < b.due || (a.due === b.due && a.seq < b.seq);

export class VirtualClock implements SchedulerLike {
  private frame: number;
  private seq = 0;
  private readonly heap: Entry[] = [];

  constructor(startMs: number) {
    this.frame = startMs;
  }

  now(): number {
    return this.frame;
  }

  schedule<T>(work: Work<T>, delay = 0, state?: T): Subscription {
    return new ClockAction<T>(this, work).schedule(state, delay);
  }

  /** When the next scheduled action is due, if any. */
  nextDueMs(): number | undefined {
    return this.heap[0]?.due;
  }

  /** How many actions wait (diagnostics and tests: nothing may pile up over a day). */
  pending(): number {
    return this.heap.length;
  }

  /** Run every action due at or before `tMs`, in order; the clock then reads `tMs`. */
  runUntil(tMs: number): void {
    for (;;) {
      const next = this.heap[0];
      if (!next || next.due > tMs) break;
      this.remove(next);
      this.frame = Math.max(this.frame, next.due);
      next.execute();
    }
    this.frame = Math.max(this.frame, tMs);
  }

  insert(action: Entry, delay: number): void {
    action.due = this.frame + delay;
    action.seq = ++this.seq;
    action.slot = this.heap.length;
    this.heap.push(action);
    this.up(action.slot);
  }

  remove(action: Entry): void {
    const i = action.slot;
    if (i < 0) return;
    action.slot = -1;
    const last = this.heap.pop()!;
    if (last === action) return;
    this.heap[i] = last;
    last.slot = i;
    this.up(i);
    this.down(last.slot);
  }

  private up(i: number): void {
    const h = this.heap;
    const a = h[i]!;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!before(a, h[p]!)) break;
      h[i] = h[p]!;
      h[i]!.slot = i;
      i = p;
    }
    h[i] = a;
    a.slot = i;
  }

  private down(i: number): void {
    const h = this.heap;
    const a = h[i]!;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= h.length) break;
      const r = l + 1;
      const c = r < h.length && before(h[r]!, h[l]!) ? r : l;
      if (!before(h[c]!, a)) break;
      h[i] = h[c]!;
      h[i]!.slot = i;
      i = c;
    }
    h[i] = a;
    a.slot = i;
  }
}

/** The message channel drains are waited on, made at the first drain; its port holds the process open only while one waits. */
let drains:
  { readonly port: MessagePort; readonly sender: MessagePort; readonly waiting: Array<() => void> } | undefined;

/**
 * Let pending promise continuations run: a macrotask turn comes only after the microtask queue
 * is empty. The pipeline's awaits (the execution sink, discovery's fetch) continue here. The turn is
 * a message on a MessageChannel rather than setImmediate: a backtest takes tens of thousands per
 * simulated hour, and the message is the cheaper turn (`bench/backtest.ts 6`, three runs each,
 * interleaved: wall 8.97 / 9.15 / 9.24 -> 8.41 / 7.85 / 8.27 s, identical results).
 */
export function drainMicrotasks(): Promise<void> {
  if (!drains) {
    const { port1, port2 } = new MessageChannel();
    const d = { port: port2, sender: port1, waiting: [] as Array<() => void> };
    port2.on('message', () => {
      d.waiting.shift()?.();
      if (d.waiting.length === 0) port2.unref();
    });
    drains = d;
  }
  const d = drains;
  return new Promise((resolve) => {
    d.waiting.push(resolve);
    d.port.ref();
    d.sender.postMessage(null);
  });
}
