// Prometheus metrics and health endpoints. Metrics are folded from bot events (one observer);
// /healthz answers 200 only while every feed is up and nothing halts trading.
import { createServer, type Server } from 'node:http';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { REGIMES, type BotEvent, type Feed, type GlobalHalt } from '../domain/index.js';
import { tradingMetrics, type ScrapeProbes } from './tradingMetrics.js';
import type { StatusFold } from './statusView.js';

export interface Health {
  /** Every feed up, or halted with an explicit reason (TECH_SPEC: both answer 200). */
  readonly ok: boolean;
  readonly status: 'ok' | 'halted' | 'unhealthy';
  readonly reason: string;
  readonly feeds: Record<string, string>;
  readonly halts: readonly GlobalHalt[];
}

export interface Metrics {
  readonly registry: Registry;
  /** `before`: the status view before `ev` (it owns each market's last regime; metrics keep no copy). */
  observe(ev: BotEvent, before: StatusFold): void;
  /** An input skipped where no skip event is made (the strategy step refused it): counted by source. */
  skipped(source: string): void;
  /** Health as /healthz reports it. */
  health(): Health;
  /** Scrape-time readings the owners of those facts plug in. */
  readonly probes: ScrapeProbes;
}

/** Markets whose settlement diffs stay exported (two hours of 15-minute markets). */
const SETTLEMENTS_SHOWN = 8;
/** Resolved markets remembered so that a late decision does not bring their series back. */
const RESOLVED_KEPT = 16;

