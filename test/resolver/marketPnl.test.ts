import { describe, expect, it } from 'vitest';
import { marketPnls, pnlTotals } from '../../src/resolver/marketPnl.js';
import type { BotEvent, Fill, InventoryOpEvent } from '../../src/domain/index.js';
import { START, END, market, marketEv } from '../support/events.js';

const fill = (id: string, outcome: 'up' | 'down', size: number, price: number, role: Fill['role'] = 'MAKER'): Fill => ({
  tradeId: id,
  orderId: `o${id}`,
  conditionId: market.conditionId,
  tokenId: outcome === 'up' ? 'UP' : 'DOWN',
  outcome,
  side: 'BUY',
  price,
  size,
  role,
  feeRateBps: 720,
  status: 'MATCHED',
  tsMs: START + 1,
});
const op = (
  action: 'merge' | 'redeem',
  proceedsUsdc: number,
  phase: InventoryOpEvent['phase'] = 'done',
): InventoryOpEvent => ({
  kind: 'inventoryOp',
  tsMs: END,
  id: `${action}:${market.conditionId}:0`,
  action,
  conditionId: market.conditionId,
  phase,
  proceedsUsdc,
});

describe('per-market PnL', () => {
  it('spread, fees, estimated rebates, merge and redemption; a FAILED fill does not count; realized = cash out − cash in', () => {
    const failed = fill('f', 'down', 50, 0.3);
    const events: BotEvent[] = [
      marketEv(START),
      { kind: 'fill', tsMs: START + 1, fill: fill('a', 'up', 10, 0.45), reversal: false },
      { kind: 'fill', tsMs: START + 2, fill: fill('b', 'down', 10, 0.5), reversal: false },
      { kind: 'fill', tsMs: START + 3, fill: fill('c', 'up', 5, 0.6, 'TAKER'), reversal: false },
      { kind: 'fill', tsMs: START + 4, fill: failed, reversal: false },
      { kind: 'tradeStatus', tsMs: START + 5, fill: { ...fill('a', 'up', 10, 0.45), status: 'CONFIRMED' } },
      { kind: 'fill', tsMs: START + 6, fill: { ...failed, status: 'FAILED' }, reversal: true },
      op('merge', 10, 'sent'),
      op('merge', 10),
      { kind: 'marketResolved', tsMs: END + 1, conditionId: market.conditionId, winningTokenId: 'UP', winner: 'up' },
      op('redeem', 5),
    ];
    const [row] = marketPnls(events);
    const fee = 5 * 0.072 * 0.6 * 0.4;
    const rebates = 0.2 * 0.072 * (10 * 0.45 * 0.55 + 10 * 0.5 * 0.5);
    expect(row).toMatchObject({
      slug: market.slug,
      winner: 'up',
      fills: 3,
      merges: 1,
      redemptions: 1,
      up: 0,
      down: 0,
      mergeProceedsUsdc: 10,
      redemptionUsdc: 5,
    });
    expect(row!.boughtUsdc).toBeCloseTo(4.5 + 5 + 3, 6);
    expect(row!.feesUsdc).toBeCloseTo(fee, 6);
    expect(row!.rebatesUsdc).toBeCloseTo(rebates, 6);
    expect(row!.spreadCapturedUsdc).toBeCloseTo(10 * (1 - (7.5 / 15 + 0.5)), 6);
    expect(row!.realizedPnlUsdc).toBeCloseTo(15 - 12.5 - fee + rebates, 6);
    expect(pnlTotals([row!])).toMatchObject({ markets: 1, merges: 1, redemptions: 1 });
  });

  it('unresolved: no realized PnL; resolved but not redeemed: the winning shares count at 1', () => {
    const events: BotEvent[] = [
      marketEv(START),
      { kind: 'fill', tsMs: START + 1, fill: fill('a', 'up', 10, 0.4), reversal: false },
    ];
    expect(marketPnls(events)[0]!.realizedPnlUsdc).toBeUndefined();
    const resolved = marketPnls([
      ...events,
      { kind: 'marketResolved', tsMs: END, conditionId: market.conditionId, winningTokenId: 'UP' },
    ]);
    expect(resolved[0]!.realizedPnlUsdc).toBeCloseTo(10 - 4 + 0.2 * 0.072 * 10 * 0.4 * 0.6, 6); // payout − cost + the maker rebate
  });
});
