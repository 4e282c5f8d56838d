// The exchange adapter against the simulated venue's real refusals: its per-signer 429 (with
// Retry-After and Poly-RateLimit-*), the engine restart's 425, cancel-only's 503, a geoblock's 403,
// each a typed ExchangeError carrying the venue's pacing, and the limiter paced from them.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Wallet } from 'ethers';
import { ClobClient } from '@polymarket/clob-client-v2';
import { startVenue, type RunningVenue } from '@polymm/venue';
import { clobExchange, ExchangeError, type Exchange } from '../../src/sinks/execution/exchange.js';
import { NOT_SENT } from '../../src/sinks/execution/clobExchange.js';
import { answerError } from '../../src/sinks/execution/errors.js';
import { fastSigner } from '../../src/sinks/execution/signer.js';
import { afterFailure, newBucket, observePacing, takeTokens } from '../../src/execution/rateLimit.js';
import type { DesiredOrder, MarketIdentity, TakerIntent } from '../../src/domain/index.js';

let venue: RunningVenue;
let exchange: Exchange;
let market: MarketIdentity;
let frozenAt: number | undefined;
const venueNow = (): number => frozenAt ?? Date.now();

beforeAll(async () => {
  // The venue's clock stands still while a test posts: its buckets do not refill under us.
  venue = await startVenue({
    port: 0,
    clock: venueNow,
    options: { seed: 11, participants: false, scheduleOriginMs: Date.now() - 60_000 },
  });
  const wallet = Wallet.createRandom();
  const signer = fastSigner(wallet.privateKey as `0x${string}`);
  const client = new ClobClient({ host: venue.urls.clob, chain: 137, signer: signer as never });
  const creds = await client.createOrDeriveApiKey();
  exchange = clobExchange(client, wallet.address.toLowerCase(), creds, {
    signerAddress: wallet.address,
    timeoutMs: 5_000,
    clock: venueNow,
  });
  const m = venue.core.markets().find((x) => x.status === 'open')!;
  market = {
    slug: m.slug,
    conditionId: m.conditionId,
    question: m.question,
    tokenUp: m.tokenUp,
    tokenDown: m.tokenDown,
    startMs: m.startMs,
    endMs: m.endMs,
    tickSize: 0.01,
    minSize: 5,
    negRisk: false,
    feesEnabled: true,
    feeSchedule: { rate: 0.072, exponent: 1, takerOnly: true, rebateRate: 0.2 },
    acceptingOrders: true,
    active: true,
    closed: false,
    resolutionSource: 'chainlink',
  };
  await client.getTickSize(m.tokenUp); // the order builder's one lookup, cached before time stops
});
afterAll(async () => {
  await exchange.close();
  await venue.close();
});
afterEach(() => {
  venue.faults.reset();
  frozenAt = undefined;
});

const bids = (n: number, from = 0): DesiredOrder[] =>
  Array.from({ length: n }, (_, i) => ({
    outcome: 'up',
    tokenId: market.tokenUp,
    level: i,
    side: 'BUY',
    price: Number((0.01 + ((from + i) % 15) / 100).toFixed(2)),
    size: 5,
    postOnly: true,
    orderType: 'GTC',
  }));
/** A FOK buy of 10 Up shares at no more than 0.6. */
const takerIntent = (): TakerIntent => ({
  conditionId: market.conditionId,
  tokenId: market.tokenUp,
  outcome: 'up',
  side: 'BUY',
  maxPrice: 0.6,
  size: 10,
  amountUsdc: 6,
  orderType: 'FOK',
  reason: 'test',
  tsMs: venueNow(),
});
const failureOf = async (p: Promise<unknown>): Promise<ExchangeError> =>
  p.then(
    () => expect.fail('the call succeeded'),
    (e: unknown) => (expect(e).toBeInstanceOf(ExchangeError), e as ExchangeError),
  );

