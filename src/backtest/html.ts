// The backtest's HTML report: one self-contained file (uPlot and its CSS inlined from npm, the data
// embedded as JSON; nothing fetched), with cumulative PnL, inventory and unpaired shares, the
// markout curve, q_up calibration (reliability diagram), our quotes against the book and the fair
// value for the busiest market, and the per-market table.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Ledger } from './ledger.js';
import type { BacktestReport, MarketRow } from './report.js';
import type { TimelineData } from './timeline.js';

const require = createRequire(import.meta.url);
const asset = (path: string): string => readFileSync(require.resolve(path), 'utf8');

/** Reliability diagram: q_up samples in ten bins, mean forecast against the observed frequency. */
export function calibration(ledger: Ledger): Array<{ forecast: number; observed: number; n: number }> {
  const bins = Array.from({ length: 10 }, () => ({ q: 0, o: 0, n: 0 }));
  for (const b of ledger.markets.values()) {
    if (!b.winner) continue;
    for (const q of b.qUpSamples) {
      const bin = bins[Math.min(9, Math.floor(q * 10))]!;
      bin.q += q;
      bin.o += b.winner === 'Up' ? 1 : 0;
      bin.n += 1;
    }
  }
  return bins.filter((b) => b.n > 0).map((b) => ({ forecast: b.q / b.n, observed: b.o / b.n, n: b.n }));
}

/** Escape text for HTML, and JSON for a <script> element. */
const esc = (s: string): string =>
  s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
const scriptJson = (v: unknown): string => JSON.stringify(v).replace(/</g, '\\u003c');

export function reportHtml(
  report: BacktestReport,
  rows: readonly MarketRow[],
  ledger: Ledger,
  timeline: TimelineData,
): string {
  const busiest = [...ledger.markets.entries()].sort((a, b) => b[1].fills - a[1].fills)[0];
  const quotes = busiest ? timeline.quotes.get(busiest[0]) : undefined;
  const mk = ledger.markouts();
  const data = {
    series: { t: timeline.t, pnl: timeline.pnl, up: timeline.up, down: timeline.down, unpaired: timeline.unpaired },
    markouts: [...mk.horizons, mk.settle],
    calibration: calibration(ledger),
    quotes: quotes ?? null,
    quotesMarket: busiest?.[1].slug ?? null,
  };
  const table = rows
    .map(
      (r) =>
        `<tr><td>${esc(r.slug)}</td><td>${r.winner ?? ''}</td><td>${r.fills}</td><td>${r.up}</td><td>${r.down}</td><td>${r.pnlUsdc.toFixed(2)}</td></tr>`,
    )
    .join('\n');
  const summary = Object.entries(report)
    .map(([k, v]) => `<tr><td>${esc(k)}</td><td>${esc(String(v))}</td></tr>`)
    .join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>polymm backtest ${esc(report.scenario)} seed ${report.seed} ${esc(report.strategy)}</title>
<style>${asset('uplot/dist/uPlot.min.css')}
body{font-family:system-ui,sans-serif;margin:1.5rem;color:#222}h1{font-size:1.3rem}h2{font-size:1.05rem;margin-top:1.6rem}
table{border-collapse:collapse;font-size:.85rem}td,th{border:1px solid #ccc;padding:2px 8px;text-align:right}td:first-child{text-align:left}
.grid{display:flex;flex-wrap:wrap;gap:1.5rem}</style></head><body>
<h1>Backtest: ${esc(report.strategy)} on ${esc(report.scenario)}, seed ${report.seed}, ${report.markets} markets</h1>
<div class="grid"><div><h2>Cumulative PnL (USDC)</h2><div id="pnl" class="chart"></div></div>
<div><h2>Inventory and unpaired shares (running markets)</h2><div id="inventory" class="chart"></div></div>
<div><h2>Markout per share (maker fills)</h2><div id="markout" class="chart"></div></div>
<div><h2>q_up calibration</h2><div id="calibration" class="chart"></div></div>
<div><h2>Quotes against the book and fair value: ${esc(data.quotesMarket ?? 'no market')}</h2><div id="quotes" class="chart"></div></div></div>
<h2>Markets</h2><table><tr><th>market</th><th>winner</th><th>fills</th><th>Up</th><th>Down</th><th>PnL</th></tr>
${table}</table>
<h2>Summary</h2><table>${summary}</table>
<script id="data" type="application/json">${scriptJson(data)}</script>
<script>${asset('uplot/dist/uPlot.iife.min.js')}</script>
<script>${CHARTS}</script>
</body></html>
`;
}

/** Drawn in the page; a chart with no data is still drawn (empty axes), so every canvas exists. */
const CHARTS = `
const d = JSON.parse(document.getElementById('data').textContent);
const W = 520, H = 260;
const draw = (id, series, data, opts = {}) => new uPlot({ width: W, height: H, series: [{}, ...series], ...opts }, data, document.getElementById(id));
const s = d.series;
draw('pnl', [{ label: 'PnL', stroke: '#1565c0' }], [s.t, s.pnl]);
draw('inventory', [{ label: 'Up', stroke: '#2e7d32' }, { label: 'Down', stroke: '#c62828' }, { label: 'unpaired', stroke: '#f9a825' }], [s.t, s.up, s.down, s.unpaired]);
const names = ['1 s', '5 s', '30 s', 'settle'];
draw('markout', [{ label: 'markout', stroke: '#6a1b9a', points: { show: true, size: 8 } }], [[1, 2, 3, 4], d.markouts],
  { scales: { x: { time: false } }, axes: [{ values: (u, vals) => vals.map((v) => names[v - 1] ?? '') }, {}] });
const c = d.calibration;
draw('calibration', [{ label: 'observed', stroke: '#00838f', points: { show: true, size: 8 } }, { label: 'ideal', stroke: '#999', dash: [4, 4] }],
  [c.map((b) => b.forecast), c.map((b) => b.observed), c.map((b) => b.forecast)], { scales: { x: { time: false, range: [0, 1] }, y: { range: [0, 1] } } });
const q = d.quotes ?? { t: [], ourUp: [], ourDown: [], bidUp: [], askUp: [], fairUp: [] };
draw('quotes', [{ label: 'our Up bid', stroke: '#2e7d32' }, { label: '1 - our Down bid', stroke: '#c62828' }, { label: 'book bid', stroke: '#90a4ae' }, { label: 'book ask', stroke: '#546e7a' }, { label: 'fair q_up', stroke: '#1565c0' }],
  [q.t, q.ourUp, q.ourDown, q.bidUp, q.askUp, q.fairUp], { scales: { y: { range: [0, 1] } } });
`;
