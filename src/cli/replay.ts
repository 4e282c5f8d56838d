// `polymm replay <log>` and `polymm stress <log>`: one JSON line each on stdout.
import { parseEventLog } from '../sinks/eventLog.js';
import { readRunText } from '../sinks/eventLogFiles.js';
import { replay, stress } from '../replay/replay.js';

function load(path: string) {
  // Any segment of a run reads the whole run: rotated and gzipped segments included.
  const text = readRunText(path);
  return { text, ...parseEventLog(text) };
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
  const lines = text.split('\n').filter(Boolean);
  const r = stress(events, header, repeat, () => performance.now());
  const t0 = performance.now();
  for (let k = 0; k < repeat; k++) for (const l of lines) JSON.parse(l);
  const parseS = (performance.now() - t0) / 1000;
  const inputsPerS = r.inputs / r.seconds;
  const parsePerS = (lines.length * repeat) / parseS;
  process.stdout.write(JSON.stringify({ stress: { inputs: r.inputs, repeat, inputs_per_s: Math.round(inputsPerS), json_parse_lines_per_s: Math.round(parsePerS), ratio: Number((inputsPerS / parsePerS).toFixed(4)) } }) + '\n');
  return 0;
}
