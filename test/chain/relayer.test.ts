// Relayer wallets on the EVM: the venue's trades (buys and a sell) land in the account's proxy wallet,
// and the bot's relayer sink merges and redeems through Polymarket's relayer client against the venue's
// relayer, which runs the calls from the wallet; balances read back from the contracts. Also: a SAFE
// wallet, the relayer's checks (signature, nonce), its daily cap, and no second submission after a crash.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getAddress, type Address } from 'viem';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { startDevChain, type DevChain } from '../../src/chain/devChain.js';
import { connectCtf, oracle } from '../../src/chain/ctf.js';
import { fromUnits, toUnits } from '../../src/chain/contracts.js';
import { startVenueMirror } from '../../src/chain/venueMirror.js';
import { startRelayer } from '../../src/chain/relayer.js';
import { depositWalletOf, POLYGON_RELAYER, proxyWalletOf, safeWalletOf } from '../../src/chain/relayerProtocol.js';
import { loadRelayerClient } from '../../src/chain/relayerClientModule.js';
import { mergeCall } from '../../src/chain/ctf.js';
import { createWalletClient, defineChain, http, type Hex } from 'viem';
import { relayerSink } from '../../src/sinks/relayerSink.js';
import type { InventoryOpEvent } from '../../src/domain/index.js';
import { createVenueCore } from '@polymm/venue';
import type { VOrderRequest } from '@polymm/venue';

let chain: DevChain;
beforeAll(async () => {
  chain = await startDevChain();
}, 60_000);
afterAll(async () => {
  await chain?.close();
});

const START = Date.UTC(2026, 10, 24, 20, 0, 0);
const POLYGON_DEPOSIT_FACTORY = POLYGON_RELAYER.depositWalletFactory;
const POLYGON_PROXY_FACTORY = POLYGON_RELAYER.proxyFactory;
const A = '0x000000000000000000000000000000000000000a';
const order = (o: Pick<VOrderRequest, 'owner' | 'tokenId' | 'side' | 'price' | 'size'>): VOrderRequest => ({
  orderType: 'GTC',
  postOnly: false,
  expirationS: 0,
  ...o,
});

const BUILDER = { key: 'builder-key', secret: Buffer.from('builder-secret').toString('base64'), passphrase: 'pp' };
/** What a builder's authenticated request carries (the simulated relayer checks their presence). */
const BUILDER_HEADERS = {
  POLY_BUILDER_API_KEY: BUILDER.key,
  POLY_BUILDER_PASSPHRASE: BUILDER.passphrase,
  POLY_BUILDER_SIGNATURE: 'c2ln',
  POLY_BUILDER_TIMESTAMP: '1764547200',
};

/** A journal in memory, and a sink for `walletType` against `url`; the client's console lines in `lines`. */
function sinkFor(
  url: string,
  key: `0x${string}`,
  walletType: 'PROXY' | 'SAFE' | 'DEPOSIT',
  past: InventoryOpEvent[] = [],
) {
  const written: InventoryOpEvent[] = [];
  const lines: string[] = [];
  const sink = relayerSink({
    ref: chain,
    account: privateKeyToAccount(key),
    journal: { past, write: (e) => void written.push(e) },
    clock: Date.now,
    relayerUrl: url,
    walletType,
    ...(walletType === 'DEPOSIT' ? { depositWallet: depositWalletOf(privateKeyToAccount(key).address) } : {}),
    clientChainId: 137,
    builder: BUILDER,
    debug: (line) => void lines.push(line),
    pollMs: 20,
  });
  return { sink, written, lines };
}

/** Give `holder` `up` / `down` shares of a fresh condition, as the venue's treasury does for a buy. */
async function holding(holder: Address, up: number, down: number) {
  const o = oracle(chain, chain.operator);
  await o.mintPusd(chain.operator.address, toUnits(1000));
  await o.ctf.approveCollateral();
  const question = `0x${Math.random().toString(16).slice(2).padEnd(64, '0')}` as const;
  const conditionId = await o.prepare(question);
  const [idUp, idDown] = await o.ctf.positionIds(conditionId);
  await o.ctf.split(conditionId, toUnits(Math.max(up, down)));
  if (up > 0) await o.ctf.transfer(holder, idUp, toUnits(up));
  if (down > 0) await o.ctf.transfer(holder, idDown, toUnits(down));
  return { conditionId, question, o };
}

