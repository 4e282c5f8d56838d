// A restart on a wallet that already traded (issue 13 #1): the position must be counted once.
// The bot's earlier fills sit on the venue (one older than a minute, one recent); a bot started on
// the same wallet must hold exactly what the venue's balances say, not that plus its fills again.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Wallet } from 'ethers';
import { loadConfig } from '../../src/config/load.js';
import type { BotEvent, InputEvent } from '../../src/domain/index.js';
import { startBot, type Bot } from '../../src/app.js';
import { silentLogger } from '../../src/sinks/logger.js';
import { initialState, reduce, type BotState } from '../../src/state/botState.js';
import { stateParams } from '../../src/strategy/step.js';
import { startVenue, type RunningVenue } from '@polymm/venue';
import type { VMarket } from '@polymm/venue';
import { sleep, until } from '../support/wait.js';

const INTERVAL = 300_000;
const KEY = '0x' + '5a'.repeat(32);
const other = '0x00000000000000000000000000000000000000d5';
let offset = 0;
const clock = (): number => Date.now() + offset;
let venue: RunningVenue;
let bot: Bot | undefined;
const events: BotEvent[] = [];

/** Our resting Up bid, hit by someone buying Down at the complement: we buy `size` Up. */
function fillUp(me: string, m: VMarket, size: number): void {
  const bid = venue.core.placeOrder(
    { owner: me, tokenId: m.tokenUp, side: 'BUY', price: 0.4, size, orderType: 'GTC', postOnly: true, expirationS: 0 },
    clock(),
  );
  expect(bid.success).toBe(true);
  const hit = venue.core.placeOrder(
    {
      owner: other,
      tokenId: m.tokenDown,
      side: 'BUY',
      price: 0.6,
      size,
      orderType: 'FAK',
      postOnly: false,
      expirationS: 0,
    },
    clock(),
  );
  expect(hit.success).toBe(true);
}

beforeAll(async () => {
  // 20 s into a 5-minute market.
  const now = Date.now();
  offset = Math.ceil(now / INTERVAL) * INTERVAL - now + 20_000;
  venue = await startVenue({
    port: 0,
    clock,
    tickMs: 20,
    options: { seed: 5, intervalMs: INTERVAL, participants: false, minedDelayMs: 100, confirmedDelayMs: 100 },
  });
}, 20_000);

afterAll(async () => {
  await bot?.stop();
  await venue.close();
});

describe('restart on a wallet with fills already on the venue', () => {
  it('counts the position once (from the fills), whatever their age', async () => {
    const me = new Wallet(KEY).address.toLowerCase();
    venue.core.ensureAccount(me);
    venue.core.ensureAccount(other);
    const market = await until(
      () => venue.core.markets().find((m) => m.startMs <= clock() && clock() < m.endMs - 120_000),
      3_000,
      'an open market',
    );
    fillUp(me, market, 30); // the previous run's fill, 90 s before the restart
    offset += 90_000;
    await sleep(100);
    fillUp(me, market, 20); // and one just before the crash
    await sleep(300);
    const held = venue.core.trades(me, { conditionId: market.conditionId }).length;
    expect(held).toBe(2);

    const cfg = loadConfig({
      flags: {
        dryRun: true,
        wallet: { privateKey: KEY },
        sim: { interval: '5m' },
        metricsPort: 0,
        market: { discoveryPollMs: 500 },
      },
    });
    bot = await startBot(cfg, {
      logger: silentLogger(),
      venue,
      clock,
      serveMetrics: false,
      eventLog: false,
      onEvent: (e) => events.push(e),
    });
    // Wait for the user feed's reconcile, then for anything else that might add to the position.

    await until(() => events.some((e) => e.kind === 'fill'), 10_000, 'the fills read back');
    await sleep(1_500);

    const params = stateParams(bot.cfg);
    const inputs = events.filter(
      (e): e is InputEvent => !['alpha', 'decision', 'taker', 'halt', 'execution'].includes(e.kind),
    );
    const state = inputs.reduce((s: BotState, e) => reduce(s, e, params), initialState());
    const inv = state.markets.get(market.conditionId)?.inventory;
    expect(inv?.up.shares).toBeCloseTo(50, 6);
    expect(inv?.down.shares ?? 0).toBe(0);
    // Bought at 0.40 a share: the cost comes from the fills, not an assumed 0.5.
    expect(inv?.up.notional).toBeCloseTo(20, 6);
  }, 30_000);
});
