// The clock offset to the venue (issue 13 #8), from GET /time's whole seconds.
import { describe, expect, it } from 'vitest';
import { measureClockSkew, skewFromSamples } from '../../src/streams/clockSkew.js';

/** A venue whose clock is `offsetMs` ahead of ours, answering after `halfRttMs` each way (virtual time). */
function fakeVenue(offsetMs: number, halfRttMs: number, startMs = 1_000_000_123) {
  let now = startMs;
  return {
    clock: () => now,
    sleep: async (ms: number) => void (now += ms),
    venueTimeS: async () => {
      now += halfRttMs;
      const s = Math.floor((now + offsetMs) / 1_000);
      now += halfRttMs;
      return s;
    },
  };
}

describe('clock skew', () => {
  it.each([[8_000], [-8_000], [0], [1_234], [-377]])(
    'measures an offset of %i ms within its stated error',
    async (offset) => {
      const skew = await measureClockSkew(fakeVenue(offset, 5));
      expect(skew.errorMs).toBeLessThanOrEqual(40);
      expect(Math.abs(skew.offsetMs - offset)).toBeLessThanOrEqual(skew.errorMs);
    },
  );

  it('needs a turn of the second', () => {
    expect(
      skewFromSamples([
        { sentMs: 0, receivedMs: 10, venueS: 5 },
        { sentMs: 60, receivedMs: 70, venueS: 5 },
      ]),
    ).toBeUndefined();
    expect(
      skewFromSamples([
        { sentMs: 0, receivedMs: 10, venueS: 5 },
        { sentMs: 60, receivedMs: 70, venueS: 6 },
      ]),
    ).toEqual({ offsetMs: 6_000 - 35, errorMs: 35 });
  });

  it('a venue second that never turns still gives an estimate, with a wide error', async () => {
    let now = 0;
    const skew = await measureClockSkew({
      clock: () => now,
      sleep: async (ms) => void (now += ms),
      venueTimeS: async () => 100,
    });
    expect(skew.errorMs).toBeGreaterThanOrEqual(500);
  });
});
