// An input the strategy cannot apply (a corrupted log's, or a bug upstream) is skipped: the state
// before it stands, the pipeline goes on, and the skip is reported. Before, a market with a negative
// tick size made the completion-cap grid search run without end (the event-log fuzz test hung).
import { from, lastValueFrom, toArray } from 'rxjs';
import { describe, expect, it } from 'vitest';
import type { InputEvent } from '../../src/domain/index.js';
import { strategy } from '../../src/operators/strategy.js';
import { reduce, UnusableInput } from '../../src/state/botState.js';
import { initialStrategy, stateParams } from '../../src/strategy/step.js';
import { ParseError, tick } from '../../src/wire/fields.js';
import { START, healthyOpening, market, marketEv, testConfig } from '../support/events.js';

const cfg = testConfig();

describe('inputs the strategy cannot apply', () => {
  it.each([-1, 0, 5e-324, 1e-9, 0.05, 1, NaN])('a market with tick size %s is refused by the reducer', (t) => {
    const s = initialStrategy().bot;
    expect(() => reduce(s, marketEv(START, { ...market, tickSize: t }), stateParams(cfg))).toThrow(UnusableInput);
  });

  it('a tick size change off the CLOB grid is refused; the wire parser says why', () => {
    const s = reduce(initialStrategy().bot, marketEv(START), stateParams(cfg));
    const ev: InputEvent = {
      kind: 'tickSize',
      tsMs: START,
      conditionId: market.conditionId,
      tokenId: market.tokenUp,
      tickSize: -0.01,
    };
    expect(() => reduce(s, ev, stateParams(cfg))).toThrow(UnusableInput);
    expect(() => tick({ new_tick_size: '0.05' }, 'new_tick_size')).toThrow(ParseError);
    expect(tick({ new_tick_size: '0.001' }, 'new_tick_size')).toBe(0.001);
  });

  it('the operator skips it, reports it, and decides on the next inputs as if it never came', async () => {
    const bad = marketEv(START - 2_000, { ...market, tickSize: -1 });
    const skipped: string[] = [];
    const run = (evs: InputEvent[]) =>
      lastValueFrom(
        from(evs).pipe(
          strategy(cfg, undefined, (ev) => skipped.push(ev.kind)),
          toArray(),
        ),
      );
    const clean = await run(healthyOpening());
    const withBad = await run([bad, ...healthyOpening()]);
    expect(skipped).toEqual(['market']);
    expect(withBad).toEqual(clean);
    expect(clean.some((e) => e.kind === 'decision')).toBe(true);
  });
});
