// The REST path: our L2 headers equal the official client's (whose HMAC is patched to node:crypto,
// see patches/, for the operator commands that still use it), and the lean transport's timeout,
// redirect, keep-alive and error typing hold.
import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import fc from 'fast-check';
import { createL2Headers } from '@polymarket/clob-client-v2';
import { fastSigner } from '../../src/sinks/execution/signer.js';
import { l2Signer } from '../../src/sinks/execution/l2auth.js';
import { restClient, type RestClient } from '../../src/sinks/execution/rest.js';
import { ExchangeError } from '../../src/sinks/execution/errors.js';

const KEY = '0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d';
const signer = fastSigner(KEY);

/** The protocol's definition (protocol.md): base64url(HMAC-SHA256(base64url-decoded secret, ts+method+path+body)), padding kept. */
async function reference(secret: string, ts: number, method: string, path: string, body: string): Promise<string> {
  const raw = Uint8Array.from(Buffer.from(secret.replace(/-/g, '+').replace(/_/g, '/'), 'base64'));
  const key = await crypto.subtle.importKey('raw', raw, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  const sig = await crypto.subtle.sign('HMAC', key, new TextEncoder().encode(`${ts}${method}${path}${body}`));
  return Buffer.from(sig).toString('base64').replace(/\+/g, '-').replace(/\//g, '_');
}

/** What a signature covers: the secret's bytes, then timestamp, method, path and body. */
const signed = (secret: fc.Arbitrary<Uint8Array>) =>
  [
    secret,
    fc.integer({ min: 0, max: 2 ** 31 }),
    fc.constantFrom('GET', 'POST', 'DELETE'),
    fc.string(),
    fc.string({ unit: 'binary' }),
  ] as const;

describe('L2 request signature (patched client)', () => {
  it('equals the WebCrypto definition for any secret, path and body', async () => {
    await fc.assert(
      fc.asyncProperty(
        ...signed(fc.uint8Array({ minLength: 1, maxLength: 64 })),
        async (bytes, ts, method, path, body) => {
          const secret = Buffer.from(bytes).toString('base64url');
          const h = await createL2Headers(
            signer as never,
            { key: 'k', secret, passphrase: 'p' },
            { method, requestPath: path, body },
            ts,
          );
          expect(h.POLY_SIGNATURE).toBe(await reference(secret, ts, method, path, body));
        },
      ),
      { numRuns: 200 },
    );
  });

  it('does not go through WebCrypto (the slow, thread-pool path) on Node', async () => {
    const spy = vi.spyOn(crypto.subtle, 'sign');
    try {
      await createL2Headers(
        signer as never,
        { key: 'k', secret: 'c2VjcmV0', passphrase: 'p' },
        { method: 'POST', requestPath: '/orders', body: '[]' },
        1,
      );
      expect(spy).not.toHaveBeenCalled();
    } finally {
      spy.mockRestore();
    }
  });
});

describe('L2 headers (ours)', () => {
  it("equal the official client's createL2Headers for any secret, method, path and body", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ minLength: 1, maxLength: 64 }),
        fc.integer({ min: 0, max: 2 ** 31 }),
        fc.constantFrom('GET', 'POST', 'DELETE'),
        fc.string(),
        fc.option(fc.string({ unit: 'binary' }), { nil: undefined }),
        async (bytes, ts, method, path, body) => {
          const creds = { key: 'key-1', secret: Buffer.from(bytes).toString('base64url'), passphrase: 'pass-1' };
          const theirs = await createL2Headers(
            signer as never,
            creds,
            { method, requestPath: path, ...(body !== undefined ? { body } : {}) },
            ts,
          );
          expect(l2Signer(creds, signer.account.address).headers(method, path, body, ts)).toEqual(theirs);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('sign as WebCrypto HMAC-SHA256 does, for keys shorter than, as long as and longer than a block (64 bytes)', async () => {
    await fc.assert(
      fc.asyncProperty(
        // Lengths drawn uniformly (fast-check's default size would keep keys short).
        ...signed(fc.integer({ min: 1, max: 160 }).chain((n) => fc.uint8Array({ minLength: n, maxLength: n }))),
        async (bytes, ts, method, path, body) => {
          const secret = Buffer.from(bytes).toString('base64url');
          const ours = l2Signer({ key: 'k', secret, passphrase: 'p' }, signer.account.address);
          expect(ours.headers(method, path, body, ts).POLY_SIGNATURE).toBe(
            await reference(secret, ts, method, path, body),
          );
          // The same signer signs alike again (its key is decoded once).
          expect(ours.headers(method, path, body, ts).POLY_SIGNATURE).toBe(
            await reference(secret, ts, method, path, body),
          );
        },
      ),
      { numRuns: 300, examples: [[new Uint8Array(64).fill(7), 1, 'POST', '/orders', '[]']] },
    );
  });
});

describe('REST transport', () => {
  let server: Server | undefined;
  let rest: RestClient | undefined;
  afterEach(() => {
    rest?.close();
    server?.closeAllConnections();
    server?.close();
  });
  const listen = async (handler: RequestListener): Promise<string> => {
    server = createServer(handler);
    await new Promise<void>((r) => server!.listen(0, '127.0.0.1', () => r()));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  };
  const creds = { key: 'k', secret: 'c2VjcmV0', passphrase: 'p' };
  const l2 = l2Signer(creds, signer.account.address);
  const caught = (p: Promise<unknown>): Promise<ExchangeError> =>
    p.then(
      () => {
        throw new Error('resolved');
      },
      (e: unknown) => e as ExchangeError,
    );

  it('a venue that never answers fails the call after the timeout, typed', async () => {
    const host = await listen(() => undefined); // accepts, never responds
    rest = restClient({ host, timeoutMs: 200, clock: () => Date.now() });
    const e = await caught(rest.call('GET', '/data/orders', { signer: l2 }));
    expect(e).toBeInstanceOf(ExchangeError);
    expect(e.failure).toEqual({ kind: 'timeout', afterMs: 200 });
  });

  it('the timeout bounds the whole call: a venue trickling bytes does not extend it', async () => {
    let drip: NodeJS.Timeout | undefined;
    const host = await listen((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('[');
      drip = setInterval(() => res.write(' '), 50); // a byte every 50 ms: an idle timer never fires
    });
    rest = restClient({ host, timeoutMs: 300, clock: () => Date.now() });
    const e = await caught(rest.call('GET', '/data/orders', { signer: l2 }));
    clearInterval(drip);
    expect(e.failure).toEqual({ kind: 'timeout', afterMs: 300 });
  });

  it('a redirect is an error, not followed', async () => {
    let hits = 0;
    const host = await listen((_req, res) => {
      hits++;
      res.writeHead(302, { location: '/elsewhere' }).end();
    });
    rest = restClient({ host, timeoutMs: 2_000, clock: () => Date.now() });
    expect((await caught(rest.call('GET', '/ok', { signer: l2 }))).failure).toEqual({
      kind: 'bad_answer',
      status: 302,
    });
    expect(hits).toBe(1);
  });

  it('a refused connection is a network error', async () => {
    const host = await listen(() => undefined);
    server!.close();
    server!.closeAllConnections();
    server = undefined;
    await new Promise((r) => setTimeout(r, 10));
    rest = restClient({ host, timeoutMs: 2_000, clock: () => Date.now() });
    expect((await caught(rest.call('GET', '/ok', { signer: l2 }))).failure).toMatchObject({
      kind: 'network',
      code: 'ECONNREFUSED',
    });
  });

  it('sends the signed body byte for byte, signed over its path without the query, on one kept-alive connection', async () => {
    const seen: Array<{ body: string; url: string; headers: Record<string, unknown>; socket: unknown }> = [];
    const host = await listen((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        seen.push({ body, url: req.url!, headers: req.headers, socket: req.socket });
        res.writeHead(200, { 'content-type': 'application/json', 'poly-ratelimit-remaining': '12' }).end('{"ok":true}');
      });
    });
    const pacing: unknown[] = [];
    rest = restClient({
      host,
      timeoutMs: 2_000,
      clock: () => 1_700_000_000_123,
      onPacing: (bucket, p) => pacing.push({ bucket, p }),
    });
    const r = await rest.call<{ ok: boolean }>('POST', '/orders', {
      signer: l2,
      body: [{ a: 'é', b: 1 }],
      bucket: 'order',
    });
    await rest.call('GET', '/data/trades', { signer: l2, query: { after: '5', next_cursor: 'MA==' } });
    expect(r).toMatchObject({ status: 200, data: { ok: true } });
    expect(seen[0]!.body).toBe('[{"a":"é","b":1}]');
    expect(seen[0]!.headers).toMatchObject(
      Object.fromEntries(
        Object.entries(l2.headers('POST', '/orders', '[{"a":"é","b":1}]', 1_700_000_000)).map(([k, v]) => [
          k.toLowerCase(),
          v,
        ]),
      ),
    );
    expect(seen[1]!.url).toBe('/data/trades?after=5&next_cursor=MA%3D%3D');
    expect(seen[1]!.headers['poly_signature']).toBe(
      l2.headers('GET', '/data/trades', undefined, 1_700_000_000).POLY_SIGNATURE,
    );
    expect(seen[1]!.socket).toBe(seen[0]!.socket);
    expect(pacing).toEqual([
      { bucket: 'order', p: { remaining: 12, rateLimit: { 'poly-ratelimit-remaining': '12' } } },
    ]);
  });
});
