// The dev chain's writes one at a time. Ganache 7.9 (eager instamine) loses a transaction that
// arrives while it mines one from another sender: it stays in the pool, never mined, and its
// eth_sendRawTransaction / eth_sendTransaction never answers (eager mode answers once mined); a
// balance set meanwhile (evm_setAccountBalance mines a block) can be lost the same way. Whoever waits
// on it waits forever: the venue mirror's queue, and every send behind it on DevChain.serial, with no
// error (the settlement e2e's stall). The venue mirror, relayer and faucet (in process) and the bot
// (over RPC) send independently, so they take turns here, where every request to the chain passes;
// reads are not held. A raw transaction whose nonce is ahead of its sender's next is refused (eager
// mode would hold it, and every write behind it, until the gap fills), and a write still unanswered
// after `timeoutMs` fails so the writes behind it go on.
import { parseTransaction, recoverTransactionAddress, type Hex } from 'viem';
import type { RpcProvider } from './rpcServer.js';

/** Methods that add a transaction or mine a block (ganache's evm_set* mine one). */
const WRITES = /^(eth_sendRawTransaction|eth_sendTransaction|personal_sendTransaction|evm_|miner_)/;

/** A JSON-RPC error (the RPC server answers its code and message). */
export class DevChainWriteError extends Error {
  readonly code = -32000;
  override readonly name = 'DevChainWriteError';
}

export function serialWrites(provider: RpcProvider, opts: { timeoutMs: number }): RpcProvider {
  let writing: Promise<unknown> = Promise.resolve();
  const refuseFutureNonce = async (raw: Hex): Promise<void> => {
    const nonce = BigInt(parseTransaction(raw).nonce ?? 0);
    const from = await recoverTransactionAddress({ serializedTransaction: raw as never });
    const next = BigInt(
      (await provider.request({ method: 'eth_getTransactionCount', params: [from, 'pending'] })) as Hex,
    );
    if (nonce > next) throw new DevChainWriteError(`nonce too high: ${from} sent nonce ${nonce}, its next is ${next}`);
  };
  const bounded = <T>(method: string, p: Promise<T>): Promise<T> => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new DevChainWriteError(`dev chain: ${method} not answered within ${opts.timeoutMs} ms`)),
        opts.timeoutMs,
      );
    });
    return Promise.race([p, late]).finally(() => clearTimeout(timer));
  };
  return {
    request(args) {
      if (!WRITES.test(args.method)) return provider.request(args);
      const next = writing.then(async () => {
        const raw = args.method === 'eth_sendRawTransaction' ? args.params?.[0] : undefined;
        if (typeof raw === 'string') await refuseFutureNonce(raw as Hex);
        return bounded(args.method, provider.request(args));
      });
      writing = next.catch(() => undefined);
      return next;
    },
  };
}
