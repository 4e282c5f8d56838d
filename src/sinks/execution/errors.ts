// Typed exchange errors: what the venue said (status, error message) and how it wants to be paced
// (Retry-After, Poly-RateLimit-*), as a discriminated union the sink and the limiter switch on
// instead of matching messages. Secrets never enter: only the status, the venue's error text (which
// never echoes our headers) and the pacing headers are kept.
import type { HeartbeatEvent } from '../../domain/index.js';

/** The per-signer token bucket a request is charged to (Polymarket meters orders and cancels apart). */
export type LimitBucket = 'order' | 'cancel';

/** The venue's pacing headers, parsed. */
export interface Pacing {
  /** Retry-After, in ms. */
  readonly retryAfterMs?: number;
  /** Poly-RateLimit-Remaining: tokens left in the bucket (may be negative for cancels). */
  readonly remaining?: number;
  /** Poly-RateLimit-Reset, as epoch ms: when the bucket has room again. */
  readonly resetAtMs?: number;
  /** Poly-RateLimit-Tier (standard, copper, …). */
  readonly tier?: string;
  /** Poly-RateLimit-Warning: close to the limit. */
  readonly warning?: boolean;
  /** The raw Poly-RateLimit-* headers (lower-cased names), for logs. */
  readonly rateLimit?: Readonly<Record<string, string>>;
}

export type ExchangeFailure =
  | {
      readonly kind: 'rate_limited';
      readonly status: 429;
      readonly bucket?: LimitBucket;
      readonly retryAfterMs?: number;
    }
  /** The engine restarting (425), cancel-only mode (503), a 5xx: back off and try again. */
  | { readonly kind: 'unavailable'; readonly status: number; readonly retryAfterMs?: number }
  /** The API key or signature refused (401); `final` once refused even with the key derived again. */
  | { readonly kind: 'auth'; readonly status: 401; readonly final?: true }
  /** Trading refused from this region (403). */
  | { readonly kind: 'geoblocked'; readonly status: 403 }
  /** Any other 4xx: the request itself was refused (bad order, invalid tick, balance …). */
  | { readonly kind: 'rejected'; readonly status: number; readonly reason: string }
  /** No answer within the REST timeout. */
  | { readonly kind: 'timeout'; readonly afterMs: number }
  /** The connection failed (refused, reset, DNS). */
  | { readonly kind: 'network'; readonly code: string }
  /** A 2xx whose body is not what the API answers (not JSON, wrong shape), or an unexpected 3xx. */
  | { readonly kind: 'bad_answer'; readonly status: number }
  /** Refused before anything was sent (configuration: no key, no funder). */
  | { readonly kind: 'local' };

export type FailureKind = ExchangeFailure['kind'];

/** An error of the exchange adapter, typed by `failure`; `status`/`retryAfterMs`/`rateLimit` kept for older readers. */
export class ExchangeError extends Error {
  readonly failure: ExchangeFailure;
  readonly status?: number;
  readonly retryAfterMs?: number;
  readonly rateLimit?: Readonly<Record<string, string>>;
  readonly pacing?: Pacing;
  /** The venue's parsed answer, for a non-2xx one (e.g. the heartbeat id a refused heartbeat expected). */
  readonly answer?: unknown;

  /**
   * `new ExchangeError(message, failure, pacing?)`; the older positional form
   * `(message, status, retryAfterMs?, rateLimit?)` is still accepted and typed from the status.
   */
  constructor(
    message: string,
    failure: ExchangeFailure | number = { kind: 'local' },
    pacing?: Pacing | number,
    rateLimit?: Readonly<Record<string, string>>,
  ) {
    super(message);
    this.name = 'ExchangeError';
    const p: Pacing | undefined =
      typeof pacing === 'number' || rateLimit
        ? { ...(typeof pacing === 'number' ? { retryAfterMs: pacing } : {}), ...(rateLimit ? { rateLimit } : {}) }
        : pacing;
    this.failure = typeof failure === 'number' ? failureOf(failure, message, p?.retryAfterMs) : failure;
    if ('status' in this.failure) this.status = this.failure.status;
    const retry = ('retryAfterMs' in this.failure ? this.failure.retryAfterMs : undefined) ?? p?.retryAfterMs;
    if (retry !== undefined) this.retryAfterMs = retry;
    if (p?.rateLimit) this.rateLimit = p.rateLimit;
    if (p) this.pacing = p;
  }

