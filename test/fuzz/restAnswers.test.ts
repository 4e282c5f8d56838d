// Fuzzing the readers of the CLOB's REST answers (src/sinks/execution/restAnswers.ts) with well-formed
// answers mutated (a node replaced by a nasty value, a field dropped), random JSON and nasty values:
// each answer is read into well-typed values or refused as a `bad_answer` ExchangeError naming the
// call, never another exception, never NaN in an order. 10,000 runs each on a fixed seed (FUZZ_SEED to
// vary it).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ExchangeError } from '../../src/sinks/execution/errors.js';
import {
  balanceAnswer,
  cancelAnswer,
  heartbeatAnswer,
  openOrdersPage,
  postAnswer,
  tradesPage,
} from '../../src/sinks/execution/restAnswers.js';
import { mutate, nasty } from './arbitraries.js';

const RUNS = 10_000;
const SEED = Number(process.env.FUZZ_SEED ?? 20261201);
const opts = { numRuns: RUNS, seed: SEED, endOnFailure: true };

const id = fc.stringMatching(/^0x[0-9a-f]{8}$/);
const decimal = fc.double({ min: 0, max: 1_000, noNaN: true }).map((x) => x.toFixed(4));
/** Answers as the venue sends them (the simulated venue's wire format, which follows the CLOB's). */
const openOrder = fc.record({
  id,
  market: id,
  asset_id: fc.stringMatching(/^[0-9]{10,20}$/),
  side: fc.constantFrom('BUY', 'SELL'),
  price: decimal,
  original_size: decimal,
  size_matched: decimal,
  order_type: fc.constantFrom('GTC', 'GTD'),
  created_at: fc.nat({ max: 2_000_000_000 }),
  status: fc.constant('LIVE'),
});
const cursor = fc.constantFrom('MA==', 'MTAw', 'LTE=');
const ordersPage = fc.record({ data: fc.array(openOrder, { maxLength: 4 }), next_cursor: cursor });
const tradePage = fc.record({ data: fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 3 }), next_cursor: cursor });
const postResults = fc.array(
  fc.record({
    success: fc.boolean(),
    orderID: id,
    status: fc.constantFrom('live', 'matched', ''),
    errorMsg: fc.constantFrom('', 'not enough balance'),
  }),
  { maxLength: 4 },
);
const cancel = fc.record({
  canceled: fc.array(id, { maxLength: 3 }),
  not_canceled: fc.dictionary(id, fc.constantFrom('order not found', "the order can't be canceled")),
});
const heartbeat = fc.record({ status: fc.constant('ok'), heartbeat_id: id });
const balance = fc.record({ balance: fc.nat().map(String) });

/** A well-formed answer, the same mutated, random JSON, or a nasty value. */
const answers = (valid: fc.Arbitrary<unknown>): fc.Arbitrary<unknown> =>
  fc.oneof(
    valid,
    fc
      .tuple(valid, fc.array(fc.nat(), { minLength: 1, maxLength: 5 }), nasty)
      .map(([tree, path, value]) => mutate(tree, path, value)),
    fc.jsonValue({ maxDepth: 3 }),
    nasty,
    fc.constant(undefined),
  );

