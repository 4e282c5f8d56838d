// Full sets merged on chain leave the quoting inventory: the strategy sizes from what is still held,
// and the merge's collateral is realized (the loss check agrees with the wallet).
import { describe, expect, it } from 'vitest';
import { initialState, reduce, type BotState } from '../../src/state/botState.js';
import { dailyPnl } from '../../src/state/risk.js';
import { stateParams } from '../../src/strategy/step.js';
import { isInput } from '../../src/replay/replay.js';
import type { InputEvent, InventoryOpEvent } from '../../src/domain/index.js';
import { START, market, marketEv, fillEv, testConfig } from '../support/events.js';

const params = stateParams(testConfig());
const run = (events: InputEvent[], s: BotState = initialState()): BotState =>
  events.reduce((acc, ev) => reduce(acc, ev, params), s);
const inv = (s: BotState) => s.markets.get(market.conditionId)!.inventory;
const mergeOp = (tsMs: number, sets: number, phase: InventoryOpEvent['phase'] = 'done'): InventoryOpEvent => ({
  kind: 'inventoryOp',
  tsMs,
  id: `merge:${market.conditionId}:0`,
  action: 'merge',
  conditionId: market.conditionId,
  phase,
  sets,
  ...(phase === 'done' ? { proceedsUsdc: sets } : {}),
});

describe('merged sets and the quoting inventory', () => {
  const bought = [
    marketEv(START + 1_000),
    fillEv('UP', 30, 0.4, START + 2_000),
    fillEv('DOWN', 20, 0.5, START + 3_000),
  ];

  it('a done merge takes the sets out at average cost and realizes sets − their cost', () => {
    const s = run([...bought, mergeOp(START + 4_000, 20)]);
    expect(inv(s).up.shares).toBeCloseTo(10, 9);
    expect(inv(s).down.shares).toBeCloseTo(0, 9);
    expect(inv(s).up.notional).toBeCloseTo(10 * 0.4, 9);
    expect(inv(s).down.notional).toBeCloseTo(0, 9);
    // 20 sets cost 20 × (0.4 + 0.5) = 18 and returned 20.
    expect(s.risk.realizedUsdc).toBeCloseTo(2, 9);
  });

  it('the loss check gains exactly what the merge paid over the sets’ cost', () => {
    const before = run(bought);
    const after = run([mergeOp(START + 4_000, 20)], before);
    // Without books each side is marked at its cost: merging realizes the 2 USDC a set pays over cost.
    expect(dailyPnl(after) - dailyPnl(before)).toBeCloseTo(2, 9);
  });

  it('sent or failed merges, and merges of unknown markets, change nothing', () => {
    const s = run(bought);
    expect(run([mergeOp(START + 4_000, 20, 'sent')], s).markets).toBe(s.markets);
    expect(run([mergeOp(START + 4_000, 20, 'failed')], s).markets).toBe(s.markets);
    expect(run([{ ...mergeOp(START + 4_000, 20), conditionId: '0xother' }], s).markets).toBe(s.markets);
  });

  it('never merges more than the paired shares', () => {
    const s = run([...bought, mergeOp(START + 4_000, 50)]);
    expect(inv(s).up.shares).toBeCloseTo(10, 9);
    expect(inv(s).down.shares).toBeCloseTo(0, 9);
  });
});

describe('replay', () => {
  it('takes completed merges as inputs, as the live strategy does, and no other settlement record', () => {
    expect(isInput(mergeOp(START, 5))).toBe(true);
    expect(isInput(mergeOp(START, 5, 'sent'))).toBe(false);
    expect(isInput(mergeOp(START, 5, 'failed'))).toBe(false);
    expect(isInput({ ...mergeOp(START, 5), action: 'redeem' })).toBe(false);
  });
});
