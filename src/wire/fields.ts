// Field readers for wire messages: numbers arrive as strings; anything unusable throws a
// ParseError whose message becomes the skip reason.
import { isTickSize } from '../domain/market.js';

export class ParseError extends Error {
  override readonly name = 'ParseError';
}

export type Obj = Record<string, unknown>;

export const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

export function str(o: Obj, key: string): string {
  const v = o[key];
  if (typeof v === 'string' && v.length > 0) return v;
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  throw new ParseError(`missing ${key}`);
}

export function optStr(o: Obj, key: string): string | undefined {
  const v = o[key];
  return typeof v === 'string' && v.length > 0 ? v : typeof v === 'number' ? String(v) : undefined;
}

export function num(o: Obj, key: string): number {
  const v = o[key];
  // Number('') and Number(' ') are 0, not a number read: a zero is checked for blank text.
  let n = typeof v === 'number' ? v : typeof v === 'string' ? Number(v) : NaN;
  if (n === 0 && typeof v === 'string' && v.trim() === '') n = NaN;
  if (!Number.isFinite(n)) throw new ParseError(`${key} is not a number: ${JSON.stringify(v)?.slice(0, 40)}`);
  return n;
}

/** An outcome-token price: a probability in [0, 1]. */
export function price(o: Obj, key: string): number {
  const n = num(o, key);
  if (n < 0 || n > 1) throw new ParseError(`${key} out of [0, 1]: ${n}`);
  return n;
}

export function optPrice(o: Obj, key: string): number | undefined {
  return o[key] === undefined || o[key] === null || o[key] === '' ? undefined : price(o, key);
}

/** A share quantity: finite and not negative. */
export function size(o: Obj, key: string): number {
  const n = num(o, key);
  if (n < 0) throw new ParseError(`${key} is negative: ${n}`);
  return n;
}

/** A tick size: one of the CLOB's (0.1, 0.01, 0.001, 0.0001). */
export function tick(o: Obj, key: string): number {
  const n = num(o, key);
  if (!isTickSize(n)) throw new ParseError(`${key} is not a CLOB tick size: ${n}`);
  return n;
}

export function optNum(o: Obj, key: string): number | undefined {
  return o[key] === undefined || o[key] === null || o[key] === '' ? undefined : num(o, key);
}

/** Polymarket timestamps: ms as string or number, sometimes seconds, sometimes ISO. */
export function timeMs(o: Obj, key: string): number | undefined {
  const v = o[key];
  if (v === undefined || v === null || v === '') return undefined;
  if (typeof v === 'string' && /[TZ:-]/.test(v) && !/^\d+$/.test(v)) {
    const t = Date.parse(v);
    if (!Number.isFinite(t)) throw new ParseError(`${key} is not a time: ${v.slice(0, 40)}`);
    return t;
  }
  const n = num(o, key);
  if (n < 0) throw new ParseError(`${key} is negative: ${n}`);
  const ms = n < 1e12 ? n * 1000 : n;
  if (!Number.isFinite(ms)) throw new ParseError(`${key} is not a time: ${n}`);
  return ms;
}

export function side(o: Obj, key = 'side'): 'BUY' | 'SELL' {
  const v = String(o[key] ?? '').toUpperCase();
  if (v === 'BUY' || v === 'SELL') return v;
  throw new ParseError(`bad ${key}: ${JSON.stringify(o[key])?.slice(0, 20)}`);
}

/**
 * A frame an in-process transport hands over as the value the venue would have encoded (the
 * backtest: no JSON text between the simulated venue and the parsers). Parsers read it as they read
 * the text; `String(frame)` is that text, for skip excerpts.
 */
export class DecodedFrame {
  constructor(readonly value: unknown) {}
  toString(): string {
    return JSON.stringify(this.value) ?? String(this.value);
  }
}

/** One WebSocket frame: its text, or its value already decoded. */
export type Frame = string | DecodedFrame;

/** Parse JSON text (a decoded frame is its value); ParseError on malformed input. */
export function json(text: Frame): unknown {
  if (typeof text !== 'string') return text.value;
  try {
    return JSON.parse(text);
  } catch {
    throw new ParseError('malformed JSON');
  }
}

export const truncate = (frame: Frame, n = 200): string => {
  const raw = String(frame);
  return raw.length > n ? `${raw.slice(0, n)}…` : raw;
};

/** A bounded excerpt of a parsed value for a skip record; a value too deep to print says so. */
export function excerpt(v: unknown): string {
  try {
    return truncate(JSON.stringify(v) ?? String(v));
  } catch {
    return '(value too deep to print)';
  }
}
