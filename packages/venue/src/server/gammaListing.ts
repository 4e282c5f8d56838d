// Gamma's GET /markets listing (no slug): what discovery asks when the computed slugs find nothing.
import type { VenueCore } from '../core/types.js';
import { gammaMarket } from './wire.js';

/** Gamma's market listing: the filters a recurring-market bot uses (closed, end date window, order, limit). */
export function listMarkets(core: VenueCore, q: URLSearchParams): unknown[] {
  const time = (key: string): number | undefined => (q.get(key) === null ? undefined : Date.parse(q.get(key)!));
  const [endMin, endMax] = [time('end_date_min'), time('end_date_max')];
  const closed = q.get('closed') === null ? undefined : q.get('closed') === 'true';
  const limit = Math.max(0, Math.min(500, Number(q.get('limit') ?? 100) || 100));
  const descending = q.get('order') === 'endDate' && q.get('ascending') === 'false';
  return core
    .markets()
    .filter(
      (m) =>
        (closed === undefined || (m.status === 'closed' || m.status === 'resolved') === closed) &&
        (endMin === undefined || m.endMs >= endMin) &&
        (endMax === undefined || m.endMs <= endMax),
    )
    .sort((a, b) => (descending ? b.endMs - a.endMs : a.endMs - b.endMs))
    .slice(0, limit)
    .map((m) =>
      gammaMarket(m, { bestBid: core.book(m.tokenUp)?.bids[0]?.price, bestAsk: core.book(m.tokenUp)?.asks[0]?.price }),
    );
}
