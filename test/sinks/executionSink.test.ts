// The execution sink against a recording fake exchange: what a freeze-only halt (heartbeat not
// confirmed) lets through, and what a cancelling halt does.
import { describe, expect, it } from 'vitest';
import { Subject, type Subscription } from 'rxjs';
import { executionSink, type SinkInput } from '../../src/sinks/execution/sink.js';
import type { Exchange, PostResult } from '../../src/sinks/execution/exchange.js';
import type { DesiredOrder, DesiredOrderSet, ExecutionEvent } from '../../src/domain/index.js';
import { silentLogger } from '../../src/sinks/logger.js';
import { START, market, testConfig } from '../support/events.js';

interface Calls {
  posts: DesiredOrder[][];
  cancels: string[][];
  cancelAlls: number;
  takes: number;
}

function fakeExchange(): { exchange: Exchange; calls: Calls } {
  const calls: Calls = { posts: [], cancels: [], cancelAlls: 0, takes: 0 };
  let next = 1;
  const exchange: Exchange = {
    address: '0xme',
    creds: { key: 'k', secret: 's', passphrase: 'p' },
    async post(orders): Promise<PostResult[]> {
      calls.posts.push([...orders]);
      return orders.map(() => ({ ok: true, orderId: `o${next++}`, status: 'live' }));
    },
    async cancel(ids) {
      calls.cancels.push([...ids]);
      return { canceled: [...ids], notCanceled: {} };
    },
    async cancelAll() {
      calls.cancelAlls += 1;
    },
    async take() {
      calls.takes += 1;
      return { ok: true, orderId: 't1' };
    },
    async heartbeat() {},
    async openOrders() {
      return [];
    },
    async trades() {
      return [];
    },
    async positions(ids) {
      return ids.map(() => 0);
    },
    presignAround() {},
    async close() {},
  };
  return { exchange, calls };
}

const bid = (price: number): DesiredOrder => ({ outcome: 'up', tokenId: market.tokenUp, level: 0, side: 'BUY', price, size: 10, postOnly: true, orderType: 'GTC' });
const set = (...orders: DesiredOrder[]): DesiredOrderSet => ({ slug: market.slug, conditionId: market.conditionId, orders, tsMs: START });
const settle = (): Promise<void> => new Promise((r) => setTimeout(r, 20));

function harness() {
  const { exchange, calls } = fakeExchange();
  const input = new Subject<SinkInput>();
  const out: ExecutionEvent[] = [];
  const cfg = testConfig();
  const sub: Subscription = input.pipe(executionSink({ exchange, cfg, clock: () => START + 1_000, logger: silentLogger() })).subscribe((e) => out.push(e));
  input.next({ kind: 'market', tsMs: START, market });
  input.next({ kind: 'halt', tsMs: START, reasons: [] });
  return { input, calls, out, stop: () => sub.unsubscribe() };
}

describe('execution sink halts', () => {
  it('frozen (heartbeat unconfirmed): re-prices cancel the old order but post nothing new, nothing is cancelled wholesale; the ack posts', async () => {
    const h = harness();
    h.input.next({ kind: 'decision', tsMs: START, desired: set(bid(0.4)) });
    await settle();
    expect(h.calls.posts).toEqual([[bid(0.4)]]);

    h.input.next({ kind: 'halt', tsMs: START + 1, reasons: ['heartbeat_unconfirmed'] });
    h.input.next({ kind: 'decision', tsMs: START + 2, desired: set(bid(0.38)) });
    h.input.next({ kind: 'taker', tsMs: START + 2, intent: { conditionId: market.conditionId, tokenId: market.tokenDown, outcome: 'down', side: 'BUY', maxPrice: 0.5, size: 10, orderType: 'FOK', reason: 'test', tsMs: START + 2 } });
    await settle();
    expect(h.calls.cancelAlls).toBe(0);
    expect(h.calls.cancels).toEqual([['o1']]);
    expect(h.calls.posts).toHaveLength(1); // no new order while frozen
    expect(h.calls.takes).toBe(0);

    h.input.next({ kind: 'halt', tsMs: START + 3, reasons: [] });
    await settle();
    expect(h.calls.posts).toEqual([[bid(0.4)], [bid(0.38)]]);
    h.stop();
  });

  it('a cancelling halt (heartbeat down) cancels everything, also when it follows a freeze, and posts nothing until cleared', async () => {
    const h = harness();
    h.input.next({ kind: 'decision', tsMs: START, desired: set(bid(0.4)) });
    await settle();
    h.input.next({ kind: 'halt', tsMs: START + 1, reasons: ['heartbeat_unconfirmed'] });
    await settle();
    expect(h.calls.cancelAlls).toBe(0);
    h.input.next({ kind: 'halt', tsMs: START + 2, reasons: ['heartbeat_down'] });
    await settle();
    expect(h.calls.cancelAlls).toBe(1);
    h.input.next({ kind: 'decision', tsMs: START + 3, desired: set(bid(0.41)) });
    await settle();
    expect(h.calls.posts).toHaveLength(1);
    h.input.next({ kind: 'halt', tsMs: START + 4, reasons: [] });
    await settle();
    expect(h.calls.posts).toEqual([[bid(0.4)], [bid(0.41)]]);
    h.stop();
  });
});
