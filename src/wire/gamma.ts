// Gamma market JSON -> MarketIdentity. JSON-string fields (clobTokenIds, outcomes, outcomePrices)
// are decoded; tokens are mapped to outcomes by index.
import type { FeeSchedule, MarketIdentity, Outcome } from '../domain/index.js';
import { isObj, num, ParseError, str, tick, type Obj } from './fields.js';
import { parseEventPrices, parseResolution, parseStartMs } from './resolution.js';

const jsonArray = (o: Obj, key: string): string[] => {
  const v = o[key];
  let arr: unknown = v;
  try {
    if (typeof v === 'string') arr = JSON.parse(v);
  } catch {
    throw new ParseError(`${key} is not valid JSON`);
  }
  if (!Array.isArray(arr)) throw new ParseError(`${key} is not a JSON array`);
  return arr.map(String);
};

/** Late-2026 crypto schedule; used when a market says fees are enabled but publishes no schedule. */
export const DEFAULT_CRYPTO_FEES: FeeSchedule = { rate: 0.072, exponent: 1, takerOnly: true, rebateRate: 0.2 };

function feeSchedule(o: Obj): FeeSchedule {
  const fs = o.feeSchedule;
  if (isObj(fs)) {
    return {
      rate: num(fs, 'rate'),
      exponent: num(fs, 'exponent'),
      takerOnly: fs.takerOnly !== false,
      rebateRate: typeof fs.rebateRate === 'number' ? fs.rebateRate : 0,
    };
  }
  if (o.feesEnabled === false) return { rate: 0, exponent: 1, takerOnly: true, rebateRate: 0 };
  return DEFAULT_CRYPTO_FEES;
}

const positive = (o: Obj, key: string): number => {
  const n = num(o, key);
  if (n <= 0) throw new ParseError(`${key} must be positive: ${n}`);
  return n;
};

export function parseGammaMarket(raw: unknown): MarketIdentity {
  if (!isObj(raw)) throw new ParseError('market is not an object');
  let tokens: string[];
  let outcomes: string[];
  try {
    tokens = jsonArray(raw, 'clobTokenIds');
    outcomes = jsonArray(raw, 'outcomes');
  } catch (e) {
    throw e instanceof ParseError ? e : new ParseError('clobTokenIds/outcomes are not valid JSON');
  }
  if (tokens.length !== 2 || outcomes.length !== 2)
    throw new ParseError('not a binary market (need 2 tokens and 2 outcomes)');
  const iUp = outcomes.findIndex((x) => /^(up|yes)$/i.test(x));
  if (iUp < 0) throw new ParseError(`no Up outcome in ${JSON.stringify(outcomes)}`);
  const slug = str(raw, 'slug');
  const startMs = parseStartMs(raw, slug);
  const endMs = Date.parse(str(raw, 'endDate'));
  if (!Number.isFinite(endMs)) throw new ParseError('bad endDate');
  if (endMs <= startMs) throw new ParseError('endDate is not after the start');
  if (tokens[0] === tokens[1]) throw new ParseError('the two clobTokenIds are the same');
  let winner: Outcome | undefined;
  if (raw.closed === true && typeof raw.outcomePrices === 'string') {
    const prices = jsonArray(raw, 'outcomePrices').map(Number);
    if (prices[iUp] === 1) winner = 'up';
    else if (prices[1 - iUp] === 1) winner = 'down';
  }
  return {
    slug,
    conditionId: str(raw, 'conditionId'),
    question: String(raw.question ?? ''),
    tokenUp: tokens[iUp]!,
    tokenDown: tokens[1 - iUp]!,
    startMs,
    endMs,
    tickSize: tick(raw, 'orderPriceMinTickSize'),
    minSize: positive(raw, 'orderMinSize'),
    negRisk: raw.negRisk === true,
    feesEnabled: raw.feesEnabled !== false,
    feeSchedule: feeSchedule(raw),
    acceptingOrders: raw.acceptingOrders === true,
    active: raw.active !== false,
    closed: raw.closed === true,
    resolutionSource: String(raw.resolutionSource ?? ''),
    ...(winner ? { winner } : {}),
    resolution: parseResolution(raw),
    ...parseEventPrices(raw),
  };
}
