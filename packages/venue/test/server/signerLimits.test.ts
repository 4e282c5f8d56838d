// The simulated venue's per-signer trading limits (Polymarket's published Standard tier: orders
// 40/s up to 60, cancels 80/s up to 120), as a unit and on the wire through the official client.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Wallet } from 'ethers';
import { ClobClient, OrderType, Side, createL2Headers, type ApiKeyCreds } from '@polymarket/clob-client-v2';
import { SignerLimits } from '../../src/server/signerLimits.js';
import { startVenue, type RunningVenue } from '../../src/server/index.js';

describe('signer limits (unit)', () => {
  it('admits a burst of orders, rejects a batch all-or-nothing when short, and refills at the tier rate', () => {
    const l = new SignerLimits('standard');
    for (let i = 0; i < 4; i++) expect(l.admit('a', 'order', 15, 0).ok).toBe(true);
    const rejected = l.admit('a', 'order', 15, 0);
    expect(rejected).toMatchObject({
      ok: false,
      headers: { 'retry-after': '1', 'poly-ratelimit-remaining': '0', 'poly-ratelimit-tier': 'standard' },
    });
    expect(l.admit('a', 'order', 15, 370).ok).toBe(false); // 14.8 tokens: the whole batch or nothing
    expect(l.admit('a', 'order', 15, 375).ok).toBe(true);
    expect(l.admit('b', 'order', 15, 375).ok).toBe(true); // per signer
    expect(l.admit('a', 'cancel', 100, 375).ok).toBe(true); // its own bucket
  });

  it('refuses a request costing more than the burst, whatever the balance', () => {
    expect(new SignerLimits('standard').admit('a', 'cancel', 121, 0)).toMatchObject({
      ok: false,
      error: expect.stringMatching(/split it/),
    });
  });

  it('charges a cancel-all afterwards by what it cancelled; the debt blocks cancels until repaid', () => {
    const l = new SignerLimits('standard');
    const a = l.admitThenCharge('a', 'cancel', 0);
    expect(a.ok).toBe(true);
    expect(a.charge(1 + 150)['poly-ratelimit-remaining']).toBe('-31');
    expect(l.admit('a', 'cancel', 1, 0).ok).toBe(false);
    expect(l.admit('a', 'cancel', 1, 399).ok).toBe(false);
    expect(l.admit('a', 'cancel', 1, 400).ok).toBe(true); // 32 tokens at 80/s
  });
});

describe('signer limits on the wire', () => {
  let venue: RunningVenue;
  let client: ClobClient;
  let creds: ApiKeyCreds;
  let wallet: Wallet;
  let tokenUp: string;
  beforeAll(async () => {
    // Time stands still on this venue once it is set up: the buckets do not refill while the test posts.
    let frozenAt: number | undefined = undefined;
    venue = await startVenue({
      port: 0,
      clock: () => frozenAt ?? Date.now(),
      options: { seed: 5, participants: false, scheduleOriginMs: Date.now() - 60_000 },
    });
    wallet = Wallet.createRandom();
    creds = await new ClobClient({ host: venue.urls.clob, chain: 137, signer: wallet as never }).createOrDeriveApiKey();
    client = new ClobClient({ host: venue.urls.clob, chain: 137, signer: wallet as never, creds, throwOnError: true });
    tokenUp = venue.core.markets().find((m) => m.status === 'open')!.tokenUp;
    await client.getTickSize(tokenUp); // cached before time stops
    frozenAt = Date.now();
  });
  afterAll(() => venue.close());

  it('a fifth batch of 15 within the same instant is refused with 429 and places nothing', async () => {
    const signed = await Promise.all(
      Array.from({ length: 75 }, (_, i) =>
        client.createOrder(
          { tokenID: tokenUp, price: 0.01 + (i % 15) / 100, size: 5, side: Side.BUY },
          { tickSize: '0.01', negRisk: false },
        ),
      ),
    );
    const batches = [0, 1, 2, 3, 4].map((b) =>
      signed.slice(b * 15, b * 15 + 15).map((order) => ({ order, orderType: OrderType.GTC })),
    );
    for (const batch of batches.slice(0, 4)) await client.postOrders(batch, true);
    await expect(client.postOrders(batches[4]!, true)).rejects.toMatchObject({ status: 429 });
    expect(venue.core.openOrders(wallet.address.toLowerCase(), {})).toHaveLength(60);
  });

  it('answers with the Poly-RateLimit headers, and refuses a cancel batch above the burst', async () => {
    const ids = Array.from({ length: 121 }, (_, i) => `0x${i.toString(16)}`);
    const body = JSON.stringify(ids);
    const headers = await createL2Headers(wallet as never, creds, { method: 'DELETE', requestPath: '/orders', body });
    const res = await fetch(`${venue.urls.clob}/orders`, {
      method: 'DELETE',
      headers: { ...headers, 'content-type': 'application/json' },
      body,
    });
    expect(res.status).toBe(429);
    expect(res.headers.get('poly-ratelimit-tier')).toBe('standard');
    expect(Number(res.headers.get('poly-ratelimit-remaining'))).toBe(120);
    expect(((await res.json()) as { error: string }).error).toMatch(/split it/);
  });
});
