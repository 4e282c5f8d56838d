// Market discovery: from the clock, the current and next slugs of the recurring market; fetched
// from Gamma on a poll and at each interval boundary; each market emitted once and again only
// when it changes. Missing or not-yet-hydrated markets are retried with bounded backoff. When the
// computed slugs find nothing, Gamma's listing of open markets of the series is asked instead.
import {
  asyncScheduler,
  defer,
  exhaustMap,
  from,
  map,
  merge,
  mergeMap,
  Observable,
  scan,
  filter,
  distinctUntilChanged,
  timer,
} from 'rxjs';
import type { Config } from '../config/schema.js';
import type { ConnectionEvent, MarketEvent, MarketIdentity, SkipEvent } from '../domain/index.js';
import { currentAndNextStarts, INTERVAL_MS, slugFor } from '../domain/index.js';
import { parseGammaMarket } from '../wire/gamma.js';
import { skipEvent } from './health.js';
import { onlyChanges } from '../operators/onlyChanges.js';
import type { StreamDeps } from './deps.js';

// The schedule's facts live in the domain; re-exported for the streams' callers.
export { INTERVAL_MS, slugFor, currentAndNextStarts };

export type DiscoveryEvent = MarketEvent | ConnectionEvent | SkipEvent;

/** How long after its end a followed market is still read from Gamma (for its final price). */
const FINAL_PRICE_POLL_MS = 60_000;

