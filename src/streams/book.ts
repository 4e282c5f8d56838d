// Local L2 books from snapshots and price_change deltas (pure). A delta sets the new total at a
// level (0 removes it). Untrustworthy books are marked stale until the next snapshot.
import type { Book, BookLevel } from '../domain/index.js';
import type { MarketMsg } from '../wire/market.js';

export interface BookStore {
  readonly books: ReadonlyMap<string, Book>;
  /** Timestamp of each token's last snapshot: deltas older than it are already in it. */
  readonly snapshotTs: ReadonlyMap<string, number>;
  /** Deltas ignored (older than the last snapshot). */
  readonly ignored: number;
}

export const EMPTY_BOOKS: BookStore = { books: new Map(), snapshotTs: new Map(), ignored: 0 };

/**
 * The levels (sorted best first) with the level at `price` set to `size` (0 removes it): one pass
 * that drops the old level and inserts the new one in place (a book side is sorted on arrival:
 * snapshots by the parser, deltas here), a new array each time.
 */
export function setLevel(
  levels: readonly BookLevel[],
  price: number,
  size: number,
  bestFirstDesc: boolean,
): BookLevel[] {
  const out: BookLevel[] = [];
  let placed = !(size > 0);
  for (const l of levels) {
    if (Math.abs(l.price - price) <= 1e-9) continue;
    if (!placed && (bestFirstDesc ? l.price < price : l.price > price)) {
      out.push({ price, size });
      placed = true;
    }
    out.push(l);
  }
  if (!placed) out.push({ price, size });
  return out;
}

export type BookUpdate = {
  readonly store: BookStore;
  readonly changed: readonly Book[];
  readonly problem?: string;
  /** Tokens whose book cannot be trusted (delta without a snapshot, crossed): re-snapshot them. */
  readonly untrusted?: readonly string[];
};

/** Apply one market message to the store; returns the books it changed. */
export function applyBookMsg(store: BookStore, msg: MarketMsg): BookUpdate {
  if (msg.type === 'book') {
    const book: Book = { tokenId: msg.tokenId, bids: msg.bids, asks: msg.asks, tsMs: msg.tsMs, stale: false };
    const books = new Map(store.books).set(msg.tokenId, book);
    return {
      store: { ...store, books, snapshotTs: new Map(store.snapshotTs).set(msg.tokenId, msg.tsMs) },
      changed: [book],
    };
  }
  if (msg.type !== 'priceChange') return { store, changed: [] };
  const books = new Map(store.books);
  const changed = new Map<string, Book>();
  let ignored = store.ignored;
  let problem: string | undefined;
  const untrusted = new Set<string>();
  for (const c of msg.changes) {
    const book = changed.get(c.tokenId) ?? books.get(c.tokenId);
    if (!book) {
      problem = `delta for ${c.tokenId.slice(0, 12)}… without a snapshot`;
      untrusted.add(c.tokenId);
      continue;
    }
    // The channel is ordered: apply deltas in arrival order, except those older than the snapshot.
    if (msg.tsMs < (store.snapshotTs.get(c.tokenId) ?? -Infinity)) {
      ignored += 1;
      continue;
    }
    // Older than a delta already applied: the order was lost; trust the next snapshot only.
    if (msg.tsMs < book.tsMs) {
      problem = `out-of-order delta for ${c.tokenId.slice(0, 12)}…`;
      untrusted.add(c.tokenId);
      changed.set(c.tokenId, { ...book, stale: true });
      continue;
    }
    const bids = c.side === 'BUY' ? setLevel(book.bids, c.price, c.size, true) : book.bids;
    const asks = c.side === 'SELL' ? setLevel(book.asks, c.price, c.size, false) : book.asks;
    changed.set(c.tokenId, { tokenId: c.tokenId, bids, asks, tsMs: Math.max(book.tsMs, msg.tsMs), stale: book.stale });
  }
  // A message may pass through crossed states between its changes; only the result counts.
  for (const [id, b] of changed) {
    const crossed = b.bids[0] !== undefined && b.asks[0] !== undefined && b.bids[0].price >= b.asks[0].price - 1e-9;
    if (!crossed) continue;
    problem = `crossed book on ${id.slice(0, 12)}…`;
    untrusted.add(id);
    changed.set(id, { ...b, stale: true });
  }
  for (const [id, b] of changed) books.set(id, b);
  return {
    store: { ...store, books, ignored },
    changed: [...changed.values()],
    ...(problem ? { problem, untrusted: [...untrusted] } : {}),
  };
}

/**
 * Only the books of `tokens` (those still subscribed): a token dropped from the subscription gets
 * no more updates, so its last book would stay, look fresh and be copied with the store forever.
 */
export function keepBooks(store: BookStore, tokens: ReadonlySet<string>): BookStore {
  const kept = [...store.books.keys()].filter((t) => tokens.has(t));
  if (kept.length === store.books.size) return store;
  return {
    ...store,
    books: new Map(kept.map((t) => [t, store.books.get(t)!])),
    snapshotTs: new Map([...store.snapshotTs].filter(([t]) => tokens.has(t))),
  };
}

/** After a reconnect every book is stale until its fresh snapshot arrives. */
export function markAllStale(store: BookStore): BookStore {
  return { ...store, books: new Map([...store.books].map(([id, b]) => [id, { ...b, stale: true }])) };
}
