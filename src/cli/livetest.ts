// `polymm livetest`: one safe round trip on the venue. Preflight (every doctor check ok), then a
// minimum-size post-only BUY of Up at the lowest tick — far below the book, it cannot cross and
// will not fill unless someone sells at the floor — seen on the user channel, cancelled, seen
// cancelled, and confirmed gone from the open orders. Refuses when anything is off; whatever
// happens, it cancels what it placed before it exits.
import {
  combineLatest,
  filter,
  firstValueFrom,
  map,
  of,
  scan,
  share,
  take,
  throwError,
  timeout,
  timer,
  type Observable,
} from 'rxjs';
import type { Config } from '../config/schema.js';
import type { DesiredOrder, MarketIdentity, OrderEvent } from '../domain/index.js';
import { connectExchange, liveOrderOf, type Exchange } from '../sinks/execution/exchange.js';
import { silentLogger } from '../sinks/logger.js';
import { discovery$ } from '../streams/discovery.js';
import { userData$ } from '../streams/userData.js';
import { formatCheck, runChecks } from './doctor.js';
import { withSimVenue } from './simTarget.js';

export interface LivetestReport {
  readonly market: string;
  readonly orderId: string;
  readonly price: number;
  readonly size: number;
  readonly posted_ms: number;
  readonly seen_on_user_channel_ms: number;
  readonly cancel_seen_ms: number;
  readonly confirmed_gone: boolean;
}

const STEP_TIMEOUT_MS = 10_000;

/** The open market with at least 30 s left (waiting up to 30 s for the next one to open). */
async function currentMarket(cfg: Config): Promise<MarketIdentity> {
  const deps = { clock: Date.now, logger: silentLogger() };
  const quotable = (m: MarketIdentity): boolean =>
    m.acceptingOrders && !m.closed && m.startMs <= Date.now() && Date.now() < m.endMs - 30_000;
  const markets$ = discovery$(cfg, deps).pipe(
    filter((e) => e.kind === 'market'),
    scan(
      (acc, e) =>
        e.kind === 'market' ? [...acc.filter((m) => m.conditionId !== e.market.conditionId), e.market] : acc,
      [] as MarketIdentity[],
    ),
  );
  return firstValueFrom(
    combineLatest([markets$, timer(0, 500)]).pipe(
      map(([ms]) => ms.find(quotable)),
      filter((m): m is MarketIdentity => m !== undefined),
      take(1),
      timeout({
        first: 30_000,
        with: () => throwError(() => new Error('no open market with 30 s left found on Gamma within 30 s')),
      }),
    ),
  );
}

export async function livetest(cfg: Config, say: (line: string) => void): Promise<LivetestReport> {
  const checks = await runChecks(cfg);
  const failed = checks.filter((c) => !c.ok);
  if (failed.length) throw new Error(`refusing: preflight failed\n${failed.map(formatCheck).join('\n')}`);
  say('preflight ok');
  const market = await currentMarket(cfg);
  say(`market ${market.slug}`);
  const ex: Exchange = await connectExchange(
    { ...cfg, presign: { ...cfg.presign, enabled: false } },
    { randomKeyIfMissing: false },
  );
  const deps = { clock: Date.now, logger: silentLogger() };
  const reconcile = {
    openOrders: async () => (await ex.openOrders()).flatMap((o) => liveOrderOf(o, market) ?? []),
    trades: async () => [],
  };
  const user$ = userData$(of([market]), ex.creds, ex.address, cfg, deps, reconcile).pipe(share());
  const orders$: Observable<OrderEvent> = user$.pipe(filter((e): e is OrderEvent => e.kind === 'order'));
  const step = <T>(what: string) =>
    timeout<T, Observable<never>>({
      first: STEP_TIMEOUT_MS,
      with: () => throwError(() => new Error(`timed out waiting for ${what}`)),
    });
  const connected = firstValueFrom(
    user$.pipe(
      filter((e) => e.kind === 'connection' && e.state === 'up'),
      step('the user channel'),
    ),
  );
  // Order events can arrive before the post's answer: keep every change seen, by order id.
  const changes = new Map<string, Set<OrderEvent['change']>>();
  let feedError: unknown;
  const sub = orders$.subscribe({
    next: (e) => changes.set(e.order.orderId, (changes.get(e.order.orderId) ?? new Set()).add(e.change)),
    // The user feed failing is the test's failure: the waits below report it instead of timing out.
    error: (err: unknown) => (feedError = err ?? new Error('user feed failed')),
  });
  let placed: string | undefined;
  try {
    await connected;
    const order: DesiredOrder = {
      tokenId: market.tokenUp,
      outcome: 'up',
      side: 'BUY',
      price: market.tickSize,
      size: market.minSize,
      level: 0,
      postOnly: true,
      orderType: 'GTC',
    };
    const t0 = performance.now();
    const seen = (change: OrderEvent['change']) => (id: string) =>
      firstValueFrom(
        timer(0, 25).pipe(
          filter(() => {
            if (feedError !== undefined) throw feedError;
            return changes.get(id)?.has(change) === true;
          }),
          take(1),
          step(`${change} of ${id} on the user channel`),
        ),
      );
    // The preflight's heartbeat armed the venue's dead-man switch: keep it fed through the test.
    await ex.heartbeat();
    const [result] = await ex.post([order], market);
    if (!result?.ok || !result.orderId)
      throw new Error(`the venue refused the test order: ${result?.error ?? 'no answer'}`);
    placed = result.orderId;
    const postedMs = performance.now() - t0;
    await seen('PLACEMENT')(placed);
    const seenMs = performance.now() - t0;
    const cancelSeen = seen('CANCELLATION')(placed);
    const c = await ex.cancel([placed]);
    if (!c.canceled.includes(placed)) throw new Error(`cancel refused: ${c.notCanceled[placed] ?? 'unknown'}`);
    await cancelSeen;
    const cancelMs = performance.now() - t0;
    const gone = !(await ex.openOrders()).some((o) => o.orderId === placed);
    if (!gone) throw new Error(`order ${placed} is still open after its cancel`);
    placed = undefined;
    return {
      market: market.slug,
      orderId: result.orderId,
      price: order.price,
      size: order.size,
      posted_ms: Math.round(postedMs),
      seen_on_user_channel_ms: Math.round(seenMs),
      cancel_seen_ms: Math.round(cancelMs),
      confirmed_gone: gone,
    };
  } finally {
    if (placed) await ex.cancel([placed]).catch(() => undefined);
    sub.unsubscribe();
    await ex.close();
  }
}

export async function runLivetestCommand(cfg: Config, out: (line: string) => void = console.log): Promise<number> {
  return withSimVenue(cfg, out, async (target) => {
    try {
      const report = await livetest(target, (l) => process.stderr.write(l + '\n'));
      out(JSON.stringify({ livetest: report }));
      return 0;
    } catch (err) {
      process.stderr.write(`polymm livetest: ${err instanceof Error ? err.message : String(err)}\n`);
      return 1;
    }
  });
}
