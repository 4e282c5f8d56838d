// The price to beat and the final price of one market, by its resolution rule (protocol.md §0):
// from the venue's TWAP stream, cross-checked against the bot's own average of Chainlink ticks,
// else that own figure, else Gamma's published `priceToBeat`, else unknown (not quoted).
// Pure: called by the state reducer after every price and market event.
import { resolutionOf, type MarketIdentity, type Outcome } from '../domain/index.js';
import { firstAtOrAfter, twapOf, type PricePoint } from '../quant/index.js';

/** Where a price to beat (or final price) came from. `tick`: the first Chainlink tick at or after the boundary. */
export type PriceSourceOfRecord = 'venueTwap' | 'ownTwap' | 'tick' | 'gamma';

export interface Settlement {
  readonly priceToBeat?: number;
  readonly priceToBeatSource?: PriceSourceOfRecord;
  readonly finalPrice?: number;
  readonly finalSource?: PriceSourceOfRecord;
  /** Up iff final >= price to beat, by the bot's own figures. */
  readonly winner?: Outcome;
  /** Why the bot has no figure of its own at the start (joined late, a feed gap). */
  readonly missed?: string;
  /** Venue TWAP vs own average (or Gamma) beyond tolerance at the start: the market is paused. */
  readonly disagree?: string;
  /** Gamma's price to beat minus ours, once both are known. */
  readonly gammaDiff?: number;
  /** Gamma's final price minus ours, once both are known. */
  readonly gammaFinalDiff?: number;
}

export interface SettlementParams {
  readonly twapTolerance: number;
  readonly boundaryToleranceMs: number;
  readonly maxTickGapMs: number;
}

export interface SettlementInputs {
  /** Chainlink ticks, oldest first (bounded history). */
  readonly ticks: readonly PricePoint[];
  /** The venue's TWAP stream ticks with their window (seconds), oldest first. */
  readonly twapTicks: readonly (PricePoint & { readonly windowS: number })[];
}

type Figure = { value: number; source: PriceSourceOfRecord } | { missed: string } | undefined;

const iso = (ms: number): string => new Date(ms).toISOString().slice(11, 19);

/** The bot's own figure at boundary `b` from its ticks; undefined until a tick at or after `b`. */
function ownFigure(
  ticks: readonly PricePoint[],
  b: number,
  lookbackS: number | undefined,
  p: SettlementParams,
): Figure {
  // The first tick at or after the boundary (ticks are sorted: a binary search).
  const after = firstAtOrAfter(ticks, b);
  if (after === ticks.length) return undefined;
  const fromMs = lookbackS === undefined ? b - 1 : b - lookbackS * 1000;
  // The last tick at or before the window's start (first tick: strictly before the boundary).
  let first = -1;
  for (let i = after - 1; i >= 0; i--)
    if (lookbackS === undefined ? ticks[i]!.tsMs < b : ticks[i]!.tsMs <= fromMs) {
      first = i;
      break;
    }
  if (first < 0) return { missed: `joined after ${iso(b)}: no Chainlink ticks before it` };
  for (let i = first + 1; i <= after; i++) {
    const gap = ticks[i]!.tsMs - ticks[i - 1]!.tsMs;
    if (gap > p.maxTickGapMs)
      return {
        missed: `Chainlink gap of ${gap} ms (${iso(ticks[i - 1]!.tsMs)} to ${iso(ticks[i]!.tsMs)}) across ${iso(b)}`,
      };
  }
  if (lookbackS === undefined) return { value: ticks[after]!.price, source: 'tick' };
  const v = twapOf(ticks, b, lookbackS * 1000);
  return v === undefined ? { missed: 'no Chainlink tick in the averaging window' } : { value: v, source: 'ownTwap' };
}

