// The simulated venue's positions on the chain, for the accounts that settle there: each market gets a
// ConditionalTokens condition (question id = keccak of the venue's condition id), each CONFIRMED buy
// of a mirrored account is delivered as real outcome tokens from the venue's treasury (which splits
// full sets when its stock of the bought side runs short), each CONFIRMED sell moves the sold shares
// from the account back to the treasury (as the CTF Exchange moves them under the operator approval
// every Polymarket account grants: the account approves the treasury once), and the winner is
// reported at resolution. Cash stays in the venue's books: only positions live on chain.
// Exactly once, across a restart of a persisted chain: a leg (one account's side of a trade) moves
// tokens in one transaction the treasury signs here; the signed transaction is journaled before it
// is sent and the leg marked delivered once mined, so a leg in flight at a crash is found mined or
// sent again (the same signed transaction: it cannot be mined twice), and a delivered one is skipped.
// Conditions and payouts are read from the chain before being written, so replays are harmless.
// Chain calls run one at a time, in venue order, on a queue: `idle()` waits for it.
import { keccak256, toHex, type Address, type Hex } from 'viem';
import type { VenueEvent, VTrade } from '@polymm/venue';
import { CONDITIONAL_TOKENS, PUSD, toUnits } from './contracts.js';
import { oracle } from './ctf.js';
import { RECEIPT_TIMEOUT_MS, type DevChain } from './devChain.js';
import { memoryJournal, type MirrorJournal } from './mirrorJournal.js';
import { operatorTx, setApprovalCall, transferCall } from './treasuryTx.js';

export interface VenueMirror {
  apply(events: readonly VenueEvent[]): void;
  /**
   * A mirrored holder: approve the treasury now, when it joins, rather than at its first sell (the
   * approval is sent as the holder, whose own sends could race it for a nonce once it trades).
   */
  approve(holder: Address): void;
  /** Trades a restarted venue restored from its store: those confirmed and not yet delivered are delivered. */
  restore(trades: readonly VTrade[]): void;
  idle(): Promise<void>;
  /** The chain's condition id of a venue market (once created there). */
  conditionOf(venueConditionId: string): Hex | undefined;
  readonly stats: {
    readonly delivered: number;
    /** Sell legs whose shares were moved back to the treasury. */
    readonly sold: number;
    /** Legs found already delivered (journaled, or mined before a crash) and not sent again. */
    readonly skipped: number;
    readonly errors: number;
    readonly lastError?: string;
    /** Chain tasks (a market, a trade, a payout, an approval) queued and not finished. */
    readonly queued: number;
    /** The longest a task waited in the queue before it ran (ms). */
    readonly maxWaitMs: number;
    /** Time spent delivering legs (ms), over `delivered + sold` of them. */
    readonly legMs: number;
    /** From each resolution the venue reported to its payouts on chain (ms), the latest 20. */
    readonly payoutLagMs: readonly number[];
  };
}

export interface Leg {
  /** `tradeId#n`: n the leg's place among the trade's taker (0) and makers (1…), whoever is mirrored. */
  readonly key: string;
  readonly holder: Address;
  readonly up: boolean;
  readonly side: 'BUY' | 'SELL';
  readonly size: number;
}

/** The legs of a trade that belong to mirrored accounts (`accounts`: venue owner, lower case -> address). */
export function legsOf(t: VTrade, accounts: ReadonlyMap<string, Address>): Leg[] {
  const all = [
    { owner: t.takerOwner, up: t.outcome === 'Up', side: t.side, size: t.size },
    ...t.makers.map((mk) => ({ owner: mk.owner, up: mk.outcome === 'Up', side: mk.side, size: mk.matchedAmount })),
  ];
  return all.flatMap((l, n) => {
    const holder = accounts.get(l.owner.toLowerCase());
    return holder ? [{ key: `${t.id}#${n}`, holder, up: l.up, side: l.side, size: l.size }] : [];
  });
}

const questionOf = (venueConditionId: string): Hex => keccak256(toHex(venueConditionId));
/** Attempts at one leg (a receipt that timed out, a send that failed) before it is counted an error. */
const ATTEMPTS = 3;

