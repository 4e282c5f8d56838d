// What a long `start` costs per event in the run's side folds (the summary, the status view, the
// metrics: src/app.ts folds every event through them; on a terminal, the dashboard too): after a
// day, a week and a month of markets, the microseconds per book, alpha and fill event of the market
// in play. Flat is the target: a fold that keeps every market ever seen costs more each day (before
// the markets were let go, a month's run spent ~1 ms in the summary on every book event). Also the
// metric series exported.
//   npx tsx bench/longRun.ts [days=1,7,30]
import { EMPTY_DASHBOARD, foldDashboard, type DashboardState } from '../src/cli/dashboard.js';
import type { BotEvent } from '../src/domain/index.js';
import { createMetrics } from '../src/sinks/metrics.js';
import { EMPTY_STATUS, foldStatus, type StatusFold } from '../src/sinks/statusView.js';
import { EMPTY_SUMMARY, foldSummary, type SummaryState } from '../src/sinks/summary.js';
import { marketLife, marketNo } from './support/marketLife.js';

const days = (process.argv[2] ?? '1,7,30').split(',').map(Number);
const CUTOFF_MS = 15_000;
const REPEAT = 20_000;

interface Run {
  summary: SummaryState;
  status: StatusFold;
  dashboard: DashboardState;
  readonly metrics: ReturnType<typeof createMetrics>;
}
/** One event through the folds, as app.ts does (metrics see the status view before it), and the terminal dashboard's. */
const step = (r: Run, ev: BotEvent): void => {
  r.metrics.observe(ev, r.status);
  r.summary = foldSummary(r.summary, ev, CUTOFF_MS);
  r.status = foldStatus(r.status, ev);
  r.dashboard = foldDashboard(r.dashboard, ev, CUTOFF_MS);
};
/** Microseconds per event over REPEAT events made by `make(k)`. */
const perEvent = (r: Run, make: (k: number) => BotEvent): number => {
  const t0 = performance.now();
  for (let k = 0; k < REPEAT; k++) step(r, make(k));
  return Math.round(((performance.now() - t0) / REPEAT) * 1000 * 100) / 100;
};

const rows: Array<Record<string, number>> = [];
for (const d of days) {
  const markets = d * 96;
  const r: Run = {
    summary: EMPTY_SUMMARY,
    status: EMPTY_STATUS,
    dashboard: EMPTY_DASHBOARD,
    metrics: createMetrics(() => 0),
  };
  for (let i = 0; i < markets; i++) for (const ev of marketLife(i, i % 3 !== 2)) step(r, ev);
  // The market in play: discovered, then its events repeated.
  const m = marketNo(markets);
  const [discovered, alpha] = marketLife(markets);
  step(r, discovered!);
  const t = m.startMs + 1_000;
  const book = perEvent(r, (k) => ({
    kind: 'book',
    tsMs: t + k,
    conditionId: m.conditionId,
    book: {
      tokenId: k % 2 ? m.tokenUp : m.tokenDown,
      bids: [{ price: 0.45, size: 10 + (k % 7) }],
      asks: [{ price: 0.55, size: 10 }],
      tsMs: t + k,
      stale: false,
    },
  }));
  const alphaUs = perEvent(r, (k) => ({ ...(alpha as BotEvent), tsMs: t + k }));
  const fill = perEvent(r, (k) => ({
    kind: 'fill',
    tsMs: t + k,
    reversal: false,
    fill: {
      tradeId: `bench-${k}`,
      orderId: `bench-o${k}`,
      conditionId: m.conditionId,
      tokenId: m.tokenUp,
      outcome: 'up',
      side: 'BUY',
      price: 0.45,
      size: 5,
      role: 'MAKER',
      feeRateBps: 0,
      status: 'MATCHED',
      tsMs: t + k,
    },
  }));
  const series = (await r.metrics.registry.getMetricsAsJSON()).reduce((n, x) => n + x.values.length, 0);
  rows.push({ days: d, markets, book_us: book, alpha_us: alphaUs, fill_us: fill, metric_series: series });
}
const first = rows[0]!;
const last = rows[rows.length - 1]!;
console.log(
  JSON.stringify({
    bench: 'longRun',
    rows,
    // The last row's cost per event over the first's (1: flat).
    book_ratio: Math.round((last.book_us! / first.book_us!) * 100) / 100,
    alpha_ratio: Math.round((last.alpha_us! / first.alpha_us!) * 100) / 100,
    fill_ratio: Math.round((last.fill_us! / first.fill_us!) * 100) / 100,
  }),
);
