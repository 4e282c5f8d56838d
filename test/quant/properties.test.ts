// Property tests over random inputs: the safety invariants of the quote engine hold everywhere.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { MarketIdentity } from '../../src/domain/index.js';
import {
  classifyToxicity,
  enforceCombinedCap,
  isOnGrid,
  quoteMarket,
  roundAskUp,
  roundBidDown,
} from '../../src/quant/index.js';
import { loadConfig } from '../../src/config/load.js';

const cfg = loadConfig({});
const tickArb = fc.constantFrom(0.01, 0.001, 0.1);
const priceArb = fc.double({ min: -0.5, max: 1.5, noNaN: true });

const market = (tick: number, minSize: number): MarketIdentity => ({
  slug: 's',
  conditionId: 'c',
  question: 'q',
  tokenUp: 'U',
  tokenDown: 'D',
  startMs: 0,
  endMs: 900_000,
  tickSize: tick,
  minSize,
  negRisk: false,
  feesEnabled: true,
  feeSchedule: { rate: 0.072, exponent: 1, takerOnly: true, rebateRate: 0.2 },
  acceptingOrders: true,
  active: true,
  closed: false,
  resolutionSource: 'x',
});

describe('properties', () => {
  it('tick rounding stays on the grid, within bounds, and is idempotent', () => {
    fc.assert(
      fc.property(priceArb, tickArb, (p, tick) => {
        for (const f of [roundBidDown, roundAskUp]) {
          const r = f(p, tick);
          expect(isOnGrid(r, tick)).toBe(true);
          expect(f(r, tick)).toBe(r);
        }
        if (p >= tick && p <= 1 - tick) {
          expect(roundBidDown(p, tick)).toBeLessThanOrEqual(p + 1e-9);
          expect(roundAskUp(p, tick)).toBeGreaterThanOrEqual(p - 1e-9);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('enforceCombinedCap holds the target on the grid', () => {
    fc.assert(
      fc.property(
        priceArb,
        priceArb,
        fc.double({ min: 0.02, max: 0.999, noNaN: true }),
        tickArb,
        (a, b, target, tick) => {
          fc.pre(target >= 2 * tick);
          const r = enforceCombinedCap(a, b, target, tick);
          expect(r.pUp + r.pDown).toBeLessThanOrEqual(target + 1e-9);
          expect(isOnGrid(r.pUp, tick) && isOnGrid(r.pDown, tick)).toBe(true);
        },
      ),
      { numRuns: 500 },
    );
  });

  const topArb = (tick: number) =>
    fc.option(
      fc.integer({ min: 1, max: Math.round(1 / tick) - 1 }).map((n) => n * tick),
      { nil: undefined },
    );

  it('quoteMarket: on grid, in bounds, >= min size, never crossing, combined cap held, finite', () => {
    fc.assert(
      fc.property(
        tickArb.chain((tick) =>
          fc.record({
            tick: fc.constant(tick),
            bidUp: topArb(tick),
            askUp: topArb(tick),
            bidDown: topArb(tick),
            askDown: topArb(tick),
            qUp: fc.oneof(fc.double({ min: 0, max: 1, noNaN: true }), fc.constant(NaN)),
            target: fc.double({ min: 0.9, max: 0.99, noNaN: true }),
            nowMs: fc.integer({ min: -1000, max: 1_000_000 }),
            minSize: fc.constantFrom(1, 5, 15),
            up: fc.double({ min: 0, max: 300, noNaN: true }),
            down: fc.double({ min: 0, max: 300, noNaN: true }),
            stale: fc.boolean(),
            halted: fc.boolean(),
            levels: fc.integer({ min: 1, max: 6 }),
          }),
        ),
        (r) => {
          const m = market(r.tick, r.minSize);
          const tox = classifyToxicity(
            {
              nowMs: r.nowMs,
              varPerS: 1e-8,
              chainlink: r.stale ? undefined : { price: 1e5, tsMs: r.nowMs },
              binance: { price: 1e5, tsMs: r.nowMs },
            },
            cfg.alpha,
          );
          const set = quoteMarket(
            {
              nowMs: r.nowMs,
              market: m,
              qUp: r.qUp,
              toxicity: tox,
              targetTotal: r.target,
              halts: r.halted ? ['heartbeat_down'] : [],
              inventory: {
                up: { shares: r.up, notional: r.up * 0.4 },
                down: { shares: r.down, notional: r.down * 0.4 },
                lastTradeMs: 0,
              },
              bookUp: { bestBid: r.bidUp, bestAsk: r.askUp, tickSize: r.tick, tsMs: 0 },
              bookDown: { bestBid: r.bidDown, bestAsk: r.askDown, tickSize: r.tick, tsMs: 0 },
            },
            { cutoffMs: 60_000, requiredEdge: 0.02, ladder: { ...cfg.ladder, levels: r.levels }, skew: cfg.skew },
          );
          if (r.stale || r.halted || r.nowMs >= m.endMs - 60_000 || r.nowMs < m.startMs) expect(set.orders).toEqual([]);
          for (const o of set.orders) {
            expect(Number.isFinite(o.price) && Number.isFinite(o.size)).toBe(true);
            expect(isOnGrid(o.price, r.tick)).toBe(true);
            expect(o.size).toBeGreaterThanOrEqual(r.minSize);
            const ask = o.outcome === 'up' ? r.askUp : r.askDown;
            if (ask !== undefined) expect(o.price).toBeLessThan(ask - 1e-9);
          }
          const byLevel = (o: string, l: number) => set.orders.find((x) => x.outcome === o && x.level === l);
          for (let l = 0; l < r.levels; l++) {
            const u = byLevel('up', l);
            const d = byLevel('down', l);
            if (u && d) expect(u.price + d.price).toBeLessThanOrEqual(r.target + 1e-9);
          }
          const topUp = set.orders.filter((o) => o.outcome === 'up').reduce((m2, o) => Math.max(m2, o.price), 0);
          const topDown = set.orders.filter((o) => o.outcome === 'down').reduce((m2, o) => Math.max(m2, o.price), 0);
          if (topUp > 0 && topDown > 0) expect(topUp + topDown).toBeLessThanOrEqual(r.target + 1e-9);
        },
      ),
      { numRuns: 1000 },
    );
  });
});
