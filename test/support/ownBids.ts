// The list-based forms of "the book without our own bids" that the strategy once quoted against,
// kept as references: bestBidWithoutOrders (src/domain/market.ts) must give exactly their answer.
import type { Book, BookLevel } from '../../src/domain/index.js';

/** Prices compared on a 1e-6 grid, as the bot compares them. */
const priceKey = (price: number): number => Math.round(price * 1e6);

/** Our remaining size per price. */
function oursAt(ownBids: readonly BookLevel[]): Map<number, number> {
  const ours = new Map<number, number>();
  for (const o of ownBids) if (o.size > 0) ours.set(priceKey(o.price), (ours.get(priceKey(o.price)) ?? 0) + o.size);
  return ours;
}

/** The bids of a book without our own resting bids (price and remaining size of each). */
export function bidsWithout(book: Book, ownBids: readonly BookLevel[]): Book {
  if (ownBids.length === 0) return book;
  const ours = oursAt(ownBids);
  const bids = book.bids
    .map((l) => ({ price: l.price, size: l.size - Math.min(l.size, ours.get(priceKey(l.price)) ?? 0) }))
    .filter((l) => l.size > 1e-9);
  return { ...book, bids };
}

/** `bidsWithout(book, ownBids).bids[0]?.price` without building the book. */
export function bestBidWithout(book: Book, ownBids: readonly BookLevel[]): number | undefined {
  if (ownBids.length === 0) return book.bids[0]?.price;
  const ours = oursAt(ownBids);
  for (const l of book.bids) if (l.size - Math.min(l.size, ours.get(priceKey(l.price)) ?? 0) > 1e-9) return l.price;
  return undefined;
}
