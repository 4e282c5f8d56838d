// The HTTP transport under the official client, which sends every REST call through axios' default
// instance. Configured once, through axios' public defaults and interceptors:
// - no redirect following: the CLOB API does not redirect, and with redirects on axios wraps every
//   request in follow-redirects (measured ~0.1–0.2 ms per request on loopback);
// - a request timeout, so a hung call cannot hold a market's order lock (and its cancels) forever;
// - the venue's answer to a single order, as soon as it arrives (`venueAnswer`): for a matched order
//   the client then polls the trades for their transaction hashes (up to 30 s) before it returns,
//   and a taker order must not hold its market's lock that long.
// Node's global agents already keep connections alive, so there is no handshake per batch.
// (The client's L2 HMAC is patched to node:crypto: see patches/ and the README.)
import axios, { isAxiosError, type InternalAxiosRequestConfig } from 'axios';

/** The venue's HTTP answer to one request. */
export interface Answer {
  readonly status: number;
  readonly data: unknown;
}

const waiters = new Map<string, (a: Answer) => void>();
let installed = false;

/** The order salt of a POST /order request, as the client serialized it. */
function saltOf(config: InternalAxiosRequestConfig | undefined): string | undefined {
  if (config?.method?.toLowerCase() !== 'post' || !config.url?.endsWith('/order') || typeof config.data !== 'string') return undefined;
  try {
    const salt = (JSON.parse(config.data) as { order?: { salt?: unknown } }).order?.salt;
    return salt === undefined ? undefined : String(salt);
  } catch {
    return undefined;
  }
}

function notify(config: InternalAxiosRequestConfig | undefined, answer: Answer): void {
  const salt = waiters.size > 0 ? saltOf(config) : undefined;
  const waiter = salt === undefined ? undefined : waiters.get(salt);
  if (waiter) {
    waiters.delete(salt!);
    waiter(answer);
  }
}

/** Field under which an error answer's pacing headers ride into the client's error (see below). */
export const PACING_FIELD = '_pacing';

/** The pacing headers of an error answer: Retry-After and Polymarket's Poly-RateLimit-*. */
export interface Pacing {
  readonly retryAfterMs?: number;
  readonly rateLimit?: Readonly<Record<string, string>>;
}

export function pacingOf(headers: unknown): Pacing | undefined {
  if (typeof headers !== 'object' || headers === null) return undefined;
  const h = Object.fromEntries(Object.entries(headers as Record<string, unknown>).map(([k, v]) => [k.toLowerCase(), String(v)]));
  const seconds = Number(h['retry-after']);
  const dateMs = Date.parse(h['retry-after'] ?? '');
  const retryAfterMs = Number.isFinite(seconds) && seconds >= 0 ? seconds * 1_000 : Number.isFinite(dateMs) ? Math.max(0, dateMs - Date.now()) : undefined;
  const rateLimit = Object.fromEntries(Object.entries(h).filter(([k]) => k.startsWith('poly-ratelimit-')));
  if (retryAfterMs === undefined && Object.keys(rateLimit).length === 0) return undefined;
  return { ...(retryAfterMs !== undefined ? { retryAfterMs } : {}), ...(Object.keys(rateLimit).length ? { rateLimit } : {}) };
}

export function configureRestTransport(timeoutMs: number): void {
  axios.defaults.maxRedirects = 0;
  axios.defaults.timeout = timeoutMs;
  if (installed) return;
  installed = true;
  axios.interceptors.response.use(
    (res) => {
      notify(res.config, { status: res.status, data: res.data });
      return res;
    },
    (err: unknown) => {
      if (isAxiosError(err) && err.response) {
        notify(err.config, { status: err.response.status, data: err.response.data });
        // The client turns an error answer into {...body, status} and drops the headers: carry the
        // pacing headers in the body so the typed ExchangeError can honour them.
        const pacing = pacingOf(err.response.headers);
        const data: unknown = err.response.data;
        if (pacing && typeof data === 'object' && data !== null && !Array.isArray(data)) err.response.data = { ...data, [PACING_FIELD]: pacing };
      }
      return Promise.reject(err);
    },
  );
}

/**
 * The venue's answer to the POST /order of the order with this salt (the client's `salt`, as it
 * serializes it: `parseInt(salt, 10)`), resolved when the HTTP response arrives.
 */
export function venueAnswer(salt: string): { readonly answer: Promise<Answer>; cancel(): void } {
  const key = String(parseInt(salt, 10));
  const answer = new Promise<Answer>((resolve) => waiters.set(key, resolve));
  return { answer, cancel: () => void waiters.delete(key) };
}
