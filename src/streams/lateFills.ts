// Fills that land while the bot shuts down: its inputs (the user feed among them) end at stop, but
// its orders rest until the final cancel-all. Once that is done, the venue's trade list since a
// little before the stop is read back, and the fills the run never saw are logged and counted like
// the feed's, so the event log and the summary lose none.
import { endedLongAgo, type BotEvent, type FillEvent, type MarketIdentity } from '../domain/index.js';
import { fillsOf, type Me } from './fills.js';
import type { UserTradeMsg } from '../wire/user.js';

/** How far before the stop the venue's trades are read back: a fill the feed had not delivered yet. */
export const LATE_FILL_MARGIN_MS = 60_000;

/** At most this many fill keys remembered (the oldest forgotten first); a run sees far fewer in the margin. */
const SEEN_KEPT = 20_000;

/** The run's own view of what a late fill needs: the markets it knew and the fills it counted. */
export class RunFills {
  private readonly markets = new Map<string, MarketIdentity>();
  private readonly seen = new Set<string>();

  /** Follow one of the run's events. */
  observe(ev: BotEvent): void {
    if (ev.kind === 'market') {
      // A new market is the time to forget the ended ones: no order of theirs is left to fill before
      // the stop (kept, a month's run held ~2,900).
      if (!this.markets.has(ev.market.conditionId))
        for (const [id, m] of this.markets) if (endedLongAgo(m.endMs, ev.tsMs)) this.markets.delete(id);
      this.markets.set(ev.market.conditionId, ev.market);
    }
    if (ev.kind === 'fill') {
      this.seen.add(keyOf(ev.fill));
      if (this.seen.size > SEEN_KEPT) this.seen.delete(this.seen.values().next().value!);
    }
  }

  /** The fills of `trades` in markets this run knew and has not counted, as fill events, oldest first. */
  unseen(trades: readonly UserTradeMsg[], me: Me): FillEvent[] {
    const out: FillEvent[] = [];
    for (const t of trades)
      for (const fill of fillsOf(t, me, this.markets)) {
        const key = keyOf(fill);
        if (this.seen.has(key) || t.status === 'FAILED' || fill.outcome === undefined) continue;
        this.seen.add(key);
        out.push({ kind: 'fill', tsMs: fill.tsMs, fill, reversal: false });
      }
    return out.sort((a, b) => a.tsMs - b.tsMs);
  }
}

const keyOf = (f: FillEvent['fill']): string => `${f.tradeId}:${f.orderId}`;
