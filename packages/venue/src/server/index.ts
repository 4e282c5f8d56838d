// startVenue: the simulated venue's servers on loopback around the pure core. One HTTP server
// carries Gamma, CLOB REST and the control endpoint under path prefixes; WebSockets upgrade on
// /ws/market, /ws/user, /rtds and /ws (PolyBolt).
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHash, randomBytes } from 'node:crypto';
import { WebSocketServer } from 'ws';
import { createVenueCore } from '../core/venue.js';
import { idSeqFrom } from '../core/exchange.js';
import type { VenueCore, VenueOptions } from '../core/types.js';
import { CredStore } from './auth.js';
import { FaultController, type Faults } from './faults.js';
import { handleRest, readRequest, sendJson } from './rest.js';
import { HeartbeatChains } from './heartbeats.js';
import { SignerLimits, TIERS } from './signerLimits.js';
import { SocketHub, type SocketKind } from './sockets.js';
import { weeklyMode, type EngineMode } from './engineWindows.js';
import type { VenueEvent, VTrade } from '../core/types.js';
import { saveVenueStateText, venueStateText, type VenueState } from './store.js';
import { accountViews } from './accountView.js';

export interface VenueUrls {
  readonly gamma: string;
  readonly clob: string;
  readonly wsMarket: string;
  readonly wsUser: string;
  readonly rtds: string;
  readonly polybolt: string;
  readonly control: string;
}

/** What a bot needs to reach the venue's chain: the `chain.*` settings of the simulated venue. */
export interface ChainInfo {
  readonly rpcUrl: string;
  readonly chainId: number;
  readonly ctf: `0x${string}`;
  readonly collateral: `0x${string}`;
  /** Conditions there are keccak(conditionOracle, keccak(venue condition id), 2), not the venue's ids. */
  readonly conditionOracle: `0x${string}`;
  /** Polymarket's relayer for PROXY, SAFE and deposit wallets (merges and redemptions) on that chain, when it runs one. */
  readonly relayerUrl?: string;
}

/**
 * The venue's chain as the venue drives it: plugged in by whoever starts the venue (the package has
 * no chain code of its own), it mirrors the venue's events and the accounts that authenticate.
 */
export interface VenueChain {
  readonly info: ChainInfo;
  /** An account that authenticated: mirror its trades from now on. */
  addAccount(owner: string): void;
  /** An order signed for a PROXY (1) / SAFE (2) / deposit (3) wallet `maker`: where the account's tokens live on chain. */
  setWallet?(owner: string, maker: string, signatureType: number): void;
  apply(events: readonly VenueEvent[]): void;
  /**
   * The trades a restarted venue restored from its store (confirmed by then, or failed): a chain that
   * persists delivers those it has not delivered yet (confirmed while it was down, or queued at the crash).
   */
  restore?(trades: readonly VTrade[]): void;
  close(): Promise<void>;
  /** The chain process itself: stopped at once by `crash()`, without waiting for pending work. */
  readonly chain: { close(): Promise<void> };
  /** Stop everything the chain runs (its servers) at once, without waiting for pending work; else `chain.close()`. */
  kill?(): Promise<void>;
}

export interface RunningVenue {
  readonly urls: VenueUrls;
  /** The venue's chain (dev EVM, real ConditionalTokens) when started with a `chain`. */
  readonly chain?: ChainInfo;
  readonly core: VenueCore;
  readonly faults: FaultController;
  /** Close sockets of the given kinds (what POST /control/drop does). */
  drop(kinds: readonly SocketKind[]): number;
  /** What a persistent store gave back at start (accounts, resting orders, orders that could not rest again). */
  readonly restored?: { readonly accounts: number; readonly orders: number; readonly dropped: number };
  close(): Promise<void>;
  /** Stop as a SIGKILL would (the fault matrix): nothing more saved, every connection cut at once. */
  crash(): Promise<void>;
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
  /** Persistent store (the standalone venue): state saved under `dir` as it changes, `saved` restored at start. */
  /**
   * Start the venue's chain (e.g. a dev EVM with the real ConditionalTokens) and mirror the
   * authenticated accounts' confirmed buys and the resolutions on it (~4-5 s more at start). Default
   * none: most tests need no chain. `onError` reports a failure of the chain's background work.
   */
  readonly chain?: (onError: (err: Error) => void, clock: () => number) => Promise<VenueChain>;
  readonly state?: {
    readonly dir: string;
    readonly world: VenueState['world'];
    readonly saved?: VenueState;
    readonly onError?: (err: Error) => void;
  };
}

