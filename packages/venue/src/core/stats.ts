// What a simulated market looks like, measured the way one would measure a real one: spread,
// top-of-book depth, trades and market-channel frames per second, and how far the book's mid sits
// from the true fair value (which real books never show). For calibrating scenarios against real
// 15-minute BTC books (README "The simulated market") and for the venue's own tests.
import { fairUp, INFORMED } from './participants.js';
import { fairVolAnnual, scenarioParams } from './scenarios.js';
import type { VenueCore, VenueOptions } from './types.js';
import { createVenueCore } from './venue.js';

export interface MarketStats {
  readonly seconds: number;
  /** Medians over one-second samples of the Up token's book. */
  readonly spreadMedian: number;
  readonly topBidSizeMedian: number;
  readonly tradesPerMin: number;
  /** Market-channel frames (book, price_change, last_trade) per second for one market (two tokens). */
  readonly framesPerS: number;
  /** Mean |mid - true fair| and the share of samples where it exceeds one tick. */
  readonly midErrorMean: number;
  readonly midOffByTickShare: number;
  /** Informed trades per token. */
  readonly informedUp: number;
  readonly informedDown: number;
}

const median = (xs: number[]): number => {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
};

/** Run a fresh venue core (virtual time, from a market start) and measure `seconds` of its open market. */
export function measureMarket(
  opts: Partial<VenueOptions> & { startMs: number },
  seconds: number,
  skipS = 30,
): MarketStats {
  const core: VenueCore = createVenueCore(opts);
  const vol = fairVolAnnual(scenarioParams(opts.scenario ?? 'calm', opts.scenarioOverrides));
  const spreads: number[] = [];
  const tops: number[] = [];
  const errors: number[] = [];
  let trades = 0;
  let frames = 0;
  let informedUp = 0;
  let informedDown = 0;
  const t0 = opts.startMs + skipS * 1000;
  core.advance(t0);
  core.drainEvents();
  for (let t = t0 + 1000; t <= t0 + seconds * 1000; t += 1000) {
    core.advance(t);
    const m = core.markets().find((x) => x.status === 'open' && x.startMs <= t && t < x.endMs);
    for (const e of core.drainEvents()) {
      if (!m) continue;
      if ((e.type === 'priceChange' || e.type === 'lastTrade') && e.conditionId === m.conditionId) frames++;
      if (e.type === 'book' && (e.book.tokenId === m.tokenUp || e.book.tokenId === m.tokenDown)) frames++;
      if (e.type === 'trade' && e.trade.conditionId === m.conditionId) {
        trades++;
        if (e.trade.takerOwner === INFORMED && e.trade.tokenId === m.tokenUp) informedUp++;
        else if (e.trade.takerOwner === INFORMED) informedDown++;
      }
    }
    if (!m || t > m.endMs - 30_000) continue;
    const b = core.book(m.tokenUp);
    const bid = b?.bids[0];
    const ask = b?.asks[0];
    const fast = core.lastPrice('binance');
    if (!bid || !ask || !fast || m.oracleStart === undefined) continue;
    spreads.push(Math.round((ask.price - bid.price) * 100) / 100);
    tops.push(bid.size);
    errors.push(Math.abs((bid.price + ask.price) / 2 - fairUp(m, fast.value, t, vol)));
  }
  return {
    seconds,
    spreadMedian: median(spreads),
    topBidSizeMedian: median(tops),
    tradesPerMin: (trades / seconds) * 60,
    framesPerS: frames / seconds,
    midErrorMean: errors.reduce((a, b) => a + b, 0) / Math.max(1, errors.length),
    midOffByTickShare: errors.filter((e) => e > 0.01 + 1e-9).length / Math.max(1, errors.length),
    informedUp,
    informedDown,
  };
}
