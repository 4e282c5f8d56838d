// Reference price frames: RTDS (crypto_prices, crypto_prices_chainlink, crypto_prices_twap_sixty)
// and PolyBolt (price.crypto, price.crypto.twap).
import type { PriceSource, PriceTick } from '../domain/index.js';
import { isObj, json, num, ParseError, str, timeMs, truncate, type Frame, type Obj } from './fields.js';
import type { Parsed } from './market.js';

/** RTDS topics; the TWAP topic carries `payload.window_s`. */
export const RTDS_TWAP_TOPIC = 'crypto_prices_twap_sixty';
const RTDS_TOPICS: Readonly<Record<string, PriceSource>> = {
  crypto_prices: 'binance',
  crypto_prices_chainlink: 'chainlink',
  [RTDS_TWAP_TOPIC]: 'chainlink-twap',
};

/**
 * The source of an RTDS frame from its payload as well as its topic: the real host has been seen
 * labelling a Chainlink history frame `crypto_prices` with symbol `btc/usd`. Chainlink names pairs
 * with a slash (`btc/usd`), Binance without (`btcusdt`); a window marks the TWAP stream.
 */
function rtdsSource(topic: unknown, payload: Obj, symbol: string): PriceSource {
  const byTopic = RTDS_TOPICS[String(topic)];
  if (!byTopic) throw new ParseError(`unknown topic ${JSON.stringify(topic)}`);
  if (payload.window_s !== undefined || byTopic === 'chainlink-twap') return 'chainlink-twap';
  if (symbol.includes('/')) return 'chainlink';
  if (symbol.endsWith('usdt')) return 'binance';
  return byTopic;
}

/**
 * A TWAP price as RTDS sends it: its TWAP frames carry an E18 fixed-point price (Polymarket's RTDS to
 * PolyBolt migration notes), as a JSON number or a digit string; a plain decimal is taken as it is.
 * No BTC price reaches 1e12, so an integer that large is fixed-point.
 */
export function twapPrice(raw: unknown): number {
  if (typeof raw === 'string' && /^\d{13,}$/.test(raw)) {
    const digits = raw.padStart(19, '0');
    return Number(`${digits.slice(0, -18)}.${digits.slice(-18)}`);
  }
  const x = typeof raw === 'number' ? raw : typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : NaN;
  return x >= 1e12 ? x / 1e18 : x;
}

/** The TWAP window a frame names (seconds), if any; nonsense is an error, not a guess. */
function windowOf(payload: Obj, key: string): number | undefined {
  if (payload[key] === undefined) return undefined;
  const w = num(payload, key);
  if (!(w > 0)) throw new ParseError(`bad ${key} ${w}`);
  return w;
}

/** RTDS: `update` frames give one tick; the `subscribe` frame carries a short history. */
export function parseRtdsFrame(text: Frame): Parsed<PriceTick>[] {
  if (text === 'PONG' || text === 'pong' || (typeof text === 'string' && text.trim() === '')) return [];
  try {
    const o = json(text);
    if (!isObj(o)) throw new ParseError('not an object');
    const payload = o.payload;
    if (!isObj(payload)) throw new ParseError('missing payload');
    const symbol = str(payload, 'symbol').toLowerCase();
    const source = rtdsSource(o.topic, payload, symbol);
    const w = windowOf(payload, 'window_s') ?? (source === 'chainlink-twap' ? 60 : undefined);
    const extra = w !== undefined ? { windowS: w } : {};
    if (o.type === 'subscribe' && Array.isArray(payload.data)) {
      return payload.data.map((d): Parsed<PriceTick> => {
        const tsMs = isObj(d) ? timeMs(d, 'timestamp') : undefined;
        const price = !isObj(d) ? NaN : source === 'chainlink-twap' ? twapPrice(d.value) : Number(d.value);
        // A history point without its own time or price is unusable, never "time 0".
        return tsMs !== undefined && Number.isFinite(price)
          ? { ok: true, msg: { source, symbol, price, tsMs, ...extra } }
          : { ok: false, reason: 'bad history point', raw: truncate(JSON.stringify(d)) };
      });
    }
    if (o.type !== 'update') throw new ParseError(`unknown message type ${JSON.stringify(o.type)}`);
    const tsMs = timeMs(payload, 'timestamp') ?? timeMs(o, 'timestamp');
    if (tsMs === undefined) throw new ParseError('missing timestamp');
    const price = source === 'chainlink-twap' ? twapPrice(payload.value) : num(payload, 'value');
    if (!Number.isFinite(price)) throw new ParseError(`value is not a number: ${JSON.stringify(payload.value)}`);
    return [{ ok: true, msg: { source, symbol, price, tsMs, ...extra } }];
  } catch (e) {
    return [{ ok: false, reason: e instanceof ParseError ? e.message : String(e), raw: truncate(text) }];
  }
}

