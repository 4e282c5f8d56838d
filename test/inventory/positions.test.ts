// What is held on chain per market, folded from the bot's events: CONFIRMED fills once, pending and
// reversed ones never; merges and redemptions of our own take it off. And the live PnL event: once
// per market, only when resolved, with the running total.
import { describe, expect, it } from 'vitest';
import type { BotEvent, FillEvent, InventoryOpEvent } from '../../src/domain/index.js';
import { foldPositions, NO_POSITIONS, positionsForEngine, type ChainPositions } from '../../src/inventory/positions.js';
import { LivePnl } from '../../src/resolver/livePnl.js';
import { END, fillEv, market, marketEv } from '../support/events.js';

const confirmed = (f: FillEvent): FillEvent => ({ ...f, fill: { ...f.fill, status: 'CONFIRMED' } });
const fold = (evs: readonly BotEvent[]): ChainPositions => evs.reduce(foldPositions, NO_POSITIONS);
const op = (
  action: 'merge' | 'redeem',
  phase: InventoryOpEvent['phase'],
  proceedsUsdc: number,
  sets?: number,
): InventoryOpEvent => ({
  kind: 'inventoryOp',
  tsMs: END,
  id: `${action}:${market.conditionId}:0`,
  action,
  conditionId: market.conditionId,
  phase,
  proceedsUsdc,
  ...(sets !== undefined ? { sets } : {}),
});

describe('chain positions', () => {
  it('count a fill once it is CONFIRMED (fill or tradeStatus, duplicates once), never while pending or when reversed', () => {
    const a = fillEv('UP', 10, 0.45, 1, 'a');
    const b = fillEv('DOWN', 7, 0.5, 2, 'b');
    const c = fillEv('DOWN', 3, 0.5, 3, 'c');
    const ps = fold([
      marketEv(0),
      a,
      confirmed(a),
      confirmed(a),
      b,
      { kind: 'tradeStatus', tsMs: 4, fill: confirmed(b).fill },
      c,
      { ...c, reversal: true },
    ]);
    expect(positionsForEngine(ps)).toEqual([
      { conditionId: market.conditionId, up: 10, down: 7, endMs: market.endMs, resolved: false },
    ]);
  });

  it('a done merge takes its sets off, a failed one nothing, a redemption all; resolution is remembered', () => {
    const evs: BotEvent[] = [
      marketEv(0),
      confirmed(fillEv('UP', 10, 0.45, 1, 'a')),
      confirmed(fillEv('DOWN', 7, 0.5, 2, 'b')),
    ];
    expect(positionsForEngine(fold([...evs, op('merge', 'failed', 0, 7)]))[0]).toMatchObject({ up: 10, down: 7 });
    const merged = fold([
      ...evs,
      op('merge', 'sent', 0, 7),
      op('merge', 'done', 7, 7),
      { kind: 'marketResolved', tsMs: END, conditionId: market.conditionId, winningTokenId: 'UP', winner: 'up' },
    ]);
    expect(positionsForEngine(merged)).toEqual([
      { conditionId: market.conditionId, up: 3, down: 0, endMs: market.endMs, resolved: true },
    ]);
    expect(positionsForEngine(foldPositions(merged, op('redeem', 'done', 3)))).toEqual([]);
  });
});

describe('live PnL', () => {
  it('reports a traded market once, after its resolution, with the running total', () => {
    const pnl = new LivePnl();
    const evs: BotEvent[] = [
      marketEv(0),
      confirmed(fillEv('UP', 10, 0.45, 1, 'a')),
      confirmed(fillEv('DOWN', 10, 0.5, 2, 'b')),
      op('merge', 'done', 10, 10),
    ];
    evs.forEach((e) => pnl.record(e));
    expect(pnl.traded()).toEqual([market.conditionId]);
    expect(pnl.settle(market.conditionId, END)).toBeUndefined(); // not resolved yet
    pnl.record({
      kind: 'marketResolved',
      tsMs: END,
      conditionId: market.conditionId,
      winningTokenId: 'UP',
      winner: 'up',
    });
    const ev = pnl.settle(market.conditionId, END + 1);
    // 10 sets bought for 0.95 each, merged for 1: 0.5, plus the estimated maker rebates.
    expect(ev).toMatchObject({
      kind: 'marketPnl',
      conditionId: market.conditionId,
      winner: 'up',
      merges: 1,
      mergeProceedsUsdc: 10,
    });
    expect(ev!.realizedPnlUsdc).toBeCloseTo(0.5 + ev!.rebatesUsdc, 6);
    expect(ev!.totalRealizedUsdc).toBe(ev!.realizedPnlUsdc);
    expect(pnl.traded()).toEqual([]);
    pnl.record(fillEv('UP', 1, 0.5, 9, 'late'));
    expect(pnl.settle(market.conditionId, END + 2)).toBeUndefined(); // once per market
  });
});