export function discovery$(cfg: Config, deps: StreamDeps): Observable<DiscoveryEvent> {
  const scheduler = deps.scheduler ?? asyncScheduler;
  const doFetch = deps.fetch ?? fetch;
  const intervalMs = INTERVAL_MS[cfg.market.interval]!;
  const retryAt = new Map<string, { atMs: number; waitMs: number }>();
  /** Slugs read while current or next (the only ones read again after their end). */
  const followed = new Set<string>();

  /** Runs `work` with a signal aborted after market.gammaTimeoutMs on the injected scheduler (a TimeoutError). */
  const withTimeout = async <T>(work: (signal: AbortSignal) => Promise<T>): Promise<T> => {
    const abort = new AbortController();
    const timeout = scheduler.schedule(
      () => abort.abort(new DOMException(`Gamma did not answer in ${cfg.market.gammaTimeoutMs} ms`, 'TimeoutError')),
      cfg.market.gammaTimeoutMs,
    );
    try {
      return await work(abort.signal);
    } finally {
      timeout.unsubscribe();
    }
  };

  /**
   * One Gamma GET; network errors, HTTP errors and bad JSON become events, never exceptions. The
   * timeout (reading the body included) is on the injected scheduler, so in a backtest it is virtual
   * time too, not a wall-clock timer behind the pipeline's back.
   */
  const getJson = (
    url: string,
    what: string,
    now: number,
    later: (reason: string) => DiscoveryEvent[],
  ): Promise<{ body: unknown; up: ConnectionEvent } | DiscoveryEvent[]> =>
    withTimeout(async (signal) => {
      let res: Response;
      try {
        res = await doFetch(url, { signal });
      } catch (err) {
        return [
          { kind: 'connection', tsMs: now, feed: 'gamma', state: 'down', reason: (err as Error).message },
          ...later('network error'),
        ];
      }
      if (res.status === 404) return later('404');
      if (!res.ok)
        return [
          { kind: 'connection', tsMs: now, feed: 'gamma', state: 'down', reason: `HTTP ${res.status}` },
          ...later(`HTTP ${res.status}`),
        ];
      const up: ConnectionEvent = { kind: 'connection', tsMs: now, feed: 'gamma', state: 'up' };
      try {
        return { body: await res.json(), up };
      } catch (err) {
        // The timeout also bounds reading the body: a stalled body is a network failure, not bad JSON.
        if ((err as Error).name === 'TimeoutError' || (err as Error).name === 'AbortError')
          return [
            { kind: 'connection', tsMs: now, feed: 'gamma', state: 'down', reason: (err as Error).message },
            ...later('timeout'),
          ];
        return [up, skipEvent('gamma', 'malformed JSON', what, now)];
      }
    });

  /** A Gamma market object -> a market event, or nothing while it is not hydrated yet. */
  const marketOf = (raw: unknown, now: number): DiscoveryEvent | undefined => {
    const tokens = (raw as { clobTokenIds?: unknown } | undefined)?.clobTokenIds;
    if (typeof tokens !== 'string' && !Array.isArray(tokens)) return undefined;
    try {
      return { kind: 'market', tsMs: now, market: parseGammaMarket(raw) };
    } catch (err) {
      return skipEvent('gamma', (err as Error).message, JSON.stringify(raw).slice(0, 200), now);
    }
  };

  const fetchSlug = async (slug: string): Promise<DiscoveryEvent[]> => {
    const now = deps.clock();
    const backoff = retryAt.get(slug);
    if (backoff && now < backoff.atMs) return [];
    const later = (reason: string): DiscoveryEvent[] => {
      const waitMs = Math.min(
        cfg.market.discoveryMaxBackoffMs,
        (backoff?.waitMs ?? cfg.market.discoveryPollMs / 2) * 2,
      );
      retryAt.set(slug, { atMs: now + waitMs, waitMs });
      deps.logger.debug('market not available yet', { slug, reason, retryInMs: waitMs });
      return [];
    };
    const got = await getJson(`${cfg.endpoints.gamma}/markets?slug=${encodeURIComponent(slug)}`, slug, now, later);
    if (Array.isArray(got)) return got;
    const raw = Array.isArray(got.body) ? (got.body as unknown[])[0] : got.body;
    if (raw === undefined) return [got.up, ...later('empty')];
    const ev = marketOf(raw, now);
    if (!ev) return [got.up, ...later('not hydrated')];
    retryAt.delete(slug);
    return [got.up, ev];
  };

  // Gamma's open markets ending within two intervals, kept when their slug is of our series: finds
  // markets whose start is not where the UTC grid puts it (the embedded venue's fresh market), and
  // any market the computed slugs missed. Asked only when the computed slugs found nothing.
  const prefix = `${cfg.market.asset}-updown-${cfg.market.interval}-`;
  const fetchListing = async (): Promise<DiscoveryEvent[]> => {
    const now = deps.clock();
    const iso = (ms: number): string => new Date(ms).toISOString();
    const url = `${cfg.endpoints.gamma}/markets?closed=false&end_date_min=${iso(now)}&end_date_max=${iso(now + 2 * intervalMs)}&order=endDate&ascending=true&limit=100`;
    const got = await getJson(url, 'market listing', now, () => []);
    if (Array.isArray(got)) return got;
    if (!Array.isArray(got.body))
      return [
        got.up,
        skipEvent('gamma', 'market listing is not an array', JSON.stringify(got.body).slice(0, 200), now),
      ];
    const ours = (got.body as unknown[]).filter(
      (m) =>
        typeof (m as { slug?: unknown } | null)?.slug === 'string' && (m as { slug: string }).slug.startsWith(prefix),
    );
    return [got.up, ...ours.flatMap((m) => marketOf(m, now) ?? [])];
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
      const again = now - starts[0] < FINAL_PRICE_POLL_MS && followed.has(previous) ? [previous] : [];
      for (const slug of slugs) followed.add(slug);
      if (followed.size > 8) followed.delete(followed.values().next().value!);
      const lookUp = async (): Promise<DiscoveryEvent[]> => {
        const found = (await Promise.all(slugs.map(fetchSlug))).flat();
        const ended = (await Promise.all(again.map(fetchSlug))).flat();
        return found.some((ev) => ev.kind === 'market')
          ? [...found, ...ended]
          : [...found, ...(await fetchListing()), ...ended];
      };
      return from(lookUp()).pipe(mergeMap((list) => list));
    }),
    onlyChanges(),
  );
}

/** The markets worth subscribing to: known, not ended long ago, not resolved. */
export function activeMarkets(
  events$: Observable<{ kind: string }>,
  clock: () => number,
  keepAfterEndMs = 120_000,
): Observable<readonly MarketIdentity[]> {
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
