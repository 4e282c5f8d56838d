// The orphan check (issue 13 #3): the bot notices its parent vanished within one poll period.
import { describe, expect, it } from 'vitest';
import { parentGone$ } from '../src/cli/parentWatch.js';
import { newScheduler } from './support.js';

describe('parentGone$', () => {
  it('emits the new parent PID at the first poll after it changed, once', () => {
    const ts = newScheduler();
    ts.run(({ expectObservable }) => {
      // npm (pid 100) dies at 2.5 s; the orphan is re-parented to init (pid 1).
      const ppid = (): number => (ts.now() < 2_500 ? 100 : 1);
      // polls:  1s   2s   3s (changed)
      expectObservable(parentGone$(ppid, 1_000, ts)).toBe('3s (p|)', { p: 1 });
    });
  });

  it('stays silent while the parent lives, and unsubscribing stops the polling', () => {
    const ts = newScheduler();
    let polls = 0;
    ts.run(({ expectObservable }) => {
      const ppid = (): number => (polls++, 100);
      expectObservable(parentGone$(ppid, 1_000, ts), '^ 10s !').toBe('-');
    });
    ts.flush();
    // One read at subscription, then one per second up to the unsubscription at 10 s.
    expect(polls).toBe(11);
  });
});
