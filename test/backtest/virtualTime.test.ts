// The backtest's virtual clock: epoch-millisecond frames, run to an instant, periodic work kept in
// one action (RxJS' VirtualAction chains a new one per period: unbounded memory over a day).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  interval,
  take,
  timer,
  VirtualAction,
  VirtualTimeScheduler,
  type SchedulerAction,
  type SchedulerLike,
} from 'rxjs';
import { VirtualClock } from '../../src/backtest/virtualTime.js';

const T0 = 1_767_225_600_000;

describe('VirtualClock', () => {
  it('runs what is due by an instant, in time order then FIFO, and then reads that instant', () => {
    const clock = new VirtualClock(T0);
    const seen: string[] = [];
    timer(300, clock).subscribe(() => seen.push(`c@${clock.now() - T0}`));
    timer(100, clock).subscribe(() => seen.push(`a@${clock.now() - T0}`));
    timer(100, clock).subscribe(() => seen.push(`b@${clock.now() - T0}`));
    clock.runUntil(T0 + 250);
    expect(seen).toEqual(['a@100', 'b@100']);
    expect(clock.now()).toBe(T0 + 250);
    expect(clock.nextDueMs()).toBe(T0 + 300);
    clock.runUntil(T0 + 1_000);
    expect(seen).toEqual(['a@100', 'b@100', 'c@300']);
    expect(clock.nextDueMs()).toBeUndefined();
  });

  it('a periodic timer reuses one action (the stock VirtualAction makes one per period and keeps them all)', () => {
    const count = (scheduler: SchedulerLike, run: () => void): number => {
      const actions = new Set<unknown>();
      scheduler.schedule<number>(
        function (this: SchedulerAction<number>, n?: number) {
          actions.add(this);
          if ((n ?? 0) < 999) this.schedule((n ?? 0) + 1, 250);
        },
        250,
        0,
      );
      run();
      return actions.size;
    };
    const clock = new VirtualClock(T0);
    expect(count(clock, () => clock.runUntil(T0 + 3_600_000))).toBe(1);
    const stock = new VirtualTimeScheduler(VirtualAction, Infinity);
    expect(count(stock, () => stock.flush())).toBe(1_000);
  });

  it('interval ticks at exact virtual times and unsubscribing leaves nothing scheduled', () => {
    const clock = new VirtualClock(T0);
    const at: number[] = [];
    const sub = interval(250, clock).subscribe(() => at.push(clock.now() - T0));
    clock.runUntil(T0 + 1_000);
    expect(at).toEqual([250, 500, 750, 1_000]);
    sub.unsubscribe();
    expect(clock.nextDueMs()).toBeUndefined();
    const done: number[] = [];
    interval(100, clock)
      .pipe(take(2))
      .subscribe({ complete: () => done.push(clock.now() - T0) });
    clock.runUntil(T0 + 5_000);
    expect(done).toEqual([1_200]);
  });

  it('runs any mix of schedules, reschedules and cancels in (due, scheduling order), as a sorted list would', () => {
    const op = fc.oneof(
      fc.record({ kind: fc.constant('add' as const), delay: fc.integer({ min: 0, max: 50 }) }),
      fc.record({ kind: fc.constant('cancel' as const), which: fc.nat() }),
      fc.record({ kind: fc.constant('move' as const), which: fc.nat(), delay: fc.integer({ min: 0, max: 50 }) }),
      fc.record({ kind: fc.constant('run' as const), by: fc.integer({ min: 0, max: 30 }) }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 200 }), (ops) => {
        const clock = new VirtualClock(T0);
        const ran: number[] = [];
        // The model: a list of live actions with their due time and scheduling order.
        let model: Array<{ id: number; due: number; seq: number }> = [];
        const expected: number[] = [];
        const subs: SchedulerAction<number>[] = [];
        let seq = 0;
        const runModel = (until: number): void => {
          model.sort((a, b) => a.due - b.due || a.seq - b.seq);
          while (model[0] && model[0].due <= until) expected.push(model.shift()!.id);
        };
        for (const o of ops) {
          if (o.kind === 'add') {
            const id = subs.length;
            subs.push(clock.schedule(() => ran.push(id), o.delay) as SchedulerAction<number>);
            model.push({ id, due: clock.now() + o.delay, seq: seq++ });
          } else if (o.kind === 'cancel' && subs.length) {
            const id = o.which % subs.length;
            subs[id]!.unsubscribe();
            model = model.filter((m) => m.id !== id);
          } else if (o.kind === 'move' && subs.length) {
            const id = o.which % subs.length;
            if (subs[id]!.closed) continue;
            subs[id]!.schedule(undefined, o.delay);
            model = model.filter((m) => m.id !== id);
            model.push({ id, due: clock.now() + o.delay, seq: seq++ });
          } else if (o.kind === 'run') {
            runModel(clock.now() + o.by);
            clock.runUntil(clock.now() + o.by);
          }
        }
        runModel(Infinity);
        clock.runUntil(T0 + 1e9);
        expect(ran).toEqual(expected);
        expect(clock.pending()).toBe(0);
      }),
    );
  });
});
