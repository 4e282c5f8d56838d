// A signed order's amounts decode to the price it was signed at. The official client signs a market
// BUY as USDC (maker) and the shares that buys at the price (taker), rounded down to 4 decimals at
// tick 0.01, so the ratio sits above the price by up to that rounding.
import { describe, expect, it } from 'vitest';
import { decodeAmounts } from '../../src/server/rest.js';
import type { WireOrder } from '../../src/server/auth.js';

const order = (side: 'BUY' | 'SELL', maker: number, taker: number): WireOrder =>
  ({ side, makerAmount: String(Math.round(maker * 1e6)), takerAmount: String(Math.round(taker * 1e6)) }) as WireOrder;

describe('decodeAmounts', () => {
  it('reads a limit order exactly', () => {
    expect(decodeAmounts(order('BUY', 5.5, 10))).toEqual({ price: 0.55, size: 10 });
    expect(decodeAmounts(order('SELL', 10, 4.5))).toEqual({ price: 0.45, size: 10 });
  });

  it('reads a market BUY at its price despite the rounded share amount', () => {
    // $2.94 at 0.57: 5.157894... shares, signed as 5.1578 (ratio 0.5700105).
    expect(decodeAmounts(order('BUY', 2.94, 5.1578))).toEqual({ price: 0.57, size: 5.1578 });
  });

  // The client's rounding of the second amount: exact values kept, else up to 8 decimals, then
  // down to 4 (tick 0.01).
  const decimals = (x: number): number => (Number.isInteger(x) ? 0 : (String(x).split('.')[1]?.length ?? 0));
  const clientRounded = (x: number): number => {
    if (decimals(x) <= 4) return x;
    const up = Math.ceil(x * 1e8) / 1e8;
    return decimals(up) <= 4 ? up : Math.floor(up * 1e4) / 1e4;
  };

  it('every market BUY of whole cents up to $60 at a 0.01 price decodes to that price', () => {
    const wrong: string[] = [];
    for (let ticks = 1; ticks <= 99; ticks++)
      for (let cents = 100; cents <= 6_000; cents++) {
        const price = ticks / 100;
        const usdc = cents / 100;
        const shares = clientRounded(usdc / price);
        if (decodeAmounts(order('BUY', usdc, shares)).price !== price) wrong.push(`${usdc} at ${price}`);
      }
    expect(wrong.slice(0, 5)).toEqual([]);
  });

  it('every market SELL of whole hundredths up to 60 shares at a 0.01 price decodes to that price', () => {
    const wrong: string[] = [];
    for (let ticks = 1; ticks <= 99; ticks++)
      for (let hundredths = 1; hundredths <= 6_000; hundredths++) {
        const price = ticks / 100;
        const shares = hundredths / 100;
        const usdc = clientRounded(shares * price);
        if (usdc > 0 && decodeAmounts(order('SELL', shares, usdc)).price !== price) wrong.push(`${shares} at ${price}`);
      }
    expect(wrong.slice(0, 5)).toEqual([]);
  });
});
