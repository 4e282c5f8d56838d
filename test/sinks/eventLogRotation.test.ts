// Event-log rotation: by size and by UTC day, closed segments gzipped, old segments deleted after
// the retention; replay reads the whole run from any segment, compressed or not, and stays
// deterministic across segment boundaries.
import { describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readdirSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BotEvent, InputEvent } from '../../src/domain/index.js';
import { openEventLog, parseEventLog, type EventLogHeader } from '../../src/sinks/eventLog.js';
import { readRunText, runSegments } from '../../src/sinks/eventLogFiles.js';
import { redactConfig } from '../../src/config/load.js';
import { replay } from '../../src/replay/replay.js';
import { initialStrategy, strategyStep } from '../../src/strategy/step.js';
import { binance, bookEv, chainlink, clockEv, healthyOpening, START, testConfig } from '../support/events.js';

const tmp = (): string => mkdtempSync(join(tmpdir(), 'polymm-rot-'));
const header = (tsMs: number): EventLogHeader => ({
  kind: 'header',
  version: 1,
  tsMs,
  config: redactConfig(testConfig()),
  requiredFeeds: ['market'],
});

describe('event log rotation', () => {
  it('rotates by size, gzips closed segments, and reads back the whole run from any segment', async () => {
    const dir = tmp();
    const log = openEventLog(dir, header(START), { rotateBytes: 4_000, compress: true });
    const events: BotEvent[] = Array.from({ length: 300 }, (_, i) => clockEv(START + i * 250));
    for (const ev of events) log.write(ev);
    await log.close();
    const segments = runSegments(log.path);
    expect(segments.length).toBeGreaterThan(3);
    expect(segments.slice(0, -1).every((s) => s.gzip)).toBe(true);
    expect(segments.at(-1)!.gzip).toBe(false);
    expect(readdirSync(dir).filter((f) => f.endsWith('.jsonl'))).toHaveLength(1); // the plain copies are gone
    for (const from of [log.path + '.gz', segments[2]!.path, segments.at(-1)!.path]) {
      const parsed = parseEventLog(readRunText(from));
      expect(parsed.header?.tsMs).toBe(START);
      expect(parsed.bad).toBe(0);
      expect(parsed.events).toEqual(events);
    }
  });

  it('rotates at the UTC day boundary of the events', async () => {
    const dir = tmp();
    const midnight = Math.ceil(START / 86_400_000) * 86_400_000;
    const log = openEventLog(dir, header(midnight - 2_000), { compress: false });
    for (const t of [midnight - 1_000, midnight - 1, midnight, midnight + 1_000]) log.write(clockEv(t));
    await log.close();
    const segments = runSegments(log.path);
    expect(segments.map((s) => s.seq)).toEqual([0, 1]);
    expect(parseEventLog(readRunText(segments[1]!.path)).events.map((e) => e.tsMs)).toEqual([
      midnight - 1_000,
      midnight - 1,
      midnight,
      midnight + 1_000,
    ]);
  });

  it('deletes segments older than the retention, and nothing else', async () => {
    const dir = tmp();
    const old = join(dir, 'events-2026-01-01T00-00-00-000Z.3.jsonl.gz');
    const other = join(dir, 'notes.txt');
    writeFileSync(old, 'x');
    writeFileSync(other, 'keep me');
    const monthAgo = (Date.now() - 30 * 86_400_000) / 1000;
    utimesSync(old, monthAgo, monthAgo);
    utimesSync(other, monthAgo, monthAgo);
    const log = openEventLog(dir, header(Date.now()), { retentionDays: 7 });
    await log.close();
    expect(existsSync(old)).toBe(false);
    expect(existsSync(other)).toBe(true);
    expect(existsSync(log.path)).toBe(true);
  });

  it('a run replays deterministically across rotated, compressed segments', async () => {
    const cfg = testConfig();
    const dir = tmp();
    const log = openEventLog(
      dir,
      { ...header(START - 2_000), config: redactConfig(cfg) },
      { rotateBytes: 3_000, compress: true },
    );
    const inputs: InputEvent[] = [...healthyOpening()];
    for (let i = 1; i <= 120; i++) {
      const t = START + i * 500;
      inputs.push(chainlink(t, 100_000 + 30 * Math.sin(i / 7)), binance(t, 100_000 + 30 * Math.sin(i / 7)), clockEv(t));
      if (i % 10 === 0) inputs.push(bookEv('UP', t, 0.45, 0.55), bookEv('DOWN', t, 0.45, 0.55));
    }
    let s = initialStrategy(['market']);
    let decisions = 0;
    for (const ev of inputs) {
      log.write(ev);
      const r = strategyStep(s, ev, cfg);
      s = r.state;
      for (const out of r.out) log.write(out);
      decisions += r.out.length;
    }
    await log.close();
    expect(runSegments(log.path).length).toBeGreaterThan(5);
    const parsed = parseEventLog(readRunText(log.path + '.gz'));
    const result = replay(parsed.events, parsed.header);
    expect(decisions).toBeGreaterThan(20);
    expect(result).toMatchObject({
      inputs: inputs.length,
      decisions_logged: decisions,
      decisions_replayed: decisions,
      mismatches: 0,
    });
  });
});
