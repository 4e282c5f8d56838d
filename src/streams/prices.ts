// Reference prices: one stream, two transports. RTDS (Binance btcusdt + Chainlink btc/usd) or
// PolyBolt (price.crypto / price.crypto.twap, authenticated; sequence gaps mark the feed stale).
import { asyncScheduler, defer, mergeMap, Observable, of } from 'rxjs';
import type { Config } from '../config/schema.js';
import type { ApiCreds, ConnectionEvent, PriceEvent, SkipEvent, StaleEvent } from '../domain/index.js';
import { connectionEvent, skipEvent, staleAfter } from './health.js';
import { parsePolyboltFrame, parseRtdsFrame } from './parse/prices.js';
import { socket$, type SocketEvent } from './socket.js';
import type { StreamDeps } from './deps.js';

export type PriceFeedEvent = PriceEvent | ConnectionEvent | StaleEvent | SkipEvent;

export const RTDS_SUBSCRIBE = JSON.stringify({
  action: 'subscribe',
  subscriptions: [
    { topic: 'crypto_prices', type: 'update', filters: 'btcusdt' },
    { topic: 'crypto_prices_chainlink', type: '*', filters: JSON.stringify({ symbol: 'btc/usd' }) },
  ],
});

function rtdsEvents(ev: SocketEvent, now: number): PriceFeedEvent[] {
  const conn = connectionEvent('prices', ev, now);
  if (conn) return [conn];
  if (ev.type !== 'message') return [];
  return parseRtdsFrame(ev.data).map((r) => (r.ok ? { kind: 'price', tsMs: r.msg.tsMs, tick: r.msg } : skipEvent('rtds', r.reason, r.raw, now)));
}

/** PolyBolt: per-channel sequence numbers; a gap or a dropped count marks the feed stale. */
function polyboltEvents(): (ev: SocketEvent, now: number) => PriceFeedEvent[] {
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
    if (f.control || !f.tick) return [];
    const prev = lastSeq.get(f.channel);
    lastSeq.set(f.channel, f.seq);
    const out: PriceFeedEvent[] = [];
    if ((prev !== undefined && f.seq !== prev + 1 && !f.snapshot) || f.dropped > 0) {
      out.push({ kind: 'stale', tsMs: now, feed: 'prices', stale: true, detail: `${f.channel} gap: seq ${prev ?? '-'} -> ${f.seq}, dropped ${f.dropped}` });
    }
    out.push({ kind: 'price', tsMs: f.tick.tsMs, tick: f.tick });
    return out;
  };
}

export function prices$(cfg: Config, deps: StreamDeps, creds?: ApiCreds): Observable<PriceFeedEvent> {
  const scheduler = deps.scheduler ?? asyncScheduler;
  // The feed is stale when the settlement source is silent, whatever else arrives.
  const isSettlement = (ev: PriceFeedEvent): boolean => ev.kind === 'price' && ev.tick.source === cfg.prices.settlementSource;
  return defer(() => {
    if (cfg.prices.transport === 'polybolt') {
      if (!creds) return of(skipEvent('polybolt', 'PolyBolt needs CLOB API credentials', '', deps.clock()));
      const handle = polyboltEvents();
      const auth = JSON.stringify({ op: 'auth', rid: 'auth-1', auth: { apiKey: creds.key, secret: creds.secret, passphrase: creds.passphrase } });
      const sub = JSON.stringify({ op: 'subscribe', subscriptions: [{ channel: 'price.crypto', filter: { symbol: 'btcusd' } }, { channel: 'price.crypto.twap', filter: { symbol: 'btcusd', window_seconds: 60 } }] });
      return socket$({ url: cfg.endpoints.polybolt, pingMs: 25_000, onOpen: () => [auth, sub] }, deps).pipe(
        mergeMap((ev) => handle(ev, deps.clock())),
        staleAfter('prices', cfg.alpha.chainlinkStaleMs, deps.clock, scheduler, isSettlement),
      );
    }
    return socket$({ url: cfg.endpoints.rtds, pingMs: 5_000, onOpen: () => [RTDS_SUBSCRIBE] }, deps).pipe(
      mergeMap((ev) => rtdsEvents(ev, deps.clock())),
      staleAfter('prices', cfg.alpha.chainlinkStaleMs, deps.clock, scheduler, isSettlement),
    );
  });
}
