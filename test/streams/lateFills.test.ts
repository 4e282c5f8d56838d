// Fills read back from the venue after the final cancel-all: only those the run never counted, each
// once, none from a failed trade, oldest first.
import { describe, expect, it } from 'vitest';
import { RunFills } from '../../src/streams/lateFills.js';
import type { UserTradeMsg } from '../../src/wire/user.js';
import { market, START } from '../support/events.js';

const me = { apiKey: 'key', address: '0xme', orderIds: new Set<string>() };
const trade = (tradeId: string, tsMs: number, over: Partial<UserTradeMsg> = {}): UserTradeMsg => ({
  type: 'trade',
  tradeId,
  status: 'MATCHED',
  conditionId: market.conditionId,
  tokenId: market.tokenUp,
  side: 'BUY',
  price: 0.45,
  size: 10,
  feeRateBps: 0,
  takerOrderId: `taker-${tradeId}`,
  traderSide: 'TAKER',
  owner: 'key',
  makers: [],
  tsMs,
  ...over,
});

describe('RunFills', () => {
  it('gives the fills the run never counted, once, oldest first, none of a failed trade or an unknown market', () => {
    const run = new RunFills();
    run.observe({ kind: 'market', tsMs: START, market });
    const [counted] = run.unseen([trade('t1', START + 1_000)], me);
    run.observe(counted!); // as the feed had delivered it
    const out = run.unseen(
      [
        trade('t1', START + 1_000, { status: 'CONFIRMED' }),
        trade('t3', START + 3_000),
        trade('t2', START + 2_000),
        trade('t4', START + 4_000, { status: 'FAILED' }),
        trade('t5', START + 5_000, { conditionId: '0xother' }),
      ],
      me,
    );
    expect(out.map((e) => [e.fill.tradeId, e.fill.outcome, e.reversal])).toEqual([
      ['t2', 'up', false],
      ['t3', 'up', false],
    ]);
    expect(run.unseen([trade('t2', START + 2_000), trade('t3', START + 3_000)], me)).toEqual([]);
  });

  it('forgets a market an hour after its end, once a new one comes (a long run keeps a handful)', () => {
    const run = new RunFills();
    run.observe({ kind: 'market', tsMs: START - 60_000, market });
    const next = { ...market, conditionId: '0xnext', startMs: market.endMs, endMs: market.endMs + 900_000 };
    const later = {
      ...market,
      conditionId: '0xlater',
      startMs: market.endMs + 3_600_000,
      endMs: market.endMs + 4_500_000,
    };
    run.observe({ kind: 'market', tsMs: market.endMs - 60_000, market: next });
    // Within the hour: the market is still known.
    expect(run.unseen([trade('a', market.endMs - 5_000)], me)).toHaveLength(1);
    run.observe({ kind: 'market', tsMs: market.endMs + 3_600_001, market: later });
    expect(run.unseen([trade('b', market.endMs - 4_000)], me)).toEqual([]);
    expect(run.unseen([trade('c', market.endMs + 3_600_100, { conditionId: '0xnext' })], me)).toHaveLength(1);
  });
});
