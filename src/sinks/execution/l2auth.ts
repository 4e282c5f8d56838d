// L2 (API key) request authentication, computed synchronously with node:crypto: the same headers as
// the official client's `createL2Headers` (tested against it), without its awaits, its per-call
// base64 decoding of the secret, or WebCrypto's thread-pool round trips. The signature is
// base64url(HMAC-SHA256(base64-decoded secret, timestamp + method + path + body)), padding kept.
import { createHmac } from 'node:crypto';
import type { ApiCreds } from '../../domain/index.js';

export interface L2Headers {
  readonly POLY_ADDRESS: string;
  readonly POLY_SIGNATURE: string;
  readonly POLY_TIMESTAMP: string;
  readonly POLY_API_KEY: string;
  readonly POLY_PASSPHRASE: string;
}

/** Signs requests for one API key; the decoded secret is kept, never shown. */
export interface L2Signer {
  headers(method: string, path: string, body: string | undefined, tsS: number): L2Headers;
}

export function l2Signer(creds: ApiCreds, address: string): L2Signer {
  // The secret is base64url; Buffer's decoder accepts both alphabets and missing padding.
  const key = Buffer.from(creds.secret.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
  return {
    headers(method, path, body, tsS) {
      const ts = String(tsS);
      const mac = createHmac('sha256', key).update(ts + method + path + (body ?? ''), 'utf8');
      const sig = mac.digest('base64').replace(/\+/g, '-').replace(/\//g, '_');
      return {
        POLY_ADDRESS: address,
        POLY_SIGNATURE: sig,
        POLY_TIMESTAMP: ts,
        POLY_API_KEY: creds.key,
        POLY_PASSPHRASE: creds.passphrase,
      };
    },
  };
}
