// Time series for the HTML report, sampled on the virtual clock from the ledger and the venue:
// cumulative PnL (holdings at the book mid, at 1/0 once resolved), inventory and unpaired shares;
// and per market, our best bids against the book and the bot's fair value (q_up).
import type { VenueCore } from '@polymm/venue/in-process';
import type { Ledger } from './ledger.js';

const EVERY_MS = 10_000;
const QUOTES_EVERY_MS = 2_000;

export interface QuoteSeries {
  readonly t: number[];
  readonly ourUp: Array<number | null>;
  readonly ourDown: Array<number | null>;
  readonly bidUp: Array<number | null>;
  readonly askUp: Array<number | null>;
  readonly fairUp: Array<number | null>;
}

export interface TimelineData {
  readonly t: number[];
  readonly pnl: number[];
  readonly up: number[];
  readonly down: number[];
  readonly unpaired: number[];
  readonly quotes: Map<string, QuoteSeries>;
}

export class Timeline {
  readonly data: TimelineData = { t: [], pnl: [], up: [], down: [], unpaired: [], quotes: new Map() };
  private next: number;
  private nextQuotes: number;
  private readonly qUp = new Map<string, number>();

  constructor(
    private readonly core: VenueCore,
    private readonly ledger: Ledger,
    private readonly owner: string,
    startMs: number,
  ) {
    this.next = startMs;
    this.nextQuotes = startMs;
  }

  observeQUp(conditionId: string, qUp: number): void {
    this.qUp.set(conditionId, qUp);
  }

  onTime(nowMs: number): void {
    if (nowMs >= this.next) {
      this.next = nowMs - (nowMs % EVERY_MS) + EVERY_MS;
      let pnl = 0;
      let up = 0;
      let down = 0;
      let unpaired = 0;
      for (const [id, b] of this.ledger.markets) {
        pnl += this.ledger.pnlOf(id);
        if (b.winner || nowMs >= b.endMs) continue;
        up += b.up;
        down += b.down;
        unpaired += Math.abs(b.up - b.down);
      }
      const d = this.data;
      d.t.push(nowMs / 1000);
      d.pnl.push(Math.round(pnl * 1e4) / 1e4);
      d.up.push(up);
      d.down.push(down);
      d.unpaired.push(unpaired);
    }
    if (nowMs >= this.nextQuotes) {
      this.nextQuotes = nowMs - (nowMs % QUOTES_EVERY_MS) + QUOTES_EVERY_MS;
      for (const [id, b] of this.ledger.markets)
        if (nowMs >= b.startMs && nowMs < b.endMs) this.sampleQuotes(id, nowMs);
    }
  }

  private sampleQuotes(conditionId: string, nowMs: number): void {
    const m = this.core.marketByCondition(conditionId);
    if (!m) return;
    let s = this.data.quotes.get(conditionId);
    if (!s) {
      s = { t: [], ourUp: [], ourDown: [], bidUp: [], askUp: [], fairUp: [] };
      this.data.quotes.set(conditionId, s);
    }
    const best = (tokenId: string): number | null => {
      const ps = this.core.openOrders(this.owner, { tokenId }).map((o) => o.price);
      return ps.length ? Math.max(...ps) : null;
    };
    const book = this.core.book(m.tokenUp);
    s.t.push(nowMs / 1000);
    s.ourUp.push(best(m.tokenUp));
    // Our Down bid as the Up price it stands for (1 - p), so both sit on one axis.
    const down = best(m.tokenDown);
    s.ourDown.push(down === null ? null : Math.round((1 - down) * 100) / 100);
    s.bidUp.push(book?.bids[0]?.price ?? null);
    s.askUp.push(book?.asks[0]?.price ?? null);
    s.fairUp.push(this.qUp.has(conditionId) ? Math.round(this.qUp.get(conditionId)! * 1e4) / 1e4 : null);
  }
}
