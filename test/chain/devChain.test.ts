// The dev chain's shared accounts: concurrent senders from one account (the venue mirror, the oracle,
// the relayer acting for a wallet) each get their own nonce, because every send goes through
// `DevChain.serial` (without it both tests fail: 'transaction underpriced', a reused nonce); an
// account the chain acts for gets gas before its first send; senders of different accounts (the
// treasury in process, the bot over RPC) take turns at the chain (serialWrites.ts), else ganache
// mishandles a send that arrives while it mines another.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWalletClient, encodeFunctionData, getAddress, http, keccak256, toHex } from 'viem';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { startDevChain, type DevChain } from '../../src/chain/devChain.js';
import { oracle } from '../../src/chain/ctf.js';
import { PUSD } from '../../src/chain/contracts.js';
import { memoryJournal } from '../../src/chain/mirrorJournal.js';
import { operatorTx, transferCall } from '../../src/chain/treasuryTx.js';

let chain: DevChain;
beforeAll(async () => {
  chain = await startDevChain();
}, 60_000);
afterAll(async () => {
  await chain?.close();
});

const balanceOf = async (who: `0x${string}`): Promise<bigint> =>
  (await chain.publicClient.readContract({
    address: chain.pusd,
    abi: PUSD.abi,
    functionName: 'balanceOf',
    args: [who],
  })) as bigint;

describe('the dev chain', () => {
  it('the operator sends from two owners at once (mirror and oracle): every transaction mined once', async () => {
    const to = getAddress('0x00000000000000000000000000000000000000b1');
    const mirror = oracle(chain, chain.operator);
    const tests = oracle(chain, chain.operator);
    await Promise.all(Array.from({ length: 12 }, (_, i) => (i % 2 ? mirror : tests).mintPusd(to, 1n)));
    expect(await balanceOf(to)).toBe(12n);
  }, 30_000);

  it('the faucet during a send: the send is mined (ganache mines a block to set a balance; unlocked, the send hangs for good)', async () => {
    const to = getAddress('0x00000000000000000000000000000000000000b3');
    const o = oracle(chain, chain.operator);
    const late = (ms: number) => new Promise<string>((r) => setTimeout(() => r('no receipt'), ms));
    // The faucet call lands at a different point of the send each time (0-45 ms in: its nonce read, its
    // broadcast; unlocked, one near 25 ms in left the send pending for good on this machine).
    for (let i = 0; i < 16; i++) {
      const wallet = getAddress(`0x${(0xd000 + i).toString(16).padStart(40, '0')}`);
      const [minted] = await Promise.all([
        Promise.race([o.mintPusd(to, 1n).then(() => 'mined'), late(5_000)]),
        new Promise((r) => setTimeout(r, i * 3)).then(() => chain.fundGas(wallet)),
      ]);
      expect(minted).toBe('mined');
      expect(await chain.publicClient.getBalance({ address: wallet })).toBeGreaterThan(0n);
    }
    expect(await balanceOf(to)).toBe(16n);
  }, 60_000);

  it('acts for an address with no gas (a relayer wallet): funded first, concurrent sends all mined', async () => {
    const wallet = getAddress('0x00000000000000000000000000000000000000c3');
    expect(await chain.publicClient.getBalance({ address: wallet })).toBe(0n);
    await oracle(chain, chain.operator).mintPusd(wallet, 10n);
    const give = encodeFunctionData({ abi: PUSD.abi, functionName: 'transfer', args: [chain.operator.address, 1n] });
    const hashes = await Promise.all(Array.from({ length: 5 }, () => chain.sendAs(wallet, chain.pusd, give, 100_000n)));
    const receipts = await Promise.all(hashes.map((hash) => chain.publicClient.waitForTransactionReceipt({ hash })));
    expect(receipts.map((r) => r.status)).toEqual(Array(5).fill('success'));
    expect(new Set(hashes).size).toBe(5);
    expect(await balanceOf(wallet)).toBe(5n);
    expect(await chain.publicClient.getBalance({ address: wallet })).toBeGreaterThan(0n);
  }, 30_000);

  it("a sender over RPC (the bot) beside the treasury's legs: every transaction mined (writes not held, ganache refuses the bot's first send with a nonce it has just mined: 3 runs of 3)", async () => {
    const o = oracle(chain, chain.operator);
    await o.mintPusd(chain.operator.address, 1_000_000n);
    await o.ctf.approveCollateral();
    const condition = await o.prepare(keccak256(toHex('beside-the-bot')));
    await o.ctf.split(condition, 1_000_000n);
    const [token] = await o.ctf.positionIds(condition);
    const legs = operatorTx(chain, memoryJournal());
    const bot = privateKeyToAccount(generatePrivateKey());
    await chain.fundGas(bot.address);
    const wallet = createWalletClient({ account: bot, chain: chain.chain, transport: http(chain.rpcUrl) });
    const approve = encodeFunctionData({ abi: PUSD.abi, functionName: 'approve', args: [chain.ctf, 1n] });
    const late = (ms: number) => new Promise<string>((r) => setTimeout(() => r('hung'), ms));
    const holder = getAddress('0x00000000000000000000000000000000000000e1');
    const treasury = Array.from(
      { length: 20 },
      (_, i) => async () =>
        Promise.race([legs.once(`leg${i}`, transferCall(chain.operator.address, holder, token, 1n), 1), late(10_000)]),
    );
    const botSends = Array.from({ length: 20 }, () => async () => {
      const send = wallet
        .sendTransaction({ to: chain.pusd, data: approve, gas: 100_000n })
        .then((hash) => chain.publicClient.waitForTransactionReceipt({ hash, timeout: 10_000 }))
        .then((r) => r.status);
      return Promise.race([send, late(10_000)]);
    });
    const inTurn = async (fs: (() => Promise<string>)[]) => {
      const out: string[] = [];
      for (const f of fs) out.push(await f());
      return out;
    };
    const [sent, mined] = await Promise.all([inTurn(treasury), inTurn(botSends)]);
    expect(sent).toEqual(Array(20).fill('sent'));
    expect(mined).toEqual(Array(20).fill('success'));
  }, 60_000);
});
