// How a Gamma market settles, its interval start, and the prices Gamma publishes for it
// (protocol.md §0/§1). A rule the bot cannot establish is a value (`unknown` with a reason), not
// an exception: the market is still tracked, shown and not quoted.
import type { Resolution } from '../domain/index.js';
import { isObj, ParseError, type Obj } from './fields.js';

/** Chainlink's BTC/USD (non-TWAP) data stream: the first-tick rule of older markets. */
const CHAINLINK_SPOT = /^https:\/\/data\.chain\.link\/streams\/[a-z]+-usd\/?$/i;
/** Chainlink's TWAP stream, e.g. …/streams/btc-usd-twap-60s-streams. */
const CHAINLINK_TWAP = /^https:\/\/data\.chain\.link\/streams\/[a-z]+-usd-twap-(\d+)s/i;

export function parseResolution(raw: Obj): Resolution {
  const source = typeof raw.resolutionSource === 'string' ? raw.resolutionSource.trim() : '';
  const cfg = raw.cryptoMarketConfig;
  if (isObj(cfg) && cfg.twapEnabled === true) {
    const lookbackS = Number(cfg.twapLookbackSeconds);
    if (!Number.isInteger(lookbackS) || lookbackS <= 0)
      return {
        rule: 'unknown',
        reason: `cryptoMarketConfig.twapLookbackSeconds is not a positive whole number: ${JSON.stringify(cfg.twapLookbackSeconds)}`,
      };
    const named = CHAINLINK_TWAP.exec(source);
    if (named && Number(named[1]) !== lookbackS)
      return {
        rule: 'unknown',
        reason: `resolutionSource says a ${named[1]} s TWAP, cryptoMarketConfig ${lookbackS} s`,
      };
    return { rule: 'twap', lookbackS };
  }
  if (isObj(cfg) && cfg.twapEnabled !== undefined && cfg.twapEnabled !== false)
    return { rule: 'unknown', reason: `cryptoMarketConfig.twapEnabled is ${JSON.stringify(cfg.twapEnabled)}` };
  const twap = CHAINLINK_TWAP.exec(source);
  if (twap) return { rule: 'twap', lookbackS: Number(twap[1]) };
  if (CHAINLINK_SPOT.test(source)) return { rule: 'firstTick' };
  return {
    rule: 'unknown',
    reason: source
      ? `resolution source ${source.slice(0, 80)} is not one the bot reads (Chainlink data streams only)`
      : 'no resolutionSource',
  };
}

const SLUG_START = /-updown-\d+[mhd]-(\d{9,11})$/;

/**
 * The interval start: `eventStartTime`, else the event's `startTime`, else the unix seconds in
 * the slug. Never `startDate`: that is when the market was created, often a day early.
 */
export function parseStartMs(raw: Obj, slug: string): number {
  const event = Array.isArray(raw.events) && isObj(raw.events[0]) ? raw.events[0] : undefined;
  for (const text of [raw.eventStartTime, event?.startTime]) {
    if (typeof text !== 'string') continue;
    const t = Date.parse(text);
    if (Number.isFinite(t)) return t;
    throw new ParseError(`bad eventStartTime ${JSON.stringify(text).slice(0, 40)}`);
  }
  const m = SLUG_START.exec(slug);
  if (m) return Number(m[1]) * 1000;
  throw new ParseError(
    'no eventStartTime, and the slug does not say the start (startDate is the creation time, not the start)',
  );
}

const price = (v: unknown): number | undefined => {
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
  return Number.isFinite(n) && n > 0 ? n : undefined;
};

/** `eventMetadata.priceToBeat` / `finalPrice` (on the market or its event), once published. */
export function parseEventPrices(raw: Obj): { priceToBeat?: number; finalPrice?: number } {
  const event = Array.isArray(raw.events) && isObj(raw.events[0]) ? raw.events[0] : undefined;
  const meta = isObj(raw.eventMetadata)
    ? raw.eventMetadata
    : isObj(event?.eventMetadata)
      ? event.eventMetadata
      : undefined;
  if (!meta) return {};
  const priceToBeat = price(meta.priceToBeat);
  const finalPrice = price(meta.finalPrice);
  return { ...(priceToBeat !== undefined ? { priceToBeat } : {}), ...(finalPrice !== undefined ? { finalPrice } : {}) };
}