describe('typed exchange errors from the simulated venue', () => {
  it('the order bucket exhausted: 429 rate_limited with Retry-After and Poly-RateLimit-*, and the limiter waits as told', async () => {
    frozenAt = Date.now();
    const limits = { ratePerS: 40, burst: 60 };
    let bucket = newBucket(limits, frozenAt);
    for (let b = 0; b < 4; b++) {
      const r = await exchange.post(bids(15, b), market);
      expect(r.every((x) => x.ok)).toBe(true);
      bucket = observePacing(
        takeTokens(bucket, 15, frozenAt, limits).bucket,
        exchange.takePacing!('order'),
        frozenAt,
        limits,
      );
      expect(bucket.tokens).toBe(60 - 15 * (b + 1)); // the venue's count and ours agree
    }
    const e = await failureOf(exchange.post(bids(15), market));
    expect(e.failure).toEqual({ kind: 'rate_limited', status: 429, bucket: 'order', retryAfterMs: 1_000 });
    expect(e.pacing).toMatchObject({
      retryAfterMs: 1_000,
      remaining: 0,
      tier: 'standard',
      rateLimit: { 'poly-ratelimit-tier': 'standard' },
    });
    expect(e.pacing!.resetAtMs).toBeGreaterThan(frozenAt);
    expect(e.message).toMatch(/^HTTP 429: rate limited: order bucket/);
    bucket = afterFailure(bucket, e.failure.kind, e.pacing, frozenAt, limits);
    expect(takeTokens(bucket, 1, frozenAt, limits).waitMs).toBeGreaterThanOrEqual(1_000);
    // The cancel bucket is another: cancels still go.
    await expect(exchange.cancelAll()).resolves.toBeUndefined();
    expect(exchange.takePacing!('cancel')).toMatchObject({ tier: 'standard' });
  });

  it('the engine restarting: 425 unavailable on posts and cancels', async () => {
    venue.faults.set({ engineRestart: true });
    const post = await failureOf(exchange.post(bids(1), market));
    expect(post.failure).toEqual({ kind: 'unavailable', status: 425 });
    expect(post.message).toMatch(/^HTTP 425: .*restarting/);
    expect((await failureOf(exchange.cancel(['0x1']))).failure).toEqual({ kind: 'unavailable', status: 425 });
  });

  it('cancel-only mode: 503 unavailable on posts; cancels still work', async () => {
    venue.faults.set({ cancelOnly: true });
    expect((await failureOf(exchange.post(bids(1), market))).failure).toEqual({ kind: 'unavailable', status: 503 });
    await expect(exchange.cancel(['0xabc'])).resolves.toMatchObject({ canceled: [] });
  });

  it('a 429 burst from the edge: rate_limited with its Retry-After', async () => {
    venue.faults.set({ http429Burst: 1 });
    const e = await failureOf(exchange.openOrders());
    expect(e.failure).toEqual({ kind: 'rate_limited', status: 429, retryAfterMs: 1_000 });
    await expect(exchange.openOrders()).resolves.toBeInstanceOf(Array);
  });

  it('a geoblocked region: 403 geoblocked', async () => {
    venue.faults.set({ geoblock: true });
    expect((await failureOf(exchange.post(bids(1), market))).failure).toEqual({ kind: 'geoblocked', status: 403 });
  });

  it('the heartbeat, cancels and reads work through the same transport', async () => {
    await exchange.heartbeat();
    const [posted] = await exchange.post(bids(1, 3), market);
    expect(posted).toMatchObject({ ok: true });
    expect((await exchange.openOrders()).map((o) => o.orderId)).toContain(posted!.orderId);
    await expect(exchange.cancel([posted!.orderId!])).resolves.toEqual({
      canceled: [posted!.orderId],
      notCanceled: {},
    });
    await expect(exchange.positions([market.tokenUp])).resolves.toEqual([0]);
  });

  it('a heartbeat chain moved on without us (a lost answer, another client of the key): the stale id is refused with the one expected, taken up at once', async () => {
    await exchange.heartbeat();
    await exchange.heartbeat(); // the chain: each answer's id carried by the next
    // Another client of the same key starts the chain afresh: our id is stale now.
    const other = clobExchange(
      new ClobClient({ host: venue.urls.clob, chain: 137 }),
      exchange.address,
      exchange.creds,
      {
        signerAddress: exchange.address,
        timeoutMs: 5_000,
        clock: venueNow,
      },
    );
    // What the venue answers a stale id: its message and the id expected, kept on the typed error.
    const stale = answerError(400, { error_msg: 'Invalid Heartbeat ID', heartbeat_id: 'hb-next' }, {}, 0);
    expect([stale.message, stale.failure.kind, stale.answer]).toEqual([
      'HTTP 400: Invalid Heartbeat ID',
      'rejected',
      { error_msg: 'Invalid Heartbeat ID', heartbeat_id: 'hb-next' },
    ]);
    try {
      await other.heartbeat();
      await expect(exchange.heartbeat()).resolves.toBeUndefined(); // refused once (400), then accepted
      await expect(other.heartbeat()).resolves.toBeUndefined(); // and so on, each taking up the other's id
      await expect(exchange.heartbeat()).resolves.toBeUndefined();
    } finally {
      await other.close();
    }
  });

  it('orders no longer wanted once signed (past the cutoff margin, halted, stopping) are not sent: each a refusal, nothing at the venue', async () => {
    const before = venue.core.openOrders(exchange.address).length;
    const late = await exchange.post(bids(3, 20), market, () => false);
    expect(late).toEqual(Array.from({ length: 3 }, () => ({ ok: false, error: NOT_SENT })));
    expect(venue.core.openOrders(exchange.address)).toHaveLength(before);
    const inTime = await exchange.post(bids(1, 20), market, () => true);
    expect(inTime[0]).toMatchObject({ ok: true });
    expect(venue.core.openOrders(exchange.address)).toHaveLength(before + 1);
  });

  it('a taker order signed at or past its deadline is not sent either; in time, the venue answers it', async () => {
    const intent = takerIntent();
    await expect(exchange.take(intent, market, () => false)).resolves.toEqual({ ok: false, error: NOT_SENT });
    // Sent in time: the venue answers (an empty book kills the FOK).
    await expect(exchange.take(intent, market, () => true)).rejects.toThrow(/fully filled or killed/);
  });

  it("orders are signed with the market's tick as the bot knows it, not the client's cached one (a tick_size_change to 0.001)", async () => {
    // The client's cache says 0.01 (its GET /tick-size in beforeAll). With the old signing the client
    // refused the finer tick ("invalid tick size (0.001), minimum for the market is 0.01"); now 0.955
    // is signed as it is and reaches the venue, which still has the market at 0.01 and refuses it.
    const finer = { ...market, tickSize: 0.001 };
    const [r] = await exchange.post([{ ...bids(1)[0]!, price: 0.955 }], finer, () => true);
    expect(r).toEqual({ ok: false, error: 'order price breaks minimum tick size rule: 0.01' });
    // Back on the market's own tick, orders go through.
    const [ok] = await exchange.post([{ ...bids(1)[0]!, price: 0.95 }], market, () => true);
    expect(ok).toMatchObject({ ok: true });
    await exchange.cancel([ok!.orderId!]);
  });

  it('a 401 renews the key; an order no longer wanted once the renewal is done (the cutoff passed meanwhile) is not sent again', async () => {
    const wallet = Wallet.createRandom();
    const client = new ClobClient({
      host: venue.urls.clob,
      chain: 137,
      signer: fastSigner(wallet.privateKey as `0x${string}`) as never,
    });
    let renewals = 0;
    const renewing = clobExchange(client, wallet.address.toLowerCase(), await client.createOrDeriveApiKey(), {
      signerAddress: wallet.address,
      timeoutMs: 5_000,
      clock: venueNow,
      renew: async () => (renewals++, client.createOrDeriveApiKey()),
    });
    try {
      await client.getTickSize(market.tokenUp);
      const forget = (): Promise<Response> => fetch(`${venue.urls.control}/forget-keys`, { method: 'POST' });
      const intent = takerIntent();
      // Wanted when first sent (refused: 401), no longer when the key is renewed.
      const wantedOnce = (): (() => boolean) => {
        let asked = 0;
        return () => ++asked === 1;
      };
      await forget();
      expect(await renewing.post(bids(2, 40), market, wantedOnce())).toEqual(
        Array.from({ length: 2 }, () => ({ ok: false, error: NOT_SENT })),
      );
      expect(renewals).toBe(1);
      expect(venue.core.openOrders(renewing.address)).toHaveLength(0);
      // The renewed key works: an order still wanted is sent with it.
      expect(await renewing.post(bids(1, 40), market, () => true)).toEqual([expect.objectContaining({ ok: true })]);
      expect(venue.core.openOrders(renewing.address)).toHaveLength(1);
      // The same for a taker order: not sent again once no longer wanted.
      await forget();
      await expect(renewing.take(intent, market, wantedOnce())).resolves.toEqual({ ok: false, error: NOT_SENT });
      expect(renewals).toBe(2);
      await renewing.heartbeat(); // with the key renewed for the taker order
      expect(renewals).toBe(2);
    } finally {
      await renewing.close();
    }
  });
});
