// `polymm pnl [--since …] [--json]`: rebuilds the SQLite ledger from every event log in the log
// directory, then prints the per-market PnL table and the totals (or one {"pnl":{…}} line).
import { join } from 'node:path';
import type { Config } from '../config/schema.js';
import { queryPnl, readLoggedEvents, rebuildLedger, type PnlRow } from '../ledger/ledger.js';
import { parseDuration } from './duration.js';
import { UsageError } from './usage.js';

/** `--since`: an ISO date/time, or a duration back from now (`24h`, `30m`). */
export function sinceMs(text: string | undefined, nowMs: number): number {
  if (text === undefined || text === '') return 0;
  const days = /^(\d+(?:\.\d+)?)d$/.exec(text);
  if (days) return nowMs - Number(days[1]) * 86_400_000;
  if (/^\d+(\.\d+)?(ms|s|m|h)$/.test(text)) return nowMs - parseDuration(text);
  const t = Date.parse(text);
  if (!Number.isFinite(t))
    throw new UsageError(
      `--since must be an ISO date/time (2026-11-30T12:00Z) or a duration (24h), got ${JSON.stringify(text)}`,
    );
  return t;
}

const usd = (x: number | null): string => (x === null ? '—' : x.toFixed(2));

export function formatPnl(rows: readonly PnlRow[]): string {
  const head = [
    'market',
    'end (UTC)',
    'winner',
    'fills',
    'spread',
    'merged',
    'redeemed',
    'fees',
    'rebates',
    'merges',
    'redeems',
    'realized',
  ];
  const body = rows.map((r) => [
    r.slug,
    new Date(r.end_ms).toISOString().slice(0, 16).replace('T', ' '),
    r.winner ?? '—',
    String(r.fills),
    usd(r.spread_usdc),
    usd(r.merge_proceeds_usdc),
    usd(r.redemption_usdc),
    usd(r.fees_usdc),
    usd(r.rebates_usdc),
    String(r.merges),
    String(r.redemptions),
    usd(r.realized_pnl_usdc),
  ]);
  const t = totals(rows);
  const foot = [
    'total',
    '',
    '',
    String(t.fills),
    '',
    usd(t.merge_proceeds_usdc),
    usd(t.redemption_usdc),
    usd(t.fees_usdc),
    usd(t.rebates_usdc),
    String(t.merges),
    String(t.redemptions),
    usd(t.realized_pnl_usdc),
  ];
  const all = [head, ...body, foot];
  const widths = head.map((_, i) => Math.max(...all.map((row) => row[i]!.length)));
  return all
    .map((row) => row.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  '))
    .join('\n');
}

export function totals(rows: readonly PnlRow[]) {
  const sum = (f: (r: PnlRow) => number | null): number =>
    Math.round(rows.reduce((s, r) => s + (f(r) ?? 0), 0) * 1e6) / 1e6;
  return {
    markets: rows.length,
    fills: sum((r) => r.fills),
    merges: sum((r) => r.merges),
    redemptions: sum((r) => r.redemptions),
    merge_proceeds_usdc: sum((r) => r.merge_proceeds_usdc),
    redemption_usdc: sum((r) => r.redemption_usdc),
    fees_usdc: sum((r) => r.fees_usdc),
    rebates_usdc: sum((r) => r.rebates_usdc),
    realized_pnl_usdc: sum((r) => r.realized_pnl_usdc),
  };
}

export function runPnlCommand(cfg: Config, opts: { since?: string; json: boolean; nowMs?: number }): number {
  const since = sinceMs(opts.since, opts.nowMs ?? Date.now());
  const { events, runs, bad } = readLoggedEvents(cfg.eventLogDir);
  const db = join(cfg.eventLogDir, 'ledger.sqlite');
  rebuildLedger(db, events);
  const rows = queryPnl(db, since);
  if (opts.json) console.log(JSON.stringify({ pnl: { ledger: db, runs, markets: rows, totals: totals(rows) } }));
  else {
    console.log(formatPnl(rows));
    console.error(
      `ledger ${db}: rebuilt from ${runs} run(s) of event log${bad ? `, ${bad} unreadable line(s) skipped` : ''}`,
    );
  }
  return 0;
}
