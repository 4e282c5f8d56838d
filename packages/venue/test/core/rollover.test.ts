import { describe, expect, it } from 'vitest';
import { ROLLOVER_MS } from '../../src/core/makers.js';
import { createVenueCore } from '../../src/core/venue.js';
import type { VenueEvent } from '../../src/core/types.js';

const START = Date.UTC(2026, 10, 24, 20, 0, 0);
const INTERVAL = 900_000;

describe('makers roll over to the next market', () => {
  it('quote it around 0.5 from ROLLOVER_MS before its start, so its book never falls silent', () => {
    const core = createVenueCore({ startMs: START, seed: 3 });
    const events: VenueEvent[] = [];
    core.advance(START + 100);
    const slug = (startMs: number): string => `btc-updown-15m-${startMs / 1000}`;
    const current = core.marketBySlug(slug(START))!;
    const next = core.marketBySlug(slug(START + INTERVAL))!;
    expect(next.status).toBe('scheduled');
    for (let t = START + 200; t <= next.startMs + 30_000; t += 100) {
      core.advance(t);
      events.push(...core.drainEvents());
    }
    const touches = (e: VenueEvent, tokens: readonly string[]): boolean =>
      e.type === 'priceChange' && e.changes.some((c) => tokens.includes(c.tokenId));
    const nextTokens = [next.tokenUp, next.tokenDown];
    const firstQuote = events.find((e) => touches(e, nextTokens))!;
    // Not before the rollover, and as soon as the makers' next requote after it (1.5 s apart each).
    expect(firstQuote.tsMs).toBeGreaterThanOrEqual(next.startMs - ROLLOVER_MS);
    expect(firstQuote.tsMs).toBeLessThan(next.startMs - ROLLOVER_MS + 3_000);
    // At the open the book already holds the makers' quotes, on both sides of 0.5.
    const opened = events.find((e) => e.type === 'book' && e.book.tokenId === next.tokenUp);
    const book = opened?.type === 'book' ? opened.book : undefined;
    expect(book?.bids[0]?.price).toBeGreaterThanOrEqual(0.4);
    expect(book?.bids[0]?.price).toBeLessThan(0.5);
    expect(book?.asks[0]?.price).toBeGreaterThan(0.5);
    expect(book?.asks[0]?.price).toBeLessThanOrEqual(0.6);
    // The books a bot follows (this market and the next) change every few seconds across the end.
    const both = [current.tokenUp, current.tokenDown, ...nextTokens];
    const times = events.filter((e) => touches(e, both) && e.tsMs >= next.startMs - 60_000).map((e) => e.tsMs);
    const gaps = times.slice(1).map((t, i) => t - times[i]!);
    expect(Math.max(...gaps)).toBeLessThan(5_000);
  });
});
