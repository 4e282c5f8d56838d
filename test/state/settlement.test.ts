// Price to beat and final price by the market's rule: the venue's TWAP cross-checked against the
// bot's own average, Gamma's figure when joining late, and the settlement events the step emits.
import { describe, expect, it } from 'vitest';
import { initialState, reduce, type BotState } from '../../src/state/botState.js';
import { marketHalts } from '../../src/state/halts.js';
import { initialStrategy, stateParams, strategyStep, type StrategyState } from '../../src/strategy/step.js';
import type { InputEvent, MarketIdentity, PriceEvent, SkipEvent } from '../../src/domain/index.js';
import { START, END, market, marketEv, chainlink, testConfig, up, clockEv } from '../support/events.js';
import { globalHalts } from '../../src/state/halts.js';

const twapMarket: MarketIdentity = { ...market, resolution: { rule: 'twap', lookbackS: 60 } };
const cfg = testConfig();
const params = stateParams(cfg);
const run = (events: InputEvent[], s: BotState = initialState()): BotState =>
  events.reduce((acc, ev) => reduce(acc, ev, params), s);
const m = (s: BotState) => s.markets.get(market.conditionId)!;
const venueTwap = (tsMs: number, price: number): PriceEvent => ({
  kind: 'price',
  tsMs,
  tick: { source: 'chainlink-twap', symbol: 'btc/usd', price, tsMs, windowS: 60 },
});

/** Chainlink ticks each second over [from, to], price = f(second). */
const ticks = (from: number, to: number, f: (t: number) => number): PriceEvent[] => {
  const out: PriceEvent[] = [];
  for (let t = from; t <= to; t += 1_000) out.push(chainlink(t, f(t)));
  return out;
};
const ramp = (t: number) => 100_000 + (t - START) / 1_000; // +1 USD a second
// Mean of ramp over the 60 ticks in (START - 60 s, START]: 100 000 − 29.5
const RAMP_TWAP = 100_000 - 29.5;

describe('TWAP price to beat', () => {
  it("is the bot's own 60 s average of Chainlink ticks when no venue TWAP arrives", () => {
    const s = run([marketEv(START - 90_000, twapMarket), ...ticks(START - 80_000, START + 1_000, ramp)]);
    expect(m(s).s0).toBeCloseTo(RAMP_TWAP, 9);
    expect(m(s).s0Source).toBe('ownTwap');
    expect(marketHalts(m(s))).toEqual([]);
  });

  it("is the venue's TWAP at the start when it agrees with the bot's own average", () => {
    const s = run([
      marketEv(START - 90_000, twapMarket),
      ...ticks(START - 80_000, START + 1_000, ramp),
      venueTwap(START, RAMP_TWAP + 0.01),
    ]);
    expect(m(s).s0).toBe(RAMP_TWAP + 0.01);
    expect(m(s).s0Source).toBe('venueTwap');
    expect(marketHalts(m(s))).toEqual([]);
  });

  it('pauses the market with a reason when the venue TWAP and the own average disagree', () => {
    const s = run([
      marketEv(START - 90_000, twapMarket),
      ...ticks(START - 80_000, START + 1_000, ramp),
      venueTwap(START, RAMP_TWAP + 200),
    ]);
    expect(marketHalts(m(s))).toContain('s0_disagree');
    expect(m(s).settlement.disagree).toMatch(/venue TWAP .* vs own average/);
    // Gamma's published figure settles the dispute (here it sides with the venue).
    const settled = run([marketEv(START + 3_000, { ...twapMarket, priceToBeat: RAMP_TWAP + 200 })], s);
    expect(marketHalts(m(settled))).toEqual([]);
    expect(m(settled)).toMatchObject({ s0: RAMP_TWAP + 200, s0Source: 'venueTwap' });
  });

  it("joining late: the venue's TWAP at the start if it was seen, else Gamma's priceToBeat, else not quoted", () => {
    const late = [marketEv(START + 30_000, twapMarket), ...ticks(START + 30_000, START + 32_000, ramp)];
    expect(marketHalts(m(run(late)))).toEqual(['no_s0_joined_late']);
    const withGamma = run([...late, marketEv(START + 33_000, { ...twapMarket, priceToBeat: 99_970.55 })]);
    expect(m(withGamma)).toMatchObject({ s0: 99_970.55, s0Source: 'gamma' });
    const withVenue = run([venueTwap(START, 99_971), ...late]);
    expect(m(withVenue)).toMatchObject({ s0: 99_971, s0Source: 'venueTwap' });
  });

  it('a gap in the ticks inside the averaging window: the own figure is not trusted', () => {
    const gappy = ticks(START - 80_000, START + 1_000, ramp).filter(
      (e) => e.tsMs < START - 30_000 || e.tsMs > START - 20_000,
    );
    const s = run([marketEv(START - 90_000, twapMarket), ...gappy]);
    expect(m(s).s0).toBeUndefined();
    expect(m(s).settlement.missed).toMatch(/gap of 12000 ms/);
  });

  it('a rule the bot cannot establish is not quoted', () => {
    const s = run([
      marketEv(START - 90_000, { ...market, resolution: { rule: 'unknown', reason: 'x' } }),
      ...ticks(START - 80_000, START + 1_000, ramp),
    ]);
    expect(marketHalts(m(s))).toContain('resolution_unknown');
  });
});

