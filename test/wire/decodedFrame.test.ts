// A frame handed over decoded (the backtest's in-process sockets) parses exactly as its JSON text:
// every fixture, through every frame parser, gives the same messages and the same skip reasons.
import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DecodedFrame, type Frame } from '../../src/wire/fields.js';
import { parseMarketFrame } from '../../src/wire/market.js';
import { parsePolyboltFrame, parseRtdsFrame } from '../../src/wire/prices.js';
import { parseUserFrame } from '../../src/wire/user.js';

const FIX = resolve(import.meta.dirname, '../fixtures');
const NOW = 1_700_000_000_000;
const files = readdirSync(FIX, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.json'));
const jsonLines = readFileSync(resolve(FIX, 'event-log-sample.jsonl'), 'utf8')
  .split('\n')
  .filter((l) => l.trim() !== '');

// No PolyBolt capture among the fixtures: frames as protocol.md gives them (data, a snapshot, control, an unknown channel).
const polybolt = [
  '{"v":1,"channel":"price.crypto","seq":7,"ts":1780730269100,"payload":{"symbol":"btcusd","price":100.5,"timestamp":1780730269000}}',
  '{"v":1,"channel":"price.crypto.twap","seq":8,"ts":1780730269100,"snapshot":true,"payload":{"symbol":"btcusd","price":100.25,"timestamp":1780730269000,"window_seconds":60}}',
  '{"op":"authed","rid":"1"}',
  '{"v":1,"channel":"price.equity","seq":1,"payload":{}}',
];

/** A parse result without its raw excerpt (the text's own spacing differs from a re-encoding). */
const withoutRaw = (r: unknown): unknown => {
  const { raw: _raw, ...rest } = r as { raw?: string };
  return rest;
};
const parsers: ReadonlyArray<[string, (f: Frame) => unknown[]]> = [
  ['market', (f) => parseMarketFrame(f, NOW).map(withoutRaw)],
  ['user', (f) => parseUserFrame(f, NOW).map(withoutRaw)],
  ['rtds', (f) => parseRtdsFrame(f).map(withoutRaw)],
  ['polybolt', (f) => [withoutRaw(parsePolyboltFrame(f))]],
];

describe('decoded frames', () => {
  it('has fixtures to read', () => expect(files.length).toBeGreaterThan(50));

  it.each(parsers)('the %s parser reads every fixture decoded as it reads its text', (_name, parse) => {
    let messages = 0;
    for (const text of [...files.map((f) => readFileSync(resolve(FIX, f), 'utf8')), ...jsonLines, ...polybolt]) {
      const fromText = parse(text);
      expect(parse(new DecodedFrame(JSON.parse(text)))).toStrictEqual(fromText);
      messages += fromText.filter((r) => (r as { ok: boolean }).ok).length;
    }
    // Each parser recognises some fixtures: the comparison is not between two lists of skips.
    expect(messages).toBeGreaterThan(0);
  });

  it('its text is the JSON of its value (skip excerpts)', () => {
    const frame = new DecodedFrame({ event_type: 'nope', n: 1 });
    expect(String(frame)).toBe('{"event_type":"nope","n":1}');
    expect(parseMarketFrame(frame, NOW)).toEqual([
      { ok: false, reason: 'unknown event_type "nope"', raw: '{"event_type":"nope","n":1}' },
    ]);
  });
});
