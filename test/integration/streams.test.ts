// The streams layer against the simulated venue on loopback: discovery, book consistency,
// reconnect after a dropped socket, and fills on the user channel versus /data/trades.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  filter,
  firstValueFrom,
  map,
  share,
  shareReplay,
  take,
  toArray,
  type Observable,
  type Subscription,
} from 'rxjs';
import { loadConfig } from '../../src/config/load.js';
import type { Config } from '../../src/config/schema.js';
import type { Book, FillEvent, MarketIdentity, OrderEvent } from '../../src/domain/index.js';
import { silentLogger } from '../../src/sinks/logger.js';
import { connectExchange, liveOrderOf, type Exchange } from '../../src/sinks/execution/exchange.js';
import { activeMarkets, discovery$, marketData$, userData$, type StreamDeps } from '../../src/streams/index.js';
import { fillsOf } from '../../src/streams/fills.js';
import { startVenue, type RunningVenue } from '@polymm/venue';
import { getJson } from '../support/http.js';
import { endpointsOf } from '../../src/config/schema.js';

let venue: RunningVenue;
let cfg: Config;
let subs: Subscription[] = [];
const deps: StreamDeps = { clock: () => Date.now(), logger: silentLogger() };
const until = async (pred: () => boolean | Promise<boolean>, ms = 5_000): Promise<void> => {
  const end = Date.now() + ms;
  while (!(await pred())) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 25));
  }
};

beforeEach(async () => {
  venue = await startVenue({
    port: 0,
    // The current market started a second ago, so `roomyMarket` never waits for a roll, wherever the
    // wall clock falls in the minute.
    options: {
      seed: 7,
      intervalMs: 60_000,
      scheduleOriginMs: Date.now() - 1_000,
      participants: false,
      minedDelayMs: 50,
      confirmedDelayMs: 50,
    },
    tickMs: 20,
  });
  const u = venue.urls;
  cfg = loadConfig({
    flags: {
      market: { interval: '1m', discoveryPollMs: 500 },
      endpoints: endpointsOf(u),
    },
  });
});
afterEach(async () => {
  subs.forEach((s) => s.unsubscribe());
  subs = [];
  await venue.close();
});

function markets$() {
  const disc = discovery$(cfg, deps).pipe(share());
  return { disc, markets: activeMarkets(disc, deps.clock).pipe(shareReplay({ bufferSize: 1, refCount: true })) };
}

/**
 * The current market once it has at least 10 s left: these markets last a minute, and a test that
 * lands on a roll would burst orders into a market that just closed.
 */
const roomyMarket = (markets: Observable<readonly MarketIdentity[]>): Promise<MarketIdentity> =>
  firstValueFrom(
    markets.pipe(
      map((ms) => ms.find((x) => x.startMs <= Date.now() && x.endMs - Date.now() > 10_000)),
      filter((x): x is MarketIdentity => x !== undefined),
    ),
  );

