// The venue knobs the later fault-matrix cases use: implausible prices, a resolution that never
// comes (and then does), a venue clock off mid-run.
import { describe, expect, it } from 'vitest';
import { FaultController, implausiblePrice } from '@polymm/venue';
import { createVenueCore } from '@polymm/venue';
import { startVenue } from '@polymm/venue';

describe('fault knobs of the later matrix cases', () => {
  it('badPriceRate: 0, negative, 1e12 or a 20 % jump, at the given rate', () => {
    expect([0, 0.3, 0.6, 0.9].map((pick) => implausiblePrice(100_000, pick))).toEqual([0, -100_000, 1e12, 120_000]);
    const f = new FaultController({ badPriceRate: 0.5 }, 3);
    const out = Array.from({ length: 2_000 }, () => f.price(100_000));
    const bad = out.filter((v) => v !== 100_000).length;
    expect(bad).toBeGreaterThan(850);
    expect(bad).toBeLessThan(1_150);
    f.set({ badPriceRate: 0 });
    expect(Array.from({ length: 100 }, () => f.price(100_000)).every((v) => v === 100_000)).toBe(true);
  });

  it('resolutionDelayMs -1: a closed market stays unresolved; back to 0, it resolves', () => {
    const start = 1_800_000_000_000;
    const core = createVenueCore({
      startMs: start,
      intervalMs: 60_000,
      participants: false,
      scheduleOriginMs: start + 1_000,
    });
    core.setResolutionDelay(-1);
    core.advance(start + 1_000 + 60_000 + 30_000);
    const m = core.markets().find((x) => x.startMs === start + 1_000)!;
    expect(m.status).toBe('closed');
    expect(core.marketByCondition(m.conditionId)?.oracleEnd).toBeDefined();
    core.setResolutionDelay(0);
    core.advance(start + 1_000 + 60_000 + 31_000);
    expect(core.marketByCondition(m.conditionId)?.status).toBe('resolved');
  });

  it('clockOffsetMs: GET /time moves with the venue clock', async () => {
    const venue = await startVenue({ port: 0, options: { participants: false } });
    try {
      const time = async (): Promise<number> => Number(await (await fetch(`${venue.urls.clob}/time`)).json());
      const before = await time();
      venue.faults.set({ clockOffsetMs: 60_000 });
      const after = await time();
      expect(after - before).toBeGreaterThanOrEqual(59);
      expect(after - before).toBeLessThanOrEqual(62);
    } finally {
      await venue.close();
    }
  });
});
