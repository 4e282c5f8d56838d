// Authentication as the CLOB does it: L1 (EIP-712 ClobAuth signature) to create/derive API keys,
// L2 (HMAC-SHA256 of timestamp + method + path + body) on every private call, and EIP-712
// verification of every signed V2 order.
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { utils } from 'ethers';

export interface Creds {
  readonly apiKey: string;
  readonly secret: string;
  readonly passphrase: string;
}

const CLOB_AUTH_MSG = 'This message attests that I control the given wallet';

/** Exchange contracts the official client signs against (chain 137 and 80002), lower case. */
export const V2_EXCHANGES = new Set([
  '0xe111180000d2663c0091e4f400237545b87b996b', // CTF exchange V2
  '0xe2222d279d744050d28e00520010520000310f59', // neg-risk exchange V2
]);

export const ORDER_TYPES = {
  Order: [
    { name: 'salt', type: 'uint256' },
    { name: 'maker', type: 'address' },
    { name: 'signer', type: 'address' },
    { name: 'tokenId', type: 'uint256' },
    { name: 'makerAmount', type: 'uint256' },
    { name: 'takerAmount', type: 'uint256' },
    { name: 'side', type: 'uint8' },
    { name: 'signatureType', type: 'uint8' },
    { name: 'timestamp', type: 'uint256' },
    { name: 'metadata', type: 'bytes32' },
    { name: 'builder', type: 'bytes32' },
  ],
};

export class CredStore {
  private readonly byKey = new Map<string, { address: string; nonce: string; creds: Creds }>();
  constructor(private serverSecret: string) {}

  /** What a venue restart keeps (the persistent store): the server secret and who derived which key. */
  persisted(): { serverSecret: string; keys: { address: string; nonce: string }[] } {
    return {
      serverSecret: this.serverSecret,
      keys: [...this.byKey.values()].map(({ address, nonce }) => ({ address, nonce })),
    };
  }

  /** A store restored after a restart: the same keys answer as before (keys derive from the secret). */
  static restored(p: { serverSecret: string; keys: readonly { address: string; nonce: string }[] }): CredStore {
    const store = new CredStore(p.serverSecret);
    for (const k of p.keys) store.credsFor(k.address, k.nonce);
    return store;
  }

  /** Forget every API key, as a venue restart does: old keys answer 401; deriving gives new ones. */
  forget(newServerSecret: string): void {
    this.serverSecret = newServerSecret;
    this.byKey.clear();
  }

  /** Deterministic per address and nonce, like derive-api-key. */
  credsFor(address: string, nonce: string): Creds {
    const h = (tag: string): Buffer =>
      createHmac('sha256', this.serverSecret).update(`${tag}:${address.toLowerCase()}:${nonce}`).digest();
    const hex = h('key').toString('hex');
    const apiKey = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
    const creds = {
      apiKey,
      secret: h('secret').toString('base64url'),
      passphrase: h('pass').toString('hex').slice(0, 32),
    };
    this.byKey.set(apiKey, { address: address.toLowerCase(), nonce, creds });
    return creds;
  }

  lookup(apiKey: string): { address: string; creds: Creds } | undefined {
    return this.byKey.get(apiKey);
  }

  /** API key (UUID) of an address as shown on the wire; accounts without a key show a hash. */
  keyOf = (address: string): string => {
    for (const [key, v] of this.byKey) if (v.address === address) return key;
    return createHash('sha256').update(address).digest('hex').slice(0, 36);
  };
}

type Headers = Readonly<Record<string, string | string[] | undefined>>;
const header = (h: Headers, name: string): string | undefined => {
  const v = h[name.toLowerCase()];
  return Array.isArray(v) ? v[0] : v;
};

