// polymm_regime reads the market's last regime from the status view's fold (its one owner): a
// change sets the old regime's series to 0 and the new one's to 1; metrics keep no copy of it. Also the skip counter.
import { describe, expect, it } from 'vitest';
import type { AlphaEvent, BotEvent, Regime } from '../../src/domain/index.js';
import { createMetrics } from '../../src/sinks/metrics.js';
import { EMPTY_STATUS, foldStatus, type StatusFold } from '../../src/sinks/statusView.js';

const alpha = (tsMs: number, conditionId: string, regime: Regime): AlphaEvent => ({
  kind: 'alpha',
  tsMs,
  conditionId,
  regime,
  regimeReasons: [],
  qUp: 0.5,
  capUp: 0.5,
  capDown: 0.5,
  targetTotal: 0.98,
  sizeScalar: 1,
  varPerS: 0,
  driftPerS: 0,
});

async function regimes(events: readonly BotEvent[]): Promise<Record<string, number>> {
  const m = createMetrics(() => 0);
  // As app.ts does: each event with the status view before it.
  events.reduce((view: StatusFold, ev) => (m.observe(ev, view), foldStatus(view, ev)), EMPTY_STATUS);
  const got = await m.registry.getSingleMetric('polymm_regime')!.get();
  return Object.fromEntries(got.values.map((v) => [`${v.labels.market}:${v.labels.regime}`, v.value]));
}

describe('polymm_regime', () => {
  it('moves the 1 from the old regime to the new one, per market', async () => {
    expect(
      await regimes([
        alpha(1, 'a', 'NORMAL'),
        alpha(2, 'b', 'NORMAL'),
        alpha(3, 'a', 'FAST_MOVE'),
        alpha(4, 'a', 'FAST_MOVE'),
        alpha(5, 'a', 'STALE_ORACLE'),
      ]),
    ).toEqual({ 'a:NORMAL': 0, 'b:NORMAL': 1, 'a:FAST_MOVE': 0, 'a:STALE_ORACLE': 1 });
  });
});

describe('polymm_skipped_inputs_total', () => {
  it('counts skip events by source, and inputs the strategy refused under "strategy"', async () => {
    const m = createMetrics(() => 0);
    m.observe({ kind: 'skip', tsMs: 1, source: 'market', reason: 'bad json', raw: '{' }, EMPTY_STATUS);
    m.skipped('strategy');
    m.skipped('strategy');
    const got = await m.registry.getSingleMetric('polymm_skipped_inputs_total')!.get();
    expect(Object.fromEntries(got.values.map((v) => [v.labels.source, v.value]))).toEqual({ market: 1, strategy: 2 });
  });
});
