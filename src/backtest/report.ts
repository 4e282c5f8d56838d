// The backtest's result line, `{"backtest":{…}}` (fields documented in README.md).
import type { InvariantChecker } from './invariants.js';
import type { Ledger } from './ledger.js';

export interface BacktestReport {
  readonly scenario: string;
  readonly seed: number;
  readonly strategy: string;
  readonly markets: number;
  readonly fills: number;
  readonly volume_usdc: number;
  readonly pnl_usdc: number;
  readonly pnl_per_share: number;
  readonly fees_usdc: number;
  readonly rebates_usdc: number;
  readonly markout_1s: number;
  readonly markout_5s: number;
  readonly markout_30s: number;
  readonly markout_settle: number;
  readonly max_unpaired_shares: number;
  readonly one_leg_markets: number;
  readonly orders_posted: number;
  readonly orders_cancelled: number;
  readonly orders_after_cutoff: number;
  readonly invariant_breaches: number;
  readonly brier: number;
  readonly events: number;
  readonly sim_seconds: number;
  readonly wall_seconds: number;
  readonly events_per_s: number;
}

/** Per-market rows, for the report's table and for tests. */
export interface MarketRow {
  readonly slug: string;
  readonly up: number;
  readonly down: number;
  readonly fills: number;
  readonly pnlUsdc: number;
  readonly winner?: string;
}

const r4 = (x: number): number => Math.round(x * 1e4) / 1e4;
const r6 = (x: number): number => Math.round(x * 1e6) / 1e6;

export interface ReportInputs {
  readonly scenario: string;
  readonly seed: number;
  readonly strategy: string;
  readonly markets: number;
  readonly ledger: Ledger;
  readonly invariants: InvariantChecker;
  readonly ordersPosted: number;
  readonly ordersCancelled: number;
  readonly ordersAfterCutoff: number;
  readonly events: number;
  readonly simSeconds: number;
  readonly wallSeconds: number;
}

export function marketRows(ledger: Ledger): MarketRow[] {
  return [...ledger.markets.entries()].map(([id, b]) => ({
    slug: b.slug,
    up: r4(b.up),
    down: r4(b.down),
    fills: b.fills,
    pnlUsdc: r4(ledger.pnlOf(id)),
    ...(b.winner ? { winner: b.winner } : {}),
  }));
}

export function toReport(i: ReportInputs): BacktestReport {
  const books = [...i.ledger.markets.entries()];
  let fills = 0;
  let volume = 0;
  let shares = 0;
  let pnl = 0;
  let fees = 0;
  let rebates = 0;
  let oneLeg = 0;
  for (const [id, b] of books) {
    fills += b.fills;
    volume += b.cost;
    shares += b.up + b.down;
    pnl += i.ledger.pnlOf(id);
    fees += b.fees;
    rebates += b.rebates;
    if ((b.up > 0 && b.down <= 1e-9) || (b.down > 0 && b.up <= 1e-9)) oneLeg += 1;
  }
  const mk = i.ledger.markouts();
  return {
    scenario: i.scenario,
    seed: i.seed,
    strategy: i.strategy,
    markets: i.markets,
    fills,
    volume_usdc: r4(volume),
    pnl_usdc: r4(pnl),
    pnl_per_share: shares > 0 ? r6(pnl / shares) : 0,
    fees_usdc: r4(fees),
    rebates_usdc: r4(rebates),
    markout_1s: r6(mk.horizons[0] ?? 0),
    markout_5s: r6(mk.horizons[1] ?? 0),
    markout_30s: r6(mk.horizons[2] ?? 0),
    markout_settle: r6(mk.settle),
    max_unpaired_shares: r4(i.ledger.maxUnpaired),
    one_leg_markets: oneLeg,
    orders_posted: i.ordersPosted,
    orders_cancelled: i.ordersCancelled,
    orders_after_cutoff: i.ordersAfterCutoff,
    invariant_breaches: i.invariants.total,
    brier: r6(i.ledger.brier()),
    events: i.events,
    sim_seconds: Math.round(i.simSeconds),
    wall_seconds: Math.round(i.wallSeconds * 100) / 100,
    events_per_s: i.wallSeconds > 0 ? Math.round(i.events / i.wallSeconds) : 0,
  };
}
