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
import type { BotEvent, InventoryOpEvent, MarketPnlEvent } from '../../src/domain/index.js';
import { marketPnls } from '../../src/resolver/marketPnl.js';
import { startBot, type Bot } from '../../src/app.js';
import { silentLogger } from '../../src/sinks/logger.js';
import { startVenue, type RunningVenue } from '@polymm/venue';
import { startVenueChain, type VenueChain } from '../../src/chain/venueChain.js';
import { PUSD } from '../../src/chain/contracts.js';
import { until } from '../support/wait.js';

const INTERVAL = 60_000;
const MARKETS = 3;
let venue: RunningVenue | undefined;
let bot: Bot | undefined;
let venueChain: VenueChain | undefined;
const events: BotEvent[] = [];
afterAll(async () => {
  await bot?.stop();
  await venue?.close();
}, 60_000);

const ops = (f: (e: InventoryOpEvent) => boolean): InventoryOpEvent[] =>
  events.filter((e): e is InventoryOpEvent => e.kind === 'inventoryOp' && f(e));

describe('settlement on chain in the running bot', () => {
  it(`merges and redeems across ${MARKETS} markets; the chain's pUSD equals the operations' proceeds`, async () => {
    venue = await startVenue({
      port: 0,
      tickMs: 20,
      chain: async (onError) => (venueChain = await startVenueChain({ onError })),
      options: {
        seed: 5,
        intervalMs: INTERVAL,
        scheduleOriginMs: Date.now() + 3_000,
        minedDelayMs: 200,
        confirmedDelayMs: 200,
      },
    });
    const cfg = loadConfig({
      flags: {
        sim: { interval: '1m' },
        metricsPort: 0,
        market: { discoveryPollMs: 500 },
        alpha: { minVolSamples: 0 },
        merge: { minSets: 5, maxOpsPerMinute: 30 },
        eventLogDir: mkdtempSync(join(tmpdir(), 'polymm-settle-')),
      },
    });
    bot = await startBot(cfg, { logger: silentLogger(), venue, serveMetrics: false, onEvent: (e) => events.push(e) });
    expect(bot.cfg.chain).toMatchObject({ chainId: 31_337, ctf: venue.chain!.ctf });
    const pnls = (): MarketPnlEvent[] => events.filter((e): e is MarketPnlEvent => e.kind === 'marketPnl');
    const redeemed = (): Set<string> =>
      new Set(ops((e) => e.action === 'redeem' && e.phase === 'done').map((e) => e.conditionId));
    await until(
      () => pnls().length >= MARKETS && redeemed().size >= 1,
      // ~186 s alone; beside the other chain e2e files on a loaded 2-core machine it needs more.
      MARKETS * INTERVAL + 180_000,
      `${MARKETS} markets settled`,
    ).catch((e: Error) => {
      // What there was: the settled markets, the operations, the venue mirror's stats.
      const seen = {
        pnls: pnls().length,
        redeemed: redeemed().size,
        ops: ops(() => true).map((e) => `${e.action} ${e.phase} ${e.error ?? ''}`),
        mirror: venueChain?.mirror.stats,
      };
      throw new Error(`${e.message}: ${JSON.stringify(seen)}`);
    });
    const summary = await bot.stop(); // cancels what rests: the venue's cash moves no more
    const done = ops((e) => e.phase === 'done');
    expect(summary).toMatchObject({
      merges: done.filter((e) => e.action === 'merge').length,
      redemptions: done.filter((e) => e.action === 'redeem').length,
    });
    expect(ops((e) => e.phase === 'failed')).toEqual([]);
    expect(done.filter((e) => e.action === 'merge').length).toBeGreaterThan(0);
    // Every done operation is a mined transaction; what they report received is what the address holds.
    const chain = venue.chain!;
    const pc = createPublicClient({ transport: http(chain.rpcUrl) });
    const owner = bot.exchange!.address;
    for (const e of done)
      expect((await pc.getTransactionReceipt({ hash: e.txHash as `0x${string}` })).status).toBe('success');
    const onChain =
      Number(
        (await pc.readContract({
          address: chain.collateral,
          abi: PUSD.abi,
          functionName: 'balanceOf',
          args: [getAddress(owner) as Address],
        })) as bigint,
      ) / 1e6;
    expect(Math.round(onChain * 1e6)).toBe(done.reduce((s, e) => s + Math.round((e.proceedsUsdc ?? 0) * 1e6), 0));
    // Collateral (venue cash + pUSD on chain) moved by the settled markets' PnL events, plus the cash
    // flow of the markets still open when the bot stopped (fills, fees, rebates), to the cent. Maker
    // rebates are the PnL's one estimate (the venue pays each maker its share of the taker's fee over
    // every level swept, not at the maker's own price): the venue's figure stands in for it here.
    const reported = new Set(pnls().map((p) => p.conditionId));
    const settled = pnls().reduce((s, p) => s + p.realizedPnlUsdc, 0);
    const rows = marketPnls(events);
    const rebatesPaid = venue.core.persisted().accounts.find((a) => a.owner === owner)!.rebates;
    const rebatesEstimated = rows.reduce((s, r) => s + r.rebatesUsdc, 0);
    const open = rows
      .filter((r) => !reported.has(r.conditionId))
      .reduce(
        (s, r) => s + r.soldUsdc - r.boughtUsdc - r.feesUsdc + r.rebatesUsdc + r.mergeProceedsUsdc + r.redemptionUsdc,
        0,
      );
    const collateralChange = venue.core.balance(owner).collateral - 10_000 + onChain;
    expect(pnls().at(-1)!.totalRealizedUsdc).toBeCloseTo(
      pnls().reduce((s, p) => s + p.realizedPnlUsdc, 0),
      6,
    );
    expect(collateralChange - rebatesPaid).toBeCloseTo(settled + open - rebatesEstimated, 2);
    expect(Math.abs(rebatesEstimated - rebatesPaid)).toBeLessThan(0.01 + 0.25 * rebatesPaid);
    process.stderr.write(
      `settlement e2e: ${JSON.stringify({ markets: pnls().length, merges: done.filter((e) => e.action === 'merge').length, redemptions: redeemed().size, collateralChange, settled, open, rebatesPaid, rebatesEstimated })}\n`,
    );
  }, 420_000);
});
