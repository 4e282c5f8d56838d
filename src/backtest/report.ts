// The backtest's result line, `{"backtest":{…}}` (fields documented in README.md).
import type { InvariantChecker } from './invariants.js';
import { markoutAverages, type Ledger, type MarkoutTotals } from './ledger.js';

export interface BacktestReport {
  readonly scenario: string;
  readonly seed: number;
  readonly strategy: string;
  readonly markets: number;
  /** Present when the markets were split into independent runs (`--segments`). */
  readonly segments?: number;
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

/**
 * What a run adds up, as sums and counts: the runs of a segmented backtest (src/backtest/segments.ts)
 * merge by adding them, and a report divides once, at the end.
 */
export interface Tally {
  readonly fills: number;
  readonly volume: number;
  readonly shares: number;
  readonly pnl: number;
  readonly fees: number;
  readonly rebates: number;
  readonly oneLeg: number;
  readonly markouts: MarkoutTotals;
  readonly brierSum: number;
  readonly brierN: number;
  readonly maxUnpaired: number;
  readonly ordersPosted: number;
  readonly ordersCancelled: number;
  readonly ordersAfterCutoff: number;
  readonly invariantBreaches: number;
  readonly events: number;
  readonly simSeconds: number;
}

export interface TallyInputs {
  readonly ledger: Ledger;
  readonly invariants: InvariantChecker;
  readonly ordersPosted: number;
  readonly ordersCancelled: number;
  readonly ordersAfterCutoff: number;
  readonly events: number;
  readonly simSeconds: number;
}

/** The run: what `{"backtest":{…}}` says it was. */
export interface ReportRun {
  readonly scenario: string;
  readonly seed: number;
  readonly strategy: string;
  readonly markets: number;
  /** Independent runs the markets were split into (src/backtest/segments.ts); 1 when not split. */
  readonly segments: number;
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

export function tallyOf(i: TallyInputs): Tally {
  let fills = 0;
  let volume = 0;
  let shares = 0;
  let pnl = 0;
  let fees = 0;
  let rebates = 0;
  let oneLeg = 0;
  for (const [id, b] of i.ledger.markets) {
    fills += b.fills;
    volume += b.cost;
    shares += b.up + b.down;
    pnl += i.ledger.pnlOf(id);
    fees += b.fees;
    rebates += b.rebates;
    if ((b.up > 0 && b.down <= 1e-9) || (b.down > 0 && b.up <= 1e-9)) oneLeg += 1;
  }
  const brier = i.ledger.brierTotals();
  return {
    fills,
    volume,
    shares,
    pnl,
    fees,
    rebates,
    oneLeg,
    markouts: i.ledger.markoutTotals(),
    brierSum: brier.sum,
    brierN: brier.n,
    maxUnpaired: i.ledger.maxUnpaired,
    ordersPosted: i.ordersPosted,
    ordersCancelled: i.ordersCancelled,
    ordersAfterCutoff: i.ordersAfterCutoff,
    invariantBreaches: i.invariants.total,
    events: i.events,
    simSeconds: i.simSeconds,
  };
}

const addUp = (a: readonly number[], b: readonly number[]): number[] => a.map((x, k) => x + (b[k] ?? 0));

/** The tally's plain sums (a record, so that a new field must be placed here or in mergeTallies). */
type Summed = Exclude<keyof Tally, 'markouts' | 'maxUnpaired'>;
const SUMMED: Record<Summed, true> = {
  fills: true,
  volume: true,
  shares: true,
  pnl: true,
  fees: true,
  rebates: true,
  oneLeg: true,
  brierSum: true,
  brierN: true,
  ordersPosted: true,
  ordersCancelled: true,
  ordersAfterCutoff: true,
  invariantBreaches: true,
  events: true,
  simSeconds: true,
};

/** Tallies of consecutive runs as one: sums added (in the order given), the largest unpaired kept. */
export function mergeTallies(tallies: readonly Tally[]): Tally {
  return tallies.reduce((a, b) => {
    const sums = Object.fromEntries(Object.keys(SUMMED).map((k) => [k, a[k as Summed] + b[k as Summed]]));
    return {
      ...(sums as Record<Summed, number>),
      maxUnpaired: Math.max(a.maxUnpaired, b.maxUnpaired),
      markouts: {
        sum: addUp(a.markouts.sum, b.markouts.sum),
        shares: addUp(a.markouts.shares, b.markouts.shares),
        settleSum: a.markouts.settleSum + b.markouts.settleSum,
        settleShares: a.markouts.settleShares + b.markouts.settleShares,
      },
    };
  });
}

export function toReport(run: ReportRun, t: Tally, wallSeconds: number): BacktestReport {
  const mk = markoutAverages(t.markouts);
  return {
    scenario: run.scenario,
    seed: run.seed,
    strategy: run.strategy,
    markets: run.markets,
    // Only a split run says so: an unsplit run's line keeps the documented fields.
    ...(run.segments > 1 ? { segments: run.segments } : {}),
    fills: t.fills,
    volume_usdc: r4(t.volume),
    pnl_usdc: r4(t.pnl),
    pnl_per_share: t.shares > 0 ? r6(t.pnl / t.shares) : 0,
    fees_usdc: r4(t.fees),
    rebates_usdc: r4(t.rebates),
    markout_1s: r6(mk.horizons[0] ?? 0),
    markout_5s: r6(mk.horizons[1] ?? 0),
    markout_30s: r6(mk.horizons[2] ?? 0),
    markout_settle: r6(mk.settle),
    max_unpaired_shares: r4(t.maxUnpaired),
    one_leg_markets: t.oneLeg,
    orders_posted: t.ordersPosted,
    orders_cancelled: t.ordersCancelled,
    orders_after_cutoff: t.ordersAfterCutoff,
    invariant_breaches: t.invariantBreaches,
    brier: r6(t.brierN > 0 ? t.brierSum / t.brierN : 0),
    events: t.events,
    sim_seconds: Math.round(t.simSeconds),
    wall_seconds: Math.round(wallSeconds * 100) / 100,
    events_per_s: wallSeconds > 0 ? Math.round(t.events / wallSeconds) : 0,
  };
}
