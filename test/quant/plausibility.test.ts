// Implausible reference prices are rejected (1e12, −1, 0, NaN, a 20 % jump the other feed does not
// confirm), counted as skips that mark the feed suspect; real moves confirmed by the other feed pass.
import { describe, expect, it } from 'vitest';
import { firstValueFrom, from, toArray } from 'rxjs';
import type { PriceEvent, PriceSource } from '../../src/domain/index.js';
import { implausibility, screenTick, type ScreenState } from '../../src/quant/index.js';
import { screenPrices, type PriceFeedEvent } from '../../src/streams/prices.js';

const P = { maxJump: 0.05, memoryMs: 60_000 };
const tick = (source: PriceSource, tsMs: number, price: number) => ({ source, symbol: 's', price, tsMs });
const ev = (source: PriceSource, tsMs: number, price: number): PriceEvent => ({
  kind: 'price',
  tsMs,
  tick: tick(source, tsMs, price),
});
const state = (...pts: [PriceSource, number, number][]): ScreenState =>
  new Map(pts.map(([s, t, p]) => [s, { tsMs: t, price: p }]));

describe('implausibility', () => {
  const s = state(['chainlink', 1_000, 100_000], ['binance', 1_000, 100_010]);
  it('rejects non-positive and non-finite prices', () => {
    for (const p of [0, -1, Number.NaN, Infinity])
      expect(implausibility(s, tick('chainlink', 2_000, p), P)).toMatch(/not a positive number/);
  });

  it('rejects 1e12 and a 20 % jump unconfirmed by the other feed; accepts a normal tick', () => {
    expect(implausibility(s, tick('chainlink', 2_000, 1e12), P)).toMatch(/jumps/);
    expect(implausibility(s, tick('chainlink', 2_000, 120_000), P)).toMatch(/jumps 20\.0%/);
    expect(implausibility(s, tick('binance', 2_000, 80_000), P)).toMatch(/jumps -20\.0%/);
    expect(implausibility(s, tick('chainlink', 2_000, 100_050), P)).toBeUndefined();
  });

  it('accepts a jump the other feed confirms, and a first price near the other feed', () => {
    const moved = state(['chainlink', 1_000, 100_000], ['binance', 1_500, 108_000]);
    expect(implausibility(moved, tick('chainlink', 2_000, 107_900), P)).toBeUndefined();
    expect(implausibility(state(['chainlink', 1_000, 100_000]), tick('binance', 2_000, 100_020), P)).toBeUndefined();
    expect(implausibility(state(['chainlink', 1_000, 100_000]), tick('binance', 2_000, 1e12), P)).toMatch(
      /from the other feed/,
    );
  });

  it('an old price no longer judges: after memoryMs a feed may restart anywhere', () => {
    expect(implausibility(state(['chainlink', 1_000, 100_000]), tick('chainlink', 62_000, 130_000), P)).toBeUndefined();
  });

  it('rejected ticks leave the state unchanged', () => {
    expect(screenTick(s, tick('chainlink', 2_000, 1e12), P).state).toBe(s);
  });
});

describe('screenPrices (the prices stream edge)', () => {
  it('turns implausible ticks into skips that name the suspect feed, and passes the rest', async () => {
    const input: PriceFeedEvent[] = [
      ev('chainlink', 1_000, 100_000),
      ev('chainlink', 2_000, 1e12),
      ev('chainlink', 3_000, -1),
      ev('chainlink', 4_000, 0),
      ev('chainlink', 5_000, 100_010),
    ];
    const out = await firstValueFrom(
      from(input).pipe(
        screenPrices(P, () => 42),
        toArray(),
      ),
    );
    expect(out.map((e) => e.kind)).toEqual(['price', 'skip', 'skip', 'skip', 'price']);
    expect(out[1]).toMatchObject({
      kind: 'skip',
      source: 'prices',
      suspect: 'chainlink',
      tsMs: 42,
      reason: expect.stringMatching(/^implausible: chainlink price 1000000000000 jumps/),
    });
  });
});
