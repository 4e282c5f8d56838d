import { describe, expect, it } from 'vitest';
import { createVenueCore } from '../../src/core/venue.js';

const START = Date.UTC(2026, 10, 24, 20, 0, 0);
const INTERVAL = 60_000;

describe("the venue frees a market's book when it closes", () => {
  it("and reading a closed market's book (as the Gamma listing does) makes none again", () => {
    const core = createVenueCore({ startMs: START, seed: 5, intervalMs: INTERVAL, createAheadMs: INTERVAL });
    let closedRead = 0;
    for (let t = START + 1_000; t <= START + 4 * INTERVAL; t += 1_000) {
      core.advance(t);
      core.drainEvents();
      // Every market's books, each second, as the listing and the stats read them.
      for (const m of core.markets()) {
        const up = core.book(m.tokenUp)!;
        core.book(m.tokenDown);
        if (m.status === 'closed' || m.status === 'resolved') {
          expect(up.bids).toEqual([]);
          expect(up.asks).toEqual([]);
          closedRead += 1;
        }
      }
      const notClosed = core.markets().filter((m) => m.status === 'open' || m.status === 'scheduled').length;
      expect(core.held().books).toBeLessThanOrEqual(notClosed);
    }
    // The check ran while closed markets were being read, and the open market traded.
    expect(closedRead).toBeGreaterThan(100);
    const open = core.markets().find((m) => m.status === 'open')!;
    expect(core.book(open.tokenUp)!.bids.length).toBeGreaterThan(0);
    expect(core.held().markets).toBe(core.markets().length);
  });
});

describe('the venue forgets a resolved market some time after its end', () => {
  it('with its book and its lookups by token and by slug', () => {
    const core = createVenueCore({
      startMs: START,
      seed: 5,
      intervalMs: INTERVAL,
      createAheadMs: INTERVAL,
      forgetAfterMs: 2 * INTERVAL,
      participants: false,
    });
    const seen = new Map<string, string>();
    for (let t = START + 1_000; t <= START + 10 * INTERVAL; t += 1_000) {
      core.advance(t);
      core.drainEvents();
      for (const m of core.markets()) seen.set(m.slug, m.tokenUp);
      const held = core.held();
      expect(held.lookups).toBe(3 * held.markets);
      // Open, next, and the resolved ones of the last two intervals (and the one being resolved).
      expect(held.markets).toBeLessThanOrEqual(6);
    }
    const forgotten = [...seen].filter(([slug]) => core.marketBySlug(slug) === undefined);
    expect(forgotten.length).toBeGreaterThanOrEqual(5);
    for (const [, tokenUp] of forgotten) expect(core.marketByToken(tokenUp)).toBeUndefined();
  });
});
