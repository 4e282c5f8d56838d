// Fuzzing every wire parser with generated input: random JSON, mutated real fixtures, wrong types,
// huge numbers, NaN strings, deep nesting, truncated frames. A parser may refuse anything, but only
// as a counted skip (or, for Gamma, a ParseError): never another exception, and never a message
// whose numbers are unusable.
import fc from 'fast-check';
import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ParseError } from '../../src/wire/fields.js';
import { parseGammaMarket } from '../../src/wire/gamma.js';
import { parseMarketFrame, type MarketMsg, type Parsed } from '../../src/wire/market.js';
import { parsePolyboltFrame, parseRtdsFrame } from '../../src/wire/prices.js';
import { parseUserFrame, type UserMsg } from '../../src/wire/user.js';
import { mutate, nasty } from './arbitraries.js';

const RUNS = 10_000;
const NOW = 1_790_000_000_000;
const FIX = resolve(import.meta.dirname, '../fixtures');

/** Every JSON fixture, parsed, as seeds for mutation. */
const fixtures: unknown[] = [
  'nautilus-test-data',
  'nautilus-resources/ws_messages',
  'nautilus-resources/http_responses',
]
  .flatMap((dir) =>
    readdirSync(resolve(FIX, dir))
      .filter((f) => f.endsWith('.json'))
      .map((f) => resolve(FIX, dir, f)),
  )
  .concat(resolve(FIX, 'gamma-btc-15m-twap.json'))
  .map((p) => JSON.parse(readFileSync(p, 'utf8')) as unknown);

const mutatedFixture = fc
  .tuple(fc.nat({ max: fixtures.length - 1 }), fc.array(fc.nat(), { minLength: 1, maxLength: 6 }), nasty)
  .map(([i, path, value]) => mutate(fixtures[i], path, value));
const deep = fc.nat({ max: 3_000 }).map((n) => '['.repeat(n) + ']'.repeat(n));
const jsonValue = fc.oneof(mutatedFixture, mutatedFixture, fc.jsonValue({ maxDepth: 4 }), nasty);
/** Frames as text: JSON of a value, the same truncated, a deep nest, or arbitrary text. */
const frame = fc.oneof(
  jsonValue.map((v) => JSON.stringify(v) ?? 'undefined'),
  jsonValue.chain((v) => {
    const text = JSON.stringify(v) ?? '';
    return fc.nat({ max: Math.max(0, text.length) }).map((n) => text.slice(0, n));
  }),
  deep,
  fc.string({ maxLength: 200 }),
);

const finite = (n: number | undefined): boolean => n === undefined || Number.isFinite(n);
const isPrice = (p: number | undefined): boolean => p === undefined || (Number.isFinite(p) && p >= 0 && p <= 1);
const isSize = (s: number): boolean => Number.isFinite(s) && s >= 0;

/** A parsed market message is usable: prices in [0, 1], sizes non-negative, tick in (0, 1), a finite time. */
function usableMarketMsg(m: MarketMsg): boolean {
  if (!Number.isFinite(m.tsMs)) return false;
  switch (m.type) {
    case 'book':
      return [...m.bids, ...m.asks].every((l) => isPrice(l.price) && isSize(l.size));
    case 'priceChange':
      return m.changes.every((c) => isPrice(c.price) && isSize(c.size) && isPrice(c.bestBid) && isPrice(c.bestAsk));
    case 'tickSize':
      return m.tickSize > 0 && m.tickSize < 1;
    case 'lastTrade':
      return isPrice(m.price) && isSize(m.size);
    case 'bestBidAsk':
      return isPrice(m.bestBid) && isPrice(m.bestAsk);
    default:
      return true;
  }
}

function usableUserMsg(m: UserMsg): boolean {
  if (!Number.isFinite(m.tsMs) || !isPrice(m.price)) return false;
  if (m.type === 'order')
    return isSize(m.originalSize) && isSize(m.sizeMatched) && m.sizeMatched <= m.originalSize + 1e-9;
  return (
    isSize(m.size) && finite(m.feeRateBps) && m.makers.every((mk) => isPrice(mk.price) && isSize(mk.matchedAmount))
  );
}

/** Skips carry a reason and a bounded excerpt of the input. */
function wellFormedSkip<T>(r: Parsed<T>): boolean {
  return r.ok || (r.reason.length > 0 && r.raw.length <= 201);
}

describe(`fuzzing the parsers (${RUNS} inputs each)`, { timeout: 180_000 }, () => {
  it('market channel: no throw; every object a usable message or a counted skip', () => {
    fc.assert(
      fc.property(frame, (text) => {
        const out = parseMarketFrame(text, NOW);
        for (const r of out) {
          expect(wellFormedSkip(r)).toBe(true);
          if (r.ok) expect(usableMarketMsg(r.msg), JSON.stringify(r.msg)).toBe(true);
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('user channel: no throw; every object a usable message or a counted skip', () => {
    fc.assert(
      fc.property(frame, (text) => {
        for (const r of parseUserFrame(text, NOW)) {
          expect(wellFormedSkip(r)).toBe(true);
          if (r.ok) expect(usableUserMsg(r.msg), JSON.stringify(r.msg)).toBe(true);
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('RTDS and PolyBolt: no throw; a tick has a finite price and time', () => {
    fc.assert(
      fc.property(frame, (text) => {
        for (const r of parseRtdsFrame(text)) {
          expect(wellFormedSkip(r)).toBe(true);
          if (r.ok) expect(Number.isFinite(r.msg.price) && Number.isFinite(r.msg.tsMs)).toBe(true);
        }
        const p = parsePolyboltFrame(text);
        expect(wellFormedSkip(p)).toBe(true);
        for (const t of p.ok ? p.msg.ticks : []) expect(Number.isFinite(t.price) && Number.isFinite(t.tsMs)).toBe(true);
      }),
      { numRuns: RUNS },
    );
  });

  it('Gamma: a market or a ParseError, never another exception; a market has a usable grid and window', () => {
    fc.assert(
      fc.property(jsonValue, (raw) => {
        let m;
        try {
          m = parseGammaMarket(raw);
        } catch (e) {
          expect(e, String(e)).toBeInstanceOf(ParseError);
          return;
        }
        expect(m.tickSize > 0 && m.tickSize < 1, `tick ${m.tickSize}`).toBe(true);
        expect(m.minSize > 0 && Number.isFinite(m.minSize), `min size ${m.minSize}`).toBe(true);
        expect(m.endMs > m.startMs, 'end after start').toBe(true);
        expect(m.tokenUp).not.toBe(m.tokenDown);
      }),
      { numRuns: RUNS },
    );
  });
});
