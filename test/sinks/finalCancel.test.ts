// Cancel-all under a 429 burst (issue 13 #4): the venue's pacing headers are kept on the typed
// error, the final cancel-all retries as the venue asks within a deadline, and the halt path's
// retries are paced too (not every second).
import { describe, expect, it } from 'vitest';
import { Subject } from 'rxjs';
import { finalCancelAll, retryWaitMs } from '../../src/sinks/execution/finalCancel.js';
import { ExchangeError, toExchangeError, type Exchange } from '../../src/sinks/execution/exchange.js';
import { pacingOf } from '../../src/sinks/execution/errors.js';
import { executionSink, type SinkInput } from '../../src/sinks/execution/sink.js';
import { silentLogger } from '../../src/sinks/logger.js';
import { START, market, testConfig } from '../support/events.js';

const tooMany = (retryAfterMs?: number) => new ExchangeError('HTTP 429: Too Many Requests', 429, retryAfterMs);

/** A fake venue on a virtual clock: cancel-all answers from a script, sleeping advances the clock. */
function scripted(answers: Array<'429' | 'ok'>, openAfter = 0) {
  let now = 0;
  const calls: number[] = [];
  const exchange = {
    async cancelAll() {
      calls.push(now);
      if ((answers.shift() ?? '429') === '429') throw tooMany(2_000);
    },
    async openOrders() {
      return Array.from({ length: openAfter }, () => ({}) as never);
    },
  };
  return { exchange, calls, clock: () => now, sleep: async (ms: number) => void (now += ms) };
}

describe('pacing headers', () => {
  it('reads Retry-After (seconds) and Poly-RateLimit-* case-insensitively; none: undefined', () => {
    expect(pacingOf({ 'Retry-After': '3', 'Poly-RateLimit-Remaining': '0', 'content-type': 'x' }, 0)).toEqual({
      retryAfterMs: 3_000,
      remaining: 0,
      rateLimit: { 'poly-ratelimit-remaining': '0' },
    });
    expect(pacingOf({ 'content-type': 'x' }, 0)).toBeUndefined();
    expect(pacingOf(undefined, 0)).toBeUndefined();
  });

  it("the typed error of the official client's own calls keeps status and message", () => {
    // The official client throws ApiError(message, status, {...body, status}) for its L1 calls.
    const apiError = Object.assign(new Error('Too Many Requests'), {
      status: 429,
      data: { error: 'Too Many Requests', status: 429 },
    });
    const e = toExchangeError(apiError, 0);
    expect(e).toBeInstanceOf(ExchangeError);
    expect(e).toMatchObject({ status: 429, failure: { kind: 'rate_limited', status: 429 } });
    expect(e.message).toBe('HTTP 429: Too Many Requests');
  });

  it('waits as the venue asks, else backs off exponentially (bounded)', () => {
    expect(retryWaitMs(tooMany(3_000), 1)).toBe(3_000);
    expect([1, 2, 3, 4, 5, 6].map((n) => retryWaitMs(new Error('x'), n))).toEqual([
      500, 1_000, 2_000, 4_000, 8_000, 10_000,
    ]);
  });
});

describe('final cancel-all', () => {
  it('retries through a 429 burst, each time after Retry-After, until confirmed', async () => {
    const v = scripted(['429', '429', '429', 'ok']);
    const r = await finalCancelAll({ ...v, deadlineMs: 30_000 });
    expect(r).toEqual({ confirmed: true, liveOrders: 0, attempts: 4 });
    expect(v.calls).toEqual([0, 2_000, 4_000, 6_000]);
  });

  it('gives up at the deadline, unconfirmed, with the last error', async () => {
    const v = scripted([]);
    const r = await finalCancelAll({ ...v, deadlineMs: 5_000 });
    expect(r).toMatchObject({
      confirmed: false,
      liveOrders: -1,
      attempts: 3,
      lastError: 'HTTP 429: Too Many Requests',
    });
    expect(v.clock()).toBeLessThanOrEqual(5_000);
  });

  it('a cancel-all that leaves orders open is not confirmed', async () => {
    const v = scripted(['ok', 'ok', 'ok'], 2);
    const r = await finalCancelAll({ ...v, deadlineMs: 1_000 });
    expect(r).toMatchObject({ confirmed: false, liveOrders: 2 });
  });
});

describe('halt cancel-all under 429', () => {
  it('the retry waits for Retry-After, not a fixed second', async () => {
    const times: number[] = [];
    const exchange = {
      address: '0xme',
      creds: { key: 'k', secret: 's', passphrase: 'p' },
      async cancelAll() {
        times.push(performance.now());
        if (times.length === 1) throw tooMany(1_600);
      },
      async openOrders() {
        return [];
      },
    } as unknown as Exchange;
    const input = new Subject<SinkInput>();
    const sub = input
      .pipe(
        executionSink({ exchange, cfg: testConfig(), clock: () => START + performance.now(), logger: silentLogger() }),
      )
      .subscribe();
    input.next({ kind: 'market', tsMs: START, market });
    input.next({ kind: 'halt', tsMs: START, reasons: ['daily_loss_limit'] });
    const end = performance.now() + 10_000;
    while (times.length < 2 && performance.now() < end) await new Promise((r) => setTimeout(r, 50));
    sub.unsubscribe();
    expect(times).toHaveLength(2);
    expect(times[1]! - times[0]!).toBeGreaterThanOrEqual(1_590);
  }, 15_000);

  it('unconfirmed past the deadline: the dead-man fallback is called once; a later success ends it', async () => {
    let accept = false;
    const exchange = {
      address: '0xme',
      creds: { key: 'k', secret: 's', passphrase: 'p' },
      async cancelAll() {
        if (!accept) throw tooMany(100);
      },
      async openOrders() {
        return [];
      },
    } as unknown as Exchange;
    const calls: boolean[] = [];
    const input = new Subject<SinkInput>();
    const cfg = testConfig({ shutdown: { cancelDeadlineMs: 1_500 } });
    const sub = input
      .pipe(
        executionSink({
          exchange,
          cfg,
          clock: () => START + performance.now(),
          logger: silentLogger(),
          onCancelAllUnconfirmed: (u) => calls.push(u),
        }),
      )
      .subscribe();
    input.next({ kind: 'market', tsMs: START, market });
    const t0 = performance.now();
    input.next({ kind: 'halt', tsMs: START, reasons: ['daily_loss_limit'] });
    const wait = async (n: number) => {
      const end = performance.now() + 20_000;
      while (calls.length < n && performance.now() < end) await new Promise((r) => setTimeout(r, 50));
    };
    await wait(1);
    expect(calls).toEqual([true]);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(1_500);
    accept = true;
    await wait(2);
    sub.unsubscribe();
    expect(calls).toEqual([true, false]);
  }, 45_000);
});