describe('relayer wallets on the chain', () => {
  it('PROXY: buys and a sell land in the proxy wallet; merge and redeem run through the relayer', async () => {
    const key = generatePrivateKey();
    const signer = privateKeyToAccount(key).address;
    const owner = signer.toLowerCase();
    const wallet = proxyWalletOf(signer);
    const relayer = await startRelayer(chain);
    const core = createVenueCore({
      startMs: START,
      intervalMs: 60_000,
      participants: false,
      startingBalance: 1000,
      minedDelayMs: 100,
      confirmedDelayMs: 100,
    });
    const mirror = await startVenueMirror(chain, new Map([[owner, wallet]]));
    core.advance(START + 1000);
    const m = core.markets().find((x) => x.status === 'open')!;
    core.ensureAccount(A);
    core.ensureAccount(owner);
    core.placeOrder(order({ owner: A, tokenId: m.tokenDown, side: 'BUY', price: 0.45, size: 30 }), START + 1000);
    core.placeOrder(order({ owner, tokenId: m.tokenUp, side: 'BUY', price: 0.6, size: 30 }), START + 1000);
    core.placeOrder(order({ owner: A, tokenId: m.tokenUp, side: 'BUY', price: 0.5, size: 20 }), START + 1000);
    core.placeOrder(order({ owner, tokenId: m.tokenDown, side: 'BUY', price: 0.55, size: 20 }), START + 1000);
    core.advance(START + 2000);
    mirror.apply(core.drainEvents());
    await mirror.idle();
    // We sell 5 Up into A's bid: the sold shares leave the wallet on chain too.
    core.placeOrder(order({ owner: A, tokenId: m.tokenUp, side: 'BUY', price: 0.58, size: 5 }), START + 2000);
    core.placeOrder(order({ owner, tokenId: m.tokenUp, side: 'SELL', price: 0.58, size: 5 }), START + 2000);
    core.advance(START + 3000);
    mirror.apply(core.drainEvents());
    await mirror.idle();
    expect(mirror.stats).toMatchObject({ delivered: 2, sold: 1, errors: 0 });

    const conditionId = mirror.conditionOf(m.conditionId)!;
    const ctf = connectCtf(chain, privateKeyToAccount(key));
    const onVenue = core.balance(owner).positions;
    const b0 = await ctf.balances(conditionId, wallet);
    expect([fromUnits(b0.up), fromUnits(b0.down)]).toEqual([onVenue[m.tokenUp], onVenue[m.tokenDown]]);
    expect([fromUnits(b0.up), fromUnits(b0.down)]).toEqual([25, 20]);

    const { sink, written, lines } = sinkFor(relayer.url, key, 'PROXY');
    const merged = await sink.execute({ kind: 'merge', id: `merge:${conditionId}:0`, conditionId, sets: 20 });
    expect(merged).toMatchObject({ phase: 'done', proceedsUsdc: 20 });
    // The client's progress went to the sink's debug (its private console).
    expect(lines).toContain('Executing proxy transactions...');
    expect(written.map((e) => e.phase)).toEqual(['sent', 'sent', 'done']);
    expect(await ctf.balances(conditionId, wallet)).toEqual({ pusd: toUnits(20), up: toUnits(5), down: 0n });
    // Executed again (same id, done in the journal): nothing is sent.
    expect(await sink.execute({ kind: 'merge', id: `merge:${conditionId}:0`, conditionId, sets: 20 })).toBe(merged);

    core.advance(m.endMs + 120_000);
    mirror.apply(core.drainEvents());
    await mirror.idle();
    const winner = core.markets().find((x) => x.conditionId === m.conditionId)?.winner;
    expect(winner).toBeDefined();
    const redeemed = await sink.execute({ kind: 'redeem', id: `redeem:${conditionId}`, conditionId });
    expect(redeemed).toMatchObject({ phase: 'done', proceedsUsdc: winner === 'Up' ? 5 : 0 });
    expect(await ctf.balances(conditionId, wallet)).toEqual({
      pusd: toUnits(20 + (winner === 'Up' ? 5 : 0)),
      up: 0n,
      down: 0n,
    });
    await relayer.close();
  }, 90_000);

  it('SAFE: a merge runs from the safe', async () => {
    const key = generatePrivateKey();
    const safe = safeWalletOf(privateKeyToAccount(key).address);
    const relayer = await startRelayer(chain);
    const { conditionId } = await holding(safe, 12, 7);
    const { sink } = sinkFor(relayer.url, key, 'SAFE');
    expect(await sink.execute({ kind: 'merge', id: 'merge:safe:0', conditionId, sets: 7 })).toMatchObject({
      phase: 'done',
      proceedsUsdc: 7,
    });
    expect(await connectCtf(chain, chain.operator).balances(conditionId, safe)).toEqual({
      pusd: toUnits(7),
      up: toUnits(5),
      down: 0n,
    });
    await relayer.close();
  }, 60_000);

  it('DEPOSIT: the relay client’s batch runs from the deposit wallet; another owner’s wallet, a bad signature and a passed deadline are refused', async () => {
    let now = Date.now();
    const relayer = await startRelayer(chain, { clock: () => now });
    const key = generatePrivateKey();
    const owner = privateKeyToAccount(key);
    const wallet = depositWalletOf(owner.address);
    const { conditionId } = await holding(wallet, 9, 7);
    // The official client, as the bot's sink builds it (chain 137's contract set, the dev chain's RPC).
    const clientChain = defineChain({
      id: 137,
      name: 'relayer chain 137',
      nativeCurrency: { name: 'POL', symbol: 'POL', decimals: 18 },
      rpcUrls: { default: { http: [chain.rpcUrl] } },
    });
    const { relayer: m, signing } = loadRelayerClient(() => undefined);
    const client = new m.RelayClient(
      relayer.url,
      137,
      createWalletClient({ account: owner, chain: clientChain, transport: http(chain.rpcUrl) }),
      new signing.BuilderConfig({ localBuilderCreds: { ...BUILDER } }),
      m.RelayerTxType.PROXY,
      { chain: clientChain },
    );
    const deadline = () => String(Math.floor(now / 1000) + 600);
    const merge = (sets: number): { target: string; value: string; data: string } => ({
      target: chain.ctf,
      value: '0',
      data: mergeCall(chain, conditionId, toUnits(sets)),
    });
    const sent = await client.executeDepositWalletBatch([merge(6)], wallet, deadline());
    await relayer.idle();
    const [t] = await client.getTransaction(sent.transactionID);
    expect(t).toMatchObject({ state: 'STATE_CONFIRMED', type: 'WALLET', nonce: '0', proxyAddress: wallet });
    expect(getAddress(t!.from)).toBe(owner.address);
    expect(await connectCtf(chain, chain.operator).balances(conditionId, wallet)).toEqual({
      pusd: toUnits(6),
      up: toUnits(3),
      down: toUnits(1),
    });
    expect((await client.getNonce(owner.address, 'WALLET')).nonce).toBe('1');

    // Refusals: the client throws on the relayer's error answer.
    const other = depositWalletOf(privateKeyToAccount(generatePrivateKey()).address);
    await expect(client.executeDepositWalletBatch([merge(1)], other, deadline())).rejects.toThrow(
      /depositWallet is not the signer/,
    );
    await expect(
      client.executeDepositWalletBatch([merge(1)], wallet, String(Math.floor(now / 1000) - 1)),
    ).rejects.toThrow(/batch deadline passed/);
    const [first] = (await (await fetch(`${relayer.url}/transactions`, { headers: BUILDER_HEADERS })).json()) as {
      from: string;
    }[];
    // The batch as the client sends it, re-signed by another key, or for another call than signed.
    const request = (patch: Record<string, unknown>) => ({
      type: 'WALLET',
      from: first!.from,
      to: POLYGON_DEPOSIT_FACTORY,
      nonce: '1',
      signature: '0x' + '11'.repeat(65),
      depositWalletParams: { depositWallet: wallet, deadline: deadline(), calls: [merge(1)] },
      ...patch,
    });
    const submit = async (body: unknown) => {
      const r = await fetch(`${relayer.url}/submit`, {
        method: 'POST',
        headers: BUILDER_HEADERS,
        body: JSON.stringify(body),
      });
      return { status: r.status, error: ((await r.json()) as { error: string }).error };
    };
    expect(await submit(request({ nonce: '0' }))).toEqual({ status: 400, error: 'invalid nonce: expected 1' });
    expect(await submit(request({ to: POLYGON_PROXY_FACTORY }))).toEqual({
      status: 400,
      error: 'to is not the deposit wallet factory',
    });
    const signed = (by: typeof owner, calls: ReturnType<typeof merge>[]) =>
      by.signTypedData({
        domain: { name: 'DepositWallet', version: '1', chainId: 137, verifyingContract: wallet },
        types: {
          Call: [
            { name: 'target', type: 'address' },
            { name: 'value', type: 'uint256' },
            { name: 'data', type: 'bytes' },
          ],
          Batch: [
            { name: 'wallet', type: 'address' },
            { name: 'nonce', type: 'uint256' },
            { name: 'deadline', type: 'uint256' },
            { name: 'calls', type: 'Call[]' },
          ],
        },
        primaryType: 'Batch',
        message: {
          wallet,
          nonce: 1n,
          deadline: BigInt(deadline()),
          calls: calls.map((c) => ({ target: c.target as Address, value: 0n, data: c.data as Hex })),
        },
      });
    const stranger = privateKeyToAccount(generatePrivateKey());
    expect(await submit(request({ signature: await signed(stranger, [merge(1)]) }))).toEqual({
      status: 400,
      error: 'invalid signature',
    });
    // Signed for a merge of 1, sent with a merge of 3: refused.
    const forOne = await signed(owner, [merge(1)]);
    expect(
      await submit(
        request({
          signature: forOne,
          depositWalletParams: { depositWallet: wallet, deadline: deadline(), calls: [merge(3)] },
        }),
      ),
    ).toEqual({ status: 400, error: 'invalid signature' });
    // The same request as signed is taken (the check is not refusing everything).
    expect((await submit(request({ signature: forOne }))).status).toBe(200);
    await relayer.idle();
    now += 1000;
    // Only the one taken ran.
    expect(await connectCtf(chain, chain.operator).balances(conditionId, wallet)).toEqual({
      pusd: toUnits(7),
      up: toUnits(2),
      down: 0n,
    });
    await relayer.close();
  }, 60_000);

  it('DEPOSIT: the sink merges and redeems from the deposit wallet; a crash after or before the submission never sends it twice', async () => {
    const relayer = await startRelayer(chain);
    const key = generatePrivateKey();
    const signer = privateKeyToAccount(key).address;
    const wallet = depositWalletOf(signer);
    const { conditionId, question, o } = await holding(wallet, 14, 10);
    const first = sinkFor(relayer.url, key, 'DEPOSIT');
    const merged = await first.sink.execute({ kind: 'merge', id: 'merge:d:0', conditionId, sets: 5 });
    expect(merged).toMatchObject({ phase: 'done', proceedsUsdc: 5 });
    expect(first.written.map((e) => [e.phase, e.walletNonce])).toEqual([
      ['sent', '0'],
      ['sent', undefined],
      ['done', undefined],
    ]);
    // Executed again (done in the journal): nothing is sent.
    expect(await first.sink.execute({ kind: 'merge', id: 'merge:d:0', conditionId, sets: 5 })).toBe(merged);

    // A crash right after the submission: `sent` with the batch's nonce, without the relayer's id.
    const second = sinkFor(relayer.url, key, 'DEPOSIT');
    await second.sink.execute({ kind: 'merge', id: 'merge:d:1', conditionId, sets: 3 });
    const afterCrash = sinkFor(relayer.url, key, 'DEPOSIT', second.written.slice(0, 1));
    expect(second.written[0]).toMatchObject({ phase: 'sent', walletNonce: '1' });
    const [resumed] = await afterCrash.sink.resume();
    expect(resumed).toMatchObject({ phase: 'done', proceedsUsdc: 3, txHash: second.written[1]!.txHash });
    // A crash before it reached the relayer (its nonce never used): submitted now, once.
    const lost: InventoryOpEvent = {
      kind: 'inventoryOp',
      tsMs: Date.now(),
      id: 'merge:d:2',
      action: 'merge',
      conditionId,
      sets: 2,
      phase: 'sent',
      walletNonce: '2',
    };
    const [late] = await sinkFor(relayer.url, key, 'DEPOSIT', [lost]).sink.resume();
    expect(late).toMatchObject({ phase: 'done', proceedsUsdc: 2 });
    const all = (await (await fetch(`${relayer.url}/transactions`, { headers: BUILDER_HEADERS })).json()) as {
      from: string;
      type: string;
      nonce: string;
    }[];
    expect(all.filter((t) => getAddress(t.from) === signer).map((t) => [t.type, t.nonce])).toEqual([
      ['WALLET', '0'],
      ['WALLET', '1'],
      ['WALLET', '2'],
    ]);
    expect(await connectCtf(chain, chain.operator).balances(conditionId, wallet)).toEqual({
      pusd: toUnits(10),
      up: toUnits(4),
      down: 0n,
    });
    await o.reportPayouts(question, 'up');
    const redeemed = await first.sink.execute({ kind: 'redeem', id: 'redeem:d', conditionId });
    expect(redeemed).toMatchObject({ phase: 'done', proceedsUsdc: 4 });
    expect(await connectCtf(chain, chain.operator).balances(conditionId, wallet)).toEqual({
      pusd: toUnits(14),
      up: 0n,
      down: 0n,
    });
    await relayer.close();
  }, 60_000);

  it('the relayer refuses a bad signature, a used nonce, no builder authentication and submissions over its daily cap', async () => {
    let now = START;
    const relayer = await startRelayer(chain, { dailyCap: 2, clock: () => now });
    const key = generatePrivateKey();
    const wallet = proxyWalletOf(privateKeyToAccount(key).address);
    const { conditionId } = await holding(wallet, 3, 3);
    const { sink } = sinkFor(relayer.url, key, 'PROXY');
    expect(await sink.execute({ kind: 'merge', id: 'm:0', conditionId, sets: 1 })).toMatchObject({ phase: 'done' });
    // Replayed with its nonce used, signed by another key, or for a wallet not the signer's: refused.
    const [first] = (await (await fetch(`${relayer.url}/transactions`, { headers: BUILDER_HEADERS })).json()) as Record<
      string,
      string
    >[];
    const submit = async (patch: Record<string, unknown>, headers: Record<string, string> = BUILDER_HEADERS) => {
      const r = await fetch(`${relayer.url}/submit`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ ...first, ...patch }),
      });
      return { status: r.status, error: ((await r.json()) as { error: string }).error };
    };
    const sent = { type: 'PROXY', signatureParams: {}, signature: '0x' + '11'.repeat(65) };
    // Without a builder's authentication (one header short): refused before anything is checked.
    const { POLY_BUILDER_SIGNATURE: _, ...unsigned } = BUILDER_HEADERS;
    expect(await submit({ nonce: '1' }, unsigned)).toEqual({ status: 401, error: 'invalid builder authentication' });
    expect((await fetch(`${relayer.url}/transactions`)).status).toBe(401);
    expect(await submit({ ...sent, nonce: '0' })).toEqual({ status: 400, error: 'invalid nonce: expected 1' });
    expect((await submit({ ...sent, nonce: '1' })).status).toBe(400);
    expect(await submit({ ...sent, nonce: '1', type: 'WALLET' })).toMatchObject({ status: 400 });
    expect(await sink.execute({ kind: 'merge', id: 'm:1', conditionId, sets: 1 })).toMatchObject({ phase: 'done' });
    const capped = await sink.execute({ kind: 'merge', id: 'm:2', conditionId, sets: 1 });
    expect(capped).toMatchObject({ phase: 'failed' });
    expect(capped.error).toMatch(/daily relayer limit of 2/);
    now += 86_400_000; // a day later the cap has room again
    expect(await sink.execute({ kind: 'merge', id: 'm:2', conditionId, sets: 1 })).toMatchObject({ phase: 'done' });
    expect(fromUnits((await connectCtf(chain, chain.operator).balances(conditionId, wallet)).up)).toBe(0);
    await relayer.close();
  }, 60_000);

  it('a crash after the submission: the restarted sink follows it on the relayer, never submits it twice', async () => {
    const relayer = await startRelayer(chain);
    const key = generatePrivateKey();
    const wallet = proxyWalletOf(privateKeyToAccount(key).address);
    const { conditionId } = await holding(wallet, 4, 4);
    const first = sinkFor(relayer.url, key, 'PROXY');
    await first.sink.execute({ kind: 'merge', id: 'merge:c:0', conditionId, sets: 4 });
    // The journal as a crash right after the submission left it: `sent`, without the relayer's id.
    const past = first.written.slice(0, 1);
    expect(past[0]).toMatchObject({ phase: 'sent' });
    expect(past[0]!.txHash).toBeUndefined();
    const again = sinkFor(relayer.url, key, 'PROXY', past);
    const [resumed] = await again.sink.resume();
    expect(resumed).toMatchObject({ phase: 'done', proceedsUsdc: 4 });
    const all = (await (await fetch(`${relayer.url}/transactions`, { headers: BUILDER_HEADERS })).json()) as {
      from: string;
    }[];
    expect(all.filter((t) => getAddress(t.from) === privateKeyToAccount(key).address)).toHaveLength(1);
    expect(await connectCtf(chain, chain.operator).balances(conditionId, wallet)).toEqual({
      pusd: toUnits(4),
      up: 0n,
      down: 0n,
    });
    await relayer.close();
  }, 60_000);
});
