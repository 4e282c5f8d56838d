// Executes the InventoryEngine's merges and redemptions as ConditionalTokens transactions (EOA):
// each signed locally, its hash journaled (`sent`) before it is broadcast, its receipt awaited with a
// gas limit and a timeout, bounded retries, and `done` / `failed` journaled after. An action id whose
// journal says `done` is never executed again; one left `sent` (a crash before the receipt) is
// resumed from its own transaction (same nonce: it cannot execute twice), not sent anew.
import { decodeEventLog, keccak256, parseTransaction, type Account, type Hex, type TransactionReceipt } from 'viem';
import { connectCtf, mergeCall, redeemCall, type ChainRef } from '../chain/ctf.js';
import { CONDITIONAL_TOKENS, fromUnits, toUnits } from '../chain/contracts.js';
import type { InventoryOpEvent } from '../domain/index.js';
import type { InventoryAction } from '../inventory/engine.js';

export interface OpJournal {
  /** What earlier runs (from the event log) and this one wrote. */
  readonly past: readonly InventoryOpEvent[];
  write(ev: InventoryOpEvent): void;
}

export interface ChainSinkDeps {
  readonly ref: ChainRef;
  readonly account: Account;
  readonly journal: OpJournal;
  readonly clock: () => number;
  readonly gasLimit?: bigint;
  readonly receiptTimeoutMs?: number;
  /** Broadcasts of one transaction before the action is reported failed. */
  readonly maxAttempts?: number;
}

type Op = Exclude<InventoryAction, { kind: 'pauseMerges' }>;

/** The journal folded to each id's last record. */
export function lastById(events: readonly InventoryOpEvent[]): Map<string, InventoryOpEvent> {
  const out = new Map<string, InventoryOpEvent>();
  for (const e of events) out.set(e.id, e);
  return out;
}

const message = (e: unknown): string => (e instanceof Error ? e.message.split('\n')[0]! : String(e));

export function chainSink(d: ChainSinkDeps) {
  const ctf = connectCtf(d.ref, d.account);
  const last = lastById(d.journal.past);
  const write = (ev: InventoryOpEvent): InventoryOpEvent => {
    last.set(ev.id, ev);
    d.journal.write(ev);
    return ev;
  };
  const timeout = d.receiptTimeoutMs ?? 30_000;
  const attempts = Math.max(1, d.maxAttempts ?? 3);

  /** Broadcast (again) and await the receipt, up to `attempts` times; the same raw bytes each time. */
  const settle = async (op: Op, sent: InventoryOpEvent): Promise<InventoryOpEvent> => {
    const base = {
      kind: 'inventoryOp' as const,
      id: op.id,
      action: op.kind,
      conditionId: op.conditionId,
      ...(op.kind === 'merge' ? { sets: op.sets } : {}),
      txHash: sent.txHash,
    };
    let lastError = '';
    for (let i = 0; i < attempts; i++) {
      const hash = sent.txHash as Hex;
      const mined = await ctf.publicClient.getTransactionReceipt({ hash }).catch(() => undefined);
      if (!mined) {
        await ctf.publicClient.sendRawTransaction({ serializedTransaction: sent.raw as Hex }).catch((e: unknown) => {
          // "already known" / "nonce too low" mean it is in the pool or mined: wait for it.
          lastError = message(e);
        });
      }
      const rc =
        mined ??
        (await ctf.publicClient
          .waitForTransactionReceipt({ hash, timeout, pollingInterval: 50 })
          .catch((e: unknown) => ((lastError = message(e)), undefined)));
      if (!rc) continue;
      if (rc.status !== 'success')
        return write({ ...base, tsMs: d.clock(), phase: 'failed', gasUsed: Number(rc.gasUsed), error: 'reverted' });
      return write({
        ...base,
        tsMs: d.clock(),
        phase: 'done',
        gasUsed: Number(rc.gasUsed),
        proceedsUsdc: receiptProceeds(rc, op, d.ref.ctf),
      });
    }
    return write({
      ...base,
      raw: sent.raw,
      tsMs: d.clock(),
      phase: 'failed',
      error: `no receipt after ${attempts} attempts: ${lastError}`,
    });
  };

  /** An earlier transaction of this action without a receipt may still be mined while its nonce is unused. */
  const mayStillMine = async (prior: InventoryOpEvent): Promise<boolean> => {
    if (!prior.raw || !prior.txHash) return false;
    if (await ctf.publicClient.getTransactionReceipt({ hash: prior.txHash as Hex }).catch(() => undefined)) return true;
    const nonce = parseTransaction(prior.raw as Hex).nonce ?? 0;
    return (await ctf.publicClient.getTransactionCount({ address: d.account.address, blockTag: 'latest' })) <= nonce;
  };

  return {
    /** Execute one action at most once; returns its final journal record. */
    async execute(op: Op): Promise<InventoryOpEvent> {
      const prior = last.get(op.id);
      if (prior?.phase === 'done') return prior;
      // Left sent by a crash, or failed without a receipt: that transaction first, never a second one beside it.
      if (prior && (await mayStillMine(prior))) return settle(op, prior);
      const data =
        op.kind === 'merge'
          ? mergeCall(d.ref, op.conditionId as Hex, toUnits(op.sets))
          : redeemCall(d.ref, op.conditionId as Hex);
      try {
        const req = await ctf.wallet.prepareTransactionRequest({
          account: d.account,
          chain: d.ref.chain,
          to: d.ref.ctf,
          data,
          gas: d.gasLimit ?? 600_000n,
        });
        const raw = await d.account.signTransaction!(req as Parameters<NonNullable<Account['signTransaction']>>[0]);
        const sent = write({
          kind: 'inventoryOp',
          tsMs: d.clock(),
          id: op.id,
          action: op.kind,
          conditionId: op.conditionId,
          phase: 'sent',
          ...(op.kind === 'merge' ? { sets: op.sets } : {}),
          txHash: keccak256(raw),
          raw,
        });
        return await settle(op, sent);
      } catch (e) {
        return write({
          kind: 'inventoryOp',
          tsMs: d.clock(),
          id: op.id,
          action: op.kind,
          conditionId: op.conditionId,
          phase: 'failed',
          error: message(e),
        });
      }
    },
    /** Actions a crash left `sent`: settle each from its own transaction. */
    async resume(): Promise<InventoryOpEvent[]> {
      const open = [...last.values()].filter((e) => e.phase === 'sent');
      const out: InventoryOpEvent[] = [];
      for (const e of open)
        out.push(
          await settle(
            e.action === 'merge'
              ? { kind: 'merge', id: e.id, conditionId: e.conditionId, sets: e.sets ?? 0 }
              : { kind: 'redeem', id: e.id, conditionId: e.conditionId },
            e,
          ),
        );
      return out;
    },
  };
}

/** Collateral a receipt paid us: the merge's amount or the redemption's payout (from the CTF's events). */
export function receiptProceeds(rc: TransactionReceipt, op: Op, ctf: string): number {
  let units = 0n;
  for (const log of rc.logs) {
    if (log.address.toLowerCase() !== ctf.toLowerCase()) continue;
    try {
      const ev = decodeEventLog({ abi: CONDITIONAL_TOKENS.abi, data: log.data, topics: log.topics }) as unknown as {
        eventName: string;
        args: Record<string, unknown>;
      };
      if (op.kind === 'merge' && ev.eventName === 'PositionsMerge') units += ev.args.amount as bigint;
      if (op.kind === 'redeem' && ev.eventName === 'PayoutRedemption') units += ev.args.payout as bigint;
    } catch {
      // not one of the CTF's events we read
    }
  }
  return fromUnits(units);
}
