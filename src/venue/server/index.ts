// startVenue: the simulated venue's servers on loopback around the pure core. One HTTP server
// carries Gamma, CLOB REST and the control endpoint under path prefixes; WebSockets upgrade on
// /ws/market, /ws/user, /rtds and /ws (PolyBolt).
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHash, randomBytes } from 'node:crypto';
import { WebSocketServer } from 'ws';
import { createVenueCore } from '../core/venue.js';
import type { VenueCore, VenueOptions } from '../core/types.js';
import { CredStore } from './auth.js';
import { FaultController, type Faults } from './faults.js';
import { handleRest, readRequest, sendJson } from './rest.js';
import { SignerLimits, TIERS } from './signerLimits.js';
import { SocketHub, type SocketKind } from './sockets.js';
import { weeklyMode, type EngineMode } from './engineWindows.js';

export interface VenueUrls {
  readonly gamma: string;
  readonly clob: string;
  readonly wsMarket: string;
  readonly wsUser: string;
  readonly rtds: string;
  readonly polybolt: string;
  readonly control: string;
}

export interface RunningVenue {
  readonly urls: VenueUrls;
  readonly core: VenueCore;
  readonly faults: FaultController;
  /** Close sockets of the given kinds (what POST /control/drop does). */
  drop(kinds: readonly SocketKind[]): number;
  close(): Promise<void>;
}

export interface StartVenueOptions {
  readonly core?: VenueCore;
  readonly options?: Partial<VenueOptions>;
  /** 0 picks a free port. */
  readonly port?: number;
  readonly host?: string;
  readonly clock?: () => number;
  readonly tickMs?: number;
  readonly faults?: Partial<Faults>;
  readonly chainId?: number;
  /** Per-signer trading limits (Polymarket's published tiers); 'off' disables them. Default 'standard'. */
  readonly signerTier?: keyof typeof TIERS | 'off';
  /** Reproduce the weekly engine restart (Tuesdays 07:00 ET: 90 s of 425, then 2 min post-only). Default off. */
  readonly weeklyRestart?: boolean;
}

const WS_PATHS: Readonly<Record<string, SocketKind>> = { '/ws/market': 'market', '/ws/user': 'user', '/rtds': 'rtds', '/ws': 'polybolt' };

export async function startVenue(opts: StartVenueOptions = {}): Promise<RunningVenue> {
  const clock = opts.clock ?? Date.now;
  const core = opts.core ?? createVenueCore({ ...opts.options, startMs: opts.options?.startMs ?? clock() });
  const faults = new FaultController(opts.faults, opts.options?.seed ?? 1);
  faults.onChange = (f) => core.setTradeFailRate(f.tradeFailRate);
  if (opts.faults?.tradeFailRate !== undefined) core.setTradeFailRate(opts.faults.tradeFailRate);
  const creds = new CredStore(randomBytes(32).toString('hex'));
  const hashes = new Map<string, string>();
  const bookHash = (tokenId: string): string => hashes.get(tokenId) ?? '0x0';
  const rehash = (tokenId: string): void => {
    const b = core.book(tokenId);
    if (b) hashes.set(tokenId, '0x' + createHash('sha1').update(JSON.stringify([b.bids, b.asks])).digest('hex'));
  };
  const hub = new SocketHub(core, creds, faults, bookHash, clock, opts.options?.twapLookbackS ?? 60);
  const flush = (): void => {
    const events = core.drainEvents();
    for (const ev of events) if (ev.type === 'priceChange') for (const ch of ev.changes) rehash(ch.tokenId);
    hub.publish(events);
  };
  const tier = opts.signerTier ?? 'standard';
  // The scheduled weekly window (the engineRestart / postOnlyMode / cancelOnly knobs force a mode at any time).
  const engineMode = (): EngineMode => (opts.weeklyRestart ? weeklyMode(clock()) : 'normal');
  const ctx = { core, creds, faults, chainId: opts.chainId ?? 137, now: clock, flush, bookHash, engineMode, ...(tier === 'off' ? {} : { limits: new SignerLimits(tier) }) };

  const server: Server = createServer((req, res) => {
    void readRequest(req).then((r) => {
      if (r.path.startsWith('/control/')) return sendJson(res, control(r.method, r.path, r.query, r.body));
      const path = r.path.startsWith('/gamma/') ? r.path.slice('/gamma'.length) : r.path;
      const answer = handleRest(ctx, { ...r, path });
      const delayMs = faults.get().restDelayMs;
      if (delayMs > 0) setTimeout(() => !res.destroyed && sendJson(res, answer), delayMs);
      else sendJson(res, answer);
    }).catch(() => sendJson(res, { status: 500, body: { error: 'internal error' } }));
  });
  const control = (method: string, path: string, query: URLSearchParams, body: string): { status: number; body: unknown } => {
    try {
      if (path === '/control/faults') return { status: 200, body: method === 'POST' ? faults.set(body ? (JSON.parse(body) as Record<string, unknown>) : {}) : faults.get() };
      if (path === '/control/reset') return (faults.reset(), { status: 200, body: faults.get() });
      if (path === '/control/forget-keys') return (creds.forget(randomBytes(32).toString('hex')), { status: 200, body: { forgotten: true } });
      if (path === '/control/drop') {
        const which = query.get('socket') ?? 'all';
        const kinds: SocketKind[] = which === 'all' ? ['market', 'user', 'rtds', 'polybolt'] : (which.split(',') as SocketKind[]);
        return { status: 200, body: { dropped: hub.drop(kinds) } };
      }
      return { status: 404, body: { error: 'unknown control path' } };
    } catch (e) {
      return { status: 400, body: { error: (e as Error).message } };
    }
  };
  const wss = new WebSocketServer({ noServer: true });
  server.on('upgrade', (req, socket, head) => {
    const kind = WS_PATHS[new URL(req.url ?? '/', 'http://venue').pathname];
    if (!kind) return void socket.destroy();
    wss.handleUpgrade(req, socket, head, (ws) => hub.attach(kind, ws));
  });
  const host = opts.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, resolve);
  });
  const { port } = server.address() as AddressInfo;
  const timer = setInterval(() => {
    core.advance(clock());
    flush();
  }, opts.tickMs ?? 100);
  const http = `http://${host}:${port}`;
  const ws = `ws://${host}:${port}`;
  return {
    urls: { gamma: `${http}/gamma`, clob: http, wsMarket: `${ws}/ws/market`, wsUser: `${ws}/ws/user`, rtds: `${ws}/rtds`, polybolt: `${ws}/ws`, control: `${http}/control` },
    core,
    faults,
    drop: (kinds) => hub.drop(kinds),
    async close() {
      clearInterval(timer);
      hub.closeAll();
      wss.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
