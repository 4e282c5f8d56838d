// The per-market work queue of the execution sink: one piece of work at a time, refreshes
// coalesce, a task arriving while another is queued or running is dropped, tasks go first.
import { describe, it } from 'vitest';
import { map, timer } from 'rxjs';
import { workQueue, type WorkQueueJob } from '../src/operators/workQueue.js';
import { newScheduler } from './support.js';

describe('workQueue', () => {
  it('refreshes arriving during work coalesce into one; a queued task goes first; a second queued task is dropped', () => {
    const ts = newScheduler();
    ts.run(({ hot, expectObservable }) => {
      const jobs = hot<WorkQueueJob<string>>('a 9ms a 9ms (ax) 1ms y', { a: {}, x: { task: 'x' }, y: { task: 'y' } });
      const out = jobs.pipe(
        workQueue(
          () => timer(30, ts).pipe(map(() => 'R')),
          (t) => timer(30, ts).pipe(map(() => t)),
        ),
      );
      expectObservable(out).toBe('30ms R 29ms x 29ms R');
    });
  });

  it('a task arriving while a task runs is dropped; one arriving after it has finished runs', () => {
    const ts = newScheduler();
    ts.run(({ hot, expectObservable }) => {
      const jobs = hot<WorkQueueJob<string>>('x 9ms y 29ms z', {
        x: { task: 'x' },
        y: { task: 'y' },
        z: { task: 'z' },
      });
      const out = jobs.pipe(
        workQueue(
          () => timer(30, ts).pipe(map(() => 'R')),
          (t) => timer(30, ts).pipe(map(() => t)),
        ),
      );
      expectObservable(out).toBe('30ms x 39ms z');
    });
  });

  it('unsubscribing ends the running work and drops what is queued', () => {
    const ts = newScheduler();
    ts.run(({ hot, expectObservable }) => {
      const jobs = hot<WorkQueueJob<string>>('a 9ms x', { a: {}, x: { task: 'x' } });
      const out = jobs.pipe(
        workQueue(
          () => timer(30, ts).pipe(map(() => 'R')),
          (t) => timer(30, ts).pipe(map(() => t)),
        ),
      );
      expectObservable(out, '^ 49ms !').toBe('30ms R');
    });
  });
});
