// Tick-to-wire latency: from a book event arriving at the bot to the signed batch handed to the
// HTTP client — strategy step (state, alpha, quote, churn), diff against live orders, EIP-712
// signing through @polymarket/clob-client-v2. Also: orders signed per second, the full round trip
// to the simulated venue on loopback, and a JSON.parse baseline for machine-independent ratios.
// Run: npx tsx bench/tickToWire.ts   (or npm run bench)
import { ClobClient, Side } from '@polymarket/clob-client-v2';
import { Wallet } from 'ethers';
import { clobExchange } from '../src/sinks/execution/exchange.js';
import { fastSigner } from '../src/sinks/execution/signer.js';
import { neighbours, startPresigner } from '../src/sinks/execution/presign.js';
import { startVenue } from '@polymm/venue';
import { alternatingQuoter } from './support/quoter.js';
import { wire } from './wire.js';

const N = 400;
const pct = (xs: number[], p: number): number =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;
const fmt = (ms: number): string => `${(ms * 1000).toFixed(0)} µs`;

async function main(): Promise<void> {
  // No per-signer limits here: the round trip below posts as fast as it can (the bot's own limiter would pace it).
  const venue = await startVenue({ port: 0, signerTier: 'off', options: { seed: 3, participants: false } });
  const wallet = Wallet.createRandom();
  const signer = fastSigner(wallet.privateKey as `0x${string}`);
  const creds = await new ClobClient({
    host: venue.urls.clob,
    chain: 137,
    signer: signer as never,
  }).createOrDeriveApiKey();
  const client = new ClobClient({
    host: venue.urls.clob,
    chain: 137,
    signer: signer as never,
    creds,
    throwOnError: true,
  });
  const ethersClient = new ClobClient({
    host: venue.urls.clob,
    chain: 137,
    signer: wallet as never,
    creds,
    throwOnError: true,
  });
  const exchange = clobExchange(client, wallet.address.toLowerCase(), creds, { signerAddress: wallet.address });
  const vm = venue.core.markets().find((m) => m.status === 'open')!;
  const now = Date.now();
  const market = {
    slug: vm.slug,
    conditionId: vm.conditionId,
    question: vm.question,
    tokenUp: vm.tokenUp,
    tokenDown: vm.tokenDown,
    startMs: now - 60_000,
    endMs: now + 600_000,
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

  const presigner = startPresigner(
    { privateKey: wallet.privateKey as `0x${string}`, host: venue.urls.clob, chain: 137, signatureType: 0 },
    { maxAgeMs: 60_000, maxEntries: 2_000, clock: () => Date.now() },
  );
  const runs: Array<{ levels: number; presign: boolean }> = [
    { levels: 1, presign: false },
    { levels: 3, presign: false },
    { levels: 1, presign: true },
    { levels: 3, presign: true },
  ];
  for (const { levels, presign } of runs) {
    const quoter = alternatingQuoter(market, levels, now);
    const decideUs: number[] = [];
    const wireUs: number[] = [];
    let signed = 0;
    for (let i = 0; i < N + 20; i++) {
      const a = performance.now();
      const decision = quoter.decide(i);
      if (!decision) continue;
      const { desired, creates } = decision;
      const b = performance.now();
      const orders = await Promise.all(
        creates.map(
          (o) =>
            (presign ? presigner.take(o) : undefined) ??
            client.createOrder(
              { tokenID: o.tokenId, price: o.price, size: o.size, side: o.side === 'BUY' ? Side.BUY : Side.SELL },
              { tickSize: '0.01', negRisk: false, version: 2 },
            ),
        ),
      );
      const c = performance.now();
      if (presign) {
        // Idle time between ticks: the worker signs the neighbours of what now rests.
        presigner.request(neighbours(desired, 0.01, 2), '0.01', false);
        await presigner.idle();
      }
      signed += orders.length;
      if (i >= 20) {
        decideUs.push(b - a);
        wireUs.push(c - a);
      }
      quoter.rest(desired, i);
    }
    const changed = `${levels} level(s) per token, Up ladder re-priced each tick, ${presign ? 'pre-signed (worker thread)' : 'signed inline'}`;
    console.log(
      `tick-to-wire (${changed}): p50 ${fmt(pct(wireUs, 50))}  p99 ${fmt(pct(wireUs, 99))}  | decision only: p50 ${fmt(pct(decideUs, 50))} p99 ${fmt(pct(decideUs, 99))}  (${wireUs.length} ticks, ${signed} orders signed)`,
    );
  }

  // To the wire: book event -> strategy -> diff -> post of a pre-signed order -> POST /orders
  // arriving at a loopback server (its 'request' event, same process and clock), one level
  // re-priced per tick. Interleaved tick by tick, in the same run:
  //   bot     Exchange.post (our transport: keep-alive node:http, one serialization, sync HMAC);
  //   client  the same decision, posted by the official client's postOrders (axios, its own L2
  //           headers; the HMAC already patched to node:crypto) — the previous order path;
  //   fetch   the bare body through global fetch (undici), the transport @polymarket/client uses;
  //   bare    the bare body through node:http on a keep-alive agent: the floor on this machine now.
  // Ratios to `bare` from the same run are what compare across noisy machines.
  await wire({ market, wallet, signer, creds, presigner });
  // Orders signed per second.
  const sign0 = performance.now();
  const SIGN = 300;
  for (let i = 0; i < SIGN; i++)
    await client.createOrder(
      { tokenID: market.tokenUp, price: 0.3 + (i % 10) / 100, size: 10, side: Side.BUY },
      { tickSize: '0.01', negRisk: false, version: 2 },
    );
  const signPerS = SIGN / ((performance.now() - sign0) / 1000);
  console.log(
    `orders signed per second (viem signer, used by the bot): ${Math.round(signPerS)} (${fmt(1000 / signPerS)} per order)`,
  );
  const e0 = performance.now();
  for (let i = 0; i < SIGN; i++)
    await ethersClient.createOrder(
      { tokenID: market.tokenUp, price: 0.3 + (i % 10) / 100, size: 10, side: Side.BUY },
      { tickSize: '0.01', negRisk: false, version: 2 },
    );
  const ethersPerS = SIGN / ((performance.now() - e0) / 1000);
  console.log(
    `orders signed per second (ethers v5 Wallet, for comparison): ${Math.round(ethersPerS)}; viem/ethers = ${(signPerS / ethersPerS).toFixed(2)}`,
  );

  // Full round trip: sign, POST /orders, venue ack, for a one-order batch on loopback.
  const rt: number[] = [];
  for (let i = 0; i < 100; i++) {
    const a = performance.now();
    const r = await exchange.post(
      [
        {
          outcome: 'up',
          tokenId: market.tokenUp,
          level: 0,
          side: 'BUY',
          price: 0.2,
          size: 5,
          postOnly: true,
          orderType: 'GTC',
        },
      ],
      market,
    );
    rt.push(performance.now() - a);
    if (r[0]?.orderId) await exchange.cancel([r[0].orderId]);
  }
  console.log(`round trip sign+POST+ack, one order: p50 ${fmt(pct(rt, 50))} p99 ${fmt(pct(rt, 99))}`);

  // Baseline: JSON.parse of one market-channel book message, per second.
  const text = JSON.stringify({
    event_type: 'book',
    market: market.conditionId,
    asset_id: market.tokenUp,
    timestamp: String(now),
    hash: '0x1',
    bids: [{ price: '0.31', size: '100' }],
    asks: [{ price: '0.6', size: '100' }],
  });
  let sink = 0;
  const p0 = performance.now();
  for (let i = 0; i < 200_000; i++) sink += (JSON.parse(text) as { bids: unknown[] }).bids.length;
  const parseUs = ((performance.now() - p0) / 200_000) * 1000;
  if (sink < 0) console.log(sink);
  console.log(
    `baseline JSON.parse of a book message: ${parseUs.toFixed(2)} µs; ratios: signing one order = ${(1000 / signPerS / (parseUs / 1000)).toFixed(0)}x a parse`,
  );
  console.log(
    `presign cache: ${presigner.stats.hits} hits, ${presigner.stats.misses} misses, ${presigner.stats.signed} signed in the worker`,
  );
  await presigner.close();
  await venue.close();
}

void main().then(() => process.exit(0));
