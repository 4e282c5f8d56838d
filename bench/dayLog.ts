// A day-long event log for `polymm stress` (issue 18's memory target) without a day-long backtest:
// N copies of a recorded log, each shifted in time by the recorded span (rounded up to a minute) and
// with its own condition, token, order and trade ids, so that every copy is markets of its own.
// Only the first copy's header is kept. Decisions are not re-derived: replay the source log, not this.
//   npx tsx bench/dayLog.ts <source.jsonl> <out.jsonl> [copies=96]
import { createReadStream, createWriteStream } from 'node:fs';
import { createInterface } from 'node:readline';

const [src, out] = [process.argv[2], process.argv[3]];
const copies = Number(process.argv[4] ?? 96);
if (!src || !out || !(Number.isInteger(copies) && copies >= 1 && copies < 4096))
  throw new Error('usage: bench/dayLog.ts <source.jsonl> <out.jsonl> [copies 1..4095]');

const TS = /"(\w*Ms)":(\d{13})\b/g;
const lines = async function* (): AsyncGenerator<string> {
  for await (const l of createInterface({ input: createReadStream(src), crlfDelay: Infinity })) if (l) yield l;
};

let first = Infinity;
let last = -Infinity;
for await (const l of lines())
  for (const m of l.matchAll(/"tsMs":(\d{13})\b/g)) {
    first = Math.min(first, Number(m[1]));
    last = Math.max(last, Number(m[1]));
  }
const spanMs = Math.ceil((last - first + 1) / 60_000) * 60_000;

const w = createWriteStream(out);
const write = (s: string): Promise<void> | undefined =>
  w.write(s) ? undefined : new Promise((r) => w.once('drain', () => r()));
for (let k = 0; k < copies; k++) {
  const shift = k * spanMs;
  const hex = k.toString(16).padStart(3, '0');
  const dec = String(k).padStart(4, '0');
  let buf = '';
  for await (const l of lines()) {
    if (k > 0 && l.startsWith('{"kind":"header"')) continue;
    buf +=
      (k === 0
        ? l
        : l
            .replace(TS, (_, key: string, ms: string) => `"${key}":${Number(ms) + shift}`)
            // 32-byte ids (conditions, orders, trades): the copy in their first hex digits.
            .replace(/"0x[0-9a-f]{3}([0-9a-f]{61})"/g, `"0x${hex}$1"`)
            // Token ids (decimal): the copy in their first digits.
            .replace(/"\d{4}(\d{60,80})"/g, `"${dec}$1"`)
            .replace(/(btc-updown-\w+-)(\d{10})\b/g, (_, p: string, s: string) => p + (Number(s) + shift / 1000))) +
      '\n';
    if (buf.length > 1 << 20) {
      await write(buf);
      buf = '';
    }
  }
  await write(buf);
}
await new Promise<void>((r) => w.end(r));
process.stderr.write(`bench/dayLog: ${copies} copies of ${src}, ${spanMs / 60_000} min apart -> ${out}\n`);
