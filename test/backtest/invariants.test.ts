// The backtest's invariant checker on hand-made events: each kind of breach is counted where it
// happens and only there, so a backtest reporting `orders_after_cutoff: 0` or
// `invariant_breaches: 0` says something (the counters are not stuck at 0).
import { describe, expect, it } from 'vitest';
import { InvariantChecker } from '../../src/backtest/invariants.js';
import type { AlphaEvent, DesiredOrder, ExecutionEvent } from '../../src/domain/index.js';
import { END, START, market, marketEv } from '../support/events.js';

const CUTOFF_MS = 60_000;
const checker = (modelCaps = true): InvariantChecker => {
  const c = new InvariantChecker({ cutoffMs: CUTOFF_MS, modelCaps, combinedLimit: 0.99 });
  c.observe(marketEv(START));
  return c;
};
const post = (tsMs: number, price = 0.4, size = 10, over: Partial<ExecutionEvent> = {}): ExecutionEvent => ({
  kind: 'execution',
  tsMs,
  conditionId: market.conditionId,
  action: 'post',
  ok: true,
  orderId: `o${tsMs}`,
  tokenId: market.tokenUp,
  price,
  size,
  ...over,
});
const alpha = (capUp: number, capDown: number, targetTotal: number): AlphaEvent => ({
  kind: 'alpha',
  tsMs: START,
  conditionId: market.conditionId,
  regime: 'NORMAL',
  regimeReasons: [],
  qUp: 0.5,
  capUp,
  capDown,
  targetTotal,
  sizeScalar: 1,
  varPerS: 1e-8,
  driftPerS: 0,
});
const bid = (outcome: 'up' | 'down', price: number): DesiredOrder => ({
  outcome,
  tokenId: outcome === 'up' ? market.tokenUp : market.tokenDown,
  level: 0,
  side: 'BUY',
  price,
  size: 10,
  postOnly: true,
  orderType: 'GTC',
});
const decision = (...orders: DesiredOrder[]) => ({
  kind: 'decision' as const,
  tsMs: START,
  desired: { slug: market.slug, conditionId: market.conditionId, orders, tsMs: START },
});
const counts = (c: InvariantChecker): Record<string, number> => Object.fromEntries(c.breaches);

describe('backtest invariant checker', () => {
  it('a post at or after the cutoff counts as after_cutoff; one just before does not', () => {
    const c = checker();
    c.observe(post(END - CUTOFF_MS - 1));
    expect(c.total).toBe(0);
    c.observe(post(END - CUTOFF_MS));
    c.observe(post(END - 1));
    expect(counts(c)).toEqual({ after_cutoff: 2 });
  });

  it('a post or taker order after stop counts; a failed post, a cancel or a cancel-all does not', () => {
    const c = checker();
    c.stopped(START + 10_000);
    c.observe(post(START + 10_000, 0.4, 10, { ok: false }));
    c.observe(post(START + 10_000, 0.4, 10, { action: 'cancel' }));
    c.observe(post(START + 10_000, 0.4, 10, { action: 'cancelAll' }));
    expect(c.total).toBe(0);
    c.observe(post(START + 10_000));
    c.observe(post(START + 20_000, 0.6, 10, { action: 'taker' }));
    expect(counts(c)).toEqual({ after_stop: 2 });
  });

  it('prices off the tick grid or outside [tick, 1 - tick], and sizes below the minimum, count', () => {
    const c = checker();
    c.observe(post(START, 0.01));
    c.observe(post(START, 0.99));
    c.observe(post(START, 0.4, market.minSize));
    expect(c.total).toBe(0);
    c.observe(post(START, 0.405));
    c.observe(post(START, 0));
    c.observe(post(START, 1));
    c.observe(post(START, 0.4, market.minSize - 0.5));
    expect(counts(c)).toEqual({ off_grid: 1, out_of_range: 2, below_min_size: 1 });
  });

  it('the spec strategy: a desired price above its cap, or a combined best bid above its target total, counts', () => {
    const c = checker();
    c.observe(alpha(0.5, 0.45, 0.96));
    c.observe(decision(bid('up', 0.5), bid('down', 0.45)));
    expect(c.total).toBe(0);
    c.observe(decision(bid('up', 0.51)));
    c.observe(alpha(0.6, 0.6, 0.96));
    c.observe(decision(bid('up', 0.5), bid('down', 0.47)));
    expect(counts(c)).toEqual({ above_cap: 1, combined_over_target: 1 });
  });

  it('a baseline: only its combined bid limit counts (no model caps)', () => {
    const c = checker(false);
    c.observe(decision(bid('up', 0.6), bid('down', 0.39)));
    expect(c.total).toBe(0);
    c.observe(decision(bid('up', 0.6), bid('down', 0.4)));
    expect(counts(c)).toEqual({ combined_over_target: 1 });
  });
});
