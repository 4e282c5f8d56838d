// An open order read back from REST as a live order: pure, apart from exchange.ts so that what
// needs only this (the pipeline, the sink's fold, the backtest) does not load the official client.
import type { LiveOrder, MarketIdentity } from '../../domain/index.js';
import { outcomeOf } from '../../domain/index.js';
import type { RestOrder } from './exchange.js';

/** An open order read back from REST as a live order of `market` (undefined if not one of its tokens). */
export function liveOrderOf(o: RestOrder, market: MarketIdentity | undefined): LiveOrder | undefined {
  const outcome = market && outcomeOf(market, o.tokenId);
  if (!outcome) return undefined;
  const { orderId, conditionId, tokenId, side, price, size, sizeMatched, tsMs } = o;
  return {
    orderId,
    conditionId,
    tokenId,
    outcome,
    side,
    price,
    size,
    sizeMatched,
    orderType: 'GTC',
    status: 'live',
    tsMs,
  };
}
