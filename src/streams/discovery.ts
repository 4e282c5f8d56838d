// Market discovery: from the clock, the current and next slugs of the recurring market; fetched
// from Gamma on a poll and at each interval boundary; each market emitted once and again only
// when it changes. Missing or not-yet-hydrated markets are retried with bounded backoff.
import { asyncScheduler, defer, exhaustMap, from, map, merge, mergeMap, Observable, scan, filter, distinctUntilChanged, timer } from 'rxjs';
import type { Config } from '../config/schema.js';
import type { ConnectionEvent, MarketEvent, MarketIdentity, SkipEvent } from '../domain/index.js';
import { parseGammaMarket } from './parse/gamma.js';
import { skipEvent } from './health.js';
import type { StreamDeps } from './deps.js';

export const INTERVAL_MS: Readonly<Record<string, number>> = { '1m': 60_000, '5m': 300_000, '15m': 900_000, '1h': 3_600_000 };

export function slugFor(asset: string, interval: string, startMs: number): string {
  return `${asset}-updown-${interval}-${Math.floor(startMs / 1000)}`;
}

/** Current and next interval starts (aligned to the UTC grid). */
export function currentAndNextStarts(nowMs: number, intervalMs: number): [number, number] {
  const current = Math.floor(nowMs / intervalMs) * intervalMs;
  return [current, current + intervalMs];
}

type DiscoveryEvent = MarketEvent | ConnectionEvent | SkipEvent;

/** How long after its end a followed market is still read from Gamma (for its final price). */
const FINAL_PRICE_POLL_MS = 60_000;

export function discovery$(cfg: Config, deps: StreamDeps): Observable<DiscoveryEvent> {
  const scheduler = deps.scheduler ?? asyncScheduler;
  const doFetch = deps.fetch ?? fetch;
  const intervalMs = INTERVAL_MS[cfg.market.interval]!;
  const retryAt = new Map<string, { atMs: number; waitMs: number }>();
  /** Slugs read while current or next (the only ones read again after their end). */
  const followed = new Set<string>();

  const fetchSlug = async (slug: string): Promise<DiscoveryEvent[]> => {
    const now = deps.clock();
    const backoff = retryAt.get(slug);
    if (backoff && now < backoff.atMs) return [];
    const later = (reason: string): DiscoveryEvent[] => {
      const waitMs = Math.min(cfg.market.discoveryMaxBackoffMs, (backoff?.waitMs ?? cfg.market.discoveryPollMs / 2) * 2);
      retryAt.set(slug, { atMs: now + waitMs, waitMs });
      deps.logger.debug('market not available yet', { slug, reason, retryInMs: waitMs });
      return [];
    };
    let res: Response;
    try {
      res = await doFetch(`${cfg.endpoints.gamma}/markets?slug=${encodeURIComponent(slug)}`);
    } catch (err) {
      return [{ kind: 'connection', tsMs: now, feed: 'gamma', state: 'down', reason: (err as Error).message }, ...later('network error')];
    }
    if (res.status === 404) return later('404');
    if (!res.ok) return [{ kind: 'connection', tsMs: now, feed: 'gamma', state: 'down', reason: `HTTP ${res.status}` }, ...later(`HTTP ${res.status}`)];
    const up: ConnectionEvent = { kind: 'connection', tsMs: now, feed: 'gamma', state: 'up' };
    let body: unknown;
    try {
      body = await res.json();
    } catch {
      return [up, skipEvent('gamma', 'malformed JSON', slug, now)];
    }
    const raw = Array.isArray(body) ? body[0] : body;
    if (raw === undefined) return [up, ...later('empty')];
    if (typeof (raw as { clobTokenIds?: unknown }).clobTokenIds !== 'string' && !Array.isArray((raw as { clobTokenIds?: unknown }).clobTokenIds)) return [up, ...later('not hydrated')];
    try {
      retryAt.delete(slug);
      return [up, { kind: 'market', tsMs: now, market: parseGammaMarket(raw) }];
    } catch (err) {
      return [up, skipEvent('gamma', (err as Error).message, JSON.stringify(raw).slice(0, 200), now)];
    }
  };

  // Poll, and also wake just after each boundary so the new market is found at once.
  const boundary$ = defer(() => {
    const next = currentAndNextStarts(deps.clock(), intervalMs)[1];
    return timer(Math.max(0, next - deps.clock()) + 250, intervalMs, scheduler);
  });
  const tick$ = merge(timer(0, cfg.market.discoveryPollMs, scheduler), boundary$);

  return tick$.pipe(
    exhaustMap(() => {
      const now = deps.clock();
      const starts = currentAndNextStarts(now, intervalMs);
      const slugs = starts.map((s) => slugFor(cfg.market.asset, cfg.market.interval, s));
      // The market that just ended, if we followed it, is read again for a while: Gamma publishes
      // its final price (eventMetadata.finalPrice) and winner after the end.
      const previous = slugFor(cfg.market.asset, cfg.market.interval, starts[0] - intervalMs);
      if (now - starts[0] < FINAL_PRICE_POLL_MS && followed.has(previous)) slugs.push(previous);
      for (const slug of slugs.slice(0, 2)) followed.add(slug);
      if (followed.size > 8) followed.delete(followed.values().next().value!);
      return from(Promise.all(slugs.map(fetchSlug))).pipe(mergeMap((lists) => lists.flat()));
    }),
    onlyChanges(),
  );
}

/** Drop repeated market events (same content) and repeated gamma connection states. */
function onlyChanges() {
  return (source: Observable<DiscoveryEvent>): Observable<DiscoveryEvent> =>
    source.pipe(
      scan(
        (acc, ev) => {
          const key = ev.kind === 'market' ? `m:${ev.market.conditionId}` : ev.kind === 'connection' ? 'gamma' : '';
          const fingerprint = ev.kind === 'market' ? JSON.stringify(ev.market) : ev.kind === 'connection' ? ev.state : '';
          const emit = ev.kind === 'skip' || acc.seen.get(key) !== fingerprint;
          if (key) acc.seen.set(key, fingerprint);
          return { seen: acc.seen, out: emit ? ev : undefined };
        },
        { seen: new Map<string, string>(), out: undefined as DiscoveryEvent | undefined },
      ),
      map((s) => s.out),
      filter((ev): ev is DiscoveryEvent => ev !== undefined),
    );
}

/** The markets worth subscribing to: known, not ended long ago, not resolved. */
export function activeMarkets(events$: Observable<{ kind: string }>, clock: () => number, keepAfterEndMs = 120_000): Observable<readonly MarketIdentity[]> {
  return events$.pipe(
    filter((ev): ev is MarketEvent => ev.kind === 'market'),
    scan((acc, ev) => {
      const next = new Map(acc);
      next.set(ev.market.conditionId, ev.market);
      for (const [id, m] of next) if (m.winner !== undefined || clock() > m.endMs + keepAfterEndMs) next.delete(id);
      return next;
    }, new Map<string, MarketIdentity>()),
    map((m) => [...m.values()].sort((a, b) => a.startMs - b.startMs)),
    distinctUntilChanged((a, b) => a.length === b.length && a.every((m, i) => m.conditionId === b[i]!.conditionId)),
  );
}
