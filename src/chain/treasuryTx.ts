// The venue mirror's treasury transactions, exactly once per leg (one mirrored account's side of a
// trade): signed here, journaled before it is sent, marked delivered once
// mined. After a crash the journaled transaction is looked up by its hash and, when the chain does
// not have it, sent again as it is (same nonce, same hash: mined at most once); only when its nonce
// went to another transaction is it signed anew.
import { encodeFunctionData, keccak256, parseTransaction, type Address, type Hex, type TransactionReceipt } from 'viem';
import { CONDITIONAL_TOKENS } from './contracts.js';
import { RECEIPT_TIMEOUT_MS, type DevChain } from './devChain.js';
import type { MirrorJournal } from './mirrorJournal.js';

export const setApprovalCall = (operator: Address): Hex =>
  encodeFunctionData({ abi: CONDITIONAL_TOKENS.abi, functionName: 'setApprovalForAll', args: [operator, true] });
export const transferCall = (from: Address, to: Address, token: bigint, units: bigint): Hex =>
  encodeFunctionData({
    abi: CONDITIONAL_TOKENS.abi,
    functionName: 'safeTransferFrom',
    args: [from, to, token, units, '0x'],
  });

class Reverted extends Error {
  override readonly name = 'Reverted';
}

/** The treasury's CTF calls, each mined at most once per leg (see the file's head). */
export function operatorTx(chain: DevChain, journal: MirrorJournal) {
  const pc = chain.publicClient;
  const op = chain.operator;
  const settleJournal = (leg: string, mined: boolean): void => {
    delete journal.state.pending;
    if (mined) journal.state.delivered.push(leg);
    journal.save();
  };
  const receipt = (hash: Hex): Promise<TransactionReceipt | undefined> =>
    pc.getTransactionReceipt({ hash }).catch(() => undefined);
  const wait = async (hash: Hex): Promise<TransactionReceipt> => {
    try {
      return await pc.waitForTransactionReceipt({ hash, timeout: RECEIPT_TIMEOUT_MS, pollingInterval: 50 });
    } catch (e) {
      throw new Error(`treasury transaction ${hash}: no receipt within ${RECEIPT_TIMEOUT_MS} ms`, { cause: e });
    }
  };
  /** The journaled transaction: 'mined', 'reverted', or 'lost' (its nonce taken by another); throws while unknown. */
  const settle = async (raw: Hex): Promise<'mined' | 'reverted' | 'lost'> => {
    const hash = keccak256(raw);
    let rc = await receipt(hash);
    if (!rc) {
      const nonce = parseTransaction(raw).nonce ?? 0;
      const next = await pc.getTransactionCount({ address: op.address, blockTag: 'pending' });
      if (next > nonce) return (await receipt(hash)) ? settle(raw) : 'lost';
      await chain.serial(() => pc.sendRawTransaction({ serializedTransaction: raw }));
      rc = await wait(hash);
    }
    return rc.status === 'success' ? 'mined' : 'reverted';
  };
  const sendNew = async (leg: string, data: Hex): Promise<Hex> =>
    chain.serial(async () => {
      const [nonce, gasPrice] = await Promise.all([
        pc.getTransactionCount({ address: op.address, blockTag: 'pending' }),
        pc.getGasPrice(),
      ]);
      const raw = await op.signTransaction({
        type: 'legacy',
        chainId: chain.chain.id,
        to: chain.ctf,
        data,
        gas: 200_000n,
        gasPrice,
        nonce,
      });
      journal.state.pending = { leg, raw };
      journal.save(); // durable before it can be mined
      await pc.sendRawTransaction({ serializedTransaction: raw });
      return raw;
    });

  return {
    /** Settle the leg journaled in flight: 'found' when it was mined, else undefined (deliver it anew). */
    async resume(attempts: number): Promise<'found' | undefined> {
      const p = journal.state.pending;
      if (!p) return undefined;
      const r = await retry(() => settle(p.raw), attempts);
      settleJournal(p.leg, r === 'mined');
      return r === 'mined' ? 'found' : undefined;
    },
    /** Mine `data` (a CTF call) from the treasury for `leg`, once; 'found' when it was mined already. */
    async once(leg: string, data: Hex, attempts: number): Promise<'sent' | 'found'> {
      return retry(async () => {
        const p = journal.state.pending;
        if (p?.leg === leg) {
          const r = await settle(p.raw);
          if (r === 'mined') return (settleJournal(leg, true), 'found');
          settleJournal(leg, false);
          if (r === 'reverted') throw new Reverted(`leg ${leg}: the treasury's transfer reverted`);
        }
        const rc = await wait(keccak256(await sendNew(leg, data)));
        settleJournal(leg, rc.status === 'success');
        if (rc.status !== 'success') throw new Reverted(`leg ${leg}: the treasury's transfer reverted`);
        return 'sent';
      }, attempts);
    },
  };
}

/** Run `f` up to `attempts` times; a revert is final (the same call would revert again). */
async function retry<T>(f: () => Promise<T>, attempts: number): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await f();
    } catch (e) {
      if (e instanceof Reverted || i >= attempts) throw e;
    }
  }
}
