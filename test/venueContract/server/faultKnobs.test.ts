// The live-venue faults the simulated venue can produce on purpose, each on the wire: a slow REST
// answer, the weekly engine restart (425), post-only mode, cancel-only mode (503), malformed frames,
// a socket that stays connected but goes silent, and trades that fail after matching.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { Wallet } from 'ethers';
import { ClobClient, OrderType, Side } from '@polymarket/clob-client-v2';
import { loadConfig } from '../../../src/config/load.js';
import { startSimVenue } from '../../../src/cli/venue.js';
import { malformedFrame } from '@polymm/venue';
import { startVenue, type RunningVenue } from '@polymm/venue';

let venue: RunningVenue;
let client: ClobClient;
let t = 1_790_000_000_000;
const clock = (): number => t;

const setFaults = async (patch: object): Promise<Response> =>
  fetch(`${venue.urls.control}/faults`, { method: 'POST', body: JSON.stringify(patch) });
const open = () => venue.core.markets().find((m) => m.status === 'open')!;
/** An L2-authenticated call through the official client's own HTTP path; resolves to its HTTP status. */
const statusOf = async (call: Promise<unknown>): Promise<number | undefined> => {
  try {
    await call;
    return 200;
  } catch (e) {
    return (e as { status?: number }).status;
  }
};

beforeEach(async () => {
  // The venue's clock is the test's: a market is open from the start, whatever the wall clock says.
  t = 1_790_000_000_000;
  venue = await startVenue({
    port: 0,
    clock,
    tickMs: 20,
    options: { seed: 7, participants: false, minedDelayMs: 100, confirmedDelayMs: 100, startMs: t - 5_000 },
  });
  const wallet = Wallet.createRandom();
  const creds = await new ClobClient({
    host: venue.urls.clob,
    chain: 137,
    signer: wallet as never,
  }).createOrDeriveApiKey();
  client = new ClobClient({ host: venue.urls.clob, chain: 137, signer: wallet as never, creds, throwOnError: true });
});
afterEach(() => venue.close());

