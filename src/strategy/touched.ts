// Which markets an input can change the decision of. The step evaluates only those: a book, order or
// fill of one market re-evaluates that market alone; time (clock ticks, every CLOCK_MS) and global
// inputs (prices, feed health, heartbeats, discovery, halts) re-evaluate every market. So what time
// alone changes in a market (q_up drifting with tau, the cutoff, a churn wait ending) is decided at
// the next clock tick at the latest, as before, not at some other market's next event. A book
// update that leaves what the decision reads of the books unchanged (most of them: a size deeper
// in the book) touches no market; nor does an update of our own order that leaves the others' best
// bids as they were (the decision reads our orders only to take them out of the books).
import type { Book, InputEvent, Outcome } from '../domain/index.js';
import { bestBidWithoutOrders } from '../domain/index.js';
import type { BotState, MarketState } from '../state/botState.js';

/** The others' best bid (our own bids taken out), as evaluateMarket quotes against it. */
const othersBestBid = (m: MarketState, book: Book, outcome: Outcome): number | undefined =>
  bestBidWithoutOrders(book, m.orders, outcome);

/**
 * Whether a book changed anything evaluateMarket reads of it: its presence, staleness, best ask
 * and the others' best bid. Keep in step with evaluate.ts (test/strategy/incremental.test.ts
 * checks that books alike by this give the same evaluation).
 */
export function sameQuotedBook(m: MarketState, a: Book | undefined, b: Book | undefined, outcome: Outcome): boolean {
  if (a === b) return true;
  if (!a || !b || a.stale !== b.stale || a.asks[0]?.price !== b.asks[0]?.price) return false;
  return othersBestBid(m, a, outcome) === othersBestBid(m, b, outcome);
}

/** Whether our orders in `a` and in `b` leave the same others' best bid in `book` (evaluateMarket reads them for nothing else). */
function sameOthersBid(a: MarketState, b: MarketState, book: Book | undefined, outcome: Outcome): boolean {
  return !book || othersBestBid(a, book, outcome) === othersBestBid(b, book, outcome);
}

/** 'all' markets, one market's condition id, or null: none. */
export function touchedMarkets(prev: BotState, next: BotState, ev: InputEvent): 'all' | string | null {
  // A market's input that moved a global fact (a fill or a mark latching the daily loss limit).
  if (
    next.risk !== prev.risk ||
    next.health !== prev.health ||
    next.prices !== prev.prices ||
    next.operatorHalt !== prev.operatorHalt
  )
    return 'all';
  switch (ev.kind) {
    case 'book': {
      const [was, now] = [prev.markets.get(ev.conditionId), next.markets.get(ev.conditionId)];
      if (
        was &&
        now &&
        was.orders === now.orders &&
        sameQuotedBook(now, was.bookUp, now.bookUp, 'up') &&
        sameQuotedBook(now, was.bookDown, now.bookDown, 'down')
      )
        return null;
      return ev.conditionId;
    }
    case 'tickSize':
    case 'marketResolved':
    case 'position':
      return ev.conditionId;
    case 'order': {
      const [was, now] = [prev.markets.get(ev.order.conditionId), next.markets.get(ev.order.conditionId)];
      if (
        was &&
        now &&
        was.bookUp === now.bookUp &&
        was.bookDown === now.bookDown &&
        sameOthersBid(was, now, now.bookUp, 'up') &&
        sameOthersBid(was, now, now.bookDown, 'down')
      )
        return null;
      return ev.order.conditionId;
    }
    case 'fill':
      return ev.fill.conditionId;
    default:
      return 'all';
  }
}
