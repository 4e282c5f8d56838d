// Which markets an input can change the decision of. The step evaluates only those: a book, order or
// fill of one market re-evaluates that market alone; time (clock ticks, every CLOCK_MS) and global
// inputs (prices, feed health, heartbeats, discovery, halts) re-evaluate every market. So what time
// alone changes in a market (q_up drifting with tau, the cutoff, a churn wait ending) is decided at
// the next clock tick at the latest, as before, not at some other market's next event.
import type { InputEvent } from '../domain/index.js';
import type { BotState } from '../state/botState.js';

export function touchedMarkets(prev: BotState, next: BotState, ev: InputEvent): 'all' | string {
  // A market's input that moved a global fact (a fill or a mark latching the daily loss limit).
  if (next.risk !== prev.risk || next.health !== prev.health || next.prices !== prev.prices || next.operatorHalt !== prev.operatorHalt) return 'all';
  switch (ev.kind) {
    case 'book':
    case 'tickSize':
    case 'marketResolved':
    case 'position':
      return ev.conditionId;
    case 'order':
      return ev.order.conditionId;
    case 'fill':
      return ev.fill.conditionId;
    default:
      return 'all';
  }
}
