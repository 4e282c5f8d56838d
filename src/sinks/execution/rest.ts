// The CLOB REST transport of the order path: node:http(s) on its own keep-alive agent, the body
// serialized once (the same string is HMAC'd and written), L2 headers from `l2auth`, a deadline per
// request, no redirects. Every non-2xx answer, timeout or connection failure becomes a typed
// `ExchangeError` carrying the venue's pacing headers; the pacing headers of every answer are
// reported (`onPacing`) so the limiter can follow the venue's own bucket. Nothing here touches
// axios or any process-wide default. (Measured against the official client's axios path in
// bench/tickToWire.ts; see the README's "Order path" section.)
import { Agent as HttpAgent, request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { answerError, ExchangeError, pacingOf, type LimitBucket, type Pacing } from './errors.js';
import type { L2Signer } from './l2auth.js';

export type Method = 'GET' | 'POST' | 'DELETE';

export interface RestAnswer<T = unknown> {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly data: T;
}

export interface RestOptions {
  readonly host: string;
  readonly timeoutMs: number;
  /** Wall-clock reading for the L2 timestamp and Retry-After dates (injected, not hidden). */
  readonly clock: () => number;
  /** Told of the pacing headers of every answer of a metered call (success or not). */
  readonly onPacing?: (bucket: LimitBucket, pacing: Pacing) => void;
}

export interface RestClient {
  /** An L2-authenticated call; `body` is serialized once. Resolves on 2xx, else throws ExchangeError. */
  call<T>(
    method: Method,
    path: string,
    opts: { signer: L2Signer; body?: unknown; query?: Record<string, string>; bucket?: LimitBucket },
  ): Promise<RestAnswer<T>>;
  close(): void;
}

const BASE_HEADERS = {
  accept: 'application/json',
  'content-type': 'application/json',
  'user-agent': 'polymarket-mm-bot',
} as const;

const parse = (text: string): unknown => {
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
};

export function restClient(opts: RestOptions): RestClient {
  const base = new URL(opts.host);
  const https = base.protocol === 'https:';
  // Our own agent: connections stay open between batches (no handshake on the order path) and
  // nothing depends on the process's global agents. maxSockets bounds concurrent calls per host.
  const agent = https
    ? new HttpsAgent({ keepAlive: true, maxSockets: 16 })
    : new HttpAgent({ keepAlive: true, maxSockets: 16 });
  const send = https ? httpsRequest : httpRequest;
  const prefix = base.pathname.replace(/\/$/, '');

  const call = <T>(
    method: Method,
    path: string,
    o: { signer: L2Signer; body?: unknown; query?: Record<string, string>; bucket?: LimitBucket },
  ): Promise<RestAnswer<T>> => {
    const body = o.body === undefined ? undefined : JSON.stringify(o.body);
    const search = o.query ? `?${new URLSearchParams(o.query).toString()}` : '';
    const auth = o.signer.headers(method, path, body, Math.floor(opts.clock() / 1_000));
    const headers: Record<string, string | number> = { ...BASE_HEADERS, ...auth };
    if (body !== undefined) headers['content-length'] = Buffer.byteLength(body);
    return new Promise<RestAnswer<T>>((resolve, reject) => {
      const req = send(
        {
          protocol: base.protocol,
          hostname: base.hostname,
          port: base.port,
          path: prefix + path + search,
          method,
          headers,
          agent,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('error', (err) =>
            reject(
              new ExchangeError(`connection failed: ${err.message}`, {
                kind: 'network',
                code: (err as NodeJS.ErrnoException).code ?? 'ERR',
              }),
            ),
          );
          res.on('end', () => {
            const status = res.statusCode ?? 0;
            const data = parse(Buffer.concat(chunks).toString('utf8'));
            const pacing = o.bucket ? pacingOf(res.headers, opts.clock()) : undefined;
            if (o.bucket && pacing) opts.onPacing?.(o.bucket, pacing);
            if (status >= 200 && status < 300) resolve({ status, headers: res.headers, data: data as T });
            else reject(answerError(status, data, res.headers, opts.clock(), o.bucket));
          });
        },
      );
      // A deadline for the whole call, not an idle timer: a venue that trickles bytes must not hold
      // a post (and the sink's fold waiting on it) past `timeoutMs`.
      const deadline = setTimeout(() => {
        reject(
          new ExchangeError(`no answer from ${method} ${path} within ${opts.timeoutMs} ms`, {
            kind: 'timeout',
            afterMs: opts.timeoutMs,
          }),
        );
        req.destroy();
      }, opts.timeoutMs);
      req.on('close', () => clearTimeout(deadline));
      req.on('error', (err) =>
        reject(
          err instanceof ExchangeError
            ? err
            : new ExchangeError(`connection failed: ${err.message}`, {
                kind: 'network',
                code: (err as NodeJS.ErrnoException).code ?? 'ERR',
              }),
        ),
      );
      req.end(body);
    });
  };
  return { call, close: () => agent.destroy() };
}

/** Bound a promise that has no timeout of its own (the official client's own calls). */
export function withTimeout<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new ExchangeError(`no answer from ${what} within ${ms} ms`, { kind: 'timeout', afterMs: ms })),
      ms,
    );
  });
  return Promise.race([work, late]).finally(() => clearTimeout(timer));
}
