// `polymm replay <log>` and `polymm stress <log>`: one JSON line each on stdout. A file that is not
// an event log (empty, binary, no header) is a clear error (exit 2), never a vacuous "deterministic".
import { parseEventLog } from '../sinks/eventLog.js';
import { closeSync, existsSync, openSync, readSync } from 'node:fs';
import { constants as zlibConstants, gunzipSync } from 'node:zlib';
import { readRunText, runSegments } from '../sinks/eventLogFiles.js';
import { replay } from '../replay/replay.js';
import { memoryOf, stressLog } from '../replay/stress.js';

export class LogInputError extends Error {
  override readonly name = 'LogInputError';
}

/** A bounded excerpt of untrusted text, safe for a terminal: quoted, control and non-ASCII escaped. */
export function excerpt(text: string, max = 60): string {
  const head = text.slice(0, max);
  const escaped = head
    .replace(/[\\"]/g, (c) => `\\${c}`)
    .replace(/[^\x20-\x7e]/g, (c) => {
      const code = c.charCodeAt(0);
      return code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
    });
  return `"${escaped}"${text.length > max ? '…' : ''}`;
}

function readFail(path: string, err: unknown): LogInputError {
  return new LogInputError(
    `event log ${path}: cannot read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`,
  );
}

/** The header, or a clear error for text that is not an event log (empty, binary, no header). */
function checkHeader(
  path: string,
  text: string,
): ReturnType<typeof parseEventLog> & { header: NonNullable<ReturnType<typeof parseEventLog>['header']> } {
  if (!text.trim()) throw new LogInputError(`event log ${path}: empty`);
  const parsed = parseEventLog(text);
  if (!parsed.header) {
    const first = text.split('\n').find((l) => l.trim()) ?? '';
    throw new LogInputError(
      `event log ${path}: no header line, so not a log written by \`polymm start\` (${parsed.events.length} events, ${parsed.bad} unreadable lines; it starts with ${excerpt(first)})`,
    );
  }
  return { ...parsed, header: parsed.header };
}

function load(path: string) {
  // Any segment of a run reads the whole run: rotated and gzipped segments included.
  let text: string;
  try {
    text = readRunText(path);
  } catch (err) {
    throw readFail(path, err);
  }
  return { text, ...checkHeader(path, text) };
}

/** The first HEAD_BYTES of a run's text, whole lines only: enough to check its header without reading a day-long log. */
const HEAD_BYTES = 1 << 20;
function readHead(path: string): string {
  try {
    if (!existsSync(path)) throw Object.assign(new Error('no such file'), { code: 'ENOENT' });
    const seg = runSegments(path)[0]!;
    const fd = openSync(seg.path, 'r');
    const buf = Buffer.alloc(HEAD_BYTES);
    const n = readSync(fd, buf, 0, HEAD_BYTES, 0);
    closeSync(fd);
    const bytes = buf.subarray(0, n);
    const text = (seg.gzip ? gunzipSync(bytes, { finishFlush: zlibConstants.Z_SYNC_FLUSH }) : bytes).toString('utf8');
    return n < HEAD_BYTES && !seg.gzip ? text : text.slice(0, text.lastIndexOf('\n') + 1);
  } catch (err) {
    throw readFail(path, err);
  }
}

/** Prints {"replay":{...}}; exit code 1 when the replay differs from the log. */
export function runReplayCommand(path: string): number {
  const { header, events, bad } = load(path);
  const result = replay(events, header);
  process.stdout.write(
    JSON.stringify({ replay: { ...result, bad_lines: bad, deterministic: result.mismatches === 0 } }) + '\n',
  );
  return result.mismatches === 0 ? 0 : 1;
}

/**
 * Prints {"stress":{...}}: strategy inputs per second against JSON.parse of the same lines, decision
 * latency, backlog when paced (`speed`), memory. Bad input throws at once (before any promise).
 */
export function runStressCommand(path: string, repeat: number, speed?: number): Promise<number> {
  checkHeader(path, readHead(path));
  const cpuMs = (): number => {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1000;
  };
  const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
  return stressLog(path, {
    repeat,
    ...(speed !== undefined ? { speed } : {}),
    now: () => performance.now(),
    sleep,
    rss: () => process.memoryUsage.rss(),
    cpuMs,
  }).then((r) => {
    const inputsPerS = r.inputs / r.stepSeconds;
    const parsePerS = r.lines / r.parseSeconds;
    const mem = memoryOf(r.rssMb);
    const round = (x: number, d = 1): number => Math.round(x * 10 ** d) / 10 ** d;
    const stress = {
      inputs: r.inputs,
      repeat,
      inputs_per_s: Math.round(inputsPerS),
      json_parse_lines_per_s: Math.round(parsePerS),
      ratio: Number((inputsPerS / parsePerS).toFixed(4)),
      // The same ratio in CPU time (a loaded machine deschedules either side at random).
      cpu_ratio:
        r.stepCpuSeconds && r.parseCpuSeconds
          ? Number((r.inputs / r.stepCpuSeconds / (r.lines / r.parseCpuSeconds)).toFixed(4))
          : null,
      speed: speed ?? 'max',
      lines: r.lines,
      latency_p50_us: round(r.latencyP50Us),
      latency_p99_us: round(r.latencyP99Us),
      latency_max_us: round(r.latencyMaxUs),
      queue_max: r.queueMax,
      lag_p99_ms: r.lagP99Ms === null ? null : round(r.lagP99Ms),
      peak_rss_mb: round(mem.peak),
      rss_first_quarter_mb: round(mem.first),
      rss_last_quarter_mb: round(mem.last),
      rss_growth_pct: round(mem.growthPct),
    };
    process.stdout.write(JSON.stringify({ stress }) + '\n');
    return 0;
  });
}