export interface PolyboltFrame {
  readonly channel: string;
  readonly seq: number;
  readonly dropped: number;
  readonly snapshot: boolean;
  /** An update's one tick, or a snapshot's points (the last two minutes; none when quiet). */
  readonly ticks: readonly PriceTick[];
  readonly control?: string;
}

/** A PolyBolt price: the exact decimal `full_accuracy_value` before the float `value` (its docs). */
function polyboltPrice(o: Obj): number {
  const exact = o.full_accuracy_value;
  const x = typeof exact === 'string' && exact.trim() !== '' ? Number(exact) : Number(o.value ?? o.price);
  if (!Number.isFinite(x)) throw new ParseError(`value is not a number: ${JSON.stringify(o.value ?? o.price)}`);
  return x;
}

/** PolyBolt frames `{v, channel, seq, ts, snapshot?, dropped?, payload}` and control ops. */
export function parsePolyboltFrame(text: Frame): Parsed<PolyboltFrame> {
  try {
    const o = json(text);
    if (!isObj(o)) throw new ParseError('not an object');
    // A refused request (auth, subscribe) is a counted skip, not silence that shows later as staleness.
    if (o.op === 'error')
      throw new ParseError(`error: ${JSON.stringify(o.code ?? '')} ${JSON.stringify(o.message ?? '')}`);
    if (typeof o.op === 'string')
      return { ok: true, msg: { channel: '', seq: 0, dropped: 0, snapshot: false, ticks: [], control: o.op } };
    const channel = str(o, 'channel');
    const payload = o.payload;
    if (!isObj(payload)) throw new ParseError('missing payload');
    // price.crypto is Pyth; price.crypto.twap relays Chainlink's TWAP (what TWAP markets settle on).
    const source: PriceSource =
      channel === 'price.crypto.twap'
        ? 'chainlink-twap'
        : channel === 'price.crypto'
          ? 'pyth'
          : (() => {
              throw new ParseError(`unknown channel ${channel}`);
            })();
    const w =
      source === 'chainlink-twap'
        ? (windowOf(payload, 'window_seconds') ?? windowOf(payload, 'window_s') ?? 60)
        : undefined;
    const tickOf = (point: Obj, fallbackTsMs?: number): PriceTick => {
      const tsMs = timeMs(point, 'timestamp') ?? fallbackTsMs;
      if (tsMs === undefined) throw new ParseError('missing timestamp');
      const symbol =
        typeof point.symbol === 'string' ? point.symbol : typeof payload.symbol === 'string' ? payload.symbol : '';
      return {
        source,
        symbol: symbol.toLowerCase(),
        price: polyboltPrice(point),
        tsMs,
        ...(w !== undefined ? { windowS: w } : {}),
      };
    };
    const snapshot = o.snapshot === true;
    // A snapshot carries its points in `data` (empty when the symbol was quiet); an update, one price.
    const ticks = Array.isArray(payload.data)
      ? payload.data.map((d) => {
          if (!isObj(d)) throw new ParseError('bad snapshot point');
          return tickOf(d);
        })
      : [tickOf(payload, timeMs(o, 'ts'))];
    return {
      ok: true,
      msg: { channel, seq: num(o, 'seq'), dropped: typeof o.dropped === 'number' ? o.dropped : 0, snapshot, ticks },
    };
  } catch (e) {
    return { ok: false, reason: e instanceof ParseError ? e.message : String(e), raw: truncate(text) };
  }
}
