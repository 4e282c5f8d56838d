// Book deltas coalesced at the backtest's market-channel edge. The venue core reports one
// priceChange per book action (a participant's post, cancel or fill: ~70 a simulated second for a
// market's two tokens), all of one instant going out in one WebSocket frame. A socket reader gets
// that frame whole, and the books it holds after it are the same whether it applies the changes one
// by one or only the net change of each level. So each market's changes of one instant become one
// price_change message (the live schema carries a list) with the last size of each level and the
// best bid/ask after them all; the bot's parser and book fold still run on every message it gets.
// What the bot no longer sees are the intermediate books inside one frame (it evaluated the
// strategy on each; the churn rules rarely let those through): it is offered a decision per market
// per instant instead of per book action, which is most of a backtest's event count.
import type { VenueEvent } from '@polymm/venue/in-process';

type PriceChange = Extract<VenueEvent, { type: 'priceChange' }>;
type Change = PriceChange['changes'][number];

/** Pending merge of one market's changes at one instant: where it goes out, and its levels. */
interface Merge {
  slot: number;
  readonly tsMs: number;
  readonly conditionId: string;
  /** By level (levelKey), in the order of their last change. */
  readonly levels: Map<number, Change>;
  /** The tokens seen, for levelKey (a market has two). */
  readonly tokens: string[];
}

/**
 * A level as a number: token (its place in the merge), side, and price in millionths (the venue's
 * grid is ticks of 0.01 or 0.001). A number, not a string of the three: this runs on every change.
 */
function levelKey(m: Merge, ch: Change): number {
  let token = m.tokens.indexOf(ch.tokenId);
  if (token < 0) token = m.tokens.push(ch.tokenId) - 1;
  return (token * 2 + (ch.side === 'BUY' ? 0 : 1)) * 10_000_000 + Math.round(ch.price * 1e6);
}

/**
 * One priceChange per market and instant, at the place of the last of them; a book snapshot of the
 * market (or a change at another instant) in between closes the merge, so no delta older than a
 * snapshot is applied over it. Other events keep their order.
 */
export function coalesceBookChanges(events: readonly VenueEvent[]): readonly VenueEvent[] {
  let merges: Map<string, Merge> | undefined;
  const out: Array<VenueEvent | Merge | undefined> = [];
  for (const ev of events) {
    if (ev.type === 'book') merges?.delete(ev.book.conditionId);
    if (ev.type !== 'priceChange') {
      out.push(ev);
      continue;
    }
    merges ??= new Map();
    let m = merges.get(ev.conditionId);
    if (!m || m.tsMs !== ev.tsMs) {
      m = { slot: -1, tsMs: ev.tsMs, conditionId: ev.conditionId, levels: new Map(), tokens: [] };
      merges.set(ev.conditionId, m);
    } else out[m.slot] = undefined;
    for (const ch of ev.changes) {
      const key = levelKey(m, ch);
      m.levels.delete(key); // a level changed again moves to the end: its order follows its last change
      m.levels.set(key, ch);
    }
    m.slot = out.length;
    out.push(m);
  }
  if (!merges) return events;
  const result: VenueEvent[] = [];
  for (const x of out) {
    if (x === undefined) continue;
    result.push('levels' in x ? merged(x) : x);
  }
  return result;
}

/** The merged message: each level's last size, and each token's best bid/ask after all of them. */
function merged(m: Merge): PriceChange {
  const changes = [...m.levels.values()];
  const last = new Map<string, Change>();
  for (const ch of changes) last.set(ch.tokenId, ch);
  return {
    type: 'priceChange',
    tsMs: m.tsMs,
    conditionId: m.conditionId,
    changes: changes.map((ch) => {
      const final = last.get(ch.tokenId)!;
      return final === ch ? ch : { ...ch, bestBid: final.bestBid, bestAsk: final.bestAsk };
    }),
  };
}
