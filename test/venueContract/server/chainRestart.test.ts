// The standalone venue's dev chain survives a restart with its store: a venue stopped as a SIGKILL
// would (no cleanup) and started again on the same directory reopens the same chain (same contracts,
// the positions delivered before), publishes the same RPC URL, delivers the trades that were still
// settling at the crash, and delivers none twice.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPublicClient, getAddress, http, keccak256, toHex, type Address, type Hex } from 'viem';
import { generatePrivateKey } from 'viem/accounts';
import { describe, expect, it } from 'vitest';
import { loadVenueState, startVenue, type RunningVenue } from '@polymm/venue';
import type { ChainInfo, VMarket } from '@polymm/venue';
import { startVenueChain, type VenueChain } from '../../../src/chain/venueChain.js';
import { CONDITIONAL_TOKENS, PARTITION, PUSD, ZERO_BYTES32 } from '../../../src/chain/contracts.js';
import { loadConfig } from '../../../src/config/load.js';
import { endpointsOf } from '../../../src/config/schema.js';
import { connectExchange } from '../../../src/sinks/execution/exchange.js';
import { until } from '../../support/wait.js';

// Five-minute markets: every order of the test goes to one market that stays open through it (with
// one-minute markets, a suite slowed on 2 cores once saw it end between two of the takes).
const INTERVAL = 300_000;
const COUNTERPARTY = '0x000000000000000000000000000000000000000a';
const ORIGIN = Date.now() - 1_000;

let venueChain: VenueChain | undefined;
const errors: string[] = [];
const start = (dir: string, port = 0): Promise<RunningVenue> => {
  const saved = loadVenueState(dir);
  return startVenue({
    port,
    tickMs: 50,
    signerTier: 'off',
    chain: async (onError, clock) =>
      (venueChain = await startVenueChain({ onError: (e) => errors.push(e.message), clock, dir: join(dir, 'chain') })),
    options: { seed: 11, intervalMs: INTERVAL, scheduleOriginMs: ORIGIN, minedDelayMs: 300, confirmedDelayMs: 2_000 },
    state: { dir, world: { seed: 11, intervalMs: INTERVAL, scheduleOriginMs: ORIGIN }, ...(saved ? { saved } : {}) },
  });
};

/** What `owner` holds of a market on chain: [pUSD, Up, Down] in micro-units. */
async function onChain(c: ChainInfo, m: VMarket, owner: Address): Promise<bigint[]> {
  const pc = createPublicClient({ transport: http(c.rpcUrl) });
  const read = (address: Address, abi: typeof PUSD.abi, functionName: string, args: readonly unknown[]) =>
    pc.readContract({ address, abi, functionName, args });
  const condition = (await read(c.ctf, CONDITIONAL_TOKENS.abi, 'getConditionId', [
    c.conditionOracle,
    keccak256(toHex(m.conditionId)),
    2n,
  ])) as Hex;
  const ids = await Promise.all(
    PARTITION.map(async (set) => {
      const collection = await read(c.ctf, CONDITIONAL_TOKENS.abi, 'getCollectionId', [ZERO_BYTES32, condition, set]);
      return (await read(c.ctf, CONDITIONAL_TOKENS.abi, 'getPositionId', [c.collateral, collection])) as bigint;
    }),
  );
  return [
    (await read(c.collateral, PUSD.abi, 'balanceOf', [owner])) as bigint,
    ...(await Promise.all(ids.map((id) => read(c.ctf, CONDITIONAL_TOKENS.abi, 'balanceOf', [owner, id])))),
  ] as bigint[];
}

/** Every outcome-token transfer to or from `owner` on chain (one per delivered leg). */
async function transfers(c: ChainInfo, owner: Address): Promise<number> {
  const pc = createPublicClient({ transport: http(c.rpcUrl) });
  const logs = await pc.getContractEvents({
    address: c.ctf,
    abi: CONDITIONAL_TOKENS.abi,
    eventName: 'TransferSingle',
    fromBlock: 0n,
  });
  return logs.filter((l) => {
    const a = l.args as { from: Address; to: Address };
    return getAddress(a.from) === owner || getAddress(a.to) === owner;
  }).length;
}

