// The official @polymarket/clob-client-v2, pointed at the simulated venue, works end to end.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Wallet } from 'ethers';
import { ClobClient, OrderType, Side } from '@polymarket/clob-client-v2';
import { startVenue, type RunningVenue } from '../../src/server/index.js';
import { getJson } from '../support/http.js';

let venue: RunningVenue;
let client: ClobClient;
let wallet: Wallet;
let tokenUp: string;
let conditionId: string;

beforeAll(async () => {
  venue = await startVenue({
    port: 0,
    options: { seed: 3, participants: false, scheduleOriginMs: Date.now() - 60_000 },
  });
  wallet = Wallet.createRandom();
  const l1 = new ClobClient({ host: venue.urls.clob, chain: 137, signer: wallet as never });
  const creds = await l1.createOrDeriveApiKey();
  client = new ClobClient({ host: venue.urls.clob, chain: 137, signer: wallet as never, creds, throwOnError: true });
  const market = venue.core.markets().find((m) => m.status === 'open')!;
  tokenUp = market.tokenUp;
  conditionId = market.conditionId;
});
afterAll(() => venue.close());

describe('official client conformance', () => {
  it('derives the same API key twice', async () => {
    const again = await new ClobClient({ host: venue.urls.clob, chain: 137, signer: wallet as never }).deriveApiKey();
    expect(again.key).toBe(client.creds!.key);
  });

  it('posts a batch of signed post-only orders, reads them back and cancels them', async () => {
    const prices = [0.3, 0.31, 0.32];
    const signed = await Promise.all(
      prices.map((price) => client.createOrder({ tokenID: tokenUp, price, size: 10, side: Side.BUY })),
    );
    const posted = (await client.postOrders(
      signed.map((order) => ({ order, orderType: OrderType.GTC })),
      true,
    )) as { success: boolean; orderID: string; status: string }[];
    expect(posted.map((p) => [p.success, p.status])).toEqual(prices.map(() => [true, 'live']));
    const open = await client.getOpenOrders({ market: conditionId });
    expect(open.map((o) => o.id).sort()).toEqual(posted.map((p) => p.orderID).sort());
    expect(open.map((o) => Number(o.price)).sort()).toEqual(prices);
    const cancelled = (await client.cancelOrders(posted.slice(0, 2).map((p) => p.orderID))) as { canceled: string[] };
    expect(cancelled.canceled.length).toBe(2);
    const all = (await client.cancelAll()) as { canceled: string[] };
    expect(all.canceled).toEqual([posted[2]!.orderID]);
    expect(await client.getOpenOrders()).toEqual([]);
  });

  it('posts a heartbeat', async () => {
    const hb = await client.postHeartbeat();
    expect(hb).toMatchObject({ status: 'ok' });
  });

  it('rejects a post-only order that crosses, and a FOK it cannot fill', async () => {
    const maker = await client.createOrder({ tokenID: tokenUp, price: 0.4, size: 10, side: Side.BUY });
    await client.postOrder(maker, OrderType.GTC, true);
    const split = await getJson(`${venue.urls.clob}/book?token_id=${tokenUp}`);
    expect(split.bids.at(-1)).toEqual({ price: '0.4', size: '10.00' });
    venue.core.split(wallet.address, conditionId, 50, Date.now());
    const crossing = await client.createOrder({ tokenID: tokenUp, price: 0.4, size: 10, side: Side.SELL });
    await expect(client.postOrder(crossing, OrderType.GTC, true)).rejects.toThrow(/crosses book/);
    const fok = await client.createMarketOrder({ tokenID: tokenUp, price: 0.9, amount: 50, side: Side.BUY });
    await expect(client.postOrder(fok, OrderType.FOK)).rejects.toThrow(/FOK/);
    await client.cancelAll();
  });

  it('rejects a tampered signature and a tampered price', async () => {
    const order = await client.createOrder({ tokenID: tokenUp, price: 0.2, size: 10, side: Side.BUY });
    const badSig = {
      ...order,
      signature: order.signature.slice(0, -4) + (order.signature.endsWith('1b') ? '1c1b' : '1b1c'),
    };
    await expect(client.postOrder(badSig, OrderType.GTC)).rejects.toThrow(/signature/);
    const badPrice = { ...order, makerAmount: String(Number(order.makerAmount) * 2) };
    await expect(client.postOrder(badPrice, OrderType.GTC)).rejects.toThrow(/signature/);
    expect(await client.getOpenOrders()).toEqual([]);
  });

  it('rejects a bad API key', async () => {
    const bad = new ClobClient({
      host: venue.urls.clob,
      chain: 137,
      signer: wallet as never,
      creds: { ...client.creds!, secret: Buffer.from('nope').toString('base64') },
      throwOnError: true,
    });
    await expect(bad.getOpenOrders()).rejects.toThrow();
  });
});
