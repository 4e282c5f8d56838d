// The simulated venue's positions on the chain, for the accounts that settle there: each market gets a
// ConditionalTokens condition when created (question id = keccak of the venue's condition id), each
// CONFIRMED buy of a mirrored account is delivered as real outcome tokens (the venue's treasury splits
// full sets and transfers the bought side), each CONFIRMED sell moves the sold shares from the account
// back to the treasury (as the CTF Exchange moves them under the operator approval every Polymarket
// account grants; here the dev chain acts as the account, which holds no such approval), and the winner
// is reported at resolution. Cash stays in the venue's books: only positions live on chain.
// Chain calls run one at a time, in venue order, on a queue: `idle()` waits for it.
import { encodeFunctionData, keccak256, toHex, type Address, type Hex } from 'viem';
import type { VenueEvent, VMarket, VTrade } from '@polymm/venue';
import { CONDITIONAL_TOKENS, toUnits } from './contracts.js';
import { oracle } from './ctf.js';
import type { DevChain } from './devChain.js';

export interface VenueMirror {
  apply(events: readonly VenueEvent[]): void;
  idle(): Promise<void>;
  /** The chain's condition id of a venue market (once created there). */
  conditionOf(venueConditionId: string): Hex | undefined;
  readonly stats: {
    readonly delivered: number;
    /** Sell legs whose shares were moved back to the treasury. */
    readonly sold: number;
    readonly errors: number;
    readonly lastError?: string;
  };
}

const questionOf = (venueConditionId: string): Hex => keccak256(toHex(venueConditionId));

/** `accounts`: venue owner (lower case) -> its address on chain. The treasury is the chain's operator. */
export async function startVenueMirror(
  chain: DevChain,
  accounts: ReadonlyMap<string, Address>,
  treasuryUsdc = 10_000_000,
): Promise<VenueMirror> {
  const o = oracle(chain, chain.operator);
  await o.mintPusd(chain.operator.address, toUnits(treasuryUsdc));
  await o.ctf.approveCollateral();
  const conditions = new Map<string, Hex>();
  const positions = new Map<string, readonly [bigint, bigint]>();
  const stats = { delivered: 0, sold: 0, errors: 0, lastError: undefined as string | undefined };
  let queue: Promise<void> = Promise.resolve();
  const run = (f: () => Promise<void>): void => {
    queue = queue.then(f).catch((e: unknown) => {
      stats.errors += 1;
      stats.lastError = e instanceof Error ? e.message.split('\n')[0] : String(e);
    });
  };

  const create = async (m: VMarket): Promise<void> => {
    if (conditions.has(m.conditionId)) return;
    const id = await o.prepare(questionOf(m.conditionId));
    conditions.set(m.conditionId, id);
    positions.set(m.conditionId, await o.ctf.positionIds(id));
  };
  /** Our accounts' side of a trade: (owner, outcome, side, shares). */
  const legs = (t: VTrade) =>
    [
      { owner: t.takerOwner, up: t.outcome === 'Up', side: t.side, size: t.size },
      ...t.makers.map((mk) => ({ owner: mk.owner, up: mk.outcome === 'Up', side: mk.side, size: mk.matchedAmount })),
    ].filter((l) => accounts.has(l.owner.toLowerCase()));
  const deliver = async (t: VTrade): Promise<void> => {
    const condition = conditions.get(t.conditionId);
    const ids = positions.get(t.conditionId);
    if (!condition || !ids) throw new Error(`trade ${t.id}: market ${t.conditionId} has no condition on chain`);
    for (const l of legs(t)) {
      const units = toUnits(l.size);
      const holder = accounts.get(l.owner.toLowerCase())!;
      const token = l.up ? ids[0] : ids[1];
      if (l.side === 'BUY') {
        await o.ctf.split(condition, units);
        await o.ctf.transfer(holder, token, units);
        stats.delivered += 1;
        continue;
      }
      const data = encodeFunctionData({
        abi: CONDITIONAL_TOKENS.abi,
        functionName: 'safeTransferFrom',
        args: [holder, chain.operator.address, token, units, '0x'],
      });
      const hash = await chain.sendAs(holder, chain.ctf, data, 200_000n);
      const rc = await chain.publicClient.waitForTransactionReceipt({ hash });
      if (rc.status !== 'success') throw new Error(`trade ${t.id}: moving ${l.size} sold shares reverted`);
      stats.sold += 1;
    }
  };

  return {
    apply(events) {
      for (const ev of events) {
        if (ev.type === 'marketCreated') run(() => create(ev.market));
        else if (ev.type === 'trade' && ev.trade.status === 'CONFIRMED' && legs(ev.trade).length > 0) {
          const t = ev.trade;
          run(() => deliver(t));
        } else if (ev.type === 'marketResolved' && ev.market.winner) {
          const m = ev.market;
          run(async () => {
            await create(m);
            await o.reportPayouts(questionOf(m.conditionId), m.winner === 'Up' ? 'up' : 'down');
          });
        }
      }
    },
    idle: () => queue,
    conditionOf: (id) => conditions.get(id),
    get stats() {
      return { ...stats };
    },
  };
}
