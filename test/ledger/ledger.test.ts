// The SQLite ledger is derived from the event logs alone (two runs: a restart between them) and is
// rebuilt, not patched: the same logs give the same tables; `polymm pnl` prints the per-market rows
// and the totals.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import Database from 'better-sqlite3';
import { openEventLog } from '../../src/sinks/eventLog.js';
import { queryPnl, readLoggedEvents, rebuildLedger } from '../../src/ledger/ledger.js';
import { runPnlCommand, sinceMs } from '../../src/cli/pnl.js';
import { loadConfig } from '../../src/config/load.js';
import type { BotEvent, Fill, MarketIdentity } from '../../src/domain/index.js';
import { START, END, market, marketEv } from '../support/events.js';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

const second: MarketIdentity = {
  ...market,
  conditionId: '0xcond2',
  slug: 'btc-updown-15m-1800000900',
  startMs: END,
  endMs: END + 900_000,
};
const fill = (m: MarketIdentity, id: string, outcome: 'up' | 'down', size: number, price: number): Fill => ({
  tradeId: id,
  orderId: `o${id}`,
  conditionId: m.conditionId,
  tokenId: outcome === 'up' ? m.tokenUp : m.tokenDown,
  outcome,
  side: 'BUY',
  price,
  size,
  role: 'TAKER',
  feeRateBps: 0,
  status: 'MATCHED',
  tsMs: m.startMs + 1,
});

async function writeRun(dir: string, tsMs: number, events: BotEvent[]): Promise<void> {
  const log = openEventLog(dir, { kind: 'header', version: 1, tsMs, config: {}, requiredFeeds: [] });
  events.forEach((e) => log.write(e));
  await log.close();
}

describe('ledger', () => {
  it('rebuilds from two runs of event log: fills with status history, merges, redemptions, PnL per market', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'polymm-ledger-'));
    dirs.push(dir);
    const a = fill(market, 'a', 'up', 10, 0.4);
    const b = fill(market, 'b', 'down', 10, 0.5);
    const c = fill(second, 'c', 'up', 4, 0.5);
    await writeRun(dir, START, [
      marketEv(START),
      { kind: 'fill', tsMs: START + 1, fill: a, reversal: false },
      { kind: 'fill', tsMs: START + 2, fill: b, reversal: false },
      { kind: 'tradeStatus', tsMs: START + 3, fill: { ...a, status: 'MINED' } },
      {
        kind: 'inventoryOp',
        tsMs: START + 4,
        id: 'merge:0xcond:0',
        action: 'merge',
        conditionId: market.conditionId,
        phase: 'sent',
        sets: 10,
        txHash: '0xaa',
        raw: '0x01',
      },
    ]);
    // The restart: the merge's receipt and the rest arrive in the second run.
    await writeRun(dir, START + 60_000, [
      { kind: 'tradeStatus', tsMs: START + 60_001, fill: { ...a, status: 'CONFIRMED' } },
      {
        kind: 'inventoryOp',
        tsMs: START + 60_002,
        id: 'merge:0xcond:0',
        action: 'merge',
        conditionId: market.conditionId,
        phase: 'done',
        sets: 10,
        txHash: '0xaa',
        proceedsUsdc: 10,
        gasUsed: 80_000,
      },
      {
        kind: 'marketResolved',
        tsMs: END + 1,
        conditionId: market.conditionId,
        winningTokenId: market.tokenUp,
        winner: 'up',
      },
      marketEv(END, second),
      { kind: 'fill', tsMs: END + 2, fill: c, reversal: false },
      { kind: 'fill', tsMs: END + 3, fill: { ...c, status: 'FAILED' }, reversal: true },
    ]);
    const { events, runs } = readLoggedEvents(dir);
    expect(runs).toBe(2);
    const db = join(dir, 'ledger.sqlite');
    rebuildLedger(db, events);
    const first = queryPnl(db);
    rebuildLedger(db, events);
    expect(queryPnl(db)).toEqual(first);
    const fees = 10 * 0.072 * 0.4 * 0.6 + 10 * 0.072 * 0.5 * 0.5; // taker fills
    expect(first.map((r) => [r.slug, r.merges, r.realized_pnl_usdc])).toEqual([
      [market.slug, 1, 10 - 9 - fees],
      [second.slug, 0, null],
    ]);
    const sql = new Database(db, { readonly: true });
    expect(sql.prepare("SELECT status FROM fill_status WHERE trade_id = 'a' ORDER BY ts_ms").all()).toEqual([
      { status: 'MATCHED' },
      { status: 'MINED' },
      { status: 'CONFIRMED' },
    ]);
    expect(sql.prepare("SELECT status FROM fills WHERE trade_id = 'c'").get()).toEqual({ status: 'FAILED' });
    expect(sql.prepare('SELECT phase, proceeds_usdc, gas_used FROM merges').all()).toEqual([
      { phase: 'done', proceeds_usdc: 10, gas_used: 80_000 },
    ]);
    sql.close();
    expect(queryPnl(db, END + 1).map((r) => r.slug)).toEqual([second.slug]);

    const out = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    const err = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      expect(runPnlCommand(loadConfig({ flags: { eventLogDir: dir } }), { json: true })).toBe(0);
      const line = JSON.parse(String(out.mock.calls[0]![0])) as {
        pnl: { runs: number; totals: Record<string, number> };
      };
      expect(line.pnl.runs).toBe(2);
      expect(line.pnl.totals).toMatchObject({
        markets: 2,
        merges: 1,
        redemptions: 0,
        realized_pnl_usdc: 0.6472,
        fees_usdc: 0.3528,
      });
      runPnlCommand(loadConfig({ flags: { eventLogDir: dir } }), { json: false });
      expect(String(out.mock.calls[1]![0])).toMatch(
        /^market .*realized\n.*btc-updown-15m-1800000000 .* 0\.65\n.*\ntotal .* 0\.65$/s,
      );
    } finally {
      out.mockRestore();
      err.mockRestore();
    }
  });

  it('--since takes an ISO time or a duration back from now; anything else is a usage error', () => {
    expect(sinceMs('2026-11-30T12:00Z', 0)).toBe(Date.parse('2026-11-30T12:00Z'));
    expect(sinceMs('24h', 100_000_000)).toBe(100_000_000 - 86_400_000);
    expect(sinceMs('2d', 200_000_000)).toBe(200_000_000 - 172_800_000);
    expect(() => sinceMs('yesterday', 0)).toThrow(/--since must be/);
  });
});
