import { describe, expect, it } from 'vitest';
import { batches, diffOrders } from '../../src/execution/diff.js';
import type { DesiredOrder, DesiredOrderSet, LiveOrder } from '../../src/domain/index.js';

const d = (outcome: 'up' | 'down', level: number, price: number, size = 10): DesiredOrder => ({
  outcome,
  tokenId: outcome.toUpperCase(),
  level,
  side: 'BUY',
  price,
  size,
  postOnly: true,
  orderType: 'GTC',
});
const live = (
  id: string,
  outcome: 'up' | 'down',
  price: number,
  level?: number,
  size = 10,
  sizeMatched = 0,
): LiveOrder => ({
  orderId: id,
  conditionId: 'c',
  tokenId: outcome.toUpperCase(),
  outcome,
  side: 'BUY',
  price,
  size,
  sizeMatched,
  orderType: 'GTC',
  status: 'live',
  tsMs: 0,
  ...(level !== undefined ? { level } : {}),
});
const set = (orders: DesiredOrder[]): DesiredOrderSet => ({ slug: 's', conditionId: 'c', orders, tsMs: 0 });

describe('diffOrders', () => {
  it('keeps matching levels, replaces moved ones (cancel + create), cancels extra levels', () => {
    const plan = diffOrders(
      set([d('up', 0, 0.45), d('up', 1, 0.44), d('down', 0, 0.5)]),
      [live('a', 'up', 0.45, 0), live('b', 'up', 0.43, 1), live('c', 'down', 0.5, 0), live('x', 'down', 0.49, 1)],
      5,
    );
    expect(plan.cancels).toEqual(['b', 'x']);
    expect(plan.creates.map((o) => `${o.outcome}${o.level}@${o.price}`)).toEqual(['up1@0.44']);
    expect([...plan.keep]).toEqual([
      ['a', 0],
      ['c', 0],
    ]);
  });

  it('tops up a partly filled order only when the missing size reaches the threshold', () => {
    expect(diffOrders(set([d('up', 0, 0.45)]), [live('a', 'up', 0.45, 0, 10, 3)], 5).cancels).toEqual([]);
    expect(diffOrders(set([d('up', 0, 0.45)]), [live('a', 'up', 0.45, 0, 10, 6)], 5).cancels).toEqual(['a']);
  });

  it('adopts an unknown live order that fits a level and cancels the ones that do not', () => {
    const plan = diffOrders(set([d('up', 0, 0.45)]), [live('found', 'up', 0.45), live('stray', 'down', 0.3)], 5);
    expect([...plan.keep]).toEqual([['found', 0]]);
    expect(plan.cancels).toEqual(['stray']);
    expect(plan.creates).toEqual([]);
  });

  it('an empty desired set cancels everything, duplicates included', () => {
    expect(diffOrders(set([]), [live('a', 'up', 0.45, 0), live('b', 'up', 0.45, 0)], 5).cancels).toEqual(['a', 'b']);
  });

  it('batches at most 15', () => {
    expect(batches(Array.from({ length: 31 }, (_, i) => i)).map((b) => b.length)).toEqual([15, 15, 1]);
  });
});
