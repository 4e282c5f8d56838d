// The simulated venue's chain: a dev EVM with the real ConditionalTokens, and the mirror that keeps
// the positions of the venue's API accounts on it. Accounts are added as they authenticate (their
// venue owner is their address), each given gas so it can merge and redeem itself, as is the PROXY /
// SAFE / deposit wallet an account's orders name (the relayer sends from it); the market
// participants never authenticate and stay off chain (their trades would cost a split each).
// Given a directory (the standalone venue's store), the chain and the mirror's journal live there and
// a restarted venue reopens them: same contracts, balances, positions and mirrored accounts, the same
// RPC and relayer ports when free, and no trade delivered twice.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { getAddress, type Address } from 'viem';
import type { VenueChain as VenueChainPort } from '@polymm/venue';
import { startDevChain, type DevChain } from './devChain.js';
import { memoryJournal, openMirrorJournal } from './mirrorJournal.js';
import { startVenueMirror, type VenueMirror } from './venueMirror.js';
import { startRelayer, type VenueRelayer } from './relayer.js';
import { depositWalletOf, proxyWalletOf, safeWalletOf } from './relayerProtocol.js';

/** The simulated venue's chain (the venue's `chain` option: `startVenue({ chain: (onError, clock) => startVenueChain({ onError, clock }) })`). */
export interface VenueChain extends VenueChainPort {
  readonly info: VenueChainPort['info'] & { readonly relayerUrl: string };
  readonly chain: DevChain;
  readonly mirror: VenueMirror;
  /** An account that authenticated: mirror its trades from now on, and fund its gas (once). */
  addAccount(owner: string): void;
  /**
   * An order signed for a PROXY (1), SAFE (2) or deposit (3) wallet: that wallet, when it is the signer's, holds
   * the account's tokens on chain from now on (as on Polymarket, where the funder holds them), and it
   * gets gas (the relayer's calls run from it).
   */
  setWallet(owner: string, maker: string, signatureType: number): void;
}

export async function startVenueChain(
  opts: {
    port?: number;
    onError?: (err: Error) => void;
    clock?: () => number;
    relayerDailyCap?: number;
    /** Keep the chain and the mirror's journal here (`<venue store>/chain`); reopened on restart. */
    dir?: string;
  } = {},
): Promise<VenueChain> {
  if (opts.dir) mkdirSync(opts.dir, { recursive: true });
  const journal = opts.dir ? openMirrorJournal(opts.dir) : memoryJournal();
  const saved = journal.state.ports;
  const port = opts.port ?? saved?.rpc;
  const chain = await startDevChain({
    ...(port !== undefined ? { port } : {}),
    ...(opts.dir ? { dbPath: join(opts.dir, 'db') } : {}),
  });
  const accounts = new Map<string, Address>(journal.state.accounts.map(([o, a]) => [o, getAddress(a)]));
  const remember = (owner: string, address: Address): void => {
    accounts.set(owner, address);
    journal.state.accounts = [...accounts];
    try {
      journal.save();
    } catch (e) {
      opts.onError?.(e instanceof Error ? e : new Error(String(e)));
    }
  };
  let mirror: VenueMirror;
  try {
    mirror = await startVenueMirror(chain, accounts, { journal });
  } catch (e) {
    await chain.close();
    throw e;
  }
  let relayer: VenueRelayer;
  try {
    relayer = await startRelayer(chain, {
      ...(opts.clock ? { clock: opts.clock } : {}),
      ...(opts.relayerDailyCap !== undefined ? { dailyCap: opts.relayerDailyCap } : {}),
      ...(saved ? { port: saved.relayer } : {}),
    });
  } catch (e) {
    await chain.close();
    throw e;
  }
  journal.state.ports = { rpc: Number(new URL(chain.rpcUrl).port), relayer: Number(new URL(relayer.url).port) };
  journal.save();
  // The faucet: gas for every address that will send (an account, its relayer wallet), one at a time.
  let gas: Promise<void> = Promise.resolve();
  const faucet = (address: Address): void => {
    gas = gas
      .then(() => chain.fundGas(address))
      .catch((e: unknown) => opts.onError?.(e instanceof Error ? e : new Error(String(e))));
  };
  return {
    info: {
      rpcUrl: chain.rpcUrl,
      chainId: chain.chain.id,
      ctf: chain.ctf,
      collateral: chain.pusd,
      conditionOracle: chain.operator.address,
      relayerUrl: relayer.url,
    },
    chain,
    mirror,
    addAccount(owner) {
      const key = owner.toLowerCase();
      if (accounts.has(key) || !/^0x[0-9a-f]{40}$/.test(key)) return;
      const address = getAddress(key);
      remember(key, address);
      faucet(address);
      mirror.approve(address);
    },
    setWallet(owner, maker, signatureType) {
      const key = owner.toLowerCase();
      if (!/^0x[0-9a-f]{40}$/.test(key) || !/^0x[0-9a-fA-F]{40}$/.test(maker)) return;
      const signer = getAddress(key);
      const wallet =
        signatureType === 1
          ? proxyWalletOf(signer)
          : signatureType === 2
            ? safeWalletOf(signer)
            : signatureType === 3
              ? depositWalletOf(signer)
              : undefined;
      if (!wallet || getAddress(maker) !== wallet || accounts.get(key) === wallet) return;
      remember(key, wallet);
      faucet(wallet);
      mirror.approve(wallet);
    },
    apply: (events) => mirror.apply(events),
    restore: (trades) => mirror.restore(trades),
    async kill() {
      await relayer.close();
      await chain.close();
    },
    async close() {
      await Promise.all([gas, mirror.idle(), relayer.idle()]);
      await relayer.close();
      await chain.close();
    },
  };
}