describe('settlement events', () => {
  const step = (events: InputEvent[]) => {
    let st: StrategyState = initialStrategy(['market']);
    const out = [];
    for (const ev of events) {
      const r = strategyStep(st, ev, cfg);
      st = r.state;
      out.push(...r.out.filter((o) => o.kind === 'settlement'));
    }
    return out;
  };

  it('report the rule and price to beat, then the final price and the winner (final >= price to beat)', () => {
    const evs = step([
      up('market', START - 90_000),
      marketEv(START - 90_000, twapMarket),
      ...ticks(START - 80_000, END + 1_000, ramp),
      marketEv(END + 2_000, { ...twapMarket, priceToBeat: RAMP_TWAP + 0.02, finalPrice: 100_900 - 29.5 + 0.03 }),
    ]);
    expect(evs[0]).toMatchObject({ kind: 'settlement', slug: market.slug, rule: 'twap', lookbackS: 60 });
    const withPtb = evs.find((e) => e.kind === 'settlement' && e.priceToBeat !== undefined);
    expect(withPtb).toMatchObject({ priceToBeat: RAMP_TWAP, priceToBeatSource: 'ownTwap' });
    const last = evs[evs.length - 1]!;
    expect(last).toMatchObject({
      finalPrice: 100_900 - 29.5,
      winner: 'up',
      gammaPriceToBeat: RAMP_TWAP + 0.02,
      gammaDiff: 0.02,
      gammaFinalDiff: 0.03,
    });
    // one event per change, not per tick
    expect(evs.length).toBeLessThan(6);
  });

  it('the qUp of a TWAP market says it came from the TWAP model', () => {
    let st: StrategyState = initialStrategy(['market']);
    const alphas = [];
    for (const ev of [
      up('market', START - 90_000),
      marketEv(START - 90_000, twapMarket),
      ...ticks(START - 80_000, START + 5_000, ramp),
    ]) {
      const r = strategyStep(st, ev, cfg);
      st = r.state;
      alphas.push(...r.out.filter((o) => o.kind === 'alpha'));
    }
    expect(alphas.at(-1)).toMatchObject({ model: 'twap' });
  });
});

describe('implausible prices', () => {
  it('a suspect feed (a rejected price) halts quoting for prices.suspectHoldMs', () => {
    const skip: SkipEvent = {
      kind: 'skip',
      tsMs: START,
      source: 'prices',
      reason: 'implausible: chainlink price 1e12',
      raw: '',
      suspect: 'chainlink',
    };
    const s = run([up('market', START - 1), up('user', START - 1), skip]);
    expect(globalHalts(s)).toEqual(['prices_suspect']);
    expect(globalHalts(run([clockEv(START + cfg.prices.suspectHoldMs)], s))).toEqual([]);
  });
});