/** A burst of resting and crossing orders from two accounts, straight into the core. */
function burst(m: MarketIdentity, n: number): void {
  const owners = ['0x00000000000000000000000000000000000000a1', '0x00000000000000000000000000000000000000b2'];
  let x = 17;
  const rnd = () => (x = (x * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  for (const o of owners) venue.core.ensureAccount(o);
  for (let i = 0; i < n; i++) {
    const owner = owners[i % 2]!;
    const tokenId = rnd() < 0.5 ? m.tokenUp : m.tokenDown;
    const price = Math.round((0.3 + rnd() * 0.4) * 100) / 100;
    venue.core.placeOrder(
      {
        owner,
        tokenId,
        side: 'BUY',
        price,
        size: 5 + Math.round(rnd() * 20),
        orderType: 'GTC',
        postOnly: false,
        expirationS: 0,
      },
      Date.now(),
    );
  }
}

const sameLevels = (
  local: Book,
  rest: { bids: { price: string; size: string }[]; asks: { price: string; size: string }[] },
): boolean => {
  const norm = (ls: readonly { price: number | string; size: number | string }[]) =>
    ls
      .map((l) => `${Number(l.price)}:${Number(l.size)}`)
      .sort()
      .join(',');
  return norm(local.bids) === norm(rest.bids) && norm(local.asks) === norm(rest.asks);
};

describe('streams against the simulated venue', () => {
  it('discovery finds the current and the next market', async () => {
    const { disc } = markets$();
    const found = await firstValueFrom(
      disc.pipe(
        filter((e) => e.kind === 'market'),
        take(2),
        toArray(),
      ),
    );
    const starts = found.map((e) => (e.kind === 'market' ? e.market.startMs : 0)).sort();
    const now = Date.now();
    expect(starts[0]).toBeLessThanOrEqual(now);
    expect(starts[1]).toBe(starts[0]! + 60_000);
    const venueSlugs = venue.core.markets().map((m) => m.slug);
    for (const e of found) if (e.kind === 'market') expect(venueSlugs).toContain(e.market.slug);
  });

  it('the local book equals /book after a burst of activity, and heals after the venue drops the socket', async () => {
    const { markets } = markets$();
    const books = new Map<string, Book>();
    const conn: string[] = [];
    subs.push(
      marketData$(markets, cfg, deps).subscribe((e) => {
        if (e.kind === 'book') books.set(e.book.tokenId, e.book);
        if (e.kind === 'connection') conn.push(e.state);
      }),
    );
    const m = await roomyMarket(markets);
    await until(() => books.has(m.tokenUp) && books.has(m.tokenDown));
    burst(m, 80);
    const matches = async (): Promise<boolean> => {
      for (const tok of [m.tokenUp, m.tokenDown]) {
        const local = books.get(tok);
        const rest = await getJson(`${venue.urls.clob}/book?token_id=${tok}`);
        if (!local || local.stale || !sameLevels(local, rest)) return false;
      }
      return true;
    };
    await until(matches);
    expect((await getJson(`${venue.urls.clob}/book?token_id=${m.tokenUp}`)).bids.length).toBeGreaterThan(0);

    expect((await getJson(`${venue.urls.control}/drop?socket=market`, { method: 'POST' })).dropped).toBe(1);
    await until(() => conn.filter((c) => c === 'up').length === 2);
    expect(conn).toEqual(['up', 'down', 'up']);
    burst(m, 20);
    await until(matches);
  });

  it('fills on the user channel match /data/trades, each counted once', async () => {
    const { markets } = markets$();
    const exchange: Exchange = await connectExchange(cfg, { randomKeyIfMissing: true });
    const fills: FillEvent[] = [];
    const reconciler = { openOrders: async () => [], trades: async () => [] };
    subs.push(
      userData$(markets, exchange.creds, exchange.address, cfg, deps, reconciler).subscribe(
        (e) => e.kind === 'fill' && fills.push(e),
      ),
    );
    subs.push(marketData$(markets, cfg, deps).subscribe());
    const m = await roomyMarket(markets);
    await new Promise((r) => setTimeout(r, 300)); // user channel subscribed
    const order = (price: number, size: number) => ({
      outcome: 'up' as const,
      tokenId: m.tokenUp,
      level: 0,
      side: 'BUY' as const,
      price,
      size,
      postOnly: true,
      orderType: 'GTC' as const,
    });
    const posted = await exchange.post([order(0.4, 10), order(0.39, 10)], m);
    expect(posted).toEqual([expect.objectContaining({ ok: true }), expect.objectContaining({ ok: true })]);
    // A counterparty buys Down at 0.61 and 0.62: complementary matches against our Up bids.
    const other = '0x00000000000000000000000000000000000000c3';
    venue.core.ensureAccount(other);
    venue.core.placeOrder(
      {
        owner: other,
        tokenId: m.tokenDown,
        side: 'BUY',
        price: 0.61,
        size: 6,
        orderType: 'GTC',
        postOnly: false,
        expirationS: 0,
      },
      Date.now(),
    );
    venue.core.placeOrder(
      {
        owner: other,
        tokenId: m.tokenDown,
        side: 'BUY',
        price: 0.62,
        size: 12,
        orderType: 'GTC',
        postOnly: false,
        expirationS: 0,
      },
      Date.now(),
    );
    await until(() => fills.reduce((s, f) => s + f.fill.size, 0) >= 18 - 1e-9);
    await new Promise((r) => setTimeout(r, 300)); // MINED and CONFIRMED arrive too: not recounted
    const me = {
      apiKey: exchange.creds.key,
      address: exchange.address,
      orderIds: new Set(posted.map((p) => p.orderId!)),
    };
    const rest = (await exchange.trades(0)).flatMap((t) => fillsOf(t, me, new Map([[m.conditionId, m]])));
    const key = (f: { tradeId: string; orderId: string; size: number; price: number }) =>
      `${f.tradeId}/${f.orderId}/${f.size}@${f.price}`;
    expect(fills.map((f) => key(f.fill)).sort()).toEqual(rest.map(key).sort());
    expect(fills.reduce((s, f) => s + f.fill.size, 0)).toBeCloseTo(18, 9);
    expect(fills.every((f) => f.fill.role === 'MAKER' && f.fill.outcome === 'up' && f.fill.side === 'BUY')).toBe(true);
    // Positions read back through the balance endpoint (what the bot adopts at start).
    expect(await exchange.positions([m.tokenUp, m.tokenDown])).toEqual([18, 0]);
  });

  it('an order cancelled while the user channel was away is reported closed by the reconcile after the reconnect', async () => {
    const { markets } = markets$();
    const exchange: Exchange = await connectExchange(cfg, { randomKeyIfMissing: true });
    const orders: OrderEvent[] = [];
    const known = new Map<string, MarketIdentity>();
    const reconciler = {
      openOrders: async () =>
        (await exchange.openOrders()).flatMap((o) => liveOrderOf(o, known.get(o.conditionId)) ?? []),
      trades: async () => [],
    };
    subs.push(
      userData$(markets, exchange.creds, exchange.address, cfg, deps, reconciler).subscribe(
        (e) => e.kind === 'order' && orders.push(e),
      ),
    );
    const m = await roomyMarket(markets);
    known.set(m.conditionId, m);
    await new Promise((r) => setTimeout(r, 300)); // user channel subscribed
    const [kept, gone] = await exchange.post(
      [0.3, 0.31].map((price) => ({
        outcome: 'up' as const,
        tokenId: m.tokenUp,
        level: 0,
        side: 'BUY' as const,
        price,
        size: 10,
        postOnly: true,
        orderType: 'GTC' as const,
      })),
      m,
    );
    await until(() => orders.filter((o) => o.order.status === 'live').length >= 2);
    // The channel goes quiet (its messages are lost), one order is cancelled meanwhile, then the socket drops.
    venue.faults.set({ silent: 'user' });
    venue.core.cancelOrder(exchange.address, gone!.orderId!, Date.now());
    await new Promise((r) => setTimeout(r, 200));
    venue.faults.set({ silent: '' });
    venue.drop(['user']);
    await until(() => orders.some((o) => o.order.orderId === gone!.orderId && o.order.status === 'cancelled'));
    const closed = orders.find((o) => o.order.orderId === gone!.orderId && o.order.status === 'cancelled')!;
    expect(closed).toMatchObject({ change: 'CANCELLATION', statusText: 'reconciled: no longer open on the venue' });
    expect(orders.some((o) => o.order.orderId === kept!.orderId && o.order.status === 'cancelled')).toBe(false);
    await exchange.close();
  });
});
