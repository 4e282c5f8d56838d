// Fuzzing the event-log parser and the state reducer behind replay with corrupted logs: real logged
// lines (a fault-matrix run's, header with its redacted key) mutated (wrong types, NaN strings,
// huge numbers, missing fields), random JSON, truncated lines, deep nesting, arbitrary text. No
// throw; every line is the header, an event or a counted bad line; every input the strategy cannot
// apply is a counted skip; the strategy's time never runs backwards.
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { configOf, isInput, replay } from '../../src/replay/replay.js';
import { parseEventLog } from '../../src/sinks/eventLog.js';
import { initialStrategy, stateParams, strategyStep } from '../../src/strategy/step.js';
import { mutate, nasty } from './arbitraries.js';

// 10,000 runs on a fixed seed (FUZZ_SEED to vary it). With a random seed a full `npm test` once hung here for 38 min
// (2026-11-30): a market with tick size -1 made the completion-cap grid search endless; now an unusable input.
const RUNS = Number(process.env.FUZZ_RUNS ?? 10_000);
const [headerLine, ...eventLines] = readFileSync(
  resolve(import.meta.dirname, '../fixtures/event-log-sample.jsonl'),
  'utf8',
)
  .split('\n')
  .filter((l) => l.trim() !== '') as [string, ...string[]];
const realEvents = eventLines.map((l) => JSON.parse(l) as unknown);

const mutatedEvent = fc
  .tuple(fc.nat({ max: realEvents.length - 1 }), fc.array(fc.nat(), { minLength: 1, maxLength: 5 }), nasty)
  .map(([i, path, value]) => JSON.stringify(mutate(realEvents[i], path, value)) ?? 'null');
const line = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...eventLines) },
  { weight: 6, arbitrary: mutatedEvent },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v) ?? 'null') },
  {
    weight: 1,
    arbitrary: fc.nat({ max: 2_000 }).map((n) => '{"kind":"price","tick":' + '['.repeat(n) + ']'.repeat(n) + '}'),
  },
  {
    weight: 1,
    arbitrary: fc.tuple(fc.constantFrom(...eventLines), fc.nat()).map(([l, n]) => l.slice(0, n % l.length)),
  },
  { weight: 1, arbitrary: fc.string({ maxLength: 80 }).map((s) => s.replace(/\n/g, ' ')) },
);
const log = fc.array(line, { minLength: 1, maxLength: 30 });

describe(`fuzzing the event log and replay (${RUNS} corrupted logs)`, { timeout: 300_000 }, () => {
  const header = parseEventLog(headerLine).header!;
  const cfg = configOf(header);
  const params = stateParams(cfg);

  it('replays the real sample deterministically (its header loads though its key is redacted)', () => {
    const parsed = parseEventLog([headerLine, ...eventLines].join('\n'));
    expect(parsed.bad).toBe(0);
    const r = replay(parsed.events, parsed.header);
    expect(r.unusable_inputs).toBe(0);
    expect(r.inputs).toBeGreaterThan(50);
  });

  it('no throw; every line the header, an event or a counted bad line; unusable inputs counted; time never backwards', () => {
    fc.assert(
      fc.property(log, (lines) => {
        const text = [headerLine, ...lines].join('\n');
        const parsed = parseEventLog(text);
        const nonBlank = lines.filter((l) => l.trim() !== '').length;
        expect(parsed.events.length + parsed.bad).toBe(nonBlank);
        const r = replay(parsed.events, parsed.header);
        const inputs = parsed.events.filter(isInput);
        expect(r.inputs).toBe(inputs.length);
        // The same fold by hand: an input either applies (time never backwards) or throws (counted).
        let s = initialStrategy(header.requiredFeeds);
        let unusable = 0;
        for (const ev of inputs) {
          const before = s.bot.nowMs;
          try {
            s = strategyStep(s, ev, cfg, params).state;
          } catch {
            unusable += 1;
            continue;
          }
          expect(s.bot.nowMs).toBeGreaterThanOrEqual(before);
        }
        expect(r.unusable_inputs).toBe(unusable);
      }),
      // No shrinking: a corrupted log shrinks slowly; the counterexample is printed as found.
      { numRuns: RUNS, endOnFailure: true, seed: Number(process.env.FUZZ_SEED ?? 20261130) },
    );
  });
});
