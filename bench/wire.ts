// The "to the wire" part of bench/tickToWire.ts: the bot's order path against the official client's
// and two bare HTTP clients, interleaved in one run (see the comment at its call).
import { Agent, createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PerformanceObserver } from 'node:perf_hooks';
import {
  ClobClient,
  OrderType,
  createL2Headers,
  isV2Order,
  orderToJsonV2,
  type ApiKeyCreds,
  type SignedOrder,
} from '@polymarket/clob-client-v2';
import type { Wallet } from 'ethers';
import type { MarketIdentity } from '../src/domain/index.js';
import { clobExchange } from '../src/sinks/execution/exchange.js';
import { l2Signer } from '../src/sinks/execution/l2auth.js';
import type { FastSigner } from '../src/sinks/execution/signer.js';
import type { Presigner } from '../src/sinks/execution/presign.js';
import { alternatingQuoter, type Quoter } from './support/quoter.js';

const pct = (xs: number[], p: number): number =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;
const fmt = (ms: number): string => `${(ms * 1000).toFixed(0)} µs`;
// 5 000 ticks per row: the p99 is then the 50th slowest sample, not the 10th, and steady from run to run.
const TICKS = Number(process.env.WIRE_TICKS ?? 5_000);
if (!Number.isInteger(TICKS) || TICKS < 100)
  throw new Error(`WIRE_TICKS must be a whole number >= 100, got ${process.env.WIRE_TICKS}`);
const WARM = 50;

/** The strategy a minute into the market, one level per token. */
const quoter = (market: MarketIdentity): Quoter => alternatingQuoter(market, 1, market.startMs + 60_000);

export interface WireDeps {
  readonly market: MarketIdentity;
  readonly wallet: Wallet;
  readonly signer: FastSigner;
  readonly creds: ApiKeyCreds;
  readonly presigner: Presigner;
}

