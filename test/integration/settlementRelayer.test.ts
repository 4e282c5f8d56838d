// The running bot with a PROXY wallet, and with a deposit wallet (DEPOSIT, POLY_1271 orders), on the
// simulated venue: its orders are signed for the key's own wallet, the venue delivers the confirmed buys
// there on chain, and the bot merges and redeems through Polymarket's relayer client against the venue's
// relayer (proxy transactions, or deposit wallet batches; with builder credentials the simulated venue
// makes up); every done operation is a relayer transaction mined on chain, the pUSD the wallet holds is
// what those operations report received, and the collateral (venue cash + that pUSD) moved by the bot's
// per-market PnL, to the cent (maker rebates as the venue paid them).
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPublicClient, http, type Hex } from 'viem';
import { privateKeyToAccount, generatePrivateKey } from 'viem/accounts';
import { loadConfig } from '../../src/config/load.js';
import type { BotEvent, InventoryOpEvent, MarketPnlEvent } from '../../src/domain/index.js';
import { marketPnls } from '../../src/resolver/marketPnl.js';
import { startBot, type Bot } from '../../src/app.js';
import { silentLogger } from '../../src/sinks/logger.js';
import { startVenue, type RunningVenue } from '@polymm/venue';
import { startVenueChain, type VenueChain } from '../../src/chain/venueChain.js';
import { PUSD } from '../../src/chain/contracts.js';
import { depositWalletOf, proxyWalletOf } from '../../src/chain/relayerProtocol.js';
import { until } from '../support/wait.js';

const INTERVAL = 60_000;
let venue: RunningVenue | undefined;
let venueChain: VenueChain | undefined;
let bot: Bot | undefined;
let events: BotEvent[] = [];
/** Stop what a run left running (a failed one), so that the next mode starts clean. */
const cleanUp = async (): Promise<void> => {
  await bot?.stop();
  await venue?.close();
  bot = undefined;
  venue = undefined;
  venueChain = undefined;
};
afterAll(cleanUp, 60_000);

const ops = (f: (e: InventoryOpEvent) => boolean): InventoryOpEvent[] =>
  events.filter((e): e is InventoryOpEvent => e.kind === 'inventoryOp' && f(e));
const pnls = (): MarketPnlEvent[] => events.filter((e): e is MarketPnlEvent => e.kind === 'marketPnl');
/** Where the run stands (a timeout's message). */
const progress = (): string =>
  JSON.stringify({
    fills: events.filter((e) => e.kind === 'fill').length,
    confirmed: events.filter((e) => e.kind === 'tradeStatus' && e.fill.status === 'CONFIRMED').length,
    mirror: venueChain?.mirror.stats,
    ops: ops(() => true).map((e) => `${e.action} ${e.phase}${e.error ? ` (${e.error})` : ''}`),
    pnls: pnls().length,
  });

const MODES = [
  { mode: 'PROXY', walletOf: proxyWalletOf, txType: 'PROXY' },
  { mode: 'DEPOSIT', walletOf: depositWalletOf, txType: 'WALLET' },
] as const;

