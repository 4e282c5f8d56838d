// staleAfter on a busy feed: one timer per stream whatever the message rate (it runs on every
// message of every feed), and the silence still measured from the last fresh value.
import { describe, expect, it } from 'vitest';
import { Subject } from 'rxjs';
import { staleAfter } from '../../src/operators/staleAfter.js';
import { VirtualClock } from '../../src/backtest/virtualTime.js';

describe('staleAfter on a busy feed', () => {
  it('keeps one scheduled action for 10k values and goes stale exactly ms after the last', () => {
    const clock = new VirtualClock(0);
    const feed = new Subject<number>();
    const stale: number[] = [];
    const sub = feed
      .pipe(staleAfter<number>('market', 1_000, () => clock.now(), clock))
      .subscribe((v) => typeof v !== 'number' && v.stale && stale.push(clock.now()));
    for (let i = 1; i <= 10_000; i++) {
      clock.runUntil(i * 10);
      feed.next(i);
      expect(clock.pending()).toBe(1);
    }
    clock.runUntil(200_000);
    expect(stale).toEqual([100_000 + 1_000]);
    expect(clock.pending()).toBe(0);
    sub.unsubscribe();
  });

  it('unsubscribing leaves no timer behind', () => {
    const clock = new VirtualClock(0);
    const sub = new Subject<number>().pipe(staleAfter<number>('market', 1_000, () => clock.now(), clock)).subscribe();
    expect(clock.pending()).toBe(1);
    sub.unsubscribe();
    expect(clock.pending()).toBe(0);
  });
});