/** `accounts`: venue owner (lower case) -> its address on chain. The treasury is the chain's operator. */
export async function startVenueMirror(
  chain: DevChain,
  accounts: ReadonlyMap<string, Address>,
  opts: { treasuryUsdc?: number; journal?: MirrorJournal; now?: () => number } = {},
): Promise<VenueMirror> {
  const now = opts.now ?? (() => performance.now());
  const journal = opts.journal ?? memoryJournal();
  const o = oracle(chain, chain.operator);
  const treasury = chain.operator.address;
  const read = <T>(address: Address, abi: typeof PUSD.abi, functionName: string, args: readonly unknown[]) =>
    chain.publicClient.readContract({ address, abi, functionName, args }) as Promise<T>;
  // A reopened chain has its treasury funded and approved already (a crash between the two: approve).
  const allowance = await read<bigint>(chain.pusd, PUSD.abi, 'allowance', [treasury, chain.ctf]);
  if (allowance === 0n) {
    if ((await read<bigint>(chain.pusd, PUSD.abi, 'balanceOf', [treasury])) === 0n)
      await o.mintPusd(treasury, toUnits(opts.treasuryUsdc ?? 10_000_000));
    await o.ctf.approveCollateral();
  }
  // Legs delivered: the journal's (bounded) list as a set, rebuilt when the journal has dropped the oldest.
  let delivered = new Set(journal.state.delivered);
  const markDelivered = (leg: string): void => {
    delivered.add(leg);
    if (delivered.size > 2 * journal.state.delivered.length + 1_000) delivered = new Set(journal.state.delivered);
  };
  const conditions = new Map<string, Hex>();
  const positions = new Map<string, readonly [bigint, bigint]>();
  const approved = new Set<string>();
  const stats = {
    delivered: 0,
    sold: 0,
    skipped: 0,
    errors: 0,
    lastError: undefined as string | undefined,
    queued: 0,
    maxWaitMs: 0,
    legMs: 0,
    payoutLagMs: [] as number[],
  };
  let queue: Promise<void> = Promise.resolve();
  const run = (f: () => Promise<void>): void => {
    const queuedAt = now();
    stats.queued += 1;
    queue = queue
      .then(() => {
        stats.maxWaitMs = Math.max(stats.maxWaitMs, Math.round(now() - queuedAt));
        return f();
      })
      .catch((e: unknown) => {
        stats.errors += 1;
        stats.lastError = e instanceof Error ? e.message.split('\n')[0] : String(e);
      })
      .finally(() => void (stats.queued -= 1));
  };
  const tx = operatorTx(chain, journal);

  /** The market's condition, prepared unless the chain has it already. */
  const condition = async (venueConditionId: string): Promise<{ id: Hex; ids: readonly [bigint, bigint] }> => {
    let id = conditions.get(venueConditionId);
    if (!id) {
      const question = questionOf(venueConditionId);
      const onChain = (await read<Hex>(chain.ctf, CONDITIONAL_TOKENS.abi, 'getConditionId', [
        treasury,
        question,
        2n,
      ])) as Hex;
      const slots = await read<bigint>(chain.ctf, CONDITIONAL_TOKENS.abi, 'getOutcomeSlotCount', [onChain]);
      id = slots > 0n ? onChain : await o.prepare(question);
      conditions.set(venueConditionId, id);
      positions.set(venueConditionId, await o.ctf.positionIds(id));
    }
    return { id, ids: positions.get(venueConditionId)! };
  };
  const balance = (of: Address, token: bigint) =>
    read<bigint>(chain.ctf, CONDITIONAL_TOKENS.abi, 'balanceOf', [of, token]);

  const deliver = async (t: VTrade): Promise<void> => {
    const { id, ids } = await condition(t.conditionId);
    for (const l of legsOf(t, accounts)) {
      if (delivered.has(l.key)) {
        stats.skipped += 1;
        continue;
      }
      const started = now();
      const units = toUnits(l.size);
      const token = l.up ? ids[0] : ids[1];
      if (l.side === 'BUY') {
        const stock = await balance(treasury, token);
        if (stock < units) await o.ctf.split(id, units - stock);
      } else await approve(l.holder);
      const [from, to] = l.side === 'BUY' ? [treasury, l.holder] : [l.holder, treasury];
      const outcome = await tx.once(l.key, transferCall(from, to, token, units), ATTEMPTS);
      markDelivered(l.key);
      stats.legMs += Math.round(now() - started);
      if (outcome === 'found') stats.skipped += 1;
      else if (l.side === 'BUY') stats.delivered += 1;
      else stats.sold += 1;
    }
  };
  /** The holder approves the treasury to move its shares (once: the approval is on chain). */
  const approve = async (holder: Address): Promise<void> => {
    if (approved.has(holder)) return;
    if (!(await read<boolean>(chain.ctf, CONDITIONAL_TOKENS.abi, 'isApprovedForAll', [holder, treasury]))) {
      const hash = await chain.sendAs(holder, chain.ctf, setApprovalCall(treasury), 100_000n);
      const rc = await chain.publicClient.waitForTransactionReceipt({ hash, timeout: RECEIPT_TIMEOUT_MS });
      if (rc.status !== 'success') throw new Error(`${holder}: approving the treasury reverted`);
    }
    approved.add(holder);
  };
  const mirrored = (t: VTrade): boolean => t.status === 'CONFIRMED' && legsOf(t, accounts).length > 0;

  // A leg journaled in flight when the venue stopped: settle it first (found mined, or sent again).
  const inFlight = journal.state.pending;
  if (inFlight)
    run(async () => {
      if ((await tx.resume(ATTEMPTS)) !== undefined) markDelivered(inFlight.leg);
    });
  return {
    apply(events) {
      for (const ev of events) {
        if (ev.type === 'marketCreated') {
          const id = ev.market.conditionId;
          run(async () => void (await condition(id)));
        } else if (ev.type === 'trade' && mirrored(ev.trade)) {
          const t = ev.trade;
          run(() => deliver(t));
        } else if (ev.type === 'marketResolved' && ev.market.winner) {
          const m = ev.market;
          const resolvedAt = now();
          run(async () => {
            const { id } = await condition(m.conditionId);
            if ((await o.payoutDenominator(id)) > 0n) return;
            await o.reportPayouts(questionOf(m.conditionId), m.winner === 'Up' ? 'up' : 'down');
            stats.payoutLagMs = [...stats.payoutLagMs.slice(-19), Math.round(now() - resolvedAt)];
          });
        }
      }
    },
    approve(holder) {
      run(() => approve(holder));
    },
    restore(trades) {
      for (const t of trades) if (mirrored(t)) run(() => deliver(t));
    },
    idle: () => queue,
    conditionOf: (id) => conditions.get(id),
    get stats() {
      return { ...stats, payoutLagMs: [...stats.payoutLagMs] };
    },
  };
}
