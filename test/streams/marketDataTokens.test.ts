// The market channel's local books follow the subscription: a token dropped from it loses its book
// (no stale copy re-emitted after a reconnect, nothing kept for a long run), and its frames still
// in flight after the unsubscribe are ignored without a skip.
import { describe, expect, it } from 'vitest';
import { BehaviorSubject, Subject } from 'rxjs';
import type { BookEvent } from '../../src/domain/index.js';
import { toMarketEvents, type MarketDataEvent } from '../../src/streams/marketData.js';
import type { SocketEvent } from '../../src/streams/socket.js';

const COND = '0xc0';
const book = (tokenId: string, bid: string, ts: number): SocketEvent => ({
  type: 'message',
  data: JSON.stringify({
    event_type: 'book',
    market: COND,
    asset_id: tokenId,
    timestamp: String(ts),
    hash: '0x1',
    bids: [{ price: bid, size: '10' }],
    asks: [{ price: '0.9', size: '10' }],
  }),
});
const delta = (tokenIds: string[], price: string, ts: number): SocketEvent => ({
  type: 'message',
  data: JSON.stringify({
    event_type: 'price_change',
    market: COND,
    timestamp: String(ts),
    price_changes: tokenIds.map((asset_id) => ({ asset_id, price, size: '5', side: 'BUY', hash: '0x2' })),
  }),
});

function run(): { socket: Subject<SocketEvent>; tokens: BehaviorSubject<readonly string[]>; out: MarketDataEvent[] } {
  const socket = new Subject<SocketEvent>();
  const tokens = new BehaviorSubject<readonly string[]>(['A', 'B']);
  const out: MarketDataEvent[] = [];
  socket.pipe(toMarketEvents(() => 1_000, undefined, tokens)).subscribe((e) => out.push(e));
  return { socket, tokens, out };
}

describe('market channel books and the subscription', () => {
  it('re-emits after a reconnect only the books still subscribed', () => {
    const { socket, tokens, out } = run();
    socket.next({ type: 'open', attempt: 0 });
    socket.next(book('A', '0.4', 1));
    socket.next(book('B', '0.5', 1));
    tokens.next(['B', 'C']);
    out.length = 0;
    socket.next({ type: 'closed', reason: 'dropped', retryInMs: 100 });
    const books = out.filter((e): e is BookEvent => e.kind === 'book');
    expect(books.map((b) => [b.book.tokenId, b.book.stale])).toEqual([['B', true]]);
  });

  it('ignores frames for a dropped token without a skip, and applies the rest of a mixed delta', () => {
    const { socket, tokens, out } = run();
    socket.next({ type: 'open', attempt: 0 });
    socket.next(book('A', '0.4', 1));
    socket.next(book('B', '0.5', 1));
    tokens.next(['B']);
    out.length = 0;
    socket.next(delta(['A'], '0.41', 2));
    socket.next(book('A', '0.42', 3));
    socket.next(delta(['A', 'B'], '0.51', 4));
    expect(out.filter((e) => e.kind === 'skip')).toEqual([]);
    const books = out.filter((e): e is BookEvent => e.kind === 'book');
    expect(books.map((b) => [b.book.tokenId, b.book.bids[0]?.price])).toEqual([['B', 0.51]]);
  });

  it('keeps every book when no subscription list is given', () => {
    const socket = new Subject<SocketEvent>();
    const out: MarketDataEvent[] = [];
    socket.pipe(toMarketEvents(() => 1_000)).subscribe((e) => out.push(e));
    socket.next({ type: 'open', attempt: 0 });
    socket.next(book('A', '0.4', 1));
    socket.next(delta(['A'], '0.41', 2));
    socket.next({ type: 'closed', reason: 'dropped', retryInMs: 100 });
    const books = out.filter((e): e is BookEvent => e.kind === 'book');
    expect(books.map((b) => [b.book.tokenId, b.book.bids[0]?.price, b.book.stale])).toEqual([
      ['A', 0.4, false],
      ['A', 0.41, false],
      ['A', 0.41, true],
    ]);
  });
});
