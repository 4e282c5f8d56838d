// Strategy step time by input kind over an event log (profiling aid for issue 18): loads the log's
// inputs in memory once, then steps them `repeat` times and prints µs per input for each kind.
//   npx tsx bench/stepKinds.ts <log.jsonl> [repeat=3]
import { readFileSync } from 'node:fs';
import type { BotEvent, InputEvent } from '../src/domain/index.js';
import { configOf, isInput } from '../src/replay/replay.js';
import type { EventLogHeader } from '../src/sinks/eventLog.js';
import { initialStrategy, stateParams, strategyStep } from '../src/strategy/step.js';

const path = process.argv[2]!;
const repeat = Number(process.argv[3] ?? 3);
const all = readFileSync(path, 'utf8')
  .split('\n')
  .filter((l) => l.trim() !== '')
  .map((l) => JSON.parse(l) as BotEvent | EventLogHeader);
const header = all.find((e): e is EventLogHeader => e.kind === 'header');
const inputs = all.filter((e): e is InputEvent => e.kind !== 'header' && isInput(e));
const cfg = configOf(header);
const params = stateParams(cfg);
const ms = new Map<string, { n: number; ms: number }>();
let total = 0;
for (let k = 0; k < repeat; k++) {
  let state = initialStrategy(header?.requiredFeeds);
  for (const ev of inputs) {
    const t0 = performance.now();
    state = strategyStep(state, ev, cfg, params).state;
    const dt = performance.now() - t0;
    total += dt;
    const r = ms.get(ev.kind) ?? { n: 0, ms: 0 };
    ms.set(ev.kind, { n: r.n + 1, ms: r.ms + dt });
  }
}
const t0 = performance.now();
for (const l of readFileSync(path, 'utf8').split('\n')) if (l) JSON.parse(l);
const parseUs = ((performance.now() - t0) * 1000) / all.length;
console.log(
  `inputs ${inputs.length}, step ${((total * 1000) / inputs.length / repeat).toFixed(2)} µs/input, parse ${parseUs.toFixed(2)} µs/line`,
);
for (const [kind, r] of [...ms].sort((a, b) => b[1].ms - a[1].ms))
  console.log(
    `${kind.padEnd(14)} n=${String(r.n / repeat).padStart(7)} ${((r.ms * 1000) / r.n).toFixed(2).padStart(8)} µs  ${((r.ms / total) * 100).toFixed(1)} %`,
  );
