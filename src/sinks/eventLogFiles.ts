// Event-log segments on disk. A run writes `events-<start>.jsonl`, then on rotation (size or UTC
// day) `events-<start>.1.jsonl`, `.2`, …; closed segments are gzipped (`….jsonl.gz`). Readers
// take any segment of a run and read the whole run, in order, compressed or not.
import { existsSync, readdirSync, readFileSync, statSync, unlinkSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { gunzipSync } from 'node:zlib';

const SEGMENT = /^(events-.+?)(?:\.(\d+))?\.jsonl(\.gz)?$/;

export const segmentName = (run: string, seq: number): string => `${run}${seq === 0 ? '' : `.${seq}`}.jsonl`;

export interface Segment {
  readonly path: string;
  readonly run: string;
  readonly seq: number;
  readonly gzip: boolean;
}

export function parseSegment(path: string): Segment | undefined {
  const m = SEGMENT.exec(basename(path));
  return m ? { path, run: m[1]!, seq: Number(m[2] ?? 0), gzip: m[3] !== undefined } : undefined;
}

/** Every segment of the run `path` belongs to, in order (a plain and a gzipped copy: the plain one). */
export function runSegments(path: string): Segment[] {
  const own = parseSegment(path);
  if (!own) return [{ path, run: basename(path), seq: 0, gzip: path.endsWith('.gz') }];
  const dir = dirname(path);
  const bySeq = new Map<number, Segment>();
  for (const name of readdirSync(dir)) {
    const s = parseSegment(join(dir, name));
    if (!s || s.run !== own.run) continue;
    const had = bySeq.get(s.seq);
    if (!had || (had.gzip && !s.gzip)) bySeq.set(s.seq, s);
  }
  return [...bySeq.values()].sort((a, b) => a.seq - b.seq);
}

/** The text of a whole run, segments concatenated; a missing or unreadable segment is an error naming it. */
export function readRunText(path: string): string {
  if (!existsSync(path)) throw Object.assign(new Error(`${path}: no such file`), { code: 'ENOENT' });
  return runSegments(path)
    .map((s) => {
      const bytes = readFileSync(s.path);
      try {
        const text = s.gzip ? gunzipSync(bytes).toString('utf8') : bytes.toString('utf8');
        return text.endsWith('\n') || text === '' ? text : text + '\n';
      } catch (err) {
        throw new Error(`${s.path}: not a valid gzip file (${(err as Error).message})`, { cause: err });
      }
    })
    .join('');
}

/** Delete segments (of any run) last written more than `retentionDays` ago; returns what was deleted. */
export function applyRetention(
  dir: string,
  retentionDays: number,
  nowMs: number,
  keep: ReadonlySet<string> = new Set(),
): string[] {
  if (retentionDays <= 0 || !existsSync(dir)) return [];
  const deleted: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (!parseSegment(path) || keep.has(path)) continue;
    try {
      if (nowMs - statSync(path).mtimeMs > retentionDays * 86_400_000) {
        unlinkSync(path);
        deleted.push(path);
      }
    } catch {
      // gone meanwhile (another process's retention): nothing to do
    }
  }
  return deleted;
}
