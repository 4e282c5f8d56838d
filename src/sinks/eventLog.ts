// The event log: a header line (the effective config, secrets redacted, and the feeds the run
// required), then every input and decision as one JSON line in pipeline order, so that a run can
// be replayed deterministically (`polymm replay`). Secrets never enter events. Rotated by size and
// by UTC day into gzipped segments (eventLogFiles.ts reads them back), old ones deleted.
import { createReadStream, createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import { unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { finished, pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { applyRetention, segmentName } from './eventLogFiles.js';
import type { BotEvent, Feed } from '../domain/index.js';

export interface EventLogHeader {
  readonly kind: 'header';
  readonly version: 1;
  readonly tsMs: number;
  /** The effective configuration, redacted. */
  readonly config: unknown;
  readonly requiredFeeds: readonly Feed[];
  /** On segments after the first (rotation): its number and the time it starts. */
  readonly segment?: number;
  readonly segmentTsMs?: number;
}

export interface EventLog {
  readonly path: string;
  write(ev: BotEvent): void;
  /** Bytes written but not yet flushed (the log's lag behind the pipeline). */
  backlogBytes(): number;
  close(): Promise<void>;
}

export interface EventLogOptions {
  /** Start a new segment once this many bytes were written to the current one (0: never). */
  readonly rotateBytes?: number;
  /** Gzip each closed segment. */
  readonly compress?: boolean;
  /** Delete segments last written more than this many days ago (0: keep all). */
  readonly retentionDays?: number;
  /** Wall clock for retention (event times decide the day rotation). */
  readonly clock?: () => number;
}

const utcDay = (ms: number): number => Math.floor(ms / 86_400_000);

async function gzipFile(path: string): Promise<void> {
  await pipeline(createReadStream(path), createGzip(), createWriteStream(`${path}.gz`));
  await unlink(path);
}

/**
 * Rotation happens between two events, by size or when an event's UTC day is later than the
 * segment's; each segment starts with the header, so it says what it is.
 */
export function openEventLog(dir: string, header: EventLogHeader, opts: EventLogOptions = {}): EventLog {
  mkdirSync(dir, { recursive: true });
  const clock = opts.clock ?? Date.now;
  const run = `events-${new Date(header.tsMs).toISOString().replace(/[:.]/g, '-')}`;
  const first = join(dir, segmentName(run, 0));
  const compressions: Promise<void>[] = [];
  let seq = 0;
  let path = first;
  let day = utcDay(header.tsMs);
  let bytes = 0;
  let out: WriteStream;
  const put = (line: string): void => {
    bytes += Buffer.byteLength(line);
    out.write(line);
  };
  const open = (tsMs: number): void => {
    out = createWriteStream(path, { flags: 'a' });
    bytes = 0;
    put(JSON.stringify(seq === 0 ? header : { ...header, segment: seq, segmentTsMs: tsMs }) + '\n');
    applyRetention(dir, opts.retentionDays ?? 0, clock(), new Set([path]));
  };
  const rotate = (tsMs: number): void => {
    const [closing, closingPath] = [out, path];
    closing.end();
    if (opts.compress) {
      const done = finished(closing).then(() => gzipFile(closingPath));
      compressions.push(done.catch(() => undefined)); // a failed compression leaves the plain segment, which readers take
    }
    seq += 1;
    path = join(dir, segmentName(run, seq));
    day = utcDay(tsMs);
    open(tsMs);
  };
  open(header.tsMs);
  return {
    path: first,
    write: (ev) => {
      const line = JSON.stringify(ev) + '\n';
      const tooBig = (opts.rotateBytes ?? 0) > 0 && bytes + Buffer.byteLength(line) > opts.rotateBytes!;
      if (tooBig || utcDay(ev.tsMs) > day) rotate(ev.tsMs);
      put(line);
    },
    backlogBytes: () => out.writableLength,
    close: async () => {
      await new Promise<void>((resolve) => out.end(() => resolve()));
      await Promise.all(compressions);
    },
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
