// Taker completions in a backtest: shares wanted against shares bought (a marketable BUY spends its
// USDC, so the asks at the match decide the shares), how many were killed, bought fewer or more.
//   node dist/bench/takerOrders.js [scenario=jumpy] [seed=1] [markets=32]
import { runBacktest } from '../src/backtest/run.js';
import { loadConfig } from '../src/config/load.js';
import type { VScenario } from '@polymm/venue';
import { silentLogger } from '../src/sinks/logger.js';

const scenario = (process.argv[2] ?? 'jumpy') as VScenario;
const seed = Number(process.argv[3] ?? 1);
const markets = Number(process.argv[4] ?? 32);

const totals = { orders: 0, wanted: 0, bought: 0, spend: 0, paid: 0, killed: 0, fewer: 0, more: 0 };
/** The market's latest taker order: shares wanted and bought (its fills follow it, before the next). */
const open = new Map<string, { size: number; got: number }>();
const close = (conditionId: string): void => {
  const o = open.get(conditionId);
  if (!o) return;
  open.delete(conditionId);
  totals.bought += o.got;
  if (o.got === 0) totals.killed += 1;
  else if (o.got < o.size - 0.01) totals.fewer += 1;
  else if (o.got > o.size + 0.01) totals.more += 1;
};
const r = await runBacktest({
  scenario,
  seed,
  markets,
  interval: '15m',
  strategy: 'spec',
  cfg: loadConfig({ flags: { risk: { dailyLossLimitUsdc: 1e9 } } }),
  logger: silentLogger(),
  record: (e) => {
    if (e.kind === 'taker') {
      close(e.intent.conditionId);
      totals.orders += 1;
      totals.wanted += e.intent.size;
      totals.spend += e.intent.amountUsdc;
      open.set(e.intent.conditionId, { size: e.intent.size, got: 0 });
    } else if (e.kind === 'fill' && e.fill.role === 'TAKER' && !e.reversal) {
      const o = open.get(e.fill.conditionId);
      if (o) o.got += e.fill.size;
      totals.paid += e.fill.size * e.fill.price;
    }
  },
});
for (const c of [...open.keys()]) close(c);
const round2 = (x: number): number => Math.round(x * 100) / 100;
console.log(
  JSON.stringify({
    takers: {
      scenario,
      seed,
      markets,
      ...Object.fromEntries(Object.entries(totals).map(([k, v]) => [k, round2(v)])),
      pnl_usdc: r.report.pnl_usdc,
      max_unpaired_shares: r.report.max_unpaired_shares,
    },
  }),
);