/** Read `data`; the only error allowed is a bad_answer naming the call. */
function read<T>(parse: (data: unknown) => T, data: unknown): { ok: true; value: T } | { ok: false } {
  try {
    return { ok: true, value: parse(data) };
  } catch (err) {
    expect(err).toBeInstanceOf(ExchangeError);
    expect((err as ExchangeError).failure.kind).toBe('bad_answer');
    expect((err as Error).message).toMatch(/^malformed answer to (GET|POST|DELETE) \//);
    return { ok: false };
  }
}

const finite = (x: number): boolean => Number.isFinite(x);

describe('REST answers, fuzzed', () => {
  it('open orders: every order has ids, a side and finite numbers, or the page is refused', () => {
    let readOk = 0;
    fc.assert(
      fc.property(answers(ordersPage), (data) => {
        const r = read(openOrdersPage, data);
        if (!r.ok) return;
        readOk++;
        for (const o of r.value.items) {
          expect(typeof o.orderId === 'string' && o.orderId !== '').toBe(true);
          expect(['BUY', 'SELL']).toContain(o.side);
          expect([o.price, o.size, o.sizeMatched, o.tsMs].every(finite)).toBe(true);
        }
        if (r.value.nextCursor !== undefined) expect(typeof r.value.nextCursor).toBe('string');
      }),
      opts,
    );
    expect(readOk).toBeGreaterThan(RUNS / 10); // the generator is not all garbage
  });

  it('trades pages: a list (each trade read later by the user-channel parser) or refused', () => {
    fc.assert(
      fc.property(answers(tradePage), (data) => {
        const r = read(tradesPage, data);
        if (r.ok) expect(Array.isArray(r.value.items)).toBe(true);
      }),
      opts,
    );
  });

  it('posts: one result per order sent, each ok with an id or a reason', () => {
    fc.assert(
      fc.property(answers(postResults), fc.nat({ max: 5 }), (data, sent) => {
        const r = read((d) => postAnswer(d, sent), data);
        if (!r.ok) return;
        expect(r.value).toHaveLength(sent);
        for (const p of r.value) {
          if (p.ok) expect(typeof p.orderId === 'string' && p.orderId !== '').toBe(true);
          else expect(typeof p.error === 'string' && p.error !== '').toBe(true);
        }
      }),
      opts,
    );
  });

  it('cancels: ids as strings and reasons as strings', () => {
    fc.assert(
      fc.property(answers(cancel), (data) => {
        const r = read(cancelAnswer, data);
        if (!r.ok) return;
        expect(r.value.canceled.every((x) => typeof x === 'string')).toBe(true);
        expect(Object.values(r.value.notCanceled).every((x) => typeof x === 'string')).toBe(true);
      }),
      opts,
    );
  });

  it('heartbeats and balances: strings and finite numbers, or refused', () => {
    fc.assert(
      fc.property(answers(heartbeat), answers(balance), (hb, bal) => {
        const h = read(heartbeatAnswer, hb);
        if (h.ok) for (const v of Object.values(h.value)) expect(typeof v).toBe('string');
        const b = read(balanceAnswer, bal);
        if (b.ok) expect(Number.isFinite(b.value)).toBe(true);
      }),
      opts,
    );
  });

  it('examples: a well-formed page is read as sent; a wrong shape is a clear error', () => {
    expect(
      openOrdersPage({
        data: [
          {
            id: '0xo',
            market: '0xc',
            asset_id: '1',
            side: 'SELL',
            price: '0.42',
            original_size: '10',
            size_matched: '2.5',
            order_type: 'GTC',
            created_at: 1_800_000_000,
          },
        ],
        next_cursor: 'LTE=',
      }),
    ).toEqual({
      items: [
        {
          orderId: '0xo',
          conditionId: '0xc',
          tokenId: '1',
          side: 'SELL',
          price: 0.42,
          size: 10,
          sizeMatched: 2.5,
          orderType: 'GTC',
          tsMs: 1_800_000_000_000,
        },
      ],
      nextCursor: 'LTE=',
    });
    expect(() => openOrdersPage({ data: 'oops' })).toThrow('malformed answer to GET /data/orders: data is not a list');
    expect(() =>
      openOrdersPage({ data: [{ id: '0xo', market: '0xc', asset_id: '1', side: 'BUY', price: 'NaN' }] }),
    ).toThrow('malformed answer to GET /data/orders: order 0xo: price is not a number');
    expect(() => postAnswer({ error: 'x' }, 2)).toThrow(
      'malformed answer to POST /orders: not a list of order results',
    );
    expect(postAnswer([{ success: true, orderID: '0xa' }], 2)).toEqual([
      { ok: true, orderId: '0xa' },
      { ok: false, error: 'no response for this order' },
    ]);
    expect(() => cancelAnswer({ canceled: 'all' })).toThrow('canceled is not a list of order ids');
    expect(balanceAnswer({ balance: '2500000' })).toBe(2.5);
  });
});
