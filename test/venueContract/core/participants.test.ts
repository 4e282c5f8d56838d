// The simulated market must punish mistakes: its makers must not reveal the true fair value,
// informed traders take on both tokens after their latency and the taker delay, and the oracle
// lags the fast feed by 1-4 s. Virtual time only (the core is stepped), so nothing here races.
import { describe, expect, it } from 'vitest';
import { createVenueCore } from '@polymm/venue';
import { measureMarket } from '@polymm/venue';
import { INFORMED, NOISE, Participants, type ParticipantWorld } from '@polymm/venue';
import { scenarioParams, SCENARIO_PARAM_NAMES } from '@polymm/venue';
import { createRng } from '@polymm/venue';
import type { VBook, VMarket, VOrderRequest } from '@polymm/venue';
import { SIM_SCENARIO_KEYS, simScenarioOverrides } from '../../../src/config/schema.js';
import { loadConfig } from '../../../src/config/load.js';

const START = Date.UTC(2026, 10, 24, 20, 0, 0); // a 15-minute boundary

describe('simulated market: what its book shows', () => {
  const runs = [1, 2].map((seed) => measureMarket({ startMs: START, seed }, 600));

  it("the book's mid is not the true fair value (makers quote their own lagged, noisy estimates)", () => {
    for (const s of runs) {
      expect(s.midErrorMean).toBeGreaterThan(0.015);
      expect(s.midOffByTickShare).toBeGreaterThan(0.5); // the old makers (true fair - spread): 0.009-0.011 and 0.37-0.44
    }
  });

  it('informed traders take on both tokens', () => {
    for (const s of runs) {
      expect(s.informedUp).toBeGreaterThan(10);
      expect(s.informedDown).toBeGreaterThan(10);
    }
  });

  it('looks like a real 15-minute BTC book at the top: one-tick spread, about a hundred shares at the best bid', () => {
    for (const s of runs) {
      expect(s.spreadMedian).toBeCloseTo(0.01, 9);
      expect(s.topBidSizeMedian).toBeGreaterThanOrEqual(50);
      expect(s.topBidSizeMedian).toBeLessThanOrEqual(300);
    }
  });
});

describe('informed traders', () => {
  const market: VMarket = {
    conditionId: '0xc',
    slug: 's',
    question: 'q',
    tokenUp: 'U',
    tokenDown: 'D',
    startMs: START,
    endMs: START + 900_000,
    createdMs: START,
    status: 'open',
    oracleStart: 100_000,
  } as unknown as VMarket;
  function world(placed: { t: number; req: VOrderRequest }[], clock: { now: number }): ParticipantWorld {
    // BTC well above S0: Up is worth ~1, and its ask is 0.50.
    const book = (tokenId: string): VBook => ({
      tokenId,
      conditionId: '0xc',
      bids: [{ price: 0.48, size: 100 }],
      asks: [{ price: 0.5, size: 100 }],
      tsMs: clock.now,
    });
    return {
      openMarkets: () => [
        { ...market, feeSchedule: { rate: 0.072, exponent: 1, takerOnly: true, rebateRate: 0.2 } } as VMarket,
      ],
      upcomingMarkets: () => [],
      fastPrice: () => 101_000,
      fastPriceAt: () => 101_000,
      book,
      place: (req) => placed.push({ t: clock.now, req }),
      cancelMarket: () => undefined,
      shares: () => 0,
      merge: () => undefined,
      twapSoFar: () => undefined,
    };
  }

  it('reach the book only after their latency plus the 150 ms taker delay', () => {
    const p = scenarioParams('calm', {
      makers: 0,
      noiseRate: 0,
      informedRate: 0.001,
      informedLatencyMs: 300,
      takerDelayMs: 150,
    });
    const participants = new Participants(createRng(7), p, START);
    const placed: { t: number; req: VOrderRequest }[] = [];
    const clock = { now: START };
    const w = world(placed, clock);
    const decideAt = START + 700; // the first informed arrival
    for (const t of [decideAt, decideAt + 100, decideAt + 449]) {
      clock.now = t;
      participants.act(t, w);
    }
    const informed = (): (string | number)[][] =>
      placed.filter((x) => x.req.owner === INFORMED).map((x) => [x.t - decideAt, x.req.tokenId, x.req.side]);
    expect(informed()).toEqual([]);
    clock.now = decideAt + 450;
    participants.act(decideAt + 450, w);
    expect(informed()).toEqual([[450, 'U', 'BUY']]);
    // Noise traders' marketable orders are held by the taker delay too: decided at the first look
    // (+700 here), not placed at +800 (< +850), placed at the next look after that.
    const noise = placed.filter((x) => x.req.owner === NOISE).map((x) => x.t - decideAt);
    expect(noise).toHaveLength(1);
    expect(noise[0]).toBeGreaterThanOrEqual(150);
  });
});

describe('the oracle', () => {
  it('lags the fast feed by 1-4 s, a lag that wanders', () => {
    const c = createVenueCore({ startMs: START, participants: false });
    c.advance(START + 300_000);
    const prices = c.drainEvents().flatMap((e) => (e.type === 'price' ? [e] : []));
    const fastAt = new Map<number, number>();
    let last = 0;
    for (let t = START; t <= START + 300_000; t += 100) {
      const f = prices.find((e) => e.source === 'binance' && e.tsMs === t);
      if (f) last = f.value;
      fastAt.set(t, last);
    }
    const lags = prices
      .filter((e) => e.source === 'chainlink' && e.tsMs >= START + 10_000)
      .map((e) => {
        for (let lag = 0; lag <= 5_000; lag += 200)
          if (Math.abs(fastAt.get(e.tsMs - lag)! - e.value) < 1e-6) return lag;
        return -1;
      });
    // The fast feed publishes every 200 ms, so a lag is found to within 200 ms.
    expect(lags.length).toBeGreaterThan(250);
    for (const lag of lags) {
      expect(lag).toBeGreaterThanOrEqual(1_000);
      expect(lag).toBeLessThanOrEqual(4_000);
    }
    expect(new Set(lags).size).toBeGreaterThan(3);
  });
});

describe('sim.* settings', () => {
  it('every scenario parameter is a setting, and a setting reaches the scenario', () => {
    expect([...SIM_SCENARIO_KEYS].sort()).toEqual([...SCENARIO_PARAM_NAMES].sort());
    const cfg = loadConfig({ flags: { sim: { makers: 2, takerDelayMs: 250 } } });
    const p = scenarioParams(cfg.sim.scenario, simScenarioOverrides(cfg.sim));
    expect(p).toMatchObject({ makers: 2, takerDelayMs: 250, volAnnual: scenarioParams('calm').volAnnual });
  });

  it('fewer makers and no informed flow leave a thinner, quieter book', () => {
    const thin = measureMarket({ startMs: START, seed: 1, scenarioOverrides: { makers: 1, informedRate: 0 } }, 300);
    expect(thin.informedUp + thin.informedDown).toBe(0);
    expect(thin.framesPerS).toBeLessThan(measureMarket({ startMs: START, seed: 1 }, 300).framesPerS);
  });
});
