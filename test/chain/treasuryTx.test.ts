// The venue mirror's treasury transfers, exactly once across a crash: journaled before they are sent,
// a transfer in flight is found mined (not sent again) or sent again as signed (mined once), and one
// whose nonce went to another transaction is reported lost, to be delivered anew.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keccak256, toHex, type Address } from 'viem';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { startDevChain, type DevChain } from '../../src/chain/devChain.js';
import { oracle } from '../../src/chain/ctf.js';
import { operatorTx, transferCall } from '../../src/chain/treasuryTx.js';
import type { MirrorJournal, MirrorJournalState } from '../../src/chain/mirrorJournal.js';

let chain: DevChain;
let token: bigint;
const o = () => oracle(chain, chain.operator);
beforeAll(async () => {
  chain = await startDevChain();
  await o().mintPusd(chain.operator.address, 1_000_000_000n);
  await o().ctf.approveCollateral();
  const condition = await o().prepare(keccak256(toHex('treasury-tx')));
  await o().ctf.split(condition, 1_000_000_000n);
  token = (await o().ctf.positionIds(condition))[0];
}, 60_000);
afterAll(async () => {
  await chain?.close();
});

/** A journal whose saves are copied (what the disk held after each) and that can fail a save, as a crash would. */
function journal(state: MirrorJournalState = { accounts: [], delivered: [] }) {
  const disk: MirrorJournalState[] = [];
  let crashOnPending = false;
  const j: MirrorJournal & { disk: typeof disk; crashNext(): void } = {
    state,
    disk,
    crashNext: () => void (crashOnPending = true),
    save() {
      disk.push(structuredClone(state));
      if (crashOnPending && state.pending) {
        crashOnPending = false;
        throw new Error('crashed after the journal write');
      }
    },
  };
  return j;
}
const balance = (a: Address): Promise<bigint> =>
  chain.publicClient.readContract({
    address: chain.ctf,
    abi: [
      {
        type: 'function',
        name: 'balanceOf',
        stateMutability: 'view',
        inputs: [
          { name: 'owner', type: 'address' },
          { name: 'id', type: 'uint256' },
        ],
        outputs: [{ name: '', type: 'uint256' }],
      },
    ],
    functionName: 'balanceOf',
    args: [a, token],
  });

describe('treasury transactions across a crash', () => {
  it('sent normally: mined once, the leg journaled delivered', async () => {
    const to = privateKeyToAccount(generatePrivateKey()).address;
    const j = journal();
    expect(await operatorTx(chain, j).once('t1#0', transferCall(chain.operator.address, to, token, 5n), 3)).toBe(
      'sent',
    );
    expect(await balance(to)).toBe(5n);
    expect(j.state).toEqual({ accounts: [], delivered: ['t1#0'] });
  });

  it('crash after the journal write, before the send: the restarted mirror sends it, once', async () => {
    const to = privateKeyToAccount(generatePrivateKey()).address;
    const j = journal();
    j.crashNext();
    await expect(
      operatorTx(chain, j).once('t2#0', transferCall(chain.operator.address, to, token, 7n), 1),
    ).rejects.toThrow(/crashed/);
    expect(await balance(to)).toBe(0n);
    const restarted = journal(structuredClone(j.disk.at(-1)!));
    expect(restarted.state.pending?.leg).toBe('t2#0');
    expect(await operatorTx(chain, restarted).resume(3)).toBe('found');
    expect(await operatorTx(chain, restarted).resume(3)).toBeUndefined(); // nothing pending any more
    expect(await balance(to)).toBe(7n);
    expect(restarted.state).toEqual({ accounts: [], delivered: ['t2#0'] });
  });

  it('crash after it was mined, before the journal said so: found mined, not sent again', async () => {
    const to = privateKeyToAccount(generatePrivateKey()).address;
    const j = journal();
    await operatorTx(chain, j).once('t3#0', transferCall(chain.operator.address, to, token, 9n), 3);
    const beforeDone = j.disk.find((s) => s.pending?.leg === 't3#0')!; // the disk as the crash left it
    const restarted = journal(structuredClone(beforeDone));
    expect(await operatorTx(chain, restarted).resume(3)).toBe('found');
    // The same leg again (the restored trade): the journaled transaction is settled, nothing is sent.
    expect(await balance(to)).toBe(9n);
    expect(restarted.state.delivered).toEqual(['t3#0']);
    const again = journal(structuredClone(beforeDone));
    expect(await operatorTx(chain, again).once('t3#0', transferCall(chain.operator.address, to, token, 9n), 3)).toBe(
      'found',
    );
    expect(await balance(to)).toBe(9n);
  });

  it('a journaled transaction whose nonce another took is lost: reported, and delivered anew', async () => {
    const to = privateKeyToAccount(generatePrivateKey()).address;
    const j = journal();
    j.crashNext();
    await expect(
      operatorTx(chain, j).once('t4#0', transferCall(chain.operator.address, to, token, 3n), 1),
    ).rejects.toThrow(/crashed/);
    await o().mintPusd(chain.operator.address, 1n); // takes the journaled transaction's nonce
    const restarted = journal(structuredClone(j.disk.at(-1)!));
    expect(await operatorTx(chain, restarted).resume(3)).toBeUndefined();
    expect(restarted.state).toEqual({ accounts: [], delivered: [] });
    expect(
      await operatorTx(chain, restarted).once('t4#0', transferCall(chain.operator.address, to, token, 3n), 3),
    ).toBe('sent');
    expect(await balance(to)).toBe(3n);
  });
});