const WS_PATHS: Readonly<Record<string, SocketKind>> = {
  '/ws/market': 'market',
  '/ws/user': 'user',
  '/rtds': 'rtds',
  '/ws': 'polybolt',
};

export async function startVenue(opts: StartVenueOptions = {}): Promise<RunningVenue> {
  const faults = new FaultController(opts.faults, opts.options?.seed ?? 1);
  // The venue's own clock: the true one, shifted by the clockOffsetMs knob (a venue clock off mid-run).
  const trueClock = opts.clock ?? Date.now;
  const clock = (): number => trueClock() + faults.get().clockOffsetMs;
  const saved = opts.state?.saved;
  // A restored venue mints ids after those it had minted before (its participants trade while it
  // catches up with the present, before the saved orders and trades are put back).
  const core =
    opts.core ??
    createVenueCore({
      ...opts.options,
      startMs: opts.options?.startMs ?? clock(),
      ...(saved ? { idSeqFrom: idSeqFrom(saved.core) } : {}),
    });
  const applyCoreKnobs = (f: Faults): void => {
    core.setTradeFailRate(f.tradeFailRate);
    core.setResolutionDelay(f.resolutionDelayMs);
  };
  faults.onChange = applyCoreKnobs;
  // At start only the knobs given (a core built by the caller keeps its own trade-fail rate otherwise).
  if (opts.faults?.tradeFailRate !== undefined) core.setTradeFailRate(opts.faults.tradeFailRate);
  if (opts.faults?.resolutionDelayMs !== undefined) core.setResolutionDelay(opts.faults.resolutionDelayMs);
  const chain: VenueChain | undefined = opts.chain
    ? await opts.chain((e) => process.stderr.write(`venue chain: ${e.message}\n`), clock)
    : undefined;
  const creds = saved ? CredStore.restored(saved) : new CredStore(randomBytes(32).toString('hex'));
  // Orders rest again only in markets open now: bring the world to now first.
  if (saved) core.advance(clock());
  const back = saved ? core.restore(saved.core, clock()) : undefined;
  // As the core restored them: trades still settling at the crash count as confirmed.
  if (saved)
    chain?.restore?.(
      saved.core.trades.map((t) => (t.status === 'FAILED' ? t : { ...t, status: 'CONFIRMED' as const })),
    );
  const restored =
    saved && back
      ? { accounts: saved.core.accounts.length, orders: back.restored, dropped: back.dropped.length }
      : undefined;
  const store = opts.state ? persister(opts.state, core, creds) : undefined;
  const accountView = accountViews(core);
  const hashes = new Map<string, string>();
  const bookHash = (tokenId: string): string => hashes.get(tokenId) ?? '0x0';
  const rehash = (tokenId: string): void => {
    const b = core.book(tokenId);
    if (b)
      hashes.set(
        tokenId,
        '0x' +
          createHash('sha1')
            .update(JSON.stringify([b.bids, b.asks]))
            .digest('hex'),
      );
  };
  const hub = new SocketHub(core, creds, faults, bookHash, clock, opts.options?.twapLookbackS ?? 60);
  const flush = (): void => {
    const events = core.drainEvents();
    chain?.apply(events);
    for (const ev of events) {
      if (ev.type === 'priceChange') for (const ch of ev.changes) rehash(ch.tokenId);
      else if (store && (ev.type === 'order' || ev.type === 'trade')) store.dirty = true;
    }
    hub.publish(
      faults.get().badPriceRate > 0
        ? events.map((ev) => (ev.type === 'price' ? { ...ev, value: faults.price(ev.value, ev.source) } : ev))
        : events,
    );
  };
  const tier = opts.signerTier ?? 'standard';
  // The scheduled weekly window (the engineRestart / postOnlyMode / cancelOnly knobs force a mode at any time).
  const engineMode = (): EngineMode => (opts.weeklyRestart ? weeklyMode(clock()) : 'normal');
  const ctx = {
    core,
    creds,
    faults,
    chainId: opts.chainId ?? 137,
    now: clock,
    flush,
    bookHash,
    engineMode,
    heartbeats: new HeartbeatChains(),
    ...(chain ? { onAccount: (a: string) => chain.addAccount(a) } : {}),
    ...(chain?.setWallet ? { onWallet: (o: string, m: string, t: number) => chain.setWallet?.(o, m, t) } : {}),
    ...(tier === 'off' ? {} : { limits: new SignerLimits(tier) }),
  };

  const server: Server = createServer((req, res) => {
    void readRequest(req)
      .then((r) => {
        if (r.path.startsWith('/control/')) return sendJson(res, control(r.method, r.path, r.query, r.body));
        const path = r.path.startsWith('/gamma/') ? r.path.slice('/gamma'.length) : r.path;
        const answer = handleRest(ctx, { ...r, path });
        // An acknowledged change is durable before it is answered, as on the live venue.
        if (store && (r.method !== 'GET' || path.startsWith('/auth/'))) store.save();
        const delayMs = faults.get().restDelayMs;
        if (delayMs > 0) setTimeout(() => !res.destroyed && sendJson(res, answer), delayMs);
        else sendJson(res, answer);
      })
      .catch(() => sendJson(res, { status: 500, body: { error: 'internal error' } }));
  });
  const control = (
    method: string,
    path: string,
    query: URLSearchParams,
    body: string,
  ): { status: number; body: unknown } => {
    try {
      if (path === '/control/faults')
        return {
          status: 200,
          body:
            method === 'POST' ? faults.set(body ? (JSON.parse(body) as Record<string, unknown>) : {}) : faults.get(),
        };
      if (path === '/control/account') return { status: 200, body: accountView(query.get('owner') ?? '') };
      if (path === '/control/reset') return (faults.reset(), { status: 200, body: faults.get() });
      if (path === '/control/forget-keys')
        return (creds.forget(randomBytes(32).toString('hex')), { status: 200, body: { forgotten: true } });
      if (path === '/control/drop') {
        const which = query.get('socket') ?? 'all';
        const kinds: SocketKind[] =
          which === 'all' ? ['market', 'user', 'rtds', 'polybolt'] : (which.split(',') as SocketKind[]);
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
  }).catch(async (e: unknown) => {
    await chain?.close(); // a busy port must not leave the chain running
    throw e;
  });
  const { port } = server.address() as AddressInfo;
  const timer = setInterval(() => {
    core.advance(clock());
    flush();
    if (store?.dirty) store.save();
  }, opts.tickMs ?? 100);
  const http = `http://${host}:${port}`;
  const ws = `ws://${host}:${port}`;
  return {
    urls: {
      gamma: `${http}/gamma`,
      clob: http,
      wsMarket: `${ws}/ws/market`,
      wsUser: `${ws}/ws/user`,
      rtds: `${ws}/rtds`,
      polybolt: `${ws}/ws`,
      control: `${http}/control`,
    },
    ...(chain ? { chain: chain.info } : {}),
    core,
    faults,
    drop: (kinds) => hub.drop(kinds),
    ...(restored ? { restored } : {}),
    async close() {
      clearInterval(timer);
      store?.save();
      hub.closeAll();
      wss.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await chain?.close();
    },
    async crash() {
      clearInterval(timer);
      if (store) store.save = () => undefined;
      hub.closeAll();
      wss.close();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
      await (chain?.kill ? chain.kill() : chain?.chain.close());
    },
  };
}

/** Saves the venue's state when it changed (skips an identical write); a failed write is reported, never fatal. */
function persister(
  state: NonNullable<StartVenueOptions['state']>,
  core: VenueCore,
  creds: CredStore,
): { dirty: boolean; save(): void } {
  let last = '';
  const self = {
    dirty: true,
    save(): void {
      self.dirty = false;
      const text = venueStateText({ version: 1, world: state.world, ...creds.persisted(), core: core.persisted() });
      if (text === last) return;
      try {
        saveVenueStateText(state.dir, text);
        last = text;
      } catch (err) {
        state.onError?.(err as Error);
      }
    },
  };
  return self;
}