export function createMetrics(clock: () => number = Date.now): Metrics {
  const registry = new Registry();
  const trading = tradingMetrics(registry, clock);
  // Default process metrics under our namespace: polymm_process_cpu_user_seconds_total, polymm_nodejs_eventloop_lag_seconds, …
  collectDefaultMetrics({ register: registry, prefix: 'polymm_' });
  const c = <L extends string>(name: string, help: string, labelNames: L[] = []) =>
    new Counter({ name, help, labelNames, registers: [registry] });
  const g = <L extends string>(name: string, help: string, labelNames: L[] = []) =>
    new Gauge({ name, help, labelNames, registers: [registry] });
  const events = c('polymm_events_total', 'events seen by kind', ['kind']);
  const skips = c('polymm_skipped_inputs_total', 'malformed or unusable inputs skipped, by source', ['source']);
  const exec = c('polymm_execution_total', 'execution actions by action and result', ['action', 'result']);
  const fills = c('polymm_fills_total', 'our fills by outcome and role', ['outcome', 'role']);
  for (const outcome of ['up', 'down']) for (const role of ['MAKER', 'TAKER']) fills.inc({ outcome, role }, 0);
  const fillShares = c('polymm_fill_shares_total', 'shares filled', ['outcome']);
  const feedUp = g('polymm_feed_up', '1 while the feed is connected', ['feed']);
  const halted = g('polymm_halted', '1 while trading is halted');
  const qUp = g('polymm_q_up', 'model probability of Up', ['market']);
  const target = g('polymm_target_total', 'combined target p_up + p_down', ['market']);
  const regime = g('polymm_regime', 'current regime (1 for the active one)', ['market', 'regime']);
  const desired = g('polymm_desired_orders', 'orders in the latest desired set', ['market']);
  const ptbDiff = g(
    'polymm_price_to_beat_gamma_diff_usd',
    "Gamma's published price to beat minus the bot's own, by market",
    ['market'],
  );
  const finalDiff = g(
    'polymm_final_price_gamma_diff_usd',
    "Gamma's published final price minus the bot's own, by market",
    ['market'],
  );
  const rejectedPrices = c('polymm_prices_rejected_total', 'reference prices rejected as implausible, by source', [
    'source',
  ]);
  const heartbeatFails = c('polymm_heartbeat_failures_total', 'failed heartbeats');
  const latency = new Histogram({
    name: 'polymm_execution_latency_ms',
    help: 'REST round trip per execution action',
    labelNames: ['action'],
    buckets: [1, 2, 5, 10, 25, 50, 100, 250, 1000],
    registers: [registry],
  });

  const feeds = new Map<Feed, string>();
  let halts: readonly GlobalHalt[] = [];
  // A day brings ~96 markets: a market's series go once it is resolved (kept, /metrics grew by ~6
  // series a market for as long as the bot ran: 17,000 after a month, bench/longRun.ts), the
  // settlement diffs once SETTLEMENTS_SHOWN newer markets have theirs. The strategy follows a market
  // a little past its end: a decision after the resolution must not bring its series back (the last
  // RESOLVED_KEPT resolved markets are ignored).
  const resolved: string[] = [];
  const forget = (market: string): void => {
    if (resolved.includes(market)) return;
    resolved.push(market);
    if (resolved.length > RESOLVED_KEPT) resolved.shift();
    for (const gauge of [qUp, target, desired]) gauge.remove({ market });
    for (const r of REGIMES) regime.remove({ market, regime: r });
  };
  /** An alpha or a decision of a market already resolved (its series are gone and stay gone). */
  const afterResolution = (ev: BotEvent): boolean =>
    (ev.kind === 'alpha' && resolved.includes(ev.conditionId)) ||
    (ev.kind === 'decision' && resolved.includes(ev.desired.conditionId));
  const settledSlugs: string[] = [];
  const settledSlug = (slug: string): void => {
    if (settledSlugs.includes(slug)) return;
    settledSlugs.push(slug);
    for (const old of settledSlugs.splice(0, Math.max(0, settledSlugs.length - SETTLEMENTS_SHOWN)))
      for (const gauge of [ptbDiff, finalDiff]) gauge.remove({ market: old });
  };

  return {
    registry,
    probes: trading.probes,
    skipped(source) {
      skips.inc({ source });
    },
    observe(ev, before) {
      events.inc({ kind: ev.kind });
      if (afterResolution(ev)) return;
      trading.observe(ev);
      switch (ev.kind) {
        case 'skip':
          skips.inc({ source: ev.source });
          if (ev.suspect) rejectedPrices.inc({ source: ev.suspect });
          break;
        case 'settlement':
          settledSlug(ev.slug);
          if (ev.gammaDiff !== undefined) ptbDiff.set({ market: ev.slug }, ev.gammaDiff);
          if (ev.gammaFinalDiff !== undefined) finalDiff.set({ market: ev.slug }, ev.gammaFinalDiff);
          break;
        case 'connection':
          feeds.set(ev.feed, ev.state);
          feedUp.set({ feed: ev.feed }, ev.state === 'up' ? 1 : 0);
          break;
        case 'stale':
          if (ev.stale) feeds.set(ev.feed, 'stale');
          else if (feeds.get(ev.feed) === 'stale') feeds.set(ev.feed, 'up');
          break;
        case 'heartbeat':
          feeds.set('heartbeat', ev.ok ? 'up' : 'down');
          if (!ev.ok) heartbeatFails.inc();
          break;
        case 'halt':
          halts = ev.reasons;
          halted.set(ev.reasons.length > 0 ? 1 : 0);
          break;
        case 'alpha': {
          qUp.set({ market: ev.conditionId }, ev.qUp);
          target.set({ market: ev.conditionId }, ev.targetTotal);
          const was = before.markets.get(ev.conditionId)?.regime;
          if (was && was !== ev.regime) regime.set({ market: ev.conditionId, regime: was }, 0);
          regime.set({ market: ev.conditionId, regime: ev.regime }, 1);
          break;
        }
        case 'decision':
          desired.set({ market: ev.desired.conditionId }, ev.desired.orders.length);
          break;
        case 'market':
          if (ev.market.winner !== undefined) forget(ev.market.conditionId);
          break;
        case 'marketResolved':
          forget(ev.conditionId);
          break;
        case 'fill':
          if (!ev.reversal) {
            fills.inc({ outcome: ev.fill.outcome ?? 'unknown', role: ev.fill.role });
            fillShares.inc({ outcome: ev.fill.outcome ?? 'unknown' }, ev.fill.size);
          }
          break;
        case 'execution':
          exec.inc({ action: ev.action, result: ev.ok ? 'ok' : 'error' });
          if (ev.latencyMs !== undefined) latency.observe({ action: ev.action }, ev.latencyMs);
          break;
        default:
          break;
      }
    },
    health() {
      const feedStates = Object.fromEntries(feeds);
      const unwell = [...feeds].filter(([, s]) => s !== 'up').map(([f, s]) => `${f} ${s}`);
      if (unwell.length === 0)
        return {
          ok: true,
          status: halts.length ? 'halted' : 'ok',
          reason: halts.length ? `halted: ${halts.join(', ')}` : 'all feeds healthy',
          feeds: feedStates,
          halts,
        };
      if (halts.length)
        return {
          ok: true,
          status: 'halted',
          reason: `halted: ${halts.join(', ')} (${unwell.join(', ')})`,
          feeds: feedStates,
          halts,
        };
      return { ok: false, status: 'unhealthy', reason: unwell.join(', '), feeds: feedStates, halts };
    },
  };
}

