// Where a backtest's PnL comes from (issue 12): our fills from the venue's own trades, split by maker /
// taker, by phase of the market, by the bot's edge at the fill (q − price) and per market (pair cost).
// Each group's PnL is against the outcome (winning share 1, losing 0), fees apart; `true edge` is the
// token's true fair value at the fill (the venue's fast price, the scenario's volatility, the TWAP
// rule, as the simulated informed traders price it) minus our price: adverse selection the book-mid
// markout cannot show, since the simulated makers lag too.
//   npx tsx bench/qualityDiagnose.ts --scenario calm --seed 1 --markets 4 [--strategy spec] [--<setting> v]
import yargs from 'yargs';
import { runBacktest, type StrategyName } from '../src/backtest/run.js';
import { configFromArgv } from '../src/cli/options.js';
import { silentLogger } from '../src/sinks/logger.js';
import { fairUp } from '@polymm/venue';
import { fairVolAnnual, scenarioParams } from '@polymm/venue';
import { simScenarioOverrides } from '../src/config/schema.js';
import type { VenueCore, VScenario, VTrade } from '@polymm/venue';

const argv = yargs(process.argv.slice(2)).parseSync() as Record<string, unknown>;
const cfg = configFromArgv(argv);
const OWNER = '0x00000000000000000000000000000000000b4c75';
interface Fill {
  cid: string;
  outcome: 'Up' | 'Down';
  price: number;
  size: number;
  taker: boolean;
  phase: number;
  edge: number;
  trueEdge: number;
}
const scenario = (argv.scenario as VScenario | undefined) ?? 'calm';
const vol = fairVolAnnual(scenarioParams(scenario, simScenarioOverrides(cfg.sim)));
const fills: Fill[] = [];
const qUp = new Map<string, number>();
const winners = new Map<string, 'Up' | 'Down'>();
const onTrade = (t: VTrade, core: VenueCore): void => {
  const m = core.marketByCondition(t.conditionId)!;
  const { startMs, endMs } = m;
  const fast = core.lastPrice('binance')?.value;
  const opened = m.endMs - m.twapLookbackS * 1000;
  const soFar = t.matchMs > opened ? core.lastPrice('chainlink-twap')?.value : undefined;
  const fair = fast !== undefined && m.oracleStart !== undefined ? fairUp(m, fast, t.matchMs, vol, soFar) : Number.NaN;
  const phase = Math.min(4, Math.floor(((t.matchMs - startMs) / (endMs - startMs)) * 5));
  const q = qUp.get(t.conditionId) ?? 0.5;
  const push = (outcome: 'Up' | 'Down', price: number, size: number, taker: boolean): void =>
    void fills.push({
      cid: t.conditionId,
      outcome,
      price,
      size,
      taker,
      phase,
      edge: (outcome === 'Up' ? q : 1 - q) - price,
      trueEdge: (outcome === 'Up' ? fair : 1 - fair) - price,
    });
  if (t.takerOwner === OWNER)
    for (const mk of t.makers)
      push(t.outcome, mk.outcome === t.outcome ? mk.price : 1 - mk.price, mk.matchedAmount, true);
  for (const mk of t.makers) if (mk.owner === OWNER) push(mk.outcome, mk.price, mk.matchedAmount, false);
};
const { report } = await runBacktest({
  scenario,
  seed: (argv.seed as number | undefined) ?? 1,
  markets: (argv.markets as number | undefined) ?? 4,
  interval: cfg.sim.interval,
  strategy: (argv.strategy as StrategyName | undefined) ?? 'spec',
  cfg,
  logger: silentLogger(),
  observe: {
    bot: (ev) => void (ev.kind === 'alpha' && qUp.set(ev.conditionId, ev.qUp)),
    venue: (events, core) => {
      for (const ev of events) {
        if (ev.type === 'marketResolved' && ev.market.winner) winners.set(ev.market.conditionId, ev.market.winner);
        if (ev.type !== 'trade' || ev.trade.status !== 'MATCHED') continue;
        if (core.marketByCondition(ev.trade.conditionId)) onTrade(ev.trade, core);
      }
    },
  },
});
const pnlOf = (f: Fill): number => f.size * ((winners.get(f.cid) === f.outcome ? 1 : 0) - f.price);
const group = (name: string, key: (f: Fill) => string): void => {
  const g = new Map<string, { shares: number; pnl: number; n: number }>();
  for (const f of fills) {
    const k = key(f);
    const a = g.get(k) ?? { shares: 0, pnl: 0, n: 0 };
    a.shares += f.size;
    a.pnl += pnlOf(f);
    a.n += 1;
    g.set(k, a);
  }
  console.log(`-- by ${name}`);
  for (const [k, a] of [...g].sort())
    console.log(
      `${k.padEnd(14)} fills ${String(a.n).padStart(5)} shares ${a.shares.toFixed(0).padStart(7)} pnl ${a.pnl.toFixed(2).padStart(9)} per share ${(a.pnl / a.shares).toFixed(4)}`,
    );
};
console.log(JSON.stringify(report));
const trueEdge = (xs: Fill[]): string => {
  const sh = xs.reduce((a, f) => a + f.size, 0);
  return sh ? (xs.reduce((a, f) => a + f.size * f.trueEdge, 0) / sh).toFixed(4) : 'n/a';
};
console.log(
  `-- true edge at the fill (fair − price, per share): maker ${trueEdge(fills.filter((f) => !f.taker))}, taker ${trueEdge(fills.filter((f) => f.taker))}`,
);
group('kind', (f) => (f.taker ? 'taker' : 'maker'));
group('phase (fifths)', (f) => `${f.taker ? 'T' : 'M'} ${f.phase}`);
group('edge q-price', (f) =>
  f.edge < 0 ? 'a <0' : f.edge < 0.02 ? 'b 0-.02' : f.edge < 0.05 ? 'c .02-.05' : f.edge < 0.1 ? 'd .05-.1' : 'e >.1',
);
group('price', (f) => `${Math.floor(f.price * 10) / 10}`);
console.log('-- per market: up@avg down@avg pair-cost winner pnl');
for (const cid of new Set(fills.map((f) => f.cid))) {
  const side = (o: 'Up' | 'Down'): [number, number] => {
    const fs = fills.filter((f) => f.cid === cid && f.outcome === o);
    const sh = fs.reduce((a, f) => a + f.size, 0);
    return [sh, sh ? fs.reduce((a, f) => a + f.size * f.price, 0) / sh : 0];
  };
  const [u, pu] = side('Up');
  const [d, pd] = side('Down');
  const pnl = fills.filter((f) => f.cid === cid).reduce((a, f) => a + pnlOf(f), 0);
  console.log(
    `${cid.slice(0, 10)} up ${u.toFixed(0)}@${pu.toFixed(3)} down ${d.toFixed(0)}@${pd.toFixed(3)} pair ${(pu + pd).toFixed(3)} ${winners.get(cid) ?? '?'} ${pnl.toFixed(2)}`,
  );
}
