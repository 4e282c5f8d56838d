// Executes the InventoryEngine's merges and redemptions for relayer wallets (PROXY, SAFE, DEPOSIT)
// through Polymarket's relayer client: the ConditionalTokens call is signed by the wallet's owner and
// the relayer runs it from the wallet, gasless. Idempotence: `sent` is journaled before the submission
// (a PROXY / SAFE request carries the action id as its metadata; a deposit wallet batch carries none,
// so its `sent` records the wallet nonce the batch is signed with) and again with the relayer's
// transaction id after; an action left `sent` by a crash is looked up on the relayer by that metadata
// (or the signer's WALLET transaction with that nonce) and followed, never submitted a second time.
// `done` / `failed` come from the relayer's state and the transaction's receipt on chain (the
// collateral it paid, from the CTF's events).
import type { RelayClient, RelayerTransaction } from '@polymarket/builder-relayer-client';
import { loadRelayerClient } from '../chain/relayerClientModule.js';
import { createPublicClient, createWalletClient, defineChain, http, type Account, type Address, type Hex } from 'viem';
import { mergeCall, redeemCall, type ChainRef } from '../chain/ctf.js';
import { toUnits } from '../chain/contracts.js';
import type { InventoryOpEvent } from '../domain/index.js';
import type { InventoryAction } from '../inventory/engine.js';
import { lastById, receiptProceeds, type OpJournal } from './chainSink.js';
import { withTimeout } from './execution/rest.js';

export interface RelayerSinkDeps {
  readonly ref: ChainRef;
  readonly account: Account;
  readonly journal: OpJournal;
  readonly clock: () => number;
  readonly relayerUrl: string;
  readonly walletType: 'PROXY' | 'SAFE' | 'DEPOSIT';
  /** DEPOSIT: the deposit wallet (the funder) whose batches the owner signs. */
  readonly depositWallet?: Address;
  /** DEPOSIT: how long a signed batch stays valid (its deadline from now), ms; 10 minutes by default. */
  readonly batchValidityMs?: number;
  /** The chain id the relayer client signs for (its contract set: 137 Polygon, 80002 Amoy). */
  readonly clientChainId: number;
  /** The builder's API credentials: the relayer authenticates submissions with them (secrets: never logged). */
  readonly builder: BuilderCreds;
  readonly timeoutMs?: number;
  readonly pollMs?: number;
  /** Where the relayer client's console chatter goes (its private console: it never reaches stdout). */
  readonly debug?: (msg: string) => void;
}

export interface BuilderCreds {
  readonly key: string;
  readonly secret: string;
  readonly passphrase: string;
}

type Op = Exclude<InventoryAction, { kind: 'pauseMerges' }>;
const DONE = ['STATE_MINED', 'STATE_CONFIRMED'];
const message = (e: unknown): string => (e instanceof Error ? e.message.split('\n')[0]! : String(e));

