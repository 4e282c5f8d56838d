// The simulated venue's chain: a dev EVM with the real ConditionalTokens, and the mirror that keeps
// the positions of the venue's API accounts on it. Accounts are added as they authenticate (their
// venue owner is their address), each given gas so it can merge and redeem itself; the market
// participants never authenticate and stay off chain (their trades would cost a split each).
import { getAddress, type Address } from 'viem';
import type { VenueChain as VenueChainPort } from '@polymm/venue';
import { startDevChain, type DevChain } from './devChain.js';
import { startVenueMirror, type VenueMirror } from './venueMirror.js';

/** The simulated venue's chain (the venue's `chain` option: `startVenue({ chain: (onError) => startVenueChain({ onError }) })`). */
export interface VenueChain extends VenueChainPort {
  readonly chain: DevChain;
  readonly mirror: VenueMirror;
  /** An account that authenticated: mirror its trades from now on, and fund its gas (once). */
  addAccount(owner: string): void;
}

export async function startVenueChain(
  opts: { port?: number; onError?: (err: Error) => void } = {},
): Promise<VenueChain> {
  const chain = await startDevChain(opts.port !== undefined ? { port: opts.port } : {});
  const accounts = new Map<string, Address>();
  let mirror: VenueMirror;
  try {
    mirror = await startVenueMirror(chain, accounts);
  } catch (e) {
    await chain.close();
    throw e;
  }
  let gas: Promise<void> = Promise.resolve();
  return {
    info: {
      rpcUrl: chain.rpcUrl,
      chainId: chain.chain.id,
      ctf: chain.ctf,
      collateral: chain.pusd,
      conditionOracle: chain.operator.address,
    },
    chain,
    mirror,
    addAccount(owner) {
      const key = owner.toLowerCase();
      if (accounts.has(key) || !/^0x[0-9a-f]{40}$/.test(key)) return;
      const address = getAddress(key);
      accounts.set(key, address);
      gas = gas
        .then(() => chain.fundGas(address))
        .catch((e: unknown) => opts.onError?.(e instanceof Error ? e : new Error(String(e))));
    },
    apply: (events) => mirror.apply(events),
    async close() {
      await Promise.all([gas, mirror.idle()]);
      await chain.close();
    },
  };
}
