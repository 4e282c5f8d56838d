// A token bucket (pure, clock passed in): refills `ratePerS` tokens a second up to `burst`; taking
// more than it holds leaves a debt that later takes wait for. A 429 from the venue empties it and
// blocks for a back-off. Polymarket meters each signer with two such buckets, orders (one token an
// order, batches all-or-nothing) and cancels (one token an order ID): we keep one of each, below
// the published rates.

export interface Bucket {
  readonly tokens: number;
  readonly atMs: number;
  /** No operation before this time (set by a 429). */
  readonly blockedUntilMs: number;
  readonly penalties: number;
}

export interface BucketParams {
  readonly ratePerS: number;
  readonly burst: number;
}

export const newBucket = (p: BucketParams, nowMs: number): Bucket => ({
  tokens: p.burst,
  atMs: nowMs,
  blockedUntilMs: 0,
  penalties: 0,
});

function refill(b: Bucket, nowMs: number, p: BucketParams): Bucket {
  const dt = Math.max(0, nowMs - b.atMs);
  return { ...b, tokens: Math.min(p.burst, b.tokens + (dt * p.ratePerS) / 1_000), atMs: Math.max(b.atMs, nowMs) };
}

/** Take `n` tokens: the bucket after, and how long to wait before sending (0 = now). */
export function takeTokens(b: Bucket, n: number, nowMs: number, p: BucketParams): { bucket: Bucket; waitMs: number } {
  const r = refill(b, nowMs, p);
  const blocked = Math.max(0, r.blockedUntilMs - nowMs);
  const short = Math.max(0, n - r.tokens);
  const waitMs = Math.max(blocked, Math.ceil((short * 1_000) / p.ratePerS));
  return { bucket: { ...r, tokens: r.tokens - n }, waitMs };
}

/** After a 429: empty the bucket and block with exponential back-off (1 s, 2 s, … 30 s). */
export function penalize(b: Bucket, nowMs: number): Bucket {
  const backoff = Math.min(30_000, 1_000 * 2 ** b.penalties);
  return { ...b, tokens: 0, atMs: nowMs, blockedUntilMs: nowMs + backoff, penalties: b.penalties + 1 };
}

/** A success resets the back-off. */
export const forgive = (b: Bucket): Bucket => (b.penalties === 0 ? b : { ...b, penalties: 0 });

/** The venue's pacing headers as the limiter reads them (Retry-After, Poly-RateLimit-Remaining / -Reset). */
export interface VenuePacing {
  readonly retryAfterMs?: number;
  readonly remaining?: number;
  readonly resetAtMs?: number;
}

/**
 * Follow the venue's own count after an answer charged to this bucket: never believe we hold more
 * tokens than it says remain; honour Retry-After; and when it refused us or we are in debt, wait
 * for its reset time. (The model is nautilus_trader's Polymarket rate limiter.)
 */
export function observePacing(
  b: Bucket,
  pacing: VenuePacing | undefined,
  nowMs: number,
  p: BucketParams,
  refused = false,
): Bucket {
  if (!pacing) return b;
  const r = refill(b, nowMs, p);
  const tokens = pacing.remaining !== undefined ? Math.min(r.tokens, pacing.remaining) : r.tokens;
  let blockedUntilMs = r.blockedUntilMs;
  if (pacing.retryAfterMs !== undefined) blockedUntilMs = Math.max(blockedUntilMs, nowMs + pacing.retryAfterMs);
  if ((refused || tokens < 0) && pacing.resetAtMs !== undefined && pacing.resetAtMs > nowMs)
    blockedUntilMs = Math.max(blockedUntilMs, pacing.resetAtMs);
  return { ...r, tokens, blockedUntilMs };
}

/** What a failed call does to its bucket, by the typed error's kind (see sinks/execution/errors.ts). */
export function afterFailure(
  b: Bucket,
  kind: string,
  pacing: VenuePacing | undefined,
  nowMs: number,
  p: BucketParams,
): Bucket {
  // Refused for rate (429), or the venue unavailable (425 engine restart, 503 cancel-only, 5xx):
  // the venue's Retry-After when it sends one, else exponential back-off: no retry storm.
  if (kind !== 'rate_limited' && kind !== 'unavailable') return observePacing(b, pacing, nowMs, p);
  const backedOff =
    pacing?.retryAfterMs !== undefined
      ? { ...b, tokens: 0, atMs: nowMs, blockedUntilMs: nowMs + pacing.retryAfterMs, penalties: b.penalties + 1 }
      : penalize(b, nowMs);
  const { retryAfterMs: _applied, ...rest } = pacing ?? {};
  return observePacing(backedOff, rest, nowMs, p, true);
}