export function relayerSink(d: RelayerSinkDeps) {
  const clientChain = defineChain({
    id: d.clientChainId,
    name: `relayer chain ${d.clientChainId}`,
    nativeCurrency: { name: 'POL', symbol: 'POL', decimals: 18 },
    rpcUrls: { default: { http: [d.ref.rpcUrl] } },
  });
  const wallet = createWalletClient({ account: d.account, chain: clientChain, transport: http(d.ref.rpcUrl) });
  const debug = d.debug ?? (() => undefined);
  // Loaded on first use: the client pulls in ethers 5 (~0.6 s of CPU at import), which EOA runs and
  // the CLI's other commands never need. Its console is private (see relayerClientModule.ts).
  let loaded: Promise<RelayClient> | undefined;
  const relay = (): Promise<RelayClient> =>
    (loaded ??= Promise.resolve().then(() => {
      const { relayer: m, signing } = loadRelayerClient(debug);
      const builder = new signing.BuilderConfig({ localBuilderCreds: { ...d.builder } });
      return new m.RelayClient(
        d.relayerUrl,
        d.clientChainId,
        wallet,
        builder,
        // A deposit wallet's batches name their type themselves (WALLET); PROXY stands for the default.
        d.walletType === 'SAFE' ? m.RelayerTxType.SAFE : m.RelayerTxType.PROXY,
        { chain: clientChain },
      );
    }));
  const chain = createPublicClient({ chain: d.ref.chain, transport: http(d.ref.rpcUrl, { retryCount: 0 }) });
  const last = lastById(d.journal.past);
  const timeout = d.timeoutMs ?? 60_000;
  const call = <T>(label: string, f: () => Promise<T>): Promise<T> => withTimeout(f(), timeout, `relayer ${label}`);
  const write = (ev: InventoryOpEvent): InventoryOpEvent => {
    last.set(ev.id, ev);
    d.journal.write(ev);
    return ev;
  };
  const base = (op: Op) => ({
    kind: 'inventoryOp' as const,
    id: op.id,
    action: op.kind,
    conditionId: op.conditionId,
    ...(op.kind === 'merge' ? { sets: op.sets } : {}),
  });

  /** Follow a relayer transaction to its end state. */
  const follow = async (op: Op, txId: string): Promise<InventoryOpEvent> => {
    const deadline = d.clock() + timeout;
    let t: RelayerTransaction | undefined;
    for (;;) {
      t = (await call('getTransaction', () => relay().then((c) => c.getTransaction(txId))))[0];
      if (t && (DONE.includes(t.state) || t.state === 'STATE_FAILED' || t.state === 'STATE_INVALID')) break;
      if (d.clock() > deadline)
        return write({
          ...base(op),
          tsMs: d.clock(),
          phase: 'failed',
          txHash: txId,
          error: `relayer: still ${t?.state ?? 'unknown'}`,
        });
      await new Promise((r) => setTimeout(r, d.pollMs ?? 250));
    }
    if (!DONE.includes(t.state))
      return write({
        ...base(op),
        tsMs: d.clock(),
        phase: 'failed',
        txHash: txId,
        error: `relayer: ${t.state}${(t as { error?: string }).error ? ` (${(t as { error?: string }).error})` : ''}`,
      });
    const rc = await chain.waitForTransactionReceipt({ hash: t.transactionHash as Hex, timeout, pollingInterval: 50 });
    return write({
      ...base(op),
      tsMs: d.clock(),
      phase: rc.status === 'success' ? 'done' : 'failed',
      txHash: txId,
      gasUsed: Number(rc.gasUsed),
      ...(rc.status === 'success' ? { proceedsUsdc: receiptProceeds(rc, op, d.ref.ctf) } : { error: 'reverted' }),
    });
  };

  /**
   * A submission of this action the relayer already holds: the request's metadata is the action id, or
   * (a deposit wallet batch) it is the signer's WALLET transaction with the nonce `sent` recorded.
   */
  const submitted = async (id: string, walletNonce: string | undefined): Promise<string | undefined> => {
    const all = await call('getTransactions', () =>
      relay().then((c) => c.getTransactions() as Promise<RelayerTransaction[]>),
    );
    const mine = d.account.address.toLowerCase();
    return all.find(
      (t) =>
        t.from.toLowerCase() === mine &&
        (d.walletType === 'DEPOSIT' ? t.type === 'WALLET' && t.nonce === walletNonce : t.metadata === id),
    )?.transactionID;
  };

  /** Send the call: a PROXY / SAFE transaction tagged with the action id, or a deposit wallet batch. */
  const submit = async (op: Op, data: Hex): Promise<string> => {
    if (d.walletType !== 'DEPOSIT') {
      write({ ...base(op), tsMs: d.clock(), phase: 'sent' });
      const r = await call('execute', () =>
        relay().then((c) => c.execute([{ to: d.ref.ctf, data, value: '0' }], op.id)),
      );
      return r.transactionID;
    }
    const wallet = d.depositWallet;
    if (!wallet) throw new Error('no deposit wallet');
    // The client asks the relayer for this same nonce and signs the batch with it.
    const { nonce } = await call('getNonce', () => relay().then((c) => c.getNonce(d.account.address, 'WALLET')));
    write({ ...base(op), tsMs: d.clock(), phase: 'sent', walletNonce: nonce });
    const deadline = String(Math.floor((d.clock() + (d.batchValidityMs ?? 600_000)) / 1000));
    const r = await call('executeDepositWalletBatch', () =>
      relay().then((c) => c.executeDepositWalletBatch([{ target: d.ref.ctf, value: '0', data }], wallet, deadline)),
    );
    return r.transactionID;
  };

  const execute = async (op: Op): Promise<InventoryOpEvent> => {
    const prior = last.get(op.id);
    if (prior?.phase === 'done') return prior;
    try {
      // Left sent (a crash), or failed while the relayer still had it pending: that submission, not a new one.
      const pending = prior?.phase === 'sent' || prior?.error?.startsWith('relayer: still') === true;
      const known = pending ? (prior?.txHash ?? (await submitted(op.id, prior?.walletNonce))) : undefined;
      if (known) return await follow(op, known);
      const data =
        op.kind === 'merge'
          ? mergeCall(d.ref, op.conditionId as Hex, toUnits(op.sets))
          : redeemCall(d.ref, op.conditionId as Hex);
      const txId = await submit(op, data);
      write({ ...base(op), tsMs: d.clock(), phase: 'sent', txHash: txId });
      return await follow(op, txId);
    } catch (e) {
      return write({ ...base(op), tsMs: d.clock(), phase: 'failed', error: message(e) });
    }
  };

  return {
    execute,
    /** Actions a crash left `sent`: followed on the relayer (or submitted when it never got them). */
    async resume(): Promise<InventoryOpEvent[]> {
      const out: InventoryOpEvent[] = [];
      for (const e of [...last.values()].filter((x) => x.phase === 'sent'))
        out.push(
          await execute(
            e.action === 'merge'
              ? { kind: 'merge', id: e.id, conditionId: e.conditionId, sets: e.sets ?? 0 }
              : { kind: 'redeem', id: e.id, conditionId: e.conditionId },
          ),
        );
      return out;
    },
  };
}
