// The settlement operator: the InventoryEngine run on the bot's input events (time from their clock
// ticks, as everything else), its merges and redemptions executed one at a time by the chain sink
// (EOA) or through the relayer (PROXY, SAFE wallets), and the sink's journal records emitted as `inventoryOp` events for the event log.
// Redemptions wait until the market's payouts are on the CTF (read from the chain), so an early
// redeem never reverts and spends the operation cap.
import { Observable, type OperatorFunction } from 'rxjs';
import { encodePacked, keccak256, toHex, type Account, type Address, type Hex } from 'viem';
import { CONDITIONAL_TOKENS } from '../chain/contracts.js';
import { connectCtf, type ChainRef } from '../chain/ctf.js';
import type { BotEvent, InventoryOpEvent, MarketPnlEvent } from '../domain/index.js';
import { LivePnl } from '../resolver/livePnl.js';
import {
  actionFinished,
  actionNotSent,
  EMPTY_MEMORY,
  inventoryLimits,
  inventoryTick,
  type InventoryAction,
  type WalletMode,
} from '../inventory/engine.js';
import { foldPositions, NO_POSITIONS, positionsForEngine } from '../inventory/positions.js';
import { chainSink } from './chainSink.js';
import { relayerSink, type BuilderCreds } from './relayerSink.js';
import type { Logger } from './logger.js';

export interface SettlementDeps {
  readonly ref: ChainRef;
  readonly account: Account;
  readonly mode: WalletMode;
  readonly merge: Parameters<typeof inventoryLimits>[0];
  readonly logger: Logger;
  readonly clock: () => number;
  /**
   * The oracle that prepared the venue's conditions when they are not the venue's own ids (the
   * simulated venue: condition = keccak(oracle, keccak(venue condition id), 2)); undefined: the
   * venue's condition id is the CTF's (Polymarket).
   */
  readonly conditionOracle?: Address;
  readonly gasLimit?: bigint;
  readonly receiptTimeoutMs?: number;
  /** `inventoryOp` records of earlier runs (the event log): what is done is never done again. */
  readonly past?: readonly InventoryOpEvent[];
  /** Relayer wallets: their relayer, and the wallet holding the tokens (the funder); absent: EOA. */
  readonly relayer?: {
    readonly url: string;
    readonly walletType: 'PROXY' | 'SAFE' | 'DEPOSIT';
    readonly clientChainId: number;
    readonly wallet: Address;
    /** Builder API credentials (secrets). */
    readonly builder: BuilderCreds;
  };
  /** Decide at most this often (event time). */
  readonly periodMs?: number;
}

type Op = Exclude<InventoryAction, { kind: 'pauseMerges' }>;

/** The CTF's condition id of a venue market. */
export const chainConditionOf = (venueConditionId: string, oracle: Address | undefined): Hex =>
  oracle
    ? keccak256(encodePacked(['address', 'bytes32', 'uint256'], [oracle, keccak256(toHex(venueConditionId)), 2n]))
    : (venueConditionId as Hex);

