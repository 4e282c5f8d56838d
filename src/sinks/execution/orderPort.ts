// The exchange as the execution sink sees it: each call a deferred Observable, sent when
// subscribed (not when built) and answered once. Unsubscribing drops the answer: a request
// already on the wire is not recalled, but nothing the sink does follows from it. Marble tests
// give the sink such a port directly, answering on the TestScheduler.
import { defer, type Observable } from 'rxjs';
import type { DesiredOrder, MarketIdentity, TakerIntent } from '../../domain/index.js';
import type { VenuePacing } from '../../execution/rateLimit.js';
import type { Exchange, PostResult } from './exchange.js';

export interface CancelAnswer {
  readonly canceled: readonly string[];
  readonly notCanceled: Readonly<Record<string, string>>;
}

export interface OrderPort {
  /** `stillWanted`: asked right before every send; false and nothing is sent (every result a refusal). */
  post$(
    orders: readonly DesiredOrder[],
    market: MarketIdentity,
    stillWanted?: () => boolean,
  ): Observable<readonly PostResult[]>;
  cancel$(orderIds: readonly string[]): Observable<CancelAnswer>;
  cancelAll$(): Observable<void>;
  take$(intent: TakerIntent, market: MarketIdentity, stillWanted?: () => boolean): Observable<PostResult>;
  /** Pre-sign, in the background, the orders likely to follow these (fire and forget). */
  presignAround(orders: readonly DesiredOrder[], market: MarketIdentity): void;
  /** The venue's pacing headers of the last answer charged to this bucket, once (absent: none known). */
  takePacing?(bucket: 'order' | 'cancel'): VenuePacing | undefined;
}

export const isOrderPort = (x: Exchange | OrderPort): x is OrderPort => 'post$' in x;

/** The promise-based exchange adapter, each call deferred. */
export function orderPortOf(exchange: Exchange): OrderPort {
  return {
    post$: (orders, market, stillWanted) => defer(() => exchange.post(orders, market, stillWanted)),
    cancel$: (ids) => defer(() => exchange.cancel(ids)),
    cancelAll$: () => defer(() => exchange.cancelAll()),
    take$: (intent, market, stillWanted) => defer(() => exchange.take(intent, market, stillWanted)),
    presignAround: (orders, market) => exchange.presignAround(orders, market),
    ...(exchange.takePacing ? { takePacing: (bucket: 'order' | 'cancel') => exchange.takePacing?.(bucket) } : {}),
  };
}
