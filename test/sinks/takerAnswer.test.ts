// A taker order's result comes from the venue's answer, not after the official client's wait for
// the trades' transaction hashes (Polymarket's asynchronous settlement: up to 30 s), so the sink's
// per-market lock is not held that long.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Wallet } from 'ethers';
import { ClobClient, OrderType, Side } from '@polymarket/clob-client-v2';
import { startVenue, type RunningVenue } from '@polymm/venue';
import { clobExchange } from '../../src/sinks/execution/exchange.js';
import { takerSpend } from '../../src/quant/risk.js';
import type { VMarket } from '@polymm/venue';

const MINED_MS = 8_000;
let venue: RunningVenue;
let client: ClobClient;
let wallet: Wallet;
let m: VMarket;
const seller = '0x00000000000000000000000000000000000000c3';

beforeAll(async () => {
  venue = await startVenue({
    port: 0,
    options: { seed: 9, participants: false, minedDelayMs: MINED_MS, scheduleOriginMs: Date.now() - 60_000 },
  });
  wallet = Wallet.createRandom();
  const creds = await new ClobClient({
    host: venue.urls.clob,
    chain: 137,
    signer: wallet as never,
  }).createOrDeriveApiKey();
  client = new ClobClient({ host: venue.urls.clob, chain: 137, signer: wallet as never, creds, throwOnError: true });
  m = venue.core.markets().find((x) => x.status === 'open')!;
  venue.core.ensureAccount(seller);
  venue.core.split(seller, m.conditionId, 200, Date.now());
  for (let i = 0; i < 2; i++)
    venue.core.placeOrder(
      {
        owner: seller,
        tokenId: m.tokenUp,
        side: 'SELL',
        price: 0.5,
        size: 50,
        orderType: 'GTC',
        postOnly: false,
        expirationS: 0,
      },
      Date.now(),
    );
});
afterAll(() => venue.close());

describe('taker result', () => {
  it('arrives with the venue answer while the client still waits for the transaction hashes', async () => {
    const identity = {
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
    const exchange = clobExchange(client, wallet.address.toLowerCase(), client.creds!, {
      signerAddress: wallet.address,
    });
    const t0 = performance.now();
    const r = await exchange.take(
      {
        conditionId: m.conditionId,
        tokenId: m.tokenUp,
        outcome: 'up',
        side: 'BUY',
        maxPrice: 0.55,
        size: 10,
        amountUsdc: takerSpend(venue.core.book(m.tokenUp)!.asks, 10, 0.55, 5),
        orderType: 'FOK',
        reason: 'test',
        tsMs: Date.now(),
      },
      identity,
    );
    expect(performance.now() - t0).toBeLessThan(2_000);
    expect(r).toMatchObject({ ok: true, status: 'matched' });
    expect(r.orderId).toBeTruthy();
    // The venue spent the order's USDC at the ask, 0.50: sized at the cap it would have bought 11.
    expect(venue.core.balance(wallet.address.toLowerCase()).positions[m.tokenUp]).toBeCloseTo(10, 6);

    // The same through the client alone: it does not return before the trade is mined.
    const order = await client.createMarketOrder(
      { tokenID: m.tokenUp, price: 0.55, amount: 5, side: Side.BUY, orderType: OrderType.FOK },
      { tickSize: '0.01', negRisk: false },
    );
    let returned = false;
    const pending = client.postOrder(order, OrderType.FOK).then(() => (returned = true));
    await new Promise((res) => setTimeout(res, 2_000));
    expect(returned).toBe(false);
    void pending.catch(() => undefined);
  }, 15_000);
});
