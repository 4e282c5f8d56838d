// Reference price frames: RTDS (crypto_prices, crypto_prices_chainlink) and PolyBolt (price.crypto).
import type { PriceSource, PriceTick } from '../../domain/index.js';
import { isObj, json, num, ParseError, str, timeMs, truncate } from './fields.js';
import type { Parsed } from './market.js';

const RTDS_TOPICS: Readonly<Record<string, PriceSource>> = { crypto_prices: 'binance', crypto_prices_chainlink: 'chainlink' };

/** RTDS: `update` frames give one tick; the `subscribe` frame carries a short history. */
export function parseRtdsFrame(text: string): Parsed<PriceTick>[] {
  if (text === 'PONG' || text === 'pong' || text.trim() === '') return [];
  try {
    const o = json(text);
    if (!isObj(o)) throw new ParseError('not an object');
    const source = RTDS_TOPICS[String(o.topic)];
    if (!source) throw new ParseError(`unknown topic ${JSON.stringify(o.topic)}`);
    const payload = o.payload;
    if (!isObj(payload)) throw new ParseError('missing payload');
    const symbol = str(payload, 'symbol').toLowerCase();
    if (o.type === 'subscribe' && Array.isArray(payload.data)) {
      return payload.data.map((d): Parsed<PriceTick> =>
        isObj(d) ? { ok: true, msg: { source, symbol, price: num(d, 'value'), tsMs: timeMs(d, 'timestamp') ?? 0 } } : { ok: false, reason: 'bad history point', raw: truncate(JSON.stringify(d)) },
      );
    }
    if (o.type !== 'update') throw new ParseError(`unknown message type ${JSON.stringify(o.type)}`);
    const tsMs = timeMs(payload, 'timestamp') ?? timeMs(o, 'timestamp');
    if (tsMs === undefined) throw new ParseError('missing timestamp');
    return [{ ok: true, msg: { source, symbol, price: num(payload, 'value'), tsMs } }];
  } catch (e) {
    return [{ ok: false, reason: e instanceof ParseError ? e.message : String(e), raw: truncate(text) }];
  }
}

export interface PolyboltFrame {
  readonly channel: string;
  readonly seq: number;
  readonly dropped: number;
  readonly snapshot: boolean;
  readonly tick?: PriceTick;
  readonly control?: string;
}

/** PolyBolt frames `{v, channel, seq, ts, snapshot?, dropped?, payload}` and control ops. */
export function parsePolyboltFrame(text: string): Parsed<PolyboltFrame> {
  try {
    const o = json(text);
    if (!isObj(o)) throw new ParseError('not an object');
    if (typeof o.op === 'string') return { ok: true, msg: { channel: '', seq: 0, dropped: 0, snapshot: false, control: o.op } };
    const channel = str(o, 'channel');
    const payload = o.payload;
    if (!isObj(payload)) throw new ParseError('missing payload');
    const source: PriceSource = channel === 'price.crypto.twap' ? 'pyth-twap' : channel === 'price.crypto' ? 'pyth' : (() => { throw new ParseError(`unknown channel ${channel}`); })();
    const price = payload.price !== undefined ? num(payload, 'price') : num(payload, 'value');
    const tsMs = timeMs(payload, 'timestamp') ?? timeMs(o, 'ts');
    if (tsMs === undefined) throw new ParseError('missing timestamp');
    return {
      ok: true,
      msg: { channel, seq: num(o, 'seq'), dropped: typeof o.dropped === 'number' ? o.dropped : 0, snapshot: o.snapshot === true, tick: { source, symbol: str(payload, 'symbol').toLowerCase(), price, tsMs } },
    };
  } catch (e) {
    return { ok: false, reason: e instanceof ParseError ? e.message : String(e), raw: truncate(text) };
  }
}
