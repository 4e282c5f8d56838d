// Deposit wallets (POLY_1271) on the simulated venue: the official client signs orders whose maker and
// signer are the owner's deposit wallet (an ERC-7739 envelope around the owner's signature); the venue
// takes them from the owner's API key, refuses another owner's wallet, a tampered envelope and a
// tampered order, and its chain keeps the account's tokens at the wallet.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Wallet } from 'ethers';
import { getAddress, type Address } from 'viem';
import { ClobClient, OrderType, Side, SignatureTypeV2 } from '@polymarket/clob-client-v2';
import { deriveDepositWallet } from '@polymarket/builder-relayer-client';
import { depositWalletOf as venueDepositWalletOf, startVenue, type RunningVenue } from '@polymm/venue';
import { depositWalletOf, POLYGON_RELAYER } from '../../../src/chain/relayerProtocol.js';

let venue: RunningVenue;
let owner: Wallet;
let deposit: Address;
let client: ClobClient;
let tokenUp: string;
const wallets: [string, string, number][] = [];

/** A client trading for `funder` as a deposit wallet, with the API key of `signer` (the owner). */
async function depositClient(signer: Wallet, funder: string): Promise<ClobClient> {
  const creds = await new ClobClient({
    host: venue.urls.clob,
    chain: 137,
    signer: signer as never,
  }).createOrDeriveApiKey();
  return new ClobClient({
    host: venue.urls.clob,
    chain: 137,
    signer: signer as never,
    creds,
    signatureType: SignatureTypeV2.POLY_1271,
    funderAddress: funder,
    throwOnError: true,
  });
}

beforeAll(async () => {
  venue = await startVenue({
    port: 0,
    // A chain stand-in that only records where the venue says each account's tokens live.
    chain: async () => ({
      info: { rpcUrl: 'http://127.0.0.1:1', chainId: 31_337, ctf: '0x', collateral: '0x', conditionOracle: '0x' },
      addAccount: () => undefined,
      setWallet: (o: string, m: string, t: number) => void wallets.push([o, m, t]),
      apply: () => undefined,
      close: async () => undefined,
      chain: { close: async () => undefined },
    }),
    options: { seed: 3, participants: false, scheduleOriginMs: Date.now() - 60_000 },
  });
  owner = Wallet.createRandom();
  deposit = depositWalletOf(getAddress(owner.address));
  client = await depositClient(owner, deposit);
  tokenUp = venue.core.markets().find((m) => m.status === 'open')!.tokenUp;
}, 60_000);
afterAll(() => venue?.close());

describe('deposit wallets (POLY_1271) on the simulated venue', () => {
  it('derives the wallet as the relayer client does, in the venue and in the bot', () => {
    for (const o of [owner.address, Wallet.createRandom().address, '0x000000000000000000000000000000000000dEaD']) {
      const expected = deriveDepositWallet(
        o as Address,
        POLYGON_RELAYER.depositWalletFactory,
        POLYGON_RELAYER.depositWalletImplementation,
      );
      expect(depositWalletOf(getAddress(o))).toBe(expected);
      expect(venueDepositWalletOf(o)).toBe(expected);
    }
    expect(deposit).not.toBe(getAddress(owner.address));
  });

  it('takes an order signed for the owner’s deposit wallet; its tokens live at the wallet', async () => {
    const order = await client.createOrder({ tokenID: tokenUp, price: 0.3, size: 10, side: Side.BUY });
    expect(order).toMatchObject({ maker: deposit, signer: deposit, signatureType: 3 });
    expect(order.signature.length).toBe(2 + 2 * (65 + 32 + 32 + 186 + 2));
    const posted = (await client.postOrder(order, OrderType.GTC, true)) as { success: boolean; orderID: string };
    expect(posted.success).toBe(true);
    const open = await client.getOpenOrders();
    expect(open.map((o) => o.id)).toEqual([posted.orderID]);
    expect(wallets).toContainEqual([owner.address.toLowerCase(), deposit, 3]);
    // The account is the owner's: its balance answers for signature type 3 too.
    const bal = await client.getBalanceAllowance({ asset_type: 'COLLATERAL' as never });
    expect(Number(bal.balance)).toBeGreaterThan(0);
    await client.cancelAll();
  });

  it('refuses another owner’s wallet, a tampered envelope, a tampered order and a maker apart from the signer', async () => {
    const other = Wallet.createRandom();
    const theirs = await depositClient(owner, depositWalletOf(getAddress(other.address)));
    const foreign = await theirs.createOrder({ tokenID: tokenUp, price: 0.3, size: 10, side: Side.BUY });
    await expect(theirs.postOrder(foreign, OrderType.GTC)).rejects.toThrow(
      /the order signer address has to be the address of the API KEY/,
    );
    // Signed by another key for our wallet (the envelope is well formed, its owner is not ours).
    const impostor = await depositClient(other, deposit);
    const forged = await impostor.createOrder({ tokenID: tokenUp, price: 0.3, size: 10, side: Side.BUY });
    await expect(client.postOrder(forged, OrderType.GTC)).rejects.toThrow(/invalid signature/);

    const order = await client.createOrder({ tokenID: tokenUp, price: 0.2, size: 10, side: Side.BUY });
    const flip = (s: string, at: number) => s.slice(0, at) + (s[at] === '1' ? '2' : '1') + s.slice(at + 1);
    // The inner signature, the app domain, the contents hash, the type string, the length: each refused.
    for (const at of [10, 2 + 130 + 10, 2 + 194 + 10, 2 + 258 + 10, order.signature.length - 1]) {
      await expect(client.postOrder({ ...order, signature: flip(order.signature, at) }, OrderType.GTC)).rejects.toThrow(
        /invalid signature/,
      );
    }
    const badPrice = { ...order, makerAmount: String(Number(order.makerAmount) * 2) };
    await expect(client.postOrder(badPrice, OrderType.GTC)).rejects.toThrow(/invalid signature/);
    await expect(client.postOrder({ ...order, maker: getAddress(owner.address) }, OrderType.GTC)).rejects.toThrow(
      /maker must be the signer/,
    );
    expect(await client.getOpenOrders()).toEqual([]);
  });
});
