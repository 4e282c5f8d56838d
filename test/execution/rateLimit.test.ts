import { describe, expect, it } from 'vitest';
import {
  afterFailure,
  forgive,
  newBucket,
  observePacing,
  penalize,
  takeTokens,
} from '../../src/execution/rateLimit.js';

const p = { ratePerS: 10, burst: 20 };

describe('token bucket', () => {
  it('allows a burst, then paces at the refill rate', () => {
    let b = newBucket(p, 0);
    expect(takeTokens(b, 20, 0, p).waitMs).toBe(0);
    b = takeTokens(b, 20, 0, p).bucket;
    expect(takeTokens(b, 1, 0, p).waitMs).toBe(100); // 10 per second
    expect(takeTokens(b, 1, 100, p).waitMs).toBe(0);
  });

  it('a 429 blocks with exponential back-off; success resets it', () => {
    let b = penalize(newBucket(p, 0), 0);
    expect(takeTokens(b, 1, 0, p).waitMs).toBe(1_000);
    b = penalize(b, 0);
    expect(takeTokens(b, 1, 0, p).waitMs).toBe(2_000);
    expect(penalize(forgive(b), 0).blockedUntilMs).toBe(1_000);
  });
});

describe("pacing from the venue's headers", () => {
  it('never holds more tokens than Poly-RateLimit-Remaining says', () => {
    const b = observePacing(newBucket(p, 0), { remaining: 3 }, 0, p);
    expect(b.tokens).toBe(3);
    expect(takeTokens(b, 4, 0, p).waitMs).toBe(100); // one short at 10/s
    expect(observePacing(b, { remaining: 50 }, 0, p).tokens).toBe(3); // never raised above our own count
    expect(observePacing(b, undefined, 0, p)).toBe(b);
  });

  it('a cancel debt (negative remaining) waits for the reset time', () => {
    const b = observePacing(newBucket(p, 0), { remaining: -5, resetAtMs: 2_000 }, 1_000, p);
    expect(takeTokens(b, 1, 1_000, p).waitMs).toBe(1_000);
  });

  it('a 429 with Retry-After blocks exactly that long (not the exponential back-off), and empties the bucket', () => {
    let b = afterFailure(
      newBucket(p, 0),
      'rate_limited',
      { retryAfterMs: 3_000, remaining: 0, resetAtMs: 1_000 },
      0,
      p,
    );
    expect(takeTokens(b, 1, 0, p).waitMs).toBe(3_000);
    expect(b.tokens).toBe(0);
    b = afterFailure(b, 'rate_limited', { retryAfterMs: 500 }, 3_000, p);
    expect(takeTokens(b, 1, 3_000, p).waitMs).toBe(500);
  });

  it('a 429 without headers, or the venue unavailable (425/503), backs off exponentially', () => {
    const b = afterFailure(newBucket(p, 0), 'rate_limited', undefined, 0, p);
    expect(takeTokens(b, 1, 0, p).waitMs).toBe(1_000);
    expect(takeTokens(afterFailure(b, 'unavailable', undefined, 0, p), 1, 0, p).waitMs).toBe(2_000);
  });

  it('a 429 whose reset lies beyond the back-off waits for the reset', () => {
    const b = afterFailure(newBucket(p, 0), 'rate_limited', { remaining: 0, resetAtMs: 4_000 }, 0, p);
    expect(takeTokens(b, 1, 0, p).waitMs).toBe(4_000);
  });

  it("a rejected order leaves the bucket alone but for the venue's count", () => {
    const b = newBucket(p, 0);
    expect(afterFailure(b, 'rejected', undefined, 0, p)).toBe(b);
    expect(afterFailure(b, 'rejected', { remaining: 7 }, 0, p).tokens).toBe(7);
  });
});
