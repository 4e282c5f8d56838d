// Confirmed-fill accounting against the simulated venue's tradeFailRate knob: our fills follow their
// trades (MATCHED -> MINED -> CONFIRMED, or RETRYING -> FAILED), a FAILED one is reversed in the bot's
// state, and what the bot holds then agrees with the venue's balances and /data/trades.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { filter, firstValueFrom, map, share, shareReplay, type Subscription } from 'rxjs';
import { loadConfig } from '../../src/config/load.js';
import type { Config } from '../../src/config/schema.js';
import type { InputEvent, MarketIdentity } from '../../src/domain/index.js';
import { silentLogger } from '../../src/sinks/logger.js';
import { connectExchange } from '../../src/sinks/execution/exchange.js';
import { initialState, reduce, settledInventory, type BotState } from '../../src/state/botState.js';
import { stateParams } from '../../src/strategy/step.js';
import { activeMarkets, discovery$, userData$, type StreamDeps } from '../../src/streams/index.js';
import { startVenue, type RunningVenue } from '@polymm/venue';
import { until } from '../support/wait.js';
import { endpointsOf } from '../../src/config/schema.js';

let venue: RunningVenue;
let cfg: Config;
let subs: Subscription[] = [];
const deps: StreamDeps = { clock: () => Date.now(), logger: silentLogger() };

beforeEach(async () => {
  venue = await startVenue({
    port: 0,
    // The current market started a second ago: the test never waits for the next one, wherever the
    // wall clock falls in the minute (it used to wait up to 20 s of its 20 s timeout for a roll).
    options: {
      seed: 7,
      intervalMs: 60_000,
      scheduleOriginMs: Date.now() - 1_000,
      participants: false,
      minedDelayMs: 100,
      confirmedDelayMs: 100,
    },
    tickMs: 20,
  });
  const u = venue.urls;
  cfg = loadConfig({
    flags: {
      market: { interval: '1m', discoveryPollMs: 500 },
      endpoints: endpointsOf(u),
    },
  });
});
afterEach(async () => {
  subs.forEach((s) => s.unsubscribe());
  subs = [];
  await venue.close();
});

describe('a FAILED trade on the venue', () => {
  it('is reversed in the bot: inventory and the settled view agree with the venue afterwards', async () => {
    const disc = discovery$(cfg, deps).pipe(share());
    const markets = activeMarkets(disc, deps.clock).pipe(shareReplay({ bufferSize: 1, refCount: true }));
    const exchange = await connectExchange(cfg, { randomKeyIfMissing: true });
    const params = stateParams(cfg);
    let state: BotState = initialState([]);
    const statuses: string[] = [];
    const feed = (ev: InputEvent): void => void (state = reduce(state, ev, params));
    subs.push(disc.subscribe((e) => e.kind === 'market' && feed(e)));
    subs.push(
      userData$(markets, exchange.creds, exchange.address, cfg, deps, {
        openOrders: async () => [],
        trades: async () => [],
      }).subscribe((e) => {
        if (e.kind === 'fill' || e.kind === 'tradeStatus')
          statuses.push(`${e.kind === 'fill' && e.reversal ? 'reversal' : e.kind}:${e.fill.status}`);
        feed(e);
      }),
    );
    // A market with room for the whole exchange (20 s), so a roll cannot close it under the test.
    const m = await firstValueFrom(
      markets.pipe(
        map((ms) => ms.find((x) => x.startMs <= Date.now() && x.endMs - Date.now() > 20_000)),
        filter((x): x is MarketIdentity => x !== undefined),
      ),
    );
    await until(() => state.markets.has(m.conditionId), 5_000, 'market in state');
    await new Promise((r) => setTimeout(r, 300)); // user channel subscribed
    const other = '0x00000000000000000000000000000000000000c3';
    venue.core.ensureAccount(other);
    const bid = (price: number) => ({
      outcome: 'up' as const,
      tokenId: m.tokenUp,
      level: 0,
      side: 'BUY' as const,
      price,
      size: 10,
      postOnly: true,
      orderType: 'GTC' as const,
    });
    const hit = (price: number) =>
      venue.core.placeOrder(
        {
          owner: other,
          tokenId: m.tokenDown,
          side: 'BUY',
          price,
          size: 10,
          orderType: 'GTC',
          postOnly: false,
          expirationS: 0,
        },
        Date.now(),
      );

    // One trade that goes through, then one the venue fails.
    await exchange.post([bid(0.4)], m);
    hit(0.6);
    await until(() => statuses.includes('tradeStatus:CONFIRMED'), 5_000, 'first trade confirmed');
    venue.core.setTradeFailRate(1);
    await exchange.post([bid(0.41)], m);
    hit(0.59);
    await until(() => statuses.includes('reversal:FAILED'), 5_000, 'second trade failed');

    expect(statuses).toEqual([
      'fill:MATCHED',
      'tradeStatus:MINED',
      'tradeStatus:CONFIRMED',
      'fill:MATCHED',
      'tradeStatus:RETRYING',
      'reversal:FAILED',
    ]);
    const ms = state.markets.get(m.conditionId)!;
    const onVenue = venue.core.balance(exchange.address.toLowerCase());
    expect(ms.inventory.up.shares).toBeCloseTo(onVenue.positions[m.tokenUp] ?? 0, 9);
    expect(ms.inventory.up.shares).toBeCloseTo(10, 9);
    expect(ms.inventory.up.notional).toBeCloseTo(4, 9); // 10 @ 0.40; the failed 10 @ 0.41 is gone
    expect(settledInventory(ms).up.shares).toBeCloseTo(10, 9);
    expect(ms.unsettled).toBeUndefined();
    const trades = await exchange.trades(0);
    expect(trades.map((t) => t.status).sort()).toEqual(['CONFIRMED', 'FAILED']);
  });
});
