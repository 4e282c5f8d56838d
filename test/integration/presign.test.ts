// Pre-signed orders: signed in a worker thread, taken from the cache by post(), and accepted by the
// venue's EIP-712 check exactly like orders signed inline.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import type { MarketIdentity } from '../../src/domain/index.js';
import { connectExchange, type Exchange } from '../../src/sinks/execution/exchange.js';
import { neighbours, shapeKey } from '../../src/sinks/execution/presign.js';
import { startVenue, type RunningVenue } from '@polymm/venue';
import { endpointsOf } from '../../src/config/schema.js';

let venue: RunningVenue;
let exchange: Exchange;
let market: MarketIdentity;

beforeAll(async () => {
  // The schedule starts a minute ago: the market open now stays open for the whole test, wherever
  // the wall clock falls in a 15-minute interval (a post at its end was refused as closed).
  venue = await startVenue({
    port: 0,
    tickMs: 20,
    options: { seed: 2, participants: false, scheduleOriginMs: Date.now() - 60_000 },
  });
  await new Promise((r) => setTimeout(r, 200));
  const u = venue.urls;
  const cfg = loadConfig({
    flags: {
      endpoints: endpointsOf(u),
    },
  });
  exchange = await connectExchange(cfg, { randomKeyIfMissing: true });
  const vm = venue.core.markets().find((m) => m.status === 'open')!;
  market = {
    slug: vm.slug,
    conditionId: vm.conditionId,
    question: vm.question,
    tokenUp: vm.tokenUp,
    tokenDown: vm.tokenDown,
    startMs: vm.startMs,
    endMs: vm.endMs,
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
});
afterAll(async () => {
  await exchange.close();
  await venue.close();
});

describe('presigning', () => {
  it('neighbours are the prices a tick or two away, on the grid and in range', () => {
    const shapes = neighbours([{ tokenId: 'T', side: 'BUY', price: 0.02, size: 10 }], 0.01, 2);
    expect(shapes.map((s) => s.price)).toEqual([0.01, 0.03, 0.04]);
    expect(shapeKey(shapes[0]!)).toBe('T|BUY|0.0100|10.00');
  });

  it('post() uses pre-signed orders, and the venue accepts their signatures', { timeout: 60_000 }, async () => {
    const resting = {
      outcome: 'up' as const,
      tokenId: market.tokenUp,
      level: 0,
      side: 'BUY' as const,
      price: 0.3,
      size: 10,
      postOnly: true,
      orderType: 'GTC' as const,
    };
    exchange.presignAround([resting], market);
    // Wait for the worker (4 neighbours; its start-up compiles the signing code, slow on a loaded
    // machine), then post a neighbour price: it must come from the cache.
    const signed = (): number => exchange.presignStats?.signed ?? 0;
    while (signed() < 4 && (exchange.presignStats?.errors ?? 0) === 0) await new Promise((r) => setTimeout(r, 50));
    expect(exchange.presignStats).toMatchObject({ signed: 4, errors: 0 });
    const posted = await exchange.post([{ ...resting, price: 0.31 }], market);
    expect(posted[0], JSON.stringify(posted[0])).toMatchObject({ ok: true });
    expect(exchange.presignStats?.hits).toBeGreaterThanOrEqual(1);
    const open = venue.core.openOrders(exchange.address);
    expect(open.map((o) => o.price)).toContain(0.31);
  });
});
