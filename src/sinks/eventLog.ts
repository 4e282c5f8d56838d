// The event log: every input and decision as one JSON line, in pipeline order, so that a run can
// be replayed deterministically (`polymm replay`). Secrets never enter events.
import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import { join } from 'node:path';
import type { BotEvent } from '../domain/index.js';

export interface EventLog {
  readonly path: string;
  write(ev: BotEvent): void;
  close(): Promise<void>;
}

export function openEventLog(dir: string, startedMs: number): EventLog {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `events-${new Date(startedMs).toISOString().replace(/[:.]/g, '-')}.jsonl`);
  const out: WriteStream = createWriteStream(path, { flags: 'a' });
  return {
    path,
    write: (ev) => void out.write(JSON.stringify(ev) + '\n'),
    close: () => new Promise<void>((resolve) => out.end(() => resolve())),
  };
}

/** Parse an event log; malformed lines are counted, not fatal. */
export function parseEventLog(text: string): { events: BotEvent[]; bad: number } {
  const events: BotEvent[] = [];
  let bad = 0;
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    try {
      const ev = JSON.parse(line) as BotEvent;
      if (typeof ev === 'object' && ev !== null && typeof ev.kind === 'string' && typeof ev.tsMs === 'number') events.push(ev);
      else bad += 1;
    } catch {
      bad += 1;
    }
  }
  return { events, bad };
}