export async function wire({ market, wallet, signer, creds, presigner }: WireDeps): Promise<void> {
  let arrived = 0;
  const server = createServer((req, res) => {
    arrived = performance.now();
    req.resume();
    // A presign miss (the first ticks) signs inline, and the order builder asks the tick size once.
    const body = req.url!.startsWith('/tick-size')
      ? '{"minimum_tick_size":0.01}'
      : '[{"success":true,"errorMsg":"","orderID":"0x1","status":"live","takingAmount":"0","makingAmount":"0"}]';
    req.on('end', () => res.writeHead(200, { 'content-type': 'application/json' }).end(body));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const host = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const client = new ClobClient({ host, chain: 137, signer: signer as never, creds, throwOnError: true });
  const bot = clobExchange(client, wallet.address.toLowerCase(), creds, {
    signerAddress: wallet.address,
    presigner,
    presignTicks: 2,
  });
  const rawAgent = new Agent({ keepAlive: true });
  const rawPost = (body: string): Promise<void> =>
    new Promise<void>((resolve, reject) => {
      const req = httpRequest(
        `${host}/orders`,
        { method: 'POST', agent: rawAgent, headers: { 'content-type': 'application/json' } },
        (res) => res.resume().on('end', resolve),
      );
      req.on('error', reject);
      req.end(body);
    });
  const fetchPost = async (body: string): Promise<void> =>
    void (await (
      await fetch(`${host}/orders`, { method: 'POST', headers: { 'content-type': 'application/json' }, body })
    ).arrayBuffer());
  const botQuoter = quoter(market);
  const clientQuoter = quoter(market);
  // One signed order for the client's posts, and its wire body (the same bytes the bot sends) for the bare ones.
  const clientOrder: SignedOrder = await client.createOrder(
    { tokenID: market.tokenUp, price: 0.33, size: 5, side: 'BUY' as never },
    { tickSize: '0.01', negRisk: false, version: 2 },
  );
  if (!isV2Order(clientOrder)) throw new Error('expected a V2 order');
  const wireBody = JSON.stringify([orderToJsonV2(clientOrder, creds.key, OrderType.GTC, true, false)]);
  const t = { bot: [] as number[], client: [] as number[], fetch: [] as number[], bare: [] as number[] };
  const hits0 = presigner.stats.hits;
  const variants: Record<keyof typeof t, (i: number) => Promise<number>> = {
    async bot(i) {
      const a = performance.now();
      const q = botQuoter.decide(i)!;
      await bot.post(q.creates, market);
      const us = arrived - a;
      botQuoter.rest(q.desired, i);
      // Idle time between ticks: the worker signs the neighbours of what now rests.
      bot.presignAround(q.desired, market);
      await presigner.idle();
      return us;
    },
    async client(i) {
      const a = performance.now();
      const c = clientQuoter.decide(i)!;
      await client.postOrders(
        c.creates.map(() => ({ order: clientOrder, orderType: OrderType.GTC })),
        true,
      );
      clientQuoter.rest(c.desired, i);
      return arrived - a;
    },
    async fetch() {
      const b = performance.now();
      await fetchPost(wireBody);
      return arrived - b;
    },
    async bare() {
      const b = performance.now();
      await rawPost(wireBody);
      return arrived - b;
    },
  };
  const names = Object.keys(variants) as Array<keyof typeof t>;
  // Garbage-collector pauses, to count the samples each one lands in (what sets most p99s here).
  const pauses: Array<readonly [number, number]> = [];
  const gcs = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) pauses.push([e.startTime, e.startTime + e.duration]);
  });
  gcs.observe({ entryTypes: ['gc'] });
  const spans = { bot: [], client: [], fetch: [], bare: [] } as Record<keyof typeof t, Array<[number, number]>>;
  for (let i = 0; i < TICKS + WARM; i++) {
    // Each tick runs the four in a rotated order: none always follows the presign worker's burst.
    for (let k = 0; k < names.length; k++) {
      const name = names[(i + k) % names.length]!;
      const us = await variants[name](i);
      if (i >= WARM) {
        t[name].push(us);
        spans[name].push([arrived - us, arrived]);
      }
    }
  }
  await new Promise((r) => setImmediate(r)); // the observer's last entries
  gcs.disconnect();
  const inGc = (name: keyof typeof t): number =>
    spans[name].filter(([a, z]) => pauses.some(([s, e]) => s < z && e > a)).length;
  const row = (name: keyof typeof t): string => {
    const xs = t[name];
    return `  ${name.padEnd(7)} p50 ${fmt(pct(xs, 50)).padStart(8)}  p90 ${fmt(pct(xs, 90)).padStart(8)}  p99 ${fmt(pct(xs, 99)).padStart(8)}   ratio to bare: p50 ${(pct(xs, 50) / pct(t.bare, 50)).toFixed(2)}  p99 ${(pct(xs, 99) / pct(t.bare, 99)).toFixed(2)}   samples in a GC pause ${inGc(name)}`;
  };
  console.log(
    `book event -> signed order arriving at a loopback server (1 level, pre-signed, ${t.bot.length} ticks interleaved, presign hits ${presigner.stats.hits - hits0}):`,
  );
  for (const name of names) console.log(row(name));
  await components({ wallet, signer, creds }, clientOrder);
  // (bot.close() would stop the shared presigner, which the caller still uses.)
  rawAgent.destroy();
  server.closeAllConnections();
  server.close();
}

/** Where the time of one post goes, per component, each timed over many calls (µs per call). */
export async function components(
  { wallet, signer, creds }: Omit<WireDeps, 'market' | 'presigner'>,
  order: SignedOrder,
): Promise<void> {
  if (!isV2Order(order)) return;
  const N = 5_000;
  const time = async (f: () => unknown): Promise<number> => {
    const a = performance.now();
    for (let i = 0; i < N; i++) await f();
    return ((performance.now() - a) / N) * 1000;
  };
  const payload = await time(() => JSON.stringify([orderToJsonV2(order, creds.key, OrderType.GTC, true, false)]));
  const body = JSON.stringify([orderToJsonV2(order, creds.key, OrderType.GTC, true, false)]);
  const theirs = await time(() =>
    createL2Headers(signer as never, creds, { method: 'POST', requestPath: '/orders', body }),
  );
  const ours = l2Signer(creds, wallet.address);
  const mine = await time(() => ours.headers('POST', '/orders', body, 1_700_000_000));
  console.log(
    `per post: payload (orderToJsonV2 + JSON.stringify) ${payload.toFixed(1)} µs, done twice by the client (HMAC body, then axios); L2 headers: client's createL2Headers (patched HMAC, awaits) ${theirs.toFixed(1)} µs, ours ${mine.toFixed(1)} µs`,
  );
}
