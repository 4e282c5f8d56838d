// The running bot settles on the simulated venue's chain: its confirmed buys arrive as outcome tokens,
// the InventoryEngine merges full sets and redeems after the venue reports payouts, every operation a
// real transaction journaled as `inventoryOp` events; the pUSD the bot's address holds on chain is
// exactly what those operations report having received.
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPublicClient, getAddress, http, type Address } from 'viem';
import { loadConfig } from '../../src/config/load.js';
import type { BotEvent, InventoryOpEvent } from '../../src/domain/index.js';
import { startBot, type Bot } from '../../src/app.js';
import { silentLogger } from '../../src/sinks/logger.js';
import { startVenue, type RunningVenue } from '../../src/venue/server/index.js';
import { PUSD } from '../../src/chain/contracts.js';
import { until } from '../support/wait.js';

const INTERVAL = 60_000;
const MARKETS = Number(process.env.SETTLEMENT_MARKETS ?? 2);
let venue: RunningVenue | undefined;
let bot: Bot | undefined;
const events: BotEvent[] = [];
afterAll(async () => {
  await bot?.stop();
  await venue?.close();
}, 60_000);

const ops = (f: (e: InventoryOpEvent) => boolean): InventoryOpEvent[] => events.filter((e): e is InventoryOpEvent => e.kind === 'inventoryOp' && f(e));

describe('settlement on chain in the running bot', () => {
  it(`merges and redeems across ${MARKETS} markets; the chain's pUSD equals the operations' proceeds`, async () => {
    venue = await startVenue({ port: 0, tickMs: 20, chain: true, options: { seed: 5, intervalMs: INTERVAL, scheduleOriginMs: Date.now() + 3_000, minedDelayMs: 200, confirmedDelayMs: 200 } });
    const cfg = loadConfig({
      flags: {
        sim: { interval: '1m' }, metricsPort: 0,
        market: { discoveryPollMs: 500 }, alpha: { minVolSamples: 0 },
        merge: { minSets: 5, maxOpsPerMinute: 30 },
        eventLogDir: mkdtempSync(join(tmpdir(), 'polymm-settle-')),
      },
    });
    bot = await startBot(cfg, { logger: silentLogger(), venue, serveMetrics: false, onEvent: (e) => events.push(e) });
    expect(bot.cfg.chain).toMatchObject({ chainId: 31_337, ctf: venue.chain!.ctf });
    const redeemedMarkets = (): Set<string> => new Set(ops((e) => e.action === 'redeem' && e.phase === 'done').map((e) => e.conditionId));
    await until(() => redeemedMarkets().size >= MARKETS, MARKETS * INTERVAL + 90_000, `${MARKETS} markets redeemed`);
    const done = ops((e) => e.phase === 'done');
    expect(ops((e) => e.phase === 'failed')).toEqual([]);
    expect(done.filter((e) => e.action === 'merge').length).toBeGreaterThan(0);
    // Every done operation is a mined transaction; what they report received is what the address holds.
    const chain = venue.chain!;
    const pc = createPublicClient({ transport: http(chain.rpcUrl) });
    const address = getAddress(bot.exchange!.address) as Address;
    for (const e of done) expect((await pc.getTransactionReceipt({ hash: e.txHash as `0x${string}` })).status).toBe('success');
    const held = (await pc.readContract({ address: chain.collateral, abi: PUSD.abi, functionName: 'balanceOf', args: [address] })) as bigint;
    const reported = done.reduce((s, e) => s + Math.round((e.proceedsUsdc ?? 0) * 1e6), 0);
    expect(Number(held)).toBe(reported);
  }, 300_000);
});