describe.each(MODES)(
  'settlement through the relayer in the running bot ($mode wallet)',
  ({ mode, walletOf, txType }) => {
    it('merges and redeems from the wallet; its pUSD equals the operations’ proceeds', async () => {
      await cleanUp();
      events = [];
      venue = await startVenue({
        port: 0,
        tickMs: 20,
        chain: async (onError, clock) => (venueChain = await startVenueChain({ onError, clock })),
        options: {
          seed: 5,
          intervalMs: INTERVAL,
          scheduleOriginMs: Date.now() + 3_000,
          minedDelayMs: 200,
          confirmedDelayMs: 200,
        },
      });
      const key = generatePrivateKey();
      const wallet = walletOf(privateKeyToAccount(key).address);
      const cfg = loadConfig({
        flags: {
          sim: { interval: '1m' },
          metricsPort: 0,
          market: { discoveryPollMs: 500 },
          alpha: { minVolSamples: 0 },
          wallet: { mode, privateKey: key },
          eventLogDir: mkdtempSync(join(tmpdir(), 'polymm-relayer-')),
        },
      });
      bot = await startBot(cfg, { logger: silentLogger(), venue, serveMetrics: false, onEvent: (e) => events.push(e) });
      expect(bot.exchange!.address).toBe(wallet.toLowerCase());
      const redeemed = (): Set<string> =>
        new Set(ops((e) => e.action === 'redeem' && e.phase === 'done').map((e) => e.conditionId));
      await until(
        () =>
          ops((e) => e.action === 'merge' && e.phase === 'done').length > 0 &&
          pnls().some((p) => redeemed().has(p.conditionId)),
        3 * INTERVAL + 90_000,
        'a merge, a redemption and its market settled, through the relayer',
      ).catch((e: Error) => {
        throw new Error(`${e.message}: ${progress()}`);
      });
      const summary = await bot.stop();
      const done = ops((e) => e.phase === 'done');
      expect(summary).toMatchObject({
        merges: done.filter((e) => e.action === 'merge').length,
        redemptions: done.filter((e) => e.action === 'redeem').length,
      });
      expect(ops((e) => e.phase === 'failed')).toEqual([]);
      const chain = venue.chain! as typeof venue.chain & { relayerUrl: string };
      const pc = createPublicClient({ transport: http(chain.rpcUrl) });
      for (const e of done) {
        const [t] = (await (await fetch(`${chain.relayerUrl}/transaction?id=${e.txHash}`)).json()) as {
          state: string;
          type: string;
          proxyAddress: string;
          transactionHash: string;
        }[];
        expect(t).toMatchObject({ state: 'STATE_CONFIRMED', type: txType, proxyAddress: wallet });
        expect((await pc.getTransactionReceipt({ hash: t!.transactionHash as Hex })).status).toBe('success');
      }
      const pusd = (await pc.readContract({
        address: chain.collateral,
        abi: PUSD.abi,
        functionName: 'balanceOf',
        args: [wallet],
      })) as bigint;
      expect(Number(pusd)).toBe(done.reduce((s, e) => s + Math.round((e.proceedsUsdc ?? 0) * 1e6), 0));
      // Collateral (the signer's venue cash + the wallet's pUSD) moved by the settled markets' PnL events,
      // plus the cash flow of the markets still open when the bot stopped, to the cent. Maker rebates are
      // the one estimate in the PnL (from the fee schedule, at each fill's own price; the venue pays each
      // maker its share of the taker's fee over every level swept, some tenths of a cent apart per market):
      // the venue's figure stands in for the estimate in that comparison, and the estimate is checked apart.
      const reported = new Set(pnls().map((p) => p.conditionId));
      const settled = pnls().reduce((s, p) => s + p.realizedPnlUsdc, 0);
      const rows = marketPnls(events);
      const open = rows
        .filter((r) => !reported.has(r.conditionId))
        .reduce(
          (s, r) => s + r.soldUsdc - r.boughtUsdc - r.feesUsdc + r.rebatesUsdc + r.mergeProceedsUsdc + r.redemptionUsdc,
          0,
        );
      const signer = privateKeyToAccount(key).address.toLowerCase();
      // Every trade of ours is in the events: the fills that land while the bot shuts down (its feed
      // ends at stop, its quotes rest until the final cancel-all) are read back from the venue then.
      const seen = new Set(events.flatMap((e) => (e.kind === 'fill' ? [e.fill.tradeId] : [])));
      const late = venue.core.trades(signer).filter((t) => !seen.has(t.id) && t.status !== 'FAILED');
      expect(late).toEqual([]);
      // The account's whole cash (`balance()` is net of what resting buys reserve: an order that raced the
      // final cancel-all would look like cash spent).
      const account = venue.core.persisted().accounts.find((a) => a.owner === signer)!;
      const collateralChange = account.collateral - 10_000 + Number(pusd) / 1e6;
      const rebatesPaid = account.rebates;
      const rebatesEstimated = rows.reduce((s, r) => s + r.rebatesUsdc, 0);
      // The figures first, so that a failed check below shows them.
      process.stderr.write(
        `relayer settlement e2e (${mode}): ${JSON.stringify({ markets: pnls().length, reserved: account.collateral - venue.core.balance(signer).collateral, merges: done.filter((e) => e.action === 'merge').length, redemptions: redeemed().size, collateralChange, settled, open, rebatesPaid, rebatesEstimated })}\n`,
      );
      expect(pnls().at(-1)!.totalRealizedUsdc).toBeCloseTo(settled, 6);
      expect(collateralChange - rebatesPaid).toBeCloseTo(settled + open - rebatesEstimated, 2);
      expect(Math.abs(rebatesEstimated - rebatesPaid)).toBeLessThan(0.01 + 0.25 * rebatesPaid);
    }, 330_000);
  },
);
