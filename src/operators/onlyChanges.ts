// Discovery's de-duplication: each market once, and again only when it changes.
import { filter, map, scan, type OperatorFunction } from 'rxjs';
import type { ConnectionEvent, MarketEvent, SkipEvent } from '../domain/index.js';

type DiscoveryEvent = MarketEvent | ConnectionEvent | SkipEvent;

/** Drop repeated market events (same content) and repeated gamma connection states. */
export function onlyChanges(): OperatorFunction<DiscoveryEvent, DiscoveryEvent> {
  // The fold never mutates its seed (a new map on each change): a resubscription starts from an
  // empty map and sees every market again; no state is shared between subscribers.
  const seed: { readonly seen: ReadonlyMap<string, string>; readonly out?: DiscoveryEvent } = { seen: new Map() };
  return (source) =>
    source.pipe(
      scan((acc, ev) => {
        const key = ev.kind === 'market' ? `m:${ev.market.conditionId}` : ev.kind === 'connection' ? 'gamma' : '';
        const fingerprint = ev.kind === 'market' ? JSON.stringify(ev.market) : ev.kind === 'connection' ? ev.state : '';
        const changed = key !== '' && acc.seen.get(key) !== fingerprint;
        const seen = changed ? new Map(acc.seen).set(key, fingerprint) : acc.seen;
        return ev.kind === 'skip' || changed ? { seen, out: ev } : { seen };
      }, seed),
      map((s) => s.out),
      filter((ev): ev is DiscoveryEvent => ev !== undefined),
    );
}
