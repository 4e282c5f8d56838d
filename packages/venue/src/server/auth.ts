// Authentication as the CLOB does it: L1 (EIP-712 ClobAuth signature) to create/derive API keys,
// L2 (HMAC-SHA256 of timestamp + method + path + body) on every private call, and EIP-712
// verification of every signed V2 order.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { utils } from 'ethers';
import type { CredStore } from './creds.js';

export { CredStore, type Creds } from './creds.js';

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
