import { describe, expect, it } from 'vitest';
import { forgive, newBucket, penalize, takeTokens } from '../../src/execution/rateLimit.js';

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
