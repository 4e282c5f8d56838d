// Whether and how the running bot settles on chain: the settlement operator built from the `chain.*`,
// `merge.*` and `wallet.*` settings. EOA wallets send their own transactions; PROXY and SAFE wallets
// and deposit wallets (DEPOSIT, their batches) go through the relayer (`chain.relayerUrl`).
import { randomBytes } from 'node:crypto';
import { defineChain, getAddress, type Address } from 'viem';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import type { Config } from '../config/schema.js';
import { readLoggedEvents } from '../ledger/ledger.js';
import type { InventoryOpEvent } from '../domain/index.js';
import type { Logger } from './logger.js';
import { settlementOps } from './settlementOps.js';
import { depositWalletOf, proxyWalletOf, safeWalletOf } from '../chain/relayerProtocol.js';

/** A PROXY / SAFE / deposit wallet's own address: the one the relayer derives from its owner's key. */
const ownWallet = (mode: Config['wallet']['mode'], key: string): Address | undefined => {
  const owner = privateKeyToAccount((key.startsWith('0x') ? key : `0x${key}`) as `0x${string}`).address;
  return mode === 'PROXY'
    ? proxyWalletOf(owner)
    : mode === 'SAFE'
      ? safeWalletOf(owner)
      : mode === 'DEPOSIT'
        ? depositWalletOf(owner)
        : undefined;
};

/**
 * On the simulated venue: a random key when none is configured; for PROXY / SAFE / DEPOSIT wallets
 * without a funder, the key's own wallet, and random builder credentials when none are configured (its relayer
 * asks for them as Polymarket's does), so `--wallet.mode PROXY` trades and settles with no other setup.
 */
export function simSigningConfig(cfg: Config): Config {
  const privateKey = cfg.wallet.privateKey ?? generatePrivateKey();
  const funder = cfg.wallet.funder ?? ownWallet(cfg.wallet.mode, privateKey);
  const c = cfg.chain;
  const relayer = cfg.wallet.mode !== 'EOA';
  const made = (): string => randomBytes(24).toString('base64url');
  const builder =
    relayer && !c.builderApiKey && !c.builderSecret && !c.builderPassphrase
      ? { builderApiKey: made(), builderSecret: made(), builderPassphrase: made() }
      : {};
  return {
    ...cfg,
    chain: { ...c, ...builder },
    wallet: { ...cfg.wallet, privateKey, ...(funder ? { funder } : {}) },
  };
}

/** The relayer's builder credentials, when all three are configured (the config checks they go together). */
const builderCreds = (c: Config['chain']) =>
  c.builderApiKey && c.builderSecret && c.builderPassphrase
    ? { key: c.builderApiKey, secret: c.builderSecret, passphrase: c.builderPassphrase }
    : undefined;

/**
 * `onDevChain`: the simulated venue runs a chain (fresh each run, so earlier runs' operations do not
 * apply); else the chain is Polymarket's, where operations of earlier runs (the event logs) are never
 * executed again.
 */
export function settlementFor(cfg: Config, onDevChain: boolean, clock: () => number, logger: Logger) {
  const key = cfg.wallet.privateKey;
  if (!key) return undefined;
  if (cfg.venue === 'sim' && !onDevChain) {
    logger.info('no chain on the simulated venue (sim.chain=false): merges and redemptions off');
    return undefined;
  }
  const mode = cfg.wallet.mode;
  const c = cfg.chain;
  const chain = defineChain({
    id: c.chainId,
    name: `chain ${c.chainId}`,
    nativeCurrency: { name: 'POL', symbol: 'POL', decimals: 18 },
    rpcUrls: { default: { http: [c.rpcUrl] } },
  });
  let past: InventoryOpEvent[] = [];
  if (!onDevChain) {
    try {
      past = readLoggedEvents(cfg.eventLogDir).events.filter((e): e is InventoryOpEvent => e.kind === 'inventoryOp');
    } catch (err) {
      logger.warn('earlier settlement operations unreadable from the event logs', {
        error: err instanceof Error ? err.message : String(err),
      });
    }
  }
  const account = privateKeyToAccount((key.startsWith('0x') ? key : `0x${key}`) as `0x${string}`);
  // The wallet holding the tokens: the configured funder, else the signer's own proxy / safe / deposit wallet.
  const wallet = mode === 'EOA' ? undefined : cfg.wallet.funder ? getAddress(cfg.wallet.funder) : ownWallet(mode, key);
  const builder = builderCreds(c);
  if (wallet && !builder) {
    logger.warn('no builder API credentials (chain.builderApiKey, …): the relayer takes no merge or redemption', {
      mode,
    });
    return undefined;
  }
  logger.info('settlement on chain', {
    mode,
    ...(wallet ? { wallet, relayerUrl: c.relayerUrl } : {}),
    rpcUrl: c.rpcUrl,
    chainId: c.chainId,
    ctf: c.ctf,
    mergeEnabled: cfg.merge.enabled,
    earlierOperations: past.length,
  });
  return settlementOps({
    ref: { rpcUrl: c.rpcUrl, chain, ctf: c.ctf as Address, pusd: c.collateral as Address },
    account,
    mode,
    ...(wallet && builder && mode !== 'EOA'
      ? { relayer: { url: c.relayerUrl, walletType: mode, clientChainId: cfg.wallet.chainId, wallet, builder } }
      : {}),
    merge: cfg.merge,
    logger,
    clock,
    past,
    gasLimit: BigInt(c.gasLimit),
    receiptTimeoutMs: c.receiptTimeoutMs,
    ...(c.conditionOracle ? { conditionOracle: c.conditionOracle as Address } : {}),
  });
}
