// Where a backtest's time goes, by part (issue 11's day target): in one process, one after the
// other on the same machine state,
//   backtest      the backtest as bench/backtest.ts runs it (spec, calm, seed 1), then once more,
//                 untimed, to keep its inputs;
//   venue_core    the venue core alone over the same simulated span, 100 ms steps, events drained
//                 (its participants trade among themselves; the bot's own orders are not there);
//   strategy      the strategy step alone over the inputs the backtest fed it (no RxJS, no parsing);
//   rest          backtest − venue_core − strategy: wire encoding and parsing, the stream operators,
//                 the execution sink, the in-process edges, the virtual clock, garbage collection.
// Each part also as seconds a market and projected to 96 markets.
//   npx tsx bench/dayParts.ts [markets=16]
import { createVenueCore } from '@polymm/venue/in-process';
import type { BotEvent, InputEvent } from '../src/domain/index.js';
import { backtestStartMs, runBacktest } from '../src/backtest/run.js';
import { INTERVAL_MS } from '../src/domain/index.js';
import { inBatchHeap } from '../src/cli/batchHeap.js';
import { loadConfig } from '../src/config/load.js';
import { configOf, isInput } from '../src/replay/replay.js';
import type { EventLogHeader } from '../src/sinks/eventLog.js';
import { silentLogger } from '../src/sinks/logger.js';
import { initialStrategy, stateParams, strategyStep } from '../src/strategy/step.js';

const childExit = await inBatchHeap();
if (childExit !== undefined) process.exit(childExit);

const markets = Number(process.argv[2] ?? 16);
if (!(Number.isInteger(markets) && markets >= 1)) throw new Error('usage: bench/dayParts.ts [markets >= 1]');
const intervalMs = INTERVAL_MS['15m']!;
const cfg = loadConfig({ flags: { risk: { dailyLossLimitUsdc: 1e9 } } });
const inputs: InputEvent[] = [];
let header: EventLogHeader | undefined;

const run = (record?: (line: EventLogHeader | BotEvent) => void) =>
  runBacktest({
    scenario: 'calm',
    seed: 1,
    markets,
    interval: '15m',
    strategy: 'spec',
    cfg,
    logger: silentLogger(),
    ...(record ? { record } : {}),
  });
const t0 = performance.now();
const { report } = await run();
const backtestS = (performance.now() - t0) / 1000;
// Again, untimed, keeping its inputs (held in memory they slow the run they are kept from: ~1.7×).
await run((line) => {
  if (line.kind === 'header') header = line;
  else if (isInput(line)) inputs.push(line);
});

// The venue alone, from the backtest's start (its warm-up) over the same simulated span.
const simMs = report.sim_seconds * 1000;
const startMs = backtestStartMs(intervalMs);
const t1 = performance.now();
const core = createVenueCore({ seed: 1, scenario: 'calm', intervalMs, startMs });
let venueEvents = 0;
for (let t = startMs; t <= startMs + simMs; t += 100) {
  core.advance(t);
  venueEvents += core.drainEvents().length;
}
const venueS = (performance.now() - t1) / 1000;

// The strategy step alone over the very inputs, in their order (the backtest's config).
const backtestCfg = configOf(header);
const params = stateParams(backtestCfg);
const t2 = performance.now();
let state = initialStrategy(header?.requiredFeeds);
for (const ev of inputs) state = strategyStep(state, ev, backtestCfg, params).state;
const strategyS = (performance.now() - t2) / 1000;

const r1 = (x: number): number => Math.round(x * 10) / 10;
const part = (s: number): { s: number; per_market_s: number; day_s: number; share: number } => ({
  s: r1(s),
  per_market_s: Math.round((s / markets) * 1000) / 1000,
  day_s: r1((s / markets) * 96),
  share: Math.round((s / backtestS) * 1000) / 1000,
});
console.log(
  JSON.stringify({
    bench: 'dayParts',
    markets,
    events: report.events,
    inputs: inputs.length,
    venue_events: venueEvents,
    backtest: part(backtestS),
    venue_core: part(venueS),
    strategy: part(strategyS),
    rest: part(backtestS - venueS - strategyS),
  }),
);