describe('venue fault knobs', () => {
  it('unknown knobs and wrong types are refused; reset clears the new knobs', async () => {
    expect((await setFaults({ engineRestart: 'yes' })).status).toBe(400);
    expect((await setFaults({ silent: 'market', restDelayMs: 10 })).status).toBe(200);
    await fetch(`${venue.urls.control}/reset`, { method: 'POST' });
    expect(venue.faults.get()).toMatchObject({ silent: '', restDelayMs: 0, engineRestart: false });
  });

  it('restDelayMs holds every REST answer back (the request is still served)', async () => {
    await setFaults({ restDelayMs: 300 });
    const t0 = Date.now();
    expect((await fetch(`${venue.urls.clob}/time`)).status).toBe(200);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(290);
  });

  it('engine restart answers 425 on order entry and cancels; cancel-only answers 503 on entry and still cancels', async () => {
    const m = open();
    const order = await client.createOrder({ tokenID: m.tokenUp, price: 0.2, size: 5, side: Side.BUY });
    await setFaults({ engineRestart: true });
    expect(await statusOf(client.postOrder(order, OrderType.GTC, true))).toBe(425);
    expect(await statusOf(client.cancelAll())).toBe(425);
    expect((await fetch(`${venue.urls.clob}/time`)).status).toBe(200); // public reads still work
    await setFaults({ engineRestart: false, cancelOnly: true });
    expect(await statusOf(client.postOrder(order, OrderType.GTC, true))).toBe(503);
    expect(await statusOf(client.cancelAll())).toBe(200);
    await setFaults({ cancelOnly: false });
    expect(await statusOf(client.postOrder(order, OrderType.GTC, true))).toBe(200);
  });

  it('post-only mode rejects orders that are not post-only and accepts post-only ones', async () => {
    const m = open();
    await setFaults({ postOnlyMode: true });
    const taker = await client.createOrder({ tokenID: m.tokenUp, price: 0.2, size: 5, side: Side.BUY });
    await expect(client.postOrder(taker, OrderType.GTC, false)).rejects.toThrow(/post-only mode/);
    const maker = await client.createOrder({ tokenID: m.tokenUp, price: 0.21, size: 5, side: Side.BUY });
    await expect(client.postOrder(maker, OrderType.GTC, true)).resolves.toMatchObject({ success: true });
  });

  it('malformedRate sends junk frames before real ones; every form is junk to a JSON reader', async () => {
    const forms = [0, 0.2, 0.4, 0.6, 0.8].map((p) => malformedFrame('{"event_type":"book","bids":[]}', p));
    expect(new Set(forms).size).toBe(5);
    await setFaults({ malformedRate: 1 });
    const ws = new WebSocket(venue.urls.wsMarket);
    const got: string[] = [];
    await new Promise<void>((resolve) => {
      ws.on('open', () => ws.send(JSON.stringify({ assets_ids: [open().tokenUp], type: 'market' })));
      ws.on('message', (d) => {
        got.push(d.toString());
        if (got.length >= 2) resolve();
      });
    });
    ws.close();
    expect(got[1]).toMatch(/"event_type":"book"/);
    expect(got[0]).not.toBe(got[1]);
  });

  it('a silent socket stays connected and sends nothing, not even PONG; it speaks again when the knob is cleared', async () => {
    await setFaults({ silent: 'market' });
    const ws = new WebSocket(venue.urls.wsMarket);
    const got: string[] = [];
    ws.on('message', (d) => got.push(d.toString()));
    await new Promise((r) => ws.on('open', r));
    ws.send('PING');
    ws.send(JSON.stringify({ assets_ids: [open().tokenUp], type: 'market' }));
    await new Promise((r) => setTimeout(r, 300));
    expect(ws.readyState).toBe(WebSocket.OPEN);
    expect(got).toEqual([]);
    await setFaults({ silent: '' });
    ws.send('PING');
    await new Promise((r) => setTimeout(r, 300));
    expect(got).toContain('PONG');
    ws.close();
  });

  it('tradeFailRate, set live, makes matched trades FAIL and reverses them', async () => {
    const m = open();
    await setFaults({ tradeFailRate: 1 });
    const other = '0x00000000000000000000000000000000000000d4';
    venue.core.ensureAccount(other);
    venue.core.split(other, m.conditionId, 50, t);
    venue.core.placeOrder(
      {
        owner: other,
        tokenId: m.tokenUp,
        side: 'SELL',
        price: 0.5,
        size: 10,
        orderType: 'GTC',
        postOnly: false,
        expirationS: 0,
        orderId: 'ask-1',
      },
      t,
    );
    const buyer = '0x00000000000000000000000000000000000000b7';
    venue.core.ensureAccount(buyer);
    const r = venue.core.placeOrder(
      {
        owner: buyer,
        tokenId: m.tokenUp,
        side: 'BUY',
        price: 0.5,
        size: 5,
        orderType: 'FOK',
        postOnly: false,
        expirationS: 0,
      },
      t,
    );
    expect(r.success).toBe(true);
    const cash = venue.core.balance(buyer).collateral;
    t += 1_000;
    venue.core.advance(t);
    const trades = venue.core.trades(other);
    expect(trades.length).toBeGreaterThan(0);
    expect(trades.every((x) => x.status === 'FAILED')).toBe(true);
    expect(venue.core.balance(buyer).collateral).toBeGreaterThan(cash); // the payment came back
    expect(venue.core.balance(buyer).positions[m.tokenUp] ?? 0).toBe(0);
  });

  it('the knobs are settings too: `--sim.faults.<knob>` starts the venue with them; a bad value is a config error', async () => {
    const cfg = loadConfig({
      flags: { sim: { faults: { restDelayMs: '250', silent: 'rtds,polybolt', engineRestart: 'true' }, chain: false } },
    });
    const sim = await startSimVenue(cfg.sim);
    try {
      expect(sim.faults.get()).toMatchObject({
        restDelayMs: 250,
        silent: 'rtds,polybolt',
        engineRestart: true,
        tradeFailRate: 0,
      });
    } finally {
      await sim.close();
    }
    expect(() => loadConfig({ flags: { sim: { faults: { silent: 'everything' } } } })).toThrow(/sim\.faults\.silent/);
    expect(() => loadConfig({ flags: { sim: { faults: { nosuch: 1 } } } })).toThrow(/unknown setting/);
  });

  it('fastStall silences the fast feed on RTDS while Chainlink goes on', async () => {
    await setFaults({ fastStall: true });
    const ws = new WebSocket(venue.urls.rtds);
    const got: { topic?: string; type?: string }[] = [];
    await new Promise<void>((resolve) => {
      ws.on('open', () =>
        ws.send(
          JSON.stringify({
            action: 'subscribe',
            subscriptions: [
              { topic: 'crypto_prices', type: 'update', filters: '{"symbol":"btcusdt"}' },
              { topic: 'crypto_prices_chainlink', type: '*', filters: '{"symbol":"btc/usd"}' },
            ],
          }),
        ),
      );
      ws.on('message', (d) => {
        got.push(JSON.parse(d.toString()) as { topic?: string; type?: string });
        if (got.filter((m) => m.topic === 'crypto_prices_chainlink' && m.type === 'update').length >= 3) resolve();
      });
      // The venue's clock is the test's: step it so prices flow.
      const step = setInterval(() => (t += 500), 20);
      ws.on('close', () => clearInterval(step));
      setTimeout(() => clearInterval(step), 10_000);
    });
    ws.close();
    expect(got.filter((m) => m.topic === 'crypto_prices' && m.type === 'update')).toEqual([]);
  });
});
