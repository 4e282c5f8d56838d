// The spec's trading metrics (TECH_SPEC "Metrics"), under polymm_: connection gauges, message lag,
// order submit latency and rejects, unpaired shares per market, realized PnL, fees paid and
// estimated maker rebates, quoting state, heartbeat age, and — read at scrape time — the
// rate-limit tokens left and the event log's unflushed backlog. Folded from bot events only.
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { BotEvent, FeeSchedule, Fill } from '../domain/index.js';
import { feeCurveOf, fillFeeUsdc, makerRebateUsdc } from '../quant/index.js';

/** Read at scrape time; set by the parts that own the facts (execution sink, event log). */
export interface ScrapeProbes {
  rateLimitTokens?: () => Readonly<Record<'order' | 'cancel', number>>;
  eventLogBacklogBytes?: () => number;
}

interface MarketBook {
  fees?: FeeSchedule;
  up?: string;
  cash: number;
  shares: Map<string, number>;
  realized: boolean;
}

export function tradingMetrics(
  registry: Registry,
  clock: () => number,
): { observe(ev: BotEvent): void; readonly probes: ScrapeProbes } {
  const registers = [registry];
  const probes: ScrapeProbes = {};
  const connected = (name: string, help: string) => new Gauge({ name, help, registers });
  const wsMarket = connected('polymm_ws_market_connected', '1 while the market channel is connected');
  const wsUser = connected('polymm_ws_user_connected', '1 while the user channel is connected');
  const rtds = connected(
    'polymm_rtds_connected',
    '1 while the price socket (RTDS or PolyBolt, prices.transport) is connected',
  );
  const lag = new Histogram({
    name: 'polymm_ws_message_lag_ms',
    help: 'receive time minus the venue timestamp of book and price messages',
    labelNames: ['feed'],
    buckets: [1, 5, 10, 25, 50, 100, 250, 500, 1000, 5000],
    registers,
  });
  const submit = new Histogram({
    name: 'polymm_order_submit_latency_ms',
    help: 'REST round trip of an order batch or a taker order',
    labelNames: ['action'],
    buckets: [1, 2, 5, 10, 25, 50, 100, 250, 500, 1000, 5000],
    registers,
  });
  const rejects = new Counter({
    name: 'polymm_order_rejects_total',
    help: 'orders the venue refused (or whose post failed), by action',
    labelNames: ['action'],
    registers,
  });
  // Present from the first scrape (a labelled counter has no series until first touched).
  for (const action of ['post', 'taker']) rejects.inc({ action }, 0);
  const unpaired = new Gauge({
    name: 'polymm_unpaired_shares',
    help: 'unpaired shares (up minus down) per market',
    labelNames: ['market'],
    registers,
  });
  const realizedPnl = new Gauge({
    name: 'polymm_pnl_realized_usdc',
    help: 'PnL realized on resolved markets since start: cash flows, fees and payouts',
    registers,
  });
  const feePaid = new Counter({ name: 'polymm_fee_paid_usdc', help: 'taker fees paid', registers });
  const rebates = new Counter({
    name: 'polymm_rebate_estimated_usdc',
    help: 'maker rebates earned, estimated from the fee schedule and rebate rate',
    registers,
  });
  const quoting = new Gauge({
    name: 'polymm_quoting',
    help: '1 while the latest desired set of the market has orders',
    labelNames: ['market'],
    registers,
  });
  let lastAckMs: number | undefined;
  new Gauge({
    name: 'polymm_heartbeat_age_seconds',
    help: 'time since the last acknowledged exchange heartbeat (-1 before the first)',
    registers,
    collect() {
      this.set(lastAckMs === undefined ? -1 : (clock() - lastAckMs) / 1000);
    },
  });
  new Gauge({
    name: 'polymm_rate_limit_tokens',
    help: 'tokens left in the per-signer rate-limit bucket',
    labelNames: ['bucket'],
    registers,
    collect() {
      const t = probes.rateLimitTokens?.();
      if (t) for (const [bucket, n] of Object.entries(t)) this.set({ bucket }, n);
    },
  });
  new Gauge({
    name: 'polymm_event_log_backlog_bytes',
    help: 'event-log lag: bytes written but not yet flushed to disk',
    registers,
    collect() {
      this.set(probes.eventLogBacklogBytes?.() ?? 0);
    },
  });

  const books = new Map<string, MarketBook>();
  let realized = 0;
  const bookOf = (id: string): MarketBook =>
    books.get(id) ?? (books.set(id, { cash: 0, shares: new Map(), realized: false }), books.get(id)!);
  const onFill = (f: Fill, reversal: boolean): void => {
    const b = bookOf(f.conditionId);
    const sign = reversal ? -1 : 1;
    const fee = fillFeeUsdc(f, b.fees);
    const dir = f.side === 'BUY' ? 1 : -1;
    b.cash += sign * (-dir * f.price * f.size - fee);
    b.shares.set(f.tokenId, (b.shares.get(f.tokenId) ?? 0) + sign * dir * f.size);
    if (fee > 0 && !reversal) feePaid.inc(fee);
    if (f.role === 'MAKER' && !reversal && b.fees)
      rebates.inc(makerRebateUsdc(f.size, f.price, feeCurveOf(b.fees), b.fees.rebateRate));
    if (b.up !== undefined) {
      const up = b.shares.get(b.up) ?? 0;
      const down = [...b.shares].filter(([t]) => t !== b.up).reduce((s, [, n]) => s + n, 0);
      unpaired.set({ market: f.conditionId }, up - down);
    }
  };
  const onResolved = (id: string, winningToken: string): void => {
    const b = books.get(id);
    if (!b || b.realized) return;
    b.realized = true;
    realized += b.cash + (b.shares.get(winningToken) ?? 0);
    realizedPnl.set(realized);
    // A day brings ~96 markets: drop the market's book and its series once it is settled.
    books.delete(id);
    unpaired.remove({ market: id });
    quoting.remove({ market: id });
  };
  const feedGauge = { market: wsMarket, user: wsUser, prices: rtds } as const;

  return {
    probes,
    observe(ev) {
      switch (ev.kind) {
        case 'connection':
          if (ev.feed in feedGauge) feedGauge[ev.feed as keyof typeof feedGauge].set(ev.state === 'up' ? 1 : 0);
          break;
        case 'book':
          lag.observe({ feed: 'market' }, Math.max(0, clock() - ev.tsMs));
          break;
        case 'price':
          lag.observe({ feed: 'prices' }, Math.max(0, clock() - ev.tsMs));
          break;
        case 'market': {
          const b = bookOf(ev.market.conditionId);
          b.fees = ev.market.feesEnabled ? ev.market.feeSchedule : undefined;
          b.up = ev.market.tokenUp;
          if (ev.market.winner)
            onResolved(ev.market.conditionId, ev.market.winner === 'up' ? ev.market.tokenUp : ev.market.tokenDown);
          break;
        }
        case 'marketResolved':
          onResolved(ev.conditionId, ev.winningTokenId);
          break;
        case 'fill':
          onFill(ev.fill, ev.reversal);
          break;
        case 'decision':
          quoting.set({ market: ev.desired.conditionId }, ev.desired.orders.length > 0 ? 1 : 0);
          break;
        case 'heartbeat':
          if (ev.ok) lastAckMs = ev.tsMs;
          break;
        case 'execution':
          if ((ev.action === 'post' || ev.action === 'taker') && ev.latencyMs !== undefined)
            submit.observe({ action: ev.action }, ev.latencyMs);
          if ((ev.action === 'post' || ev.action === 'taker') && !ev.ok) rejects.inc({ action: ev.action });
          break;
        default:
          break;
      }
    },
  };
}
