// `polymm stress` streamed over a log: every input stepped once per pass, gzipped segments read,
// latency from the injected clock, and when paced (--speed) the backlog counted when the step is
// slower than the log. Time here is a fake clock: no wall-clock luck.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { InputEvent } from '../../src/domain/index.js';
import { LatencyHistogram } from '../../src/replay/latency.js';
import { memoryOf, stressLog } from '../../src/replay/stress.js';
import { binance, chainlink, clockEv, healthyOpening, START } from '../support/events.js';

const header = {
  kind: 'header',
  version: 1,
  tsMs: START - 5_000,
  config: { alpha: { minVolSamples: 0 } },
  requiredFeeds: ['market', 'user'],
};
const inputs: InputEvent[] = [...healthyOpening()];
for (let t = START + 1_100; t < START + 11_100; t += 100)
  inputs.push(t % 250 === 0 ? clockEv(t) : chainlink(t, 100_000 + (t % 7)), binance(t, 100_000));
const lines = [
  JSON.stringify(header),
  ...inputs.map((e) => JSON.stringify(e)),
  'not json',
  JSON.stringify({ kind: 'alpha', tsMs: START }),
];

function fakeClock(perCallMs: number) {
  let t = 0;
  return { now: () => (t += perCallMs), sleep: async (ms: number) => void (t += ms), rss: () => 100 * 2 ** 20 };
}

describe('polymm stress, streamed', () => {
  const dir = mkdtempSync(join(tmpdir(), 'polymm-stress-'));
  const plain = join(dir, 'events-run.jsonl');
  writeFileSync(plain, lines.slice(0, 60).join('\n') + '\n');
  // The rest as a gzipped second segment (rotation), starting with its header as the bot writes it.
  writeFileSync(
    join(dir, 'events-run.1.jsonl.gz'),
    gzipSync([JSON.stringify({ ...header, segment: 1 }), ...lines.slice(60)].join('\n') + '\n'),
  );

  it('steps every input of every segment once per pass, and times the step and JSON.parse apart', async () => {
    const r = await stressLog(plain, { repeat: 3, chunkLines: 16, ...fakeClock(0.001) });
    expect(r.inputs).toBe(inputs.length * 3);
    expect(r.lines).toBe((lines.length + 1) * 3);
    expect(r.stepSeconds).toBeGreaterThan(0);
    expect(r.parseSeconds).toBeGreaterThan(0);
    expect(r.queueMax).toBeNull();
    expect(r.rssMb.length).toBeGreaterThan(3);
  });

  it('paced at N× the log: no backlog while the step keeps up, a backlog once it does not', async () => {
    const fast = await stressLog(plain, { repeat: 1, speed: 1, ...fakeClock(0.001) });
    // Only the inputs that share a timestamp wait for one another (five at the opening's first instant).
    expect(fast.queueMax).toBe(4);
    expect(fast.lagP99Ms).toBeLessThan(0.1);
    // Each clock reading costs 40 ms of fake time: the step falls behind inputs 50 ms apart at 10×.
    const slow = await stressLog(plain, { repeat: 1, speed: 10, chunkLines: 1_000, ...fakeClock(40) });
    expect(slow.queueMax).toBeGreaterThan(10);
    expect(slow.lagP99Ms).toBeGreaterThan(100);
  });

  it('latency percentiles within ~2 % in constant memory; memory growth from the quarters', () => {
    const h = new LatencyHistogram();
    for (let i = 1; i <= 10_000; i++) h.add(i);
    expect(h.quantile(0.5)).toBeGreaterThan(4_900);
    expect(h.quantile(0.5)).toBeLessThan(5_200);
    expect(h.quantile(0.99)).toBeGreaterThan(9_800);
    expect(h.quantile(0.99)).toBeLessThanOrEqual(10_000);
    expect(memoryOf([100, 110, 105, 100, 120, 130, 125, 132])).toEqual({
      peak: 132,
      first: 110,
      last: 132,
      growthPct: 20,
    });
  });
});
