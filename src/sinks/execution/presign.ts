// Pre-signed orders: while the bot is idle, a worker thread signs the orders it is likely to need
// next (each resting order's price a tick or two away); posting then takes a signed order from the
// cache instead of signing on the critical path. Entries are used once and expire.
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { SignedOrder, TickSize } from '@polymarket/clob-client-v2';
import type { SignerInit, SignRequest, SignResponse } from './signerWorker.js';

export interface OrderShape {
  readonly tokenId: string;
  readonly side: 'BUY' | 'SELL';
  readonly price: number;
  readonly size: number;
}

export const shapeKey = (o: OrderShape): string => `${o.tokenId}|${o.side}|${o.price.toFixed(4)}|${o.size.toFixed(2)}`;

export interface Presigner {
  /** Ask for these orders to be signed in the background (already cached or pending ones are skipped). */
  request(orders: readonly OrderShape[], tickSize: TickSize, negRisk: boolean): void;
  /** A pre-signed order of this shape, if one is ready and fresh; it is removed from the cache. */
  take(o: OrderShape): SignedOrder | undefined;
  /** Resolves when no request is pending (benchmarks and tests). */
  idle(): Promise<void>;
  readonly stats: { hits: number; misses: number; signed: number; errors: number; lastError?: string };
  close(): Promise<void>;
}

export interface PresignOptions {
  readonly maxAgeMs: number;
  readonly maxEntries: number;
  readonly clock: () => number;
  /** Told of every worker error (a failed signature or a dead worker), besides the counters. */
  readonly onError?: (error: string, fatal: boolean) => void;
}

const fromSource = (): boolean => import.meta.url.endsWith('.ts');
/** tsx's ESM register API (a dev dependency, present whenever we run from sources). */
const tsxApi = (): string => {
  const cjs = createRequire(import.meta.url).resolve('tsx/esm/api');
  return pathToFileURL(cjs.replace(/index\.cjs$/, 'index.mjs')).href;
};

/** Start the worker. Under a TypeScript loader (tsx, tests) the worker runs from source. */
export function startPresigner(init: SignerInit, opts: PresignOptions): Presigner {
  const worker = fromSource()
    ? // Running from TypeScript sources (tsx, tests): the worker registers tsx's loader first.
      new Worker(
        `import(${JSON.stringify(tsxApi())}).then((m) => { m.register(); return import(${JSON.stringify(new URL('./signerWorker.ts', import.meta.url).href)}); })`,
        { eval: true, workerData: init },
      )
    : new Worker(new URL('./signerWorker.js', import.meta.url), { workerData: init });
  worker.unref();
  const cache = new Map<string, { order: SignedOrder; atMs: number }[]>();
  const pending = new Set<string>();
  const waiting = new Map<number, OrderShape[]>();
  let idleWaiters: Array<() => void> = [];
  let nextId = 1;
  let size = 0;
  const stats: Presigner['stats'] = { hits: 0, misses: 0, signed: 0, errors: 0 };

  worker.on('message', (res: SignResponse) => {
    const shapes = waiting.get(res.id) ?? [];
    waiting.delete(res.id);
    if (res.error) {
      stats.errors += 1;
      stats.lastError = res.error;
      opts.onError?.(res.error, false);
    }
    res.signed.forEach((order, i) => {
      const key = shapeKey(shapes[i]!);
      cache.set(key, [...(cache.get(key) ?? []), { order, atMs: opts.clock() }]);
      size += 1;
      stats.signed += 1;
    });
    for (const s of shapes) pending.delete(shapeKey(s));
    // Bound the cache: drop the oldest entries (Maps iterate in insertion order).
    for (const [key, list] of cache) {
      if (size <= opts.maxEntries) break;
      size -= list.length;
      cache.delete(key);
    }
    if (waiting.size === 0) {
      idleWaiters.forEach((w) => w());
      idleWaiters = [];
    }
  });
  worker.on('error', (err) => {
    stats.errors += 1;
    stats.lastError = err.message;
    opts.onError?.(err.message, true);
    // A dead worker only means signing happens inline again.
    waiting.clear();
    pending.clear();
    idleWaiters.forEach((w) => w());
    idleWaiters = [];
  });

  return {
    stats,
    request(orders, tickSize, negRisk) {
      const fresh = orders.filter((o) => {
        const key = shapeKey(o);
        return !pending.has(key) && !cache.get(key)?.length;
      });
      if (fresh.length === 0) return;
      for (const o of fresh) pending.add(shapeKey(o));
      const id = nextId++;
      waiting.set(id, fresh);
      const req: SignRequest = {
        id,
        tickSize,
        negRisk,
        orders: fresh.map((o) => ({ tokenId: o.tokenId, price: o.price, size: o.size, side: o.side })),
      };
      worker.postMessage(req);
    },
    take(o) {
      const key = shapeKey(o);
      const list = cache.get(key);
      const now = opts.clock();
      while (list?.length) {
        const e = list.shift()!;
        size -= 1;
        if (now - e.atMs <= opts.maxAgeMs) {
          stats.hits += 1;
          return e.order;
        }
      }
      stats.misses += 1;
      return undefined;
    },
    idle: () => (waiting.size === 0 ? Promise.resolve() : new Promise<void>((r) => idleWaiters.push(r))),
    close: async () => {
      await worker.terminate();
    },
  };
}

/** The shapes worth pre-signing around a set of resting orders: each price ± 1..`ticks` ticks. */
export function neighbours(orders: readonly OrderShape[], tick: number, ticks: number): OrderShape[] {
  const out: OrderShape[] = [];
  for (const o of orders) {
    for (let k = -ticks; k <= ticks; k++) {
      if (k === 0) continue;
      const price = Math.round((o.price + k * tick) / tick) * tick;
      if (price >= tick - 1e-9 && price <= 1 - tick + 1e-9) out.push({ ...o, price: Number(price.toFixed(4)) });
    }
  }
  return out;
}
