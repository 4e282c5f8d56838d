// The ledger a person can query: markets, orders, fills with their status history, merges,
// redemptions and PnL per market, in SQLite. Derived from the event log only, so it is rebuilt from
// scratch (never patched): delete it and `polymm pnl` writes it again.
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { BotEvent } from '../domain/index.js';
import { marketPnls } from '../resolver/marketPnl.js';
import { parseEventLog } from '../sinks/eventLog.js';
import { parseSegment, readRunText } from '../sinks/eventLogFiles.js';

const SCHEMA = `
CREATE TABLE markets (condition_id TEXT PRIMARY KEY, slug TEXT, start_ms INTEGER, end_ms INTEGER, winner TEXT);
CREATE TABLE orders (order_id TEXT PRIMARY KEY, condition_id TEXT, token_id TEXT, side TEXT, price REAL, size REAL, size_matched REAL, status TEXT, first_ms INTEGER, last_ms INTEGER);
CREATE TABLE fills (trade_id TEXT, order_id TEXT, condition_id TEXT, outcome TEXT, side TEXT, price REAL, size REAL, role TEXT, status TEXT, ts_ms INTEGER, PRIMARY KEY (trade_id, order_id));
CREATE TABLE fill_status (trade_id TEXT, order_id TEXT, status TEXT, ts_ms INTEGER);
CREATE TABLE merges (id TEXT PRIMARY KEY, condition_id TEXT, sets REAL, phase TEXT, tx_hash TEXT, proceeds_usdc REAL, gas_used INTEGER, error TEXT, ts_ms INTEGER);
CREATE TABLE redemptions (id TEXT PRIMARY KEY, condition_id TEXT, phase TEXT, tx_hash TEXT, proceeds_usdc REAL, gas_used INTEGER, error TEXT, ts_ms INTEGER);
CREATE TABLE pnl (condition_id TEXT PRIMARY KEY, slug TEXT, end_ms INTEGER, winner TEXT, fills INTEGER, bought_usdc REAL, sold_usdc REAL, spread_usdc REAL,
  merge_proceeds_usdc REAL, redemption_usdc REAL, fees_usdc REAL, rebates_usdc REAL, merges INTEGER, redemptions INTEGER, realized_pnl_usdc REAL, running_total_usdc REAL);
`;

/** Every event of every run logged in `dir`, runs in start order. */
export function readLoggedEvents(dir: string): { events: BotEvent[]; runs: number; bad: number } {
  if (!existsSync(dir)) return { events: [], runs: 0, bad: 0 };
  const firsts = readdirSync(dir)
    .map((n) => parseSegment(join(dir, n)))
    .filter((s) => s !== undefined && s.seq === 0);
  // A gzipped and a plain first segment of one run: read the run once.
  const runs = [...new Map(firsts.map((s) => [s!.run, s!])).values()].sort((a, b) => a.run.localeCompare(b.run));
  const events: BotEvent[] = [];
  let bad = 0;
  for (const s of runs) {
    const parsed = parseEventLog(readRunText(s.path));
    events.push(...parsed.events);
    bad += parsed.bad;
  }
  return { events, runs: runs.length, bad };
}

/** Write the ledger at `path` from the events (replacing any earlier one). */
export function rebuildLedger(path: string, events: readonly BotEvent[]): void {
  rmSync(path, { force: true });
  const db = new Database(path);
  try {
    db.exec(SCHEMA);
    const q = {
      market: db.prepare('INSERT OR REPLACE INTO markets VALUES (?, ?, ?, ?, ?)'),
      order: db.prepare(
        `INSERT INTO orders VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(order_id) DO UPDATE SET size_matched = excluded.size_matched, status = excluded.status, last_ms = excluded.last_ms`,
      ),
      fill: db.prepare('INSERT OR IGNORE INTO fills VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)'),
      fillStatus: db.prepare('UPDATE fills SET status = ? WHERE trade_id = ? AND order_id = ?'),
      history: db.prepare('INSERT INTO fill_status VALUES (?, ?, ?, ?)'),
      merge: db.prepare('INSERT OR REPLACE INTO merges VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)'),
      redeem: db.prepare('INSERT OR REPLACE INTO redemptions VALUES (?, ?, ?, ?, ?, ?, ?, ?)'),
      pnl: db.prepare('INSERT INTO pnl VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)'),
    };
    db.transaction(() => {
      for (const ev of events) {
        if (ev.kind === 'market')
          q.market.run(
            ev.market.conditionId,
            ev.market.slug,
            ev.market.startMs,
            ev.market.endMs,
            ev.market.winner ?? null,
          );
        else if (ev.kind === 'order') {
          const o = ev.order;
          q.order.run(
            o.orderId,
            o.conditionId,
            o.tokenId,
            o.side,
            o.price,
            o.size,
            o.sizeMatched,
            o.status,
            ev.tsMs,
            ev.tsMs,
          );
        } else if (ev.kind === 'fill' || ev.kind === 'tradeStatus') {
          const f = ev.fill;
          if (ev.kind === 'fill' && !ev.reversal)
            q.fill.run(
              f.tradeId,
              f.orderId,
              f.conditionId,
              f.outcome ?? null,
              f.side,
              f.price,
              f.size,
              f.role,
              f.status,
              f.tsMs,
            );
          else q.fillStatus.run(f.status, f.tradeId, f.orderId);
          q.history.run(f.tradeId, f.orderId, f.status, ev.tsMs);
        } else if (ev.kind === 'inventoryOp') {
          const common = [
            ev.phase,
            ev.txHash ?? null,
            ev.proceedsUsdc ?? null,
            ev.gasUsed ?? null,
            ev.error ?? null,
            ev.tsMs,
          ];
          if (ev.action === 'merge') q.merge.run(ev.id, ev.conditionId, ev.sets ?? null, ...common);
          else q.redeem.run(ev.id, ev.conditionId, ...common);
        }
      }
      let total = 0;
      for (const r of marketPnls(events)) {
        total += r.realizedPnlUsdc ?? 0;
        q.pnl.run(
          r.conditionId,
          r.slug,
          r.endMs,
          r.winner ?? null,
          r.fills,
          r.boughtUsdc,
          r.soldUsdc,
          r.spreadCapturedUsdc,
          r.mergeProceedsUsdc,
          r.redemptionUsdc,
          r.feesUsdc,
          r.rebatesUsdc,
          r.merges,
          r.redemptions,
          r.realizedPnlUsdc ?? null,
          Math.round(total * 1e6) / 1e6,
        );
      }
    })();
  } finally {
    db.close();
  }
}

export interface PnlRow {
  readonly slug: string;
  readonly end_ms: number;
  readonly winner: string | null;
  readonly fills: number;
  readonly spread_usdc: number;
  readonly merge_proceeds_usdc: number;
  readonly redemption_usdc: number;
  readonly fees_usdc: number;
  readonly rebates_usdc: number;
  readonly merges: number;
  readonly redemptions: number;
  readonly realized_pnl_usdc: number | null;
}

/** Per-market rows ending at or after `sinceMs`, oldest first. */
export function queryPnl(path: string, sinceMs = 0): PnlRow[] {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    return db
      .prepare(
        'SELECT slug, end_ms, winner, fills, spread_usdc, merge_proceeds_usdc, redemption_usdc, fees_usdc, rebates_usdc, merges, redemptions, realized_pnl_usdc FROM pnl WHERE end_ms >= ? ORDER BY end_ms, slug',
      )
      .all(sinceMs) as PnlRow[];
  } finally {
    db.close();
  }
}
