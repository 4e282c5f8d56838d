// The configured wallet as the official client sees it, for the operator commands (keys, doctor):
// signer, signature type and funder exactly as `start` uses them. Never echoes the key.
import { ClobClient, SignatureTypeV2 } from '@polymarket/clob-client-v2';
import { accountOf, type KeyAccount } from '../sinks/execution/account.js';
import type { Config } from '../config/schema.js';
import { fastSigner } from '../sinks/execution/signer.js';
import { withTimeout } from '../sinks/execution/rest.js';
import { WalletError } from './walletError.js';

export const SIGNATURE_TYPES = {
  EOA: SignatureTypeV2.EOA,
  PROXY: SignatureTypeV2.POLY_PROXY,
  SAFE: SignatureTypeV2.POLY_GNOSIS_SAFE,
  DEPOSIT: SignatureTypeV2.POLY_1271,
} as const;

// Defined apart (./walletError.ts) so that the CLI can recognise it without loading the CLOB client.
export { WalletError };

export interface ConfiguredWallet {
  readonly signer: string;
  readonly funder?: string;
  readonly signatureType: number;
  /** An L1 client (no API credentials): create/derive keys, public endpoints. */
  readonly l1: ClobClient;
  /** An L2 client with the given credentials. */
  withCreds(creds: { key: string; secret: string; passphrase: string }): ClobClient;
}

export function configuredWallet(cfg: Config): ConfiguredWallet {
  const key = cfg.wallet.privateKey;
  if (!key) throw new WalletError('no wallet.privateKey: set PMM_PRIVATE_KEY or PMM_PRIVATE_KEY_FILE');
  let wallet: KeyAccount;
  try {
    wallet = accountOf(key);
  } catch {
    throw new WalletError('wallet.privateKey is not a valid private key');
  }
  const signatureType = SIGNATURE_TYPES[cfg.wallet.mode];
  const funder = cfg.wallet.funder;
  const base = {
    host: cfg.endpoints.clob,
    chain: cfg.wallet.chainId,
    signer: fastSigner(wallet.privateKey) as never,
    signatureType,
    throwOnError: true,
    ...(funder ? { funderAddress: funder } : {}),
  };
  return {
    signer: wallet.address.toLowerCase(),
    ...(funder ? { funder: funder.toLowerCase() } : {}),
    signatureType,
    l1: bounded(new ClobClient(base), cfg.rest.timeoutMs),
    withCreds: (creds) => bounded(new ClobClient({ ...base, creds }), cfg.rest.timeoutMs),
  };
}

/** The client with every asynchronous method bounded by `ms` (its axios calls have no timeout of
 * their own, and we no longer set axios' process-wide defaults). */
function bounded(client: ClobClient, ms: number): ClobClient {
  return new Proxy(client, {
    get(target, prop, receiver) {
      const v: unknown = Reflect.get(target, prop, receiver);
      if (typeof v !== 'function') return v;
      return (...args: unknown[]): unknown => {
        const r: unknown = (v as (...a: unknown[]) => unknown).apply(target, args);
        return r instanceof Promise ? withTimeout(r, ms, `CLOB ${String(prop)}`) : r;
      };
    },
  });
}