export function settlementOps(d: SettlementDeps): OperatorFunction<BotEvent, InventoryOpEvent | MarketPnlEvent> {
  return (input$) =>
    new Observable<InventoryOpEvent | MarketPnlEvent>((sub) => {
      const limits = inventoryLimits(d.merge);
      const toVenue = new Map<string, string>();
      const toChain = (venueId: string): Hex => {
        const c = chainConditionOf(venueId, d.conditionOracle);
        toVenue.set(c.toLowerCase(), venueId);
        return c;
      };
      let ps = NO_POSITIONS;
      const pnl = new LivePnl();
      let mem = EMPTY_MEMORY;
      let lastDecisionMs = -Infinity;
      let closed = false;
      let queue: Promise<unknown> = Promise.resolve();
      const reported = new Set<string>();
      const checking = new Set<string>();
      const record = (ev: InventoryOpEvent): void => {
        const venueEv = { ...ev, conditionId: toVenue.get(ev.conditionId.toLowerCase()) ?? ev.conditionId };
        ps = foldPositions(ps, venueEv);
        pnl.record(venueEv);
        if (venueEv.phase !== 'sent') mem = actionFinished(mem, venueEv.id, venueEv.phase === 'done');
        if (!closed) sub.next(venueEv);
      };
      const past = (d.past ?? []).map((e) => ({ ...e, conditionId: toChain(e.conditionId) }));
      for (const e of d.past ?? []) ps = foldPositions(ps, e);
      const journal = { past, write: record };
      const sink = d.relayer
        ? relayerSink({
            ref: d.ref,
            account: d.account,
            clock: d.clock,
            journal,
            relayerUrl: d.relayer.url,
            walletType: d.relayer.walletType,
            ...(d.relayer.walletType === 'DEPOSIT' ? { depositWallet: d.relayer.wallet } : {}),
            clientChainId: d.relayer.clientChainId,
            builder: d.relayer.builder,
            debug: (msg) => d.logger.debug('relayer client', { msg }),
            ...(d.receiptTimeoutMs ? { timeoutMs: d.receiptTimeoutMs } : {}),
          })
        : chainSink({
            ref: d.ref,
            account: d.account,
            clock: d.clock,
            journal,
            ...(d.gasLimit ? { gasLimit: d.gasLimit } : {}),
            ...(d.receiptTimeoutMs ? { receiptTimeoutMs: d.receiptTimeoutMs } : {}),
          });
      const ctf = connectCtf(d.ref, d.account);
      const fail = (e: unknown): void => {
        d.logger.error('settlement operation failed', {
          error: e instanceof Error ? e.message.split('\n')[0] : String(e),
        });
      };
      queue = queue.then(() => sink.resume()).catch(fail);

      /** Payouts on the CTF yet? (read once at a time per market; a redeem waits for them). */
      const checkPayouts = (venueId: string): void => {
        if (reported.has(venueId) || checking.has(venueId)) return;
        checking.add(venueId);
        ctf.publicClient
          .readContract({
            address: d.ref.ctf,
            abi: CONDITIONAL_TOKENS.abi,
            functionName: 'payoutDenominator',
            args: [toChain(venueId)],
          })
          .then((den) => {
            if ((den as bigint) > 0n) reported.add(venueId);
          })
          .catch(() => undefined)
          .finally(() => checking.delete(venueId));
      };
      // The chain is the truth: a merge asks at most the full sets held there now (a CONFIRMED trade
      // may be reported before its tokens are readable); none held yet: not sent, asked again later.
      const execute = (op: Op): void => {
        queue = queue
          .then(async () => {
            const conditionId = toChain(op.conditionId);
            if (op.kind === 'redeem') return sink.execute({ ...op, conditionId });
            const b = await ctf.balances(conditionId, d.relayer?.wallet);
            const sets = Math.min(op.sets, Number(b.up < b.down ? b.up : b.down) / 1e6);
            if (sets <= 0) {
              mem = actionNotSent(mem, op.id);
              return undefined;
            }
            return sink.execute({ ...op, conditionId, sets });
          })
          .catch((e: unknown) => {
            mem = actionFinished(mem, op.id, false);
            fail(e);
          });
      };
      /** Resolved, nothing held on chain any more (merged or redeemed) and nothing in flight: its PnL is final. */
      const report = (now: number): void => {
        const busy = new Set(mem.inFlight.values());
        for (const id of pnl.traded()) {
          const h = ps.get(id);
          if (!h?.resolved || busy.has(id) || h.up > 1e-6 || h.down > 1e-6) continue;
          const ev = pnl.settle(id, now);
          if (ev && !closed) sub.next(ev);
        }
      };
      const decide = (now: number): void => {
        report(now);
        const positions = positionsForEngine(ps).map((p) => {
          if (p.resolved && !reported.has(p.conditionId)) checkPayouts(p.conditionId);
          return { ...p, resolved: p.resolved && reported.has(p.conditionId) };
        });
        const r = inventoryTick(now, positions, d.mode, limits, mem);
        mem = r.memory;
        for (const a of r.actions) {
          if (a.kind === 'pauseMerges') d.logger.info('merges paused', { reason: a.reason });
          else execute(a);
        }
      };
      const s = input$.subscribe({
        next: (ev) => {
          ps = foldPositions(ps, ev);
          pnl.record(ev);
          if (ev.kind === 'clock' && ev.tsMs - lastDecisionMs >= (d.periodMs ?? 1_000)) {
            lastDecisionMs = ev.tsMs;
            decide(ev.tsMs);
          }
        },
        error: (e: unknown) => sub.error(e),
        // The inputs end at shutdown: operations already sent finish (their receipts are journaled).
        complete: () => void queue.then(() => sub.complete()),
      });
      return () => {
        closed = true;
        s.unsubscribe();
      };
    });
}
