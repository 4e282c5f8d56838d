// The event log: a header line (the effective config, secrets redacted, and the feeds the run
// required), then every input and decision as one JSON line in pipeline order, so that a run can
// be replayed deterministically (`polymm replay`). Secrets never enter events.
import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import { join } from 'node:path';
import type { BotEvent, Feed } from '../domain/index.js';

export interface EventLogHeader {
  readonly kind: 'header';
  readonly version: 1;
  readonly tsMs: number;
  /** The effective configuration, redacted. */
  readonly config: unknown;
  readonly requiredFeeds: readonly Feed[];
}

export interface EventLog {
  readonly path: string;
  write(ev: BotEvent): void;
  /** Bytes written but not yet flushed (the log's lag behind the pipeline). */
  backlogBytes(): number;
  close(): Promise<void>;
}

export function openEventLog(dir: string, header: EventLogHeader): EventLog {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `events-${new Date(header.tsMs).toISOString().replace(/[:.]/g, '-')}.jsonl`);
  const out: WriteStream = createWriteStream(path, { flags: 'a' });
  out.write(JSON.stringify(header) + '\n');
  return {
    path,
    write: (ev) => void out.write(JSON.stringify(ev) + '\n'),
    backlogBytes: () => out.writableLength,
    close: () => new Promise<void>((resolve) => out.end(() => resolve())),
  };
}

/** Parse an event log; malformed lines are counted, not fatal. */
export function parseEventLog(text: string): { header?: EventLogHeader; events: BotEvent[]; bad: number } {
  const events: BotEvent[] = [];
  let header: EventLogHeader | undefined;
  let bad = 0;
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    try {
      const ev = JSON.parse(line) as BotEvent | EventLogHeader;
      if (typeof ev !== 'object' || ev === null || typeof ev.kind !== 'string' || typeof ev.tsMs !== 'number') bad += 1;
      else if (ev.kind === 'header') header ??= ev;
      else events.push(ev);
    } catch {
      bad += 1;
    }
  }
  return { ...(header ? { header } : {}), events, bad };
}
