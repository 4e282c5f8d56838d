import { describe, expect, it } from 'vitest';
import { from, lastValueFrom, toArray } from 'rxjs';
import { parseTaps, tapDebug, TapError, TAP_NAMES } from '../../src/operators/tapDebug.js';
import type { BotEvent } from '../../src/domain/index.js';
import { bookEv, chainlink, market } from '../support/events.js';

describe('debug taps', () => {
  it('parses lists and "all"; an unknown name is an error listing the valid ones', () => {
    expect([...parseTaps('book, prices,fills')]).toEqual(['book', 'prices', 'fills']);
    expect(parseTaps(undefined).size).toBe(0);
    expect(parseTaps('all').size).toBe(TAP_NAMES.length);
    expect(() => parseTaps('book,nope')).toThrow(TapError);
    expect(() => parseTaps('nope')).toThrow(/allowed: .*volatility, qUp, regime, caps, quotes/);
  });

  it('writes {"tap","ts","value"} lines for the asked taps only and passes events through unchanged', async () => {
    const lines: string[] = [];
    const decision: BotEvent = {
      kind: 'decision',
      tsMs: 7,
      desired: {
        slug: market.slug,
        conditionId: market.conditionId,
        tsMs: 7,
        reason: 'skew_mild',
        orders: [
          {
            outcome: 'up',
            tokenId: 'UP',
            level: 0,
            side: 'BUY',
            price: 0.45,
            size: 10,
            postOnly: true,
            orderType: 'GTC',
          },
        ],
      },
    };
    const alpha: BotEvent = {
      kind: 'alpha',
      tsMs: 8,
      conditionId: 'c',
      regime: 'FAST_MOVE',
      regimeReasons: ['fast move'],
      qUp: 0.61,
      capUp: 0.59,
      capDown: 0.37,
      targetTotal: 0.95,
      sizeScalar: 0.25,
      varPerS: 4e-8,
      jumpVarPerS: 1e-8,
      driftPerS: 0,
    };
    const events: BotEvent[] = [chainlink(5, 100_000), bookEv('UP', 6, 0.4, 0.6), decision, alpha];
    const out = await lastValueFrom(
      from(events).pipe(
        tapDebug({ names: parseTaps('prices,quotes,volatility,regime'), write: (l) => lines.push(l) }),
        toArray(),
      ),
    );
    expect(out).toEqual(events);
    expect(lines.map((l) => JSON.parse(l) as unknown)).toEqual([
      { tap: 'prices', ts: 5, value: { source: 'chainlink', symbol: 'btc/usd', price: 100_000, tsMs: 5 } },
      {
        tap: 'quotes',
        ts: 7,
        value: { market: market.slug, reason: 'skew_mild', orders: [{ token: 'up', level: 0, price: 0.45, size: 10 }] },
      },
      {
        tap: 'volatility',
        ts: 8,
        value: { market: 'c', varPerS: 4e-8, jumpVarPerS: 1e-8, driftPerS: 0, volPerSqrtS: 0.0002 },
      },
      { tap: 'regime', ts: 8, value: { market: 'c', regime: 'FAST_MOVE', reasons: ['fast move'], sizeScalar: 0.25 } },
    ]);
  });
});
