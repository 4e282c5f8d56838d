// The dev chain's writes take turns (ganache loses a transaction sent while it mines another sender's:
// see src/chain/serialWrites.ts): two writes never overlap, reads are not held, a raw transaction with a
// nonce ahead of its sender's next is refused unsent, and a write that never answers fails after the
// bound so the writes behind it go on.
import { describe, expect, it } from 'vitest';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { serialWrites } from '../../src/chain/serialWrites.js';
import type { RpcProvider } from '../../src/chain/rpcServer.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A provider whose every request takes `ms`; it records the requests and the most writes at once. */
function fakeChain(ms = 20, pendingNonce = 0) {
  const seen: string[] = [];
  let writes = 0;
  let maxWrites = 0;
  let maxAll = 0;
  let all = 0;
  const provider: RpcProvider & { seen: string[]; max: () => { writes: number; all: number } } = {
    seen,
    max: () => ({ writes: maxWrites, all: maxAll }),
    async request({ method }) {
      seen.push(method);
      if (method === 'eth_getTransactionCount') return `0x${pendingNonce.toString(16)}`;
      const write = method !== 'eth_call';
      all += 1;
      maxAll = Math.max(maxAll, all);
      if (write) maxWrites = Math.max(maxWrites, ++writes);
      await sleep(ms);
      if (write) writes -= 1;
      all -= 1;
      return method === 'evm_hang' ? new Promise(() => undefined) : '0x1';
    },
  };
  return provider;
}

const signed = (nonce: number) =>
  privateKeyToAccount(generatePrivateKey()).signTransaction({
    type: 'legacy',
    chainId: 31_337,
    to: '0x00000000000000000000000000000000000000b1',
    gas: 21_000n,
    gasPrice: 1n,
    nonce,
  });

describe('serialWrites', () => {
  it('runs sends, mining and balance sets one at a time; reads pass beside them', async () => {
    const chain = fakeChain();
    const p = serialWrites(chain, { timeoutMs: 5_000 });
    const raw = await signed(0);
    await Promise.all([
      p.request({ method: 'eth_sendRawTransaction', params: [raw] }),
      p.request({ method: 'eth_sendTransaction', params: [{}] }),
      p.request({ method: 'evm_setAccountBalance', params: [] }),
      p.request({ method: 'evm_mine', params: [] }),
      p.request({ method: 'eth_call', params: [] }),
      p.request({ method: 'eth_call', params: [] }),
    ]);
    expect(chain.max().writes).toBe(1);
    expect(chain.max().all).toBeGreaterThan(1); // the reads ran beside a write
  });

  it('refuses a raw transaction whose nonce is ahead of its sender (unsent), and goes on', async () => {
    const chain = fakeChain(1, 3);
    const p = serialWrites(chain, { timeoutMs: 5_000 });
    await expect(p.request({ method: 'eth_sendRawTransaction', params: [await signed(5)] })).rejects.toThrow(
      /nonce too high: 0x[0-9a-fA-F]{40} sent nonce 5, its next is 3/,
    );
    expect(chain.seen).not.toContain('eth_sendRawTransaction');
    await expect(p.request({ method: 'eth_sendRawTransaction', params: [await signed(3)] })).resolves.toBe('0x1');
  });

  it('fails a write never answered after the bound; the writes behind it run', async () => {
    const chain = fakeChain(1);
    const p = serialWrites(chain, { timeoutMs: 50 });
    const hung = p.request({ method: 'evm_hang', params: [] });
    const after = p.request({ method: 'evm_mine', params: [] });
    await expect(hung).rejects.toThrow('dev chain: evm_hang not answered within 50 ms');
    await expect(after).resolves.toBe('0x1');
  });
});
