// Discovery reads a market it followed again for a while after its end (Gamma then publishes its
// final price and winner), but never a market that ended before the bot started.
import { describe, expect, it } from 'vitest';
import { VirtualTimeScheduler } from 'rxjs';
import { loadConfig } from '../../src/config/load.js';
import { discovery$, slugFor } from '../../src/streams/discovery.js';
import { silentLogger } from '../../src/sinks/logger.js';

const INTERVAL = 60_000;
const T0 = 1_800_000_000_000 + 30_000; // mid-interval

describe('discovery after a market ends', () => {
  it('re-reads the market that just ended only if it was followed', async () => {
    const scheduler = new VirtualTimeScheduler();
    const clock = () => T0 + scheduler.now();
    const asked: Array<{ at: number; slug: string }> = [];
    const fetch = (url: string | URL | Request) => {
      asked.push({ at: clock(), slug: new URL(String(url)).searchParams.get('slug')! });
      return Promise.resolve(new Response('[]', { status: 200 }));
    };
    const cfg = loadConfig({ flags: { sim: { interval: '1m' }, market: { interval: '1m', discoveryPollMs: 5_000 } } });
    const sub = discovery$(cfg, {
      clock,
      logger: silentLogger(),
      scheduler,
      fetch: fetch as typeof globalThis.fetch,
    }).subscribe();
    // Drive the poll timers through the next boundary (promises resolve between flushes).
    for (let t = 0; t <= 120_000; t += 5_000) {
      scheduler.maxFrames = t;
      scheduler.flush();
      await new Promise((r) => setTimeout(r, 0));
    }
    sub.unsubscribe();
    const start = Math.floor(T0 / INTERVAL) * INTERVAL;
    const before = slugFor('btc', '1m', start - INTERVAL);
    const current = slugFor('btc', '1m', start);
    expect(asked.filter((a) => a.slug === before)).toEqual([]); // ended before we started
    const afterEnd = asked.filter((a) => a.slug === current && a.at >= start + INTERVAL);
    expect(afterEnd.length).toBeGreaterThan(0); // followed, so read again after its end…
    expect(afterEnd.every((a) => a.at < start + 2 * INTERVAL)).toBe(true); // …for a minute
  });
});
