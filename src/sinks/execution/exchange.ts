// What the rest of the bot sees of the venue: the `Exchange` interface, and `connectExchange`, which
// creates the signer, derives or takes the API credentials and returns the adapter
// (`clobExchange.ts`: orders signed by the official @polymarket/clob-client-v2, REST through our
// lean transport, typed errors).
import { ClobClient, SignatureTypeV2, type ApiKeyCreds } from '@polymarket/clob-client-v2';
import { accountOf, randomAccount, type KeyAccount } from './account.js';
import { fastSigner } from './signer.js';
import { startPresigner, type Presigner } from './presign.js';
import { answerError, ExchangeError, type LimitBucket, type Pacing } from './errors.js';
import { clobExchange } from './clobExchange.js';
import { withTimeout } from './rest.js';
import type { Config } from '../../config/schema.js';
import type { ApiCreds, DesiredOrder, MarketIdentity, TakerIntent } from '../../domain/index.js';
import type { UserTradeMsg } from '../../wire/user.js';

export { ExchangeError, type ExchangeFailure, type LimitBucket, type Pacing } from './errors.js';
export { AUTH_REFUSED, clobExchange } from './clobExchange.js';

export interface PostResult {
  readonly ok: boolean;
  readonly orderId?: string;
  readonly status?: string;
  readonly error?: string;
}

/** An open order as REST reports it (outcome resolved later against the known markets). */
export interface RestOrder {
  readonly orderId: string;
  readonly conditionId: string;
  readonly tokenId: string;
  readonly side: 'BUY' | 'SELL';
  readonly price: number;
  readonly size: number;
  readonly sizeMatched: number;
  readonly orderType: string;
  readonly tsMs: number;
}

// In its own module so that the pipeline (and the backtest) need not load the official client.
export { liveOrderOf } from './liveOrder.js';

export interface Exchange {
  /** Lower-cased signer (or funder) address. */
  readonly address: string;
  readonly creds: ApiCreds;
  /**
   * Sign and post up to 15 resting orders in one batch; one result per order, in order.
   * `stillWanted` is asked right before every send (after signing, and before a retry with a renewed
   * API key): false (past the cutoff margin, halted, stopping) and nothing is sent, each result a refusal.
   */
  post(orders: readonly DesiredOrder[], market: MarketIdentity, stillWanted?: () => boolean): Promise<PostResult[]>;
  cancel(orderIds: readonly string[]): Promise<{ canceled: string[]; notCanceled: Record<string, string> }>;
  cancelAll(): Promise<void>;
  /** A FOK/FAK buy of `size` shares at no worse than `maxPrice`; like `post`, not sent once `stillWanted` says no. */
  take(intent: TakerIntent, market: MarketIdentity, stillWanted?: () => boolean): Promise<PostResult>;
  heartbeat(): Promise<void>;
  openOrders(): Promise<RestOrder[]>;
  trades(afterMs: number): Promise<UserTradeMsg[]>;
  /** Shares held of each token (conditional-token balances). */
  positions(tokenIds: readonly string[]): Promise<number[]>;
  /** Pre-sign, in the background, the orders likely to follow these (prices a tick or two away). */
  presignAround(orders: readonly DesiredOrder[], market: MarketIdentity): void;
  /** Presign cache counters, when presigning is on. */
  readonly presignStats?: Presigner['stats'];
  /** The venue's pacing headers (Poly-RateLimit-*, Retry-After) of the latest answer charged to this
   * bucket since the last call, if any: the limiter follows the venue's own count with them. */
  takePacing?(bucket: LimitBucket): Pacing | undefined;
  close(): Promise<void>;
}

const SIGNATURE_TYPES = {
  EOA: SignatureTypeV2.EOA,
  PROXY: SignatureTypeV2.POLY_PROXY,
  SAFE: SignatureTypeV2.POLY_GNOSIS_SAFE,
  DEPOSIT: SignatureTypeV2.POLY_1271,
} as const;

/** An error of the official client's own calls (L1 key derivation), typed: the client folds an error
 * answer into `{status, data}` (its headers are gone; our transport keeps them for the L2 calls). */
export function toExchangeError(err: unknown, nowMs: number): ExchangeError {
  if (err instanceof ExchangeError) return err;
  const e = err as { status?: number; data?: unknown; message?: string };
  if (typeof e?.status === 'number') return answerError(e.status, e.data ?? e.message, undefined, nowMs);
  return new ExchangeError(e?.message ?? String(err), { kind: 'network', code: 'ERR' });
}

export interface ConnectOptions {
  /** Use a fresh random key when none is configured (the simulated venue only). */
  readonly randomKeyIfMissing: boolean;
  /** Told of presigner (worker) errors; signing then happens inline. */
  readonly onPresignError?: (error: string, fatal: boolean) => void;
}

/** Create the signer, derive or take the API credentials, and return the exchange adapter. */
export async function connectExchange(cfg: Config, opts: ConnectOptions): Promise<Exchange> {
  const key = cfg.wallet.privateKey;
  if (!key && !opts.randomKeyIfMissing)
    throw new ExchangeError('wallet.privateKey (PMM_PRIVATE_KEY) is required to trade live');
  let wallet: KeyAccount;
  try {
    wallet = key ? accountOf(key) : randomAccount();
  } catch {
    throw new ExchangeError('wallet.privateKey is not a valid private key'); // never echo the key
  }
  const signer = fastSigner(wallet.privateKey);
  const clock = (): number => Date.now();
  const timeoutMs = cfg.rest.timeoutMs;
  const host = cfg.endpoints.clob;
  const chain = cfg.wallet.chainId;
  const signatureType = SIGNATURE_TYPES[cfg.wallet.mode];
  if (cfg.wallet.mode !== 'EOA' && !cfg.wallet.funder)
    throw new ExchangeError(`wallet.funder is required for wallet.mode ${cfg.wallet.mode}`);
  const funderAddress = cfg.wallet.funder;
  const base = {
    host,
    chain,
    signer: signer as never,
    signatureType,
    throwOnError: true,
    ...(funderAddress ? { funderAddress } : {}),
  };
  // L1 auth (key derivation) is the official client's, bounded by our timeout.
  const derive = async (): Promise<ApiKeyCreds> => {
    try {
      return await withTimeout(new ClobClient(base).createOrDeriveApiKey(), timeoutMs, 'API key derivation');
    } catch (err) {
      throw toExchangeError(err, clock());
    }
  };
  const given = cfg.wallet.apiKey && cfg.wallet.apiSecret && cfg.wallet.apiPassphrase;
  const creds: ApiKeyCreds = given
    ? { key: cfg.wallet.apiKey!, secret: cfg.wallet.apiSecret!, passphrase: cfg.wallet.apiPassphrase! }
    : await derive();
  const presigner = cfg.presign.enabled
    ? startPresigner(
        { privateKey: wallet.privateKey, host, chain, signatureType, ...(funderAddress ? { funderAddress } : {}) },
        {
          maxAgeMs: cfg.presign.maxAgeMs,
          maxEntries: 2_000,
          clock,
          ...(opts.onPresignError ? { onError: opts.onPresignError } : {}),
        },
      )
    : undefined;
  // On a 401 (the venue forgot our key, e.g. after a restart) derive the key again through L1 auth.
  return clobExchange(new ClobClient(base), (funderAddress ?? wallet.address).toLowerCase(), creds, {
    signerAddress: wallet.address,
    signatureType,
    timeoutMs,
    clock,
    presignTicks: cfg.presign.ticks,
    renew: derive,
    ...(presigner ? { presigner } : {}),
  });
}
