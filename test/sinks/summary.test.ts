import { describe, expect, it } from 'vitest';
import type { BotEvent, Fill, MarketIdentity } from '../../src/domain/index.js';
import { EMPTY_SUMMARY, foldSummary, pnlOf, toRunSummary } from '../../src/sinks/summary.js';
import { marketPnls } from '../../src/resolver/marketPnl.js';

const market: MarketIdentity = {
  slug: 'btc-updown-15m-1000',
  conditionId: '0xc',
  question: 'q',
  tokenUp: 'U',
  tokenDown: 'D',
  startMs: 1_000_000,
  endMs: 1_900_000,
  tickSize: 0.01,
  minSize: 5,
  negRisk: false,
  feesEnabled: true,
  feeSchedule: { rate: 0.072, exponent: 1, takerOnly: true, rebateRate: 0.2 },
  acceptingOrders: true,
  active: true,
  closed: false,
  resolutionSource: 'chainlink',
};
const fill = (tokenId: string, size: number, price: number, tradeId: string): Fill => ({
  tradeId,
  orderId: 'o',
  conditionId: '0xc',
  tokenId,
  side: 'BUY',
  price,
  size,
  role: 'MAKER',
  feeRateBps: 0,
  status: 'MATCHED',
  tsMs: 1,
});

describe('foldSummary', () => {
  it('counts fills, volume, unpaired high-water mark and late posts', () => {
    const events: BotEvent[] = [
      { kind: 'market', tsMs: 0, market },
      {
        kind: 'decision',
        tsMs: 1,
        desired: {
          slug: market.slug,
          conditionId: '0xc',
          orders: [
            {
              outcome: 'up',
              tokenId: 'U',
              level: 0,
              side: 'BUY',
              price: 0.4,
              size: 10,
              postOnly: true,
              orderType: 'GTC',
            },
          ],
          tsMs: 1,
        },
      },
      { kind: 'fill', tsMs: 2, fill: fill('U', 10, 0.4, 't1'), reversal: false },
      { kind: 'fill', tsMs: 3, fill: fill('U', 5, 0.5, 't2'), reversal: false },
      { kind: 'fill', tsMs: 4, fill: fill('D', 15, 0.5, 't3'), reversal: false },
      { kind: 'fill', tsMs: 5, fill: fill('U', 5, 0.5, 't2'), reversal: true },
      { kind: 'execution', tsMs: 1_000, conditionId: '0xc', action: 'post', ok: true },
      { kind: 'execution', tsMs: 1_850_000, conditionId: '0xc', action: 'post', ok: true },
      { kind: 'execution', tsMs: 1_850_001, conditionId: '0xc', action: 'cancel', ok: true },
      { kind: 'execution', tsMs: 1_850_002, conditionId: '0xc', action: 'post', ok: false, error: 'x' },
      { kind: 'heartbeat', tsMs: 9, ok: false, error: 'boom' },
    ];
    const s = events.reduce((acc, ev) => foldSummary(acc, ev, 60_000), EMPTY_SUMMARY);
    expect(toRunSummary(s, { pnlUsdc: 1.23456, liveOrders: 0 })).toEqual({
      markets: 1,
      orders_posted: 2,
      orders_cancelled: 1,
      fills: 2,
      volume_usdc: 4 + 2.5 + 7.5 - 2.5,
      pnl_usdc: 1.2346,
      max_unpaired_shares: 15,
      live_orders_at_exit: 0,
      orders_after_cutoff: 1,
      heartbeat_failures: 1,
      merges: 0,
      redemptions: 0,
      realized_pnl_usdc: 0,
      fees_usdc: 0,
      rebates_usdc: toRunSummary(s, { liveOrders: 0 }).rebates_usdc,
    });
    expect(toRunSummary(s, { liveOrders: 0 }).rebates_usdc).toBeCloseTo(0.2 * 0.072 * (10 * 0.24 + 15 * 0.25), 4);
  });

  it('marks PnL: a full set bought under 1 gains the difference once resolved; marks follow book mids', () => {
    const book = (tokenId: string, bid: number, ask: number): BotEvent => ({
      kind: 'book',
      tsMs: 3,
      conditionId: '0xc',
      book: { tokenId, bids: [{ price: bid, size: 10 }], asks: [{ price: ask, size: 10 }], tsMs: 3, stale: false },
    });
    const events: BotEvent[] = [
      { kind: 'market', tsMs: 0, market },
      { kind: 'fill', tsMs: 2, fill: fill('U', 10, 0.45, 't1'), reversal: false },
      { kind: 'fill', tsMs: 2, fill: fill('D', 10, 0.5, 't2'), reversal: false },
      book('U', 0.6, 0.62),
      book('D', 0.36, 0.38),
    ];
    const s = events.reduce((acc, ev) => foldSummary(acc, ev, 60_000), EMPTY_SUMMARY);
    expect(pnlOf(s)).toBeCloseTo(-9.5 + 10 * 0.61 + 10 * 0.37, 9);
    const resolved = foldSummary(
      s,
      { kind: 'marketResolved', tsMs: 5, conditionId: '0xc', winningTokenId: 'D' },
      60_000,
    );
    expect(pnlOf(resolved)).toBeCloseTo(0.5, 9);
    expect(toRunSummary(resolved, { liveOrders: 0 }).pnl_usdc).toBe(0.5);
  });

  it('merges, redemptions, fees, rebates and realized PnL agree with the per-market PnL events', () => {
    const taker = (f: Fill): Fill => ({ ...f, role: 'TAKER' });
    const op = (action: 'merge' | 'redeem', proceedsUsdc: number): BotEvent => ({
      kind: 'inventoryOp',
      tsMs: 9,
      id: `${action}:0xc`,
      action,
      conditionId: '0xc',
      phase: 'done',
      proceedsUsdc,
    });
    const events: BotEvent[] = [
      { kind: 'market', tsMs: 0, market },
      { kind: 'fill', tsMs: 2, fill: fill('U', 30, 0.45, 't1'), reversal: false },
      { kind: 'fill', tsMs: 2, fill: taker(fill('D', 20, 0.5, 't2')), reversal: false },
      { kind: 'fill', tsMs: 3, fill: fill('D', 7, 0.4, 't3'), reversal: false },
      { kind: 'fill', tsMs: 4, fill: { ...fill('D', 7, 0.4, 't3'), status: 'FAILED' }, reversal: true },
      op('merge', 20),
      { kind: 'marketResolved', tsMs: 5, conditionId: '0xc', winningTokenId: 'U' },
      op('redeem', 10),
    ];
    const s = events.reduce((acc, ev) => foldSummary(acc, ev, 60_000), EMPTY_SUMMARY);
    const [row] = marketPnls(events);
    const out = toRunSummary(s, { liveOrders: 0 });
    expect(out).toMatchObject({ merges: 1, redemptions: 1 });
    expect(out.realized_pnl_usdc).toBeCloseTo(row!.realizedPnlUsdc!, 4);
    expect(out.fees_usdc).toBeCloseTo(row!.feesUsdc, 4);
    expect(out.rebates_usdc).toBeCloseTo(row!.rebatesUsdc, 4);
    expect(out.realized_pnl_usdc).toBeCloseTo(30 - 13.5 - 10 - out.fees_usdc + out.rebates_usdc, 4);
  });
});
