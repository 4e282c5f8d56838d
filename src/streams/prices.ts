// Reference prices: one stream, two transports. RTDS (Binance btcusdt, Chainlink btc/usd and its
// 60 s TWAP) or PolyBolt (price.crypto / price.crypto.twap, authenticated; sequence gaps mark the
// feed stale). Implausible prices are rejected here, before they reach the state.
import { asyncScheduler, defer, map, Observable, of, scan, Subject } from 'rxjs';
import type { Config } from '../config/schema.js';
import type { ApiCreds, ConnectionEvent, PriceEvent, SkipEvent, StaleEvent } from '../domain/index.js';
import { connectionEvent, skipEvent } from './health.js';
import { mapToMany } from '../operators/mapToMany.js';
import { staleAfter } from '../operators/staleAfter.js';
import { parsePolyboltFrame, parseRtdsFrame, RTDS_TWAP_TOPIC } from '../wire/prices.js';
import { screenTick, type PlausibilityParams, type ScreenState } from '../quant/index.js';
import { reconnectBackoff, socket$, type SocketEvent } from './socket.js';
import type { StreamDeps } from './deps.js';

export type PriceFeedEvent = PriceEvent | ConnectionEvent | StaleEvent | SkipEvent;

// Binance is asked for in both filter forms: the documented plain "btcusdt" and the JSON
// {"symbol":"btcusdt"} the real host is reported to need; duplicates are dropped by timestamp.
export const RTDS_SUBSCRIBE = JSON.stringify({
  action: 'subscribe',
  subscriptions: [
    { topic: 'crypto_prices', type: 'update', filters: 'btcusdt' },
    { topic: 'crypto_prices', type: 'update', filters: JSON.stringify({ symbol: 'btcusdt' }) },
    { topic: 'crypto_prices_chainlink', type: '*', filters: JSON.stringify({ symbol: 'btc/usd' }) },
    { topic: RTDS_TWAP_TOPIC, type: '*', filters: JSON.stringify({ symbol: 'btc/usd' }) },
  ],
});

/** Reject implausible ticks (counted and logged as skips that mark the feed suspect). */
export function screenPrices(p: PlausibilityParams, clock: () => number) {
  return (source: Observable<PriceFeedEvent>): Observable<PriceFeedEvent> =>
    source.pipe(
      scan(
        (acc: { state: ScreenState; out: PriceFeedEvent }, ev: PriceFeedEvent) => {
          if (ev.kind !== 'price') return { state: acc.state, out: ev };
          const r = screenTick(acc.state, ev.tick, p);
          const out: PriceFeedEvent = r.rejected
            ? {
                ...skipEvent('prices', `implausible: ${r.rejected}`, JSON.stringify(ev.tick), clock()),
                suspect: ev.tick.source,
              }
            : ev;
          return { state: r.state, out };
        },
        { state: new Map() as ScreenState, out: undefined as unknown as PriceFeedEvent },
      ),
      map((acc) => acc.out),
    );
}

function rtdsEvents(ev: SocketEvent, now: number): PriceFeedEvent[] {
  const conn = connectionEvent('prices', ev, now);
  if (conn) return [conn];
  if (ev.type !== 'message') return [];
  return parseRtdsFrame(ev.data).map((r) =>
    r.ok ? { kind: 'price', tsMs: r.msg.tsMs, tick: r.msg } : skipEvent('rtds', r.reason, r.raw, now),
  );
}

/**
 * PolyBolt: per-channel sequence numbers; a gap or a dropped count marks the feed stale.
 * `onAuthed` runs on the server's `authed` (the price channels are subscribed after it, as its docs ask).
 */
function polyboltEvents(onAuthed: () => void): (ev: SocketEvent, now: number) => PriceFeedEvent[] {
  const lastSeq = new Map<string, number>();
  return (ev, now) => {
    const conn = connectionEvent('prices', ev, now);
    if (conn) {
      lastSeq.clear();
      return [conn];
    }
    if (ev.type !== 'message' || ev.data === 'PONG') return [];
    const r = parsePolyboltFrame(ev.data);
    if (!r.ok) return [skipEvent('polybolt', r.reason, r.raw, now)];
    const f = r.msg;
    if (f.control === 'authed') onAuthed();
    if (f.control !== undefined) return [];
    const prev = lastSeq.get(f.channel);
    lastSeq.set(f.channel, f.seq);
    const out: PriceFeedEvent[] = [];
    if ((prev !== undefined && f.seq !== prev + 1 && !f.snapshot) || f.dropped > 0) {
      out.push({
        kind: 'stale',
        tsMs: now,
        feed: 'prices',
        stale: true,
        detail: `${f.channel} gap: seq ${prev ?? '-'} -> ${f.seq}, dropped ${f.dropped}`,
      });
    }
    for (const tick of f.ticks) out.push({ kind: 'price', tsMs: tick.tsMs, tick });
    return out;
  };
}

export function prices$(cfg: Config, deps: StreamDeps, creds?: ApiCreds): Observable<PriceFeedEvent> {
  const scheduler = deps.scheduler ?? asyncScheduler;
  // The feed is stale when the settlement source is silent, whatever else arrives.
  const isSettlement = (ev: PriceFeedEvent): boolean =>
    ev.kind === 'price' && ev.tick.source === cfg.prices.settlementSource;
  const screen = screenPrices({ maxJump: cfg.prices.maxJump, memoryMs: cfg.prices.jumpMemoryMs }, deps.clock);
  return defer(() => {
    const backoff = reconnectBackoff(cfg.sockets.reconnectMaxMs);
    if (cfg.prices.transport === 'polybolt') {
      if (!creds) return of(skipEvent('polybolt', 'PolyBolt needs CLOB API credentials', '', deps.clock()));
      // Subscribed once the server confirms the auth, on every connection (a feedback from the
      // socket's own answers, as the market channel's resync).
      const authed$ = new Subject<void>();
      const handle = polyboltEvents(() => authed$.next());
      const auth = JSON.stringify({
        op: 'auth',
        rid: 'auth-1',
        auth: { apiKey: creds.key, secret: creds.secret, passphrase: creds.passphrase },
      });
      const sub = JSON.stringify({
        op: 'subscribe',
        subscriptions: [
          { channel: 'price.crypto', filter: { symbol: 'btcusd' } },
          { channel: 'price.crypto.twap', filter: { symbol: 'btcusd', window_seconds: 60 } },
        ],
      });
      const ping = JSON.stringify({ op: 'ping' });
      return socket$(
        {
          url: cfg.endpoints.polybolt,
          pingMs: 25_000,
          ping,
          backoff,
          onOpen: () => [auth],
          outgoing$: authed$.pipe(map(() => sub)),
        },
        deps,
      ).pipe(
        mapToMany((ev) => handle(ev, deps.clock())),
        screen,
        staleAfter('prices', cfg.alpha.chainlinkStaleMs, deps.clock, scheduler, isSettlement),
      );
    }
    return socket$({ url: cfg.endpoints.rtds, pingMs: 5_000, backoff, onOpen: () => [RTDS_SUBSCRIBE] }, deps).pipe(
      mapToMany((ev) => rtdsEvents(ev, deps.clock())),
      screen,
      staleAfter('prices', cfg.alpha.chainlinkStaleMs, deps.clock, scheduler, isSettlement),
    );
  });
}
