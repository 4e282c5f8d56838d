// Discovery finds markets from Gamma's answer, not only from slugs computed on the UTC grid: the
// embedded venue opens a fresh market a few seconds after launch, off the grid.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { filter, firstValueFrom, take, toArray } from 'rxjs';
import { loadConfig } from '../../src/config/load.js';
import type { Config } from '../../src/config/schema.js';
import { discovery$, slugFor } from '../../src/streams/discovery.js';
import { silentLogger } from '../../src/sinks/logger.js';
import { startVenue, type RunningVenue } from '@polymm/venue';
import { createMarket } from '@polymm/venue';
import { gammaMarket } from '@polymm/venue';
import { endpointsOf } from '../../src/config/schema.js';

const INTERVAL = 60_000;
let venue: RunningVenue;
let cfg: Config;
let origin = 0;

beforeAll(async () => {
  // A schedule phase that is never on the minute grid: origin = now + 5.5 s (plus 0.5 s off any second).
  origin = Math.floor(Date.now() / 1000) * 1000 + 5_500;
  if (origin % INTERVAL === 0) origin += 1_000;
  venue = await startVenue({
    port: 0,
    options: { seed: 3, intervalMs: INTERVAL, participants: false, scheduleOriginMs: origin },
  });
  const u = venue.urls;
  cfg = loadConfig({
    flags: {
      market: { interval: '1m', discoveryPollMs: 500 },
      endpoints: endpointsOf(u),
    },
  });
});
afterAll(() => venue.close());

describe('market discovery', () => {
  it('finds a market off the UTC grid through the Gamma listing', async () => {
    const found = await firstValueFrom(
      discovery$(cfg, { clock: Date.now, logger: silentLogger() }).pipe(
        filter((e) => e.kind === 'market'),
        take(2),
        toArray(),
      ),
    );
    const starts = found.map((e) => (e.kind === 'market' ? e.market.startMs : 0));
    expect(starts).toContain(origin);
    expect(starts).toContain(origin - INTERVAL);
    for (const s of starts) expect(s % INTERVAL).not.toBe(0);
  });

  it('asks the listing only when the computed slugs find nothing, and keeps only our series', async () => {
    const now = Date.UTC(2026, 10, 30, 12, 0, 10);
    const aligned = createMarket(1, Date.UTC(2026, 10, 30, 12, 0, 0), 900_000, now);
    const other = { ...gammaMarket(createMarket(2, now + 5_000, 900_000, now)), slug: 'eth-updown-15m-1796040005' };
    const offGrid = gammaMarket(createMarket(3, now + 5_000, 900_000, now));
    const urls: string[] = [];
    const run = async (slugHit: boolean): Promise<string[]> => {
      urls.length = 0;
      const fakeFetch = (async (url: string) => {
        urls.push(url);
        if (url.includes('slug='))
          return Response.json(slugHit && url.includes(aligned.slug) ? [gammaMarket(aligned)] : [], { status: 200 });
        return Response.json([other, offGrid]);
      }) as typeof fetch;
      const c = loadConfig({ flags: { market: { interval: '15m' }, endpoints: { gamma: 'http://gamma' } } });
      const evs = await firstValueFrom(
        discovery$(c, { clock: () => now, logger: silentLogger(), fetch: fakeFetch }).pipe(
          filter((e) => e.kind === 'market'),
          take(1),
          toArray(),
        ),
      );
      return evs.map((e) => (e.kind === 'market' ? e.market.slug : ''));
    };
    expect(await run(true)).toEqual([aligned.slug]);
    expect(urls.every((u) => u.includes('slug='))).toBe(true);
    expect(urls).toContain(`http://gamma/markets?slug=${slugFor('btc', '15m', Date.UTC(2026, 10, 30, 12, 0, 0))}`);
    expect(await run(false)).toEqual([offGrid.slug]);
    const listing = urls.find((u) => !u.includes('slug='))!;
    expect(listing).toContain('closed=false');
    expect(listing).toContain(`end_date_min=${new Date(now).toISOString()}`);
  });
});
