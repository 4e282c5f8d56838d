// Discovery's dedupe: a market is emitted again only when its content changes, and every
// subscription starts from nothing (the fold's seed is never mutated, so nothing is shared).
import { describe, it } from 'vitest';
import { map } from 'rxjs';
import type { ConnectionEvent, MarketEvent, SkipEvent } from '../src/domain/index.js';
import { onlyChanges } from '../src/operators/onlyChanges.js';
import type { DiscoveryEvent } from '../src/streams/discovery.js';
import { market, marketEv } from '../test/support/events.js';
import { newScheduler } from './support.js';

const events: Record<string, DiscoveryEvent> = {
  a: marketEv(1),
  A: marketEv(2, { ...market, acceptingOrders: false }),
  b: marketEv(3, { ...market, conditionId: '0xother' }),
  u: { kind: 'connection', tsMs: 4, feed: 'gamma', state: 'up' } satisfies ConnectionEvent,
  d: { kind: 'connection', tsMs: 5, feed: 'gamma', state: 'down' } satisfies ConnectionEvent,
  s: { kind: 'skip', tsMs: 6, source: 'gamma', reason: 'bad', raw: '' } satisfies SkipEvent,
};
const label = (ev: DiscoveryEvent): string =>
  Object.entries(events).find(([, e]) => e === ev)?.[0] ?? (ev as MarketEvent).kind;

describe('onlyChanges', () => {
  it('drops repeats of a market and of the gamma state; a change, another market and every skip pass', () => {
    const ts = newScheduler();
    ts.run(({ cold, expectObservable }) => {
      const source = cold('a a b A a u u d s s|', events);
      expectObservable(source.pipe(onlyChanges(), map(label))).toBe('a - b A a u - d s s|');
    });
  });

  it('a second subscription to the same operator sees every market again', () => {
    const ts = newScheduler();
    ts.run(({ cold, expectObservable }) => {
      const dedupe = onlyChanges();
      const source = cold('a a u|', events);
      expectObservable(source.pipe(dedupe, map(label))).toBe('a - u|');
      expectObservable(source.pipe(dedupe, map(label)), '----^').toBe('---- a - u|');
    });
  });

  it('passes errors and empty sources through', () => {
    const ts = newScheduler();
    ts.run(({ cold, expectObservable }) => {
      expectObservable(cold<DiscoveryEvent>('|').pipe(onlyChanges())).toBe('|');
      expectObservable(cold('a #', events).pipe(onlyChanges(), map(label))).toBe('a #');
    });
  });
});