  get kind(): FailureKind {
    return this.failure.kind;
  }
}

const finiteOr = (v: string | undefined): number | undefined => {
  if (v === undefined || v.trim() === '') return undefined;
  const n = Number(v);
  return Number.isFinite(n) ? n : undefined;
};

/** The pacing headers of an answer (any header casing); undefined when it carries none. */
export function pacingOf(headers: unknown, nowMs: number): Pacing | undefined {
  if (typeof headers !== 'object' || headers === null) return undefined;
  const h: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers as Record<string, unknown>))
    if (v !== undefined) h[k.toLowerCase()] = Array.isArray(v) ? String(v[0]) : String(v);
  const rateLimit = Object.fromEntries(Object.entries(h).filter(([k]) => k.startsWith('poly-ratelimit-')));
  const retryRaw = h['retry-after'];
  const seconds = finiteOr(retryRaw);
  const dateMs = retryRaw !== undefined && seconds === undefined ? Date.parse(retryRaw) : NaN;
  const retryAfterMs =
    seconds !== undefined && seconds >= 0
      ? Math.ceil(seconds * 1_000)
      : Number.isFinite(dateMs)
        ? Math.max(0, dateMs - nowMs)
        : undefined;
  const remaining = finiteOr(rateLimit['poly-ratelimit-remaining']);
  const resetS = finiteOr(rateLimit['poly-ratelimit-reset']);
  const tier = rateLimit['poly-ratelimit-tier'];
  const warning = rateLimit['poly-ratelimit-warning'];
  if (retryAfterMs === undefined && Object.keys(rateLimit).length === 0) return undefined;
  return {
    ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
    ...(remaining !== undefined ? { remaining } : {}),
    ...(resetS !== undefined && resetS >= 0 ? { resetAtMs: resetS * 1_000 } : {}),
    ...(tier ? { tier } : {}),
    ...(warning !== undefined ? { warning: warning.trim().toLowerCase() === 'true' } : {}),
    ...(Object.keys(rateLimit).length ? { rateLimit } : {}),
  };
}

/** The venue's error text from an error body (`{error}` or `{errorMsg}`), else the raw text, shortened. */
export function venueMessage(body: unknown): string | undefined {
  if (typeof body === 'string') return body.slice(0, 300) || undefined;
  if (typeof body !== 'object' || body === null) return undefined;
  const b = body as { error?: unknown; errorMsg?: unknown; error_msg?: unknown };
  const m = [b.error, b.errorMsg, b.error_msg].find((x): x is string => typeof x === 'string');
  return m?.slice(0, 300) || undefined;
}

/** The failure an HTTP status means. */
export function failureOf(
  status: number,
  reason: string,
  retryAfterMs?: number,
  bucket?: LimitBucket,
): ExchangeFailure {
  const retry = retryAfterMs !== undefined ? { retryAfterMs } : {};
  if (status === 429) return { kind: 'rate_limited', status: 429, ...(bucket ? { bucket } : {}), ...retry };
  if (status === 401) return { kind: 'auth', status: 401 };
  if (status === 403) return { kind: 'geoblocked', status: 403 };
  if (status === 425 || status >= 500) return { kind: 'unavailable', status, ...retry };
  if (status >= 400) return { kind: 'rejected', status, reason };
  return { kind: 'bad_answer', status };
}

/** What a failed heartbeat says about being refused for good (a halt that cancels), from its typed error. */
export function refusalOf(err: unknown): HeartbeatEvent['refused'] {
  if (!(err instanceof ExchangeError)) return undefined;
  const f = err.failure;
  return f.kind === 'geoblocked' ? 'region' : f.kind === 'auth' && f.final ? 'credentials' : undefined;
}

/** The typed error of a non-2xx answer. */
export function answerError(
  status: number,
  body: unknown,
  headers: unknown,
  nowMs: number,
  bucket?: LimitBucket,
): ExchangeError {
  const pacing = pacingOf(headers, nowMs);
  const said = venueMessage(body) ?? `HTTP ${status}`;
  const e = new ExchangeError(`HTTP ${status}: ${said}`, failureOf(status, said, pacing?.retryAfterMs, bucket), pacing);
  return Object.assign(e, { answer: body });
}