/** The venue TWAP stream's value at `b`: its tick stamped closest to `b`, within tolerance. */
function venueFigure(
  twapTicks: SettlementInputs['twapTicks'],
  b: number,
  lookbackS: number,
  p: SettlementParams,
): number | undefined {
  let best: (PricePoint & { windowS: number }) | undefined;
  // Only the ticks within tolerance of `b` (sorted by time: from a binary search).
  for (let i = firstAtOrAfter(twapTicks, b - p.boundaryToleranceMs); i < twapTicks.length; i++) {
    const t = twapTicks[i]!;
    if (t.tsMs - b > p.boundaryToleranceMs) break;
    if (t.windowS !== lookbackS) continue;
    if (!best || Math.abs(t.tsMs - b) < Math.abs(best.tsMs - b)) best = t;
  }
  return best?.price;
}

const rel = (a: number, b: number): number => Math.abs(a / b - 1);

interface Boundary {
  readonly value?: number;
  readonly source?: PriceSourceOfRecord;
  readonly missed?: string;
  readonly disagree?: string;
}

/** One boundary's figure from the ticks: venue TWAP (checked against our own average), else our own. */
function figureAt(market: MarketIdentity, b: number, inputs: SettlementInputs, p: SettlementParams): Boundary {
  const rule = resolutionOf(market);
  if (rule.rule === 'unknown') return {};
  const lookbackS = rule.rule === 'twap' ? rule.lookbackS : undefined;
  const own = ownFigure(inputs.ticks, b, lookbackS, p);
  const venue = lookbackS !== undefined ? venueFigure(inputs.twapTicks, b, lookbackS, p) : undefined;
  const ownValue = own && 'value' in own ? own : undefined;
  const missed = own && 'missed' in own ? own.missed : undefined;
  if (venue === undefined)
    return ownValue ? { value: ownValue.value, source: ownValue.source } : missed !== undefined ? { missed } : {};
  const disagree =
    ownValue && rel(venue, ownValue.value) > p.twapTolerance
      ? `venue TWAP ${venue} vs own average ${ownValue.value.toFixed(2)} at ${iso(b)}`
      : undefined;
  return { value: venue, source: 'venueTwap', missed, disagree };
}

/** While the history still reaches back over a boundary's window, its figure is recomputed; then frozen. */
function covers(inputs: SettlementInputs, market: MarketIdentity, b: number): boolean {
  const rule = resolutionOf(market);
  const first = inputs.ticks[0];
  return first !== undefined && first.tsMs <= b - (rule.rule === 'twap' ? rule.lookbackS * 1000 : 1);
}

/**
 * Gamma is the venue's word: it settles a dispute between the venue TWAP and our own average, and
 * where it contradicts our figure, its figure is the one traded on.
 */
/**
 * Whether `settle` over `after` (a tick appended to one history of `before`, its oldest ticks maybe
 * dropped) gives what it gave over `before`: for each boundary, its own figure already had its first
 * tick at or after the boundary, the venue's TWAP ticks around it (within the tolerance) were all
 * in and none has been dropped, and the history still covers it (else `settle` falls back on its
 * previous figures, a different path). Lets a price tick skip the markets it cannot move (most of
 * them: every market but the one whose end is near).
 */
export function unmovedBy(
  market: MarketIdentity,
  before: SettlementInputs,
  after: SettlementInputs,
  p: SettlementParams,
): boolean {
  const rule = resolutionOf(market);
  const lastTick = before.ticks[before.ticks.length - 1];
  const lastTwap = before.twapTicks[before.twapTicks.length - 1];
  const firstTwap = after.twapTicks[0];
  const fixed = (b: number): boolean =>
    covers(after, market, b) &&
    (after.ticks === before.ticks || (lastTick !== undefined && lastTick.tsMs >= b)) &&
    (rule.rule !== 'twap' ||
      after.twapTicks === before.twapTicks ||
      (lastTwap !== undefined &&
        lastTwap.tsMs > b + p.boundaryToleranceMs &&
        firstTwap !== undefined &&
        firstTwap.tsMs < b - p.boundaryToleranceMs));
  return rule.rule !== 'unknown' && fixed(market.startMs) && fixed(market.endMs);
}

