// The REST path through the official client: its L2 HMAC (patched to node:crypto, see
// patches/) must produce the bytes the venue expects, and the transport settings must hold.
import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import fc from 'fast-check';
import { ClobClient, createL2Headers } from '@polymarket/clob-client-v2';
import { fastSigner } from '../../src/sinks/execution/signer.js';
import { configureRestTransport } from '../../src/sinks/execution/transport.js';

const KEY = '0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d';
const signer = fastSigner(KEY);

/** The protocol's definition (protocol.md): base64url(HMAC-SHA256(base64url-decoded secret, ts+method+path+body)), padding kept. */
async function reference(secret: string, ts: number, method: string, path: string, body: string): Promise<string> {
  const raw = Uint8Array.from(Buffer.from(secret.replace(/-/g, '+').replace(/_/g, '/'), 'base64'));
  const key = await crypto.subtle.importKey('raw', raw, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  const sig = await crypto.subtle.sign('HMAC', key, new TextEncoder().encode(`${ts}${method}${path}${body}`));
  return Buffer.from(sig).toString('base64').replace(/\+/g, '-').replace(/\//g, '_');
}

describe('L2 request signature (patched client)', () => {
  it('equals the WebCrypto definition for any secret, path and body', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ minLength: 1, maxLength: 64 }), fc.integer({ min: 0, max: 2 ** 31 }), fc.constantFrom('GET', 'POST', 'DELETE'), fc.string(), fc.string({ unit: 'binary' }), async (bytes, ts, method, path, body) => {
        const secret = Buffer.from(bytes).toString('base64url');
        const h = await createL2Headers(signer as never, { key: 'k', secret, passphrase: 'p' }, { method, requestPath: path, body }, ts);
        expect(h.POLY_SIGNATURE).toBe(await reference(secret, ts, method, path, body));
      }),
      { numRuns: 200 },
    );
  });

  it('does not go through WebCrypto (the slow, thread-pool path) on Node', async () => {
    const spy = vi.spyOn(crypto.subtle, 'sign');
    try {
      await createL2Headers(signer as never, { key: 'k', secret: 'c2VjcmV0', passphrase: 'p' }, { method: 'POST', requestPath: '/orders', body: '[]' }, 1);
      expect(spy).not.toHaveBeenCalled();
    } finally {
      spy.mockRestore();
    }
  });
});

describe('REST transport', () => {
  let server: Server | undefined;
  afterEach(() => {
    server?.closeAllConnections();
    server?.close();
  });
  const listen = async (handler: RequestListener): Promise<string> => {
    server = createServer(handler);
    await new Promise<void>((r) => server!.listen(0, '127.0.0.1', () => r()));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  };

  it('a venue that never answers fails the call after the timeout', async () => {
    configureRestTransport(200);
    const host = await listen(() => undefined); // accepts, never responds
    const client = new ClobClient({ host, chain: 137, signer: signer as never, throwOnError: true });
    const t0 = performance.now();
    await expect(client.getOk()).rejects.toThrow(/timeout/i);
    const took = performance.now() - t0;
    expect(took).toBeGreaterThanOrEqual(150);
    expect(took).toBeLessThan(2_000);
  });

  it('a redirect is an error, not followed', async () => {
    configureRestTransport(2_000);
    let hits = 0;
    const host = await listen((_req, res) => {
      hits++;
      res.writeHead(302, { location: '/elsewhere' }).end();
    });
    const client = new ClobClient({ host, chain: 137, signer: signer as never, throwOnError: true });
    await expect(client.getOk()).rejects.toThrow();
    expect(hits).toBe(1);
  });
});