const isLoopback = (address: string | undefined): boolean =>
  address === '127.0.0.1' || address === '::1' || address === '::ffff:127.0.0.1';

/** Extra local routes, keyed `METHOD /path` (e.g. `GET /status`): JSON answers. */
export type LocalRoutes = Readonly<
  Record<string, (query: URLSearchParams) => Promise<{ status: number; body: unknown }>>
>;

/**
 * GET /metrics (Prometheus text), GET /healthz (200 or 503 with JSON detail), plus `routes`. Port 0
 * picks one; a port already in use (a second bot on the machine) falls back to a free one, reported
 * as `busyPort`.
 */
export async function serveMetrics(
  m: Metrics,
  port: number,
  routes: LocalRoutes = {},
  host = '127.0.0.1',
): Promise<{ port: number; busyPort?: number; close(): Promise<void> }> {
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://bot');
    const route = routes[`${req.method ?? 'GET'} ${url.pathname}`];
    if (route && !isLoopback(req.socket.remoteAddress)) {
      res
        .writeHead(403, { 'content-type': 'application/json' })
        .end(JSON.stringify({ error: 'control routes answer loopback clients only' }));
    } else if (route) {
      route(url.searchParams).then(
        (r) => res.writeHead(r.status, { 'content-type': 'application/json' }).end(JSON.stringify(r.body)),
        (err: unknown) =>
          res
            .writeHead(500, { 'content-type': 'application/json' })
            .end(JSON.stringify({ error: err instanceof Error ? err.message : String(err) })),
      );
    } else if (req.url === '/metrics') {
      m.registry.metrics().then(
        (text) => res.writeHead(200, { 'content-type': m.registry.contentType }).end(text),
        (err: unknown) => res.writeHead(500).end(String(err)),
      );
    } else if (req.url === '/healthz' || req.url === '/readyz') {
      const h = m.health();
      res.writeHead(h.ok ? 200 : 503, { 'content-type': 'application/json' }).end(JSON.stringify(h));
    } else res.writeHead(404).end();
  });
  const listen = (p: number): Promise<void> =>
    new Promise<void>((resolve, reject) => {
      const fail = (err: Error): void => reject(err);
      server.once('error', fail).listen(p, host, () => (server.off('error', fail), resolve()));
    });
  let busyPort: number | undefined;
  try {
    await listen(port);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EADDRINUSE' || port === 0) throw err;
    busyPort = port;
    await listen(0);
  }
  const addr = server.address();
  return {
    port: typeof addr === 'object' && addr ? addr.port : port,
    ...(busyPort !== undefined ? { busyPort } : {}),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