/** L1: returns the address whose ClobAuth signature is valid, or an error text. */
export function verifyL1(h: Headers, chainId: number): { address: string } | { error: string } {
  const address = header(h, 'POLY_ADDRESS');
  const signature = header(h, 'POLY_SIGNATURE');
  const timestamp = header(h, 'POLY_TIMESTAMP');
  const nonce = header(h, 'POLY_NONCE') ?? '0';
  if (!address || !signature || !timestamp) return { error: 'Invalid L1 Request headers' };
  try {
    const recovered = utils.verifyTypedData(
      { name: 'ClobAuthDomain', version: '1', chainId },
      {
        ClobAuth: [
          { name: 'address', type: 'address' },
          { name: 'timestamp', type: 'string' },
          { name: 'nonce', type: 'uint256' },
          { name: 'message', type: 'string' },
        ],
      },
      { address, timestamp, nonce, message: CLOB_AUTH_MSG },
      signature,
    );
    if (recovered.toLowerCase() !== address.toLowerCase()) return { error: 'Invalid L1 Request headers' };
    return { address: address.toLowerCase() };
  } catch {
    return { error: 'Invalid L1 Request headers' };
  }
}

/** L2: HMAC check; returns the account address or an error text. */
export function verifyL2(
  h: Headers,
  method: string,
  path: string,
  body: string,
  store: CredStore,
): { address: string; apiKey: string } | { error: string } {
  const apiKey = header(h, 'POLY_API_KEY');
  const signature = header(h, 'POLY_SIGNATURE');
  const timestamp = header(h, 'POLY_TIMESTAMP');
  const passphrase = header(h, 'POLY_PASSPHRASE');
  const entry = apiKey ? store.lookup(apiKey) : undefined;
  if (!entry || !signature || !timestamp || passphrase !== entry.creds.passphrase)
    return { error: 'Unauthorized/Invalid api key' };
  const key = Buffer.from(entry.creds.secret.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
  const expected = createHmac('sha256', key)
    .update(`${timestamp}${method}${path}${body}`)
    .digest('base64')
    .replace(/\+/g, '-')
    .replace(/\//g, '_');
  const a = Buffer.from(expected);
  const b = Buffer.from(signature);
  if (a.length !== b.length || !timingSafeEqual(a, b)) return { error: 'Unauthorized/Invalid api key' };
  return { address: entry.address, apiKey: apiKey! };
}

export interface WireOrder {
  readonly salt: number | string;
  readonly maker: string;
  readonly signer: string;
  readonly tokenId: string;
  readonly makerAmount: string;
  readonly takerAmount: string;
  readonly side: 'BUY' | 'SELL';
  readonly signatureType: number;
  readonly timestamp: string;
  readonly expiration?: string;
  readonly metadata: string;
  readonly builder: string;
  readonly signature: string;
}

/** The signed order as the EIP-712 message the V2 exchange hashes (ORDER_TYPES). */
export const orderValue = (o: WireOrder) => ({
  salt: String(o.salt),
  maker: o.maker,
  signer: o.signer,
  tokenId: o.tokenId,
  makerAmount: o.makerAmount,
  takerAmount: o.takerAmount,
  side: o.side === 'BUY' ? 0 : 1,
  signatureType: o.signatureType,
  timestamp: o.timestamp,
  metadata: o.metadata,
  builder: o.builder,
});

/** The V2 exchange's EIP-712 domain at one of its addresses. */
export const exchangeDomain = (chainId: number, verifyingContract: string) => ({
  name: 'Polymarket CTF Exchange',
  version: '2',
  chainId,
  verifyingContract,
});

/** Recover the V2 order signer against the known exchange contracts; returns the order hash. */
export function verifyOrder(o: WireOrder, chainId: number): { hash: string; signer: string } | { error: string } {
  try {
    const value = orderValue(o);
    for (const verifyingContract of V2_EXCHANGES) {
      const domain = exchangeDomain(chainId, verifyingContract);
      const recovered = utils.verifyTypedData(domain, ORDER_TYPES, value, o.signature).toLowerCase();
      if (recovered === o.signer.toLowerCase())
        return { hash: utils._TypedDataEncoder.hash(domain, ORDER_TYPES, value), signer: recovered };
    }
    return { error: 'invalid signature' };
  } catch {
    return { error: 'invalid signature' };
  }
}
