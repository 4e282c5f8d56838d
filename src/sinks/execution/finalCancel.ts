// The final cancel-all (shutdown): under a 429 burst one attempt is not enough (issue 13 #4). Keep
// trying within a bounded deadline, paced by the venue (Retry-After, else exponential back-off),
// until a read-back shows no open order. If that cannot be confirmed in time, heartbeats have
// stopped by then, so the exchange's dead-man switch cancels what is left: say so.
import type { Exchange } from './exchange.js';
import { ExchangeError } from './errors.js';

export interface FinalCancelDeps {
  readonly exchange: Pick<Exchange, 'cancelAll' | 'openOrders'>;
  readonly clock: () => number;
  readonly sleep: (ms: number) => Promise<void>;
  /** Give up (and rely on the dead-man switch) this long after the first attempt. */
  readonly deadlineMs: number;
  readonly onRetry?: (attempt: number, waitMs: number, error: string) => void;
}

export interface FinalCancel {
  readonly confirmed: boolean;
  /** Open orders read back after the last cancel-all; −1 when none could be read. */
  readonly liveOrders: number;
  readonly attempts: number;
  readonly lastError?: string;
}

const MIN_WAIT_MS = 250;
const MAX_WAIT_MS = 10_000;

/** How long to wait after failed attempt `n` (1-based): the venue's Retry-After, else 0.5 s, 1 s, 2 s … 10 s. */
export function retryWaitMs(err: unknown, attempt: number): number {
  const hinted = err instanceof ExchangeError ? err.retryAfterMs : undefined;
  const backoff = Math.min(MAX_WAIT_MS, 500 * 2 ** (attempt - 1));
  return Math.max(MIN_WAIT_MS, hinted ?? backoff);
}

export async function finalCancelAll(deps: FinalCancelDeps): Promise<FinalCancel> {
  const { exchange, clock, sleep, deadlineMs, onRetry } = deps;
  const endMs = clock() + deadlineMs;
  let liveOrders = -1;
  let lastError: string | undefined;
  for (let attempt = 1; ; attempt++) {
    let failure: unknown;
    try {
      await exchange.cancelAll();
      liveOrders = (await exchange.openOrders()).length;
      if (liveOrders === 0) return { confirmed: true, liveOrders, attempts: attempt };
      lastError = `${liveOrders} orders still open after cancel-all`;
    } catch (err) {
      failure = err;
      lastError = err instanceof Error ? err.message : String(err);
    }
    const wait = retryWaitMs(failure, attempt);
    if (clock() + wait > endMs) return { confirmed: false, liveOrders, attempts: attempt, lastError };
    onRetry?.(attempt, wait, lastError);
    await sleep(wait);
  }
}