function withGamma(f: Boundary, gamma: number | undefined, p: SettlementParams): Boundary {
  if (gamma === undefined) return f;
  const { disagree: _settledByGamma, ...rest } = f;
  return f.value !== undefined && rel(gamma, f.value) <= p.twapTolerance
    ? rest
    : { ...rest, value: gamma, source: 'gamma' };
}

const prevStart = (s: Settlement): Boundary => ({
  value: s.priceToBeat,
  source: s.priceToBeatSource,
  missed: s.missed,
  disagree: s.disagree,
});
const prevEnd = (s: Settlement): Boundary => ({ value: s.finalPrice, source: s.finalSource });

/** Recompute a market's settlement figures (returns the same object when nothing changed). */
export function settle(
  prev: Settlement,
  market: MarketIdentity,
  inputs: SettlementInputs,
  p: SettlementParams,
): Settlement {
  const startTicks =
    prev.priceToBeat === undefined || covers(inputs, market, market.startMs)
      ? figureAt(market, market.startMs, inputs, p)
      : prevStart(prev);
  const endTicks =
    prev.finalPrice === undefined || covers(inputs, market, market.endMs)
      ? figureAt(market, market.endMs, inputs, p)
      : prevEnd(prev);
  const start = withGamma(
    startTicks.value === undefined && prev.priceToBeat !== undefined ? prevStart(prev) : startTicks,
    market.priceToBeat,
    p,
  );
  const end = withGamma(
    endTicks.value === undefined && prev.finalPrice !== undefined ? prevEnd(prev) : endTicks,
    market.finalPrice,
    p,
  );
  const winner: Outcome | undefined =
    start.value !== undefined && end.value !== undefined ? (end.value >= start.value ? 'up' : 'down') : undefined;
  const diff = (gamma: number | undefined, ours: number | undefined, before: number | undefined) =>
    gamma !== undefined && ours !== undefined ? Math.round((gamma - ours) * 1e8) / 1e8 : before;
  const gammaDiff = diff(market.priceToBeat, startTicks.value, prev.gammaDiff);
  const gammaFinalDiff = diff(market.finalPrice, endTicks.value, prev.gammaFinalDiff);
  // Every key listed, absent ones undefined: one object shape for all figures (compared field by
  // field on every price tick), and a key left out of Settlement fails to compile here.
  const known = start.value !== undefined;
  const ended = end.value !== undefined;
  const next: { [K in keyof Required<Settlement>]: Settlement[K] } = {
    priceToBeat: start.value,
    priceToBeatSource: known ? start.source : undefined,
    finalPrice: end.value,
    finalSource: ended ? end.source : undefined,
    winner,
    missed: start.missed || undefined,
    disagree: start.disagree || undefined,
    gammaDiff,
    gammaFinalDiff,
  };
  return sameFigures(next, prev) ? prev : next;
}

/** The same primitive, NaN equal to NaN. */
const same = <T>(x: T, y: T): boolean => x === y || (Number.isNaN(x) && Number.isNaN(y));

/** Field by field (all primitives), each named (one shape, no keyed loads): what `JSON.stringify` compared. */
function sameFigures(a: Settlement, b: Settlement): boolean {
  return (
    same(a.priceToBeat, b.priceToBeat) &&
    same(a.priceToBeatSource, b.priceToBeatSource) &&
    same(a.finalPrice, b.finalPrice) &&
    same(a.finalSource, b.finalSource) &&
    same(a.winner, b.winner) &&
    same(a.missed, b.missed) &&
    same(a.disagree, b.disagree) &&
    same(a.gammaDiff, b.gammaDiff) &&
    same(a.gammaFinalDiff, b.gammaFinalDiff)
  );
}
// A field added to Settlement fails to compile until it is listed here: then compare it above too.
type Compared =
  | 'priceToBeat'
  | 'priceToBeatSource'
  | 'finalPrice'
  | 'finalSource'
  | 'winner'
  | 'missed'
  | 'disagree'
  | 'gammaDiff'
  | 'gammaFinalDiff';
const allFields: [Exclude<keyof Settlement, Compared>] extends [never] ? true : never = true;
void allFields;