describe('venue chain across a restart', () => {
  it('keeps contracts, positions and RPC URL; delivers what was settling at the crash, nothing twice', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'polymm-venue-chain-'));
    let venue = await start(dir);
    const port = Number(new URL(venue.urls.clob).port);
    const u = venue.urls;
    const cfg = loadConfig({
      flags: {
        presign: { enabled: false },
        wallet: { privateKey: generatePrivateKey() },
        endpoints: endpointsOf(u),
      },
    });
    const ex = await connectExchange(cfg, { randomKeyIfMissing: false }); // authenticates: mirrored from now on
    const owner = getAddress(ex.address);
    const o = owner.toLowerCase();
    try {
      // Open for longer than the test may run (its timeout): the takes never meet the market's end.
      const m = await until(
        () => venue.core.markets().find((x) => x.status === 'open' && x.endMs - Date.now() > 130_000),
        45_000,
        'an open market with 130 s left',
      );
      // A counterparty (not mirrored: it never authenticates) rests the other side first, so the
      // take fills whatever the market participants' book holds at that moment: a bid for our sell, a
      // bid on the other outcome for our buy (matched as a mint).
      const take = (tokenId: string, side: 'BUY' | 'SELL', size: number) => {
        const other = side === 'SELL' ? tokenId : tokenId === m.tokenUp ? m.tokenDown : m.tokenUp;
        venue.core.ensureAccount(COUNTERPARTY);
        // Post-only, at the first price that does not cross the participants' book: it rests.
        const rests = [0.3, 0.2, 0.1, 0.05, 0.02].some(
          (price) =>
            venue.core.placeOrder(
              {
                owner: COUNTERPARTY,
                tokenId: other,
                side: 'BUY',
                price,
                size,
                orderType: 'GTC',
                postOnly: true,
                expirationS: 0,
              },
              Date.now(),
            ).success,
        );
        expect(rests, 'a counterparty order resting').toBe(true);
        const r = venue.core.placeOrder(
          {
            owner: o,
            tokenId,
            side,
            price: side === 'BUY' ? 0.99 : 0.01,
            size,
            orderType: 'FAK',
            postOnly: false,
            expirationS: 0,
          },
          Date.now(),
        );
        expect(r.success, JSON.stringify(r)).toBe(true);
      };
      const held = (v: RunningVenue): bigint[] => {
        const p = v.core.balance(o).positions;
        return [0n, BigInt(Math.round((p[m.tokenUp] ?? 0) * 1e6)), BigInt(Math.round((p[m.tokenDown] ?? 0) * 1e6))];
      };
      // The chain holding what the venue says (the mirror's stats and both sides in the error).
      const delivered = async (what: string): Promise<void> => {
        await until(
          async () => (await onChain(venue.chain!, m, owner)).join() === held(venue).join(),
          // Generous: in the full suite beside the other chain files on 2 cores, the mirror's first leg
          // once waited 20 s behind the chain's start-up writes (alone: ~1 s).
          60_000,
          what,
        ).catch(async (e: Error) => {
          const seen = `chain ${(await onChain(venue.chain!, m, owner)).join()}, venue ${held(venue).join()}`;
          throw new Error(
            `${e.message}: ${seen}, mirror ${JSON.stringify(venueChain?.mirror.stats)} ${errors.join('; ')}`,
          );
        });
      };
      take(m.tokenUp, 'BUY', 20);
      take(m.tokenDown, 'BUY', 15);
      // Confirmed on the venue and delivered on chain: the chain holds what the venue says.
      await delivered('buys delivered');
      take(m.tokenUp, 'SELL', 5);
      await delivered('sell delivered');
      const before = await onChain(venue.chain!, m, owner);
      const chainBefore = venue.chain!;
      const legsBefore = await transfers(chainBefore, owner);
      expect(before[1]).toBeGreaterThan(0n);

      // One more buy, matched (and saved by the venue) but not confirmed when the venue dies.
      const saved = loadVenueState(dir)!.core.trades.length;
      take(m.tokenDown, 'BUY', 7);
      await until(() => loadVenueState(dir)!.core.trades.length > saved, 5_000, 'the buy saved');
      expect(venue.core.trades(o).at(-1)?.status).not.toBe('CONFIRMED');
      await venue.crash();
      venue = await start(dir, port);
      // The same chain: same contracts, same URL (the port was free), the positions delivered before.
      expect(venue.chain).toEqual(chainBefore);
      expect(await onChain(venue.chain!, m, owner)).toEqual(before);
      // The buy still settling at the crash is confirmed by the restored venue and delivered once.
      const after = held(venue);
      expect(after[2]).toBeGreaterThan(before[2]!);
      await delivered('the settling buy delivered');
      expect(held(venue)).toEqual(after);
      // Once more through the store (a clean stop this time): nothing is delivered again.
      const legsAfter = await transfers(venue.chain!, owner);
      await venue.close();
      venue = await start(dir, port);
      await new Promise((r) => setTimeout(r, 1_500));
      expect(await onChain(venue.chain!, m, owner)).toEqual(after);
      expect(await transfers(venue.chain!, owner)).toBe(legsAfter);
      expect(legsAfter - legsBefore).toBeGreaterThanOrEqual(1);
      expect(legsAfter).toBe(venue.core.trades(o).filter((t) => t.status === 'CONFIRMED').length);
      expect(venueChain?.mirror.stats).toMatchObject({ errors: 0 });
      expect(errors).toEqual([]);
    } finally {
      await ex.close();
      await venue.close();
    }
  }, 120_000);
});
