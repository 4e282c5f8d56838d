// `polymm replay <log>` and `polymm stress <log>`: one JSON line each on stdout. A file that is not
// an event log (empty, binary, no header) is a clear error (exit 2), never a vacuous "deterministic".
import { parseEventLog } from '../sinks/eventLog.js';
import { readRunText } from '../sinks/eventLogFiles.js';
import { replay, stress } from '../replay/replay.js';

export class LogInputError extends Error {
  override readonly name = 'LogInputError';
}

/** A bounded excerpt of untrusted text, safe for a terminal: quoted, control and non-ASCII escaped. */
export function excerpt(text: string, max = 60): string {
  const head = text.slice(0, max);
  const escaped = head.replace(/[\\"]/g, (c) => `\\${c}`).replace(/[^\x20-\x7e]/g, (c) => {
    const code = c.charCodeAt(0);
    return code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
  return `"${escaped}"${text.length > max ? '…' : ''}`;
}

function load(path: string) {
  // Any segment of a run reads the whole run: rotated and gzipped segments included.
  let text: string;
  try {
    text = readRunText(path);
  } catch (err) {
    throw new LogInputError(`event log ${path}: cannot read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  if (!text.trim()) throw new LogInputError(`event log ${path}: empty`);
  const parsed = parseEventLog(text);
  if (!parsed.header) {
    const first = text.split('\n').find((l) => l.trim()) ?? '';
    throw new LogInputError(
      `event log ${path}: no header line, so not a log written by \`polymm start\` (${parsed.events.length} events, ${parsed.bad} unreadable lines; it starts with ${excerpt(first)})`,
    );
  }
  return { text, ...parsed, header: parsed.header };
}

/** Prints {"replay":{...}}; exit code 1 when the replay differs from the log. */
export function runReplayCommand(path: string): number {
  const { header, events, bad } = load(path);
  const result = replay(events, header);
  process.stdout.write(JSON.stringify({ replay: { ...result, bad_lines: bad, deterministic: result.mismatches === 0 } }) + '\n');
  return result.mismatches === 0 ? 0 : 1;
}

/** Prints {"stress":{...}}: strategy inputs per second, against JSON.parse of the same log. */
export function runStressCommand(path: string, repeat: number): number {
  const { text, header, events } = load(path);
  // The JSON.parse baseline runs over the readable lines only (the strategy only sees those).
  const lines = text.split('\n').filter((l) => {
    try {
      return l.trim() !== '' && (JSON.parse(l), true);
    } catch {
      return false;
    }
  });
  const r = stress(events, header, repeat, () => performance.now());
  const t0 = performance.now();
  for (let k = 0; k < repeat; k++) for (const l of lines) JSON.parse(l);
  const parseS = (performance.now() - t0) / 1000;
  const inputsPerS = r.inputs / r.seconds;
  const parsePerS = (lines.length * repeat) / parseS;
  process.stdout.write(JSON.stringify({ stress: { inputs: r.inputs, repeat, inputs_per_s: Math.round(inputsPerS), json_parse_lines_per_s: Math.round(parsePerS), ratio: Number((inputsPerS / parsePerS).toFixed(4)) } }) + '\n');
  return 0;
}
