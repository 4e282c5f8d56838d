// InventoryEngine (pure): from what we hold on chain per market, decide when to merge full Up+Down
// sets back into collateral and when to redeem after resolution, within the wallet's operation caps.
// Relayer-backed wallets (proxy, safe, deposit) are gasless but capped per day by the relayer; an EOA
// pays gas, so it merges only above a size threshold and at most N operations a minute.
export type WalletMode = 'EOA' | 'PROXY' | 'SAFE' | 'DEPOSIT';

/** Settled (CONFIRMED) shares per market: pending fills cannot be merged. */
export interface ChainPosition {
  readonly conditionId: string;
  readonly up: number;
  readonly down: number;
  readonly endMs: number;
  /** Payouts reported on the CTF: only then can it be redeemed. */
  readonly resolved: boolean;
}

export interface InventoryLimits {
  readonly enabled: boolean;
  /** EOA: merge once this many full sets are held (before the market ends; after it, any). */
  readonly minSets: number;
  /** EOA: at most this many operations (merges + redemptions) in any minute. */
  readonly maxOpsPerMinute: number;
  /** Relayer wallets: merge from this many sets. */
  readonly relayerMinSets: number;
  /** Relayer wallets: operations the relayer allows per rolling day. */
  readonly relayerDailyCap: number;
  /** Relayer wallets: of the daily cap, this many are kept for redemptions (merges stop before). */
  readonly relayerRedeemReserve: number;
}

export type InventoryAction =
  | { readonly kind: 'merge'; readonly id: string; readonly conditionId: string; readonly sets: number }
  | { readonly kind: 'redeem'; readonly id: string; readonly conditionId: string }
  | { readonly kind: 'pauseMerges'; readonly reason: string };

export interface InventoryMemory {
  /** When each operation of the last day was issued (oldest first). */
  readonly opsMs: readonly number[];
  /** Action ids issued and not yet finished: nothing more for their market meanwhile. */
  readonly inFlight: ReadonlyMap<string, string>;
  /** Merges completed per market (names the next merge's id). */
  readonly merges: ReadonlyMap<string, number>;
  /** Markets redeemed (redeeming is once per market). */
  readonly redeemed: ReadonlySet<string>;
  /** When each action in flight was issued: an action dropped unsent gives its operation back. */
  readonly issuedMs?: ReadonlyMap<string, number>;
  /** Why merges are paused now (a pauseMerges action is emitted when this changes). */
  readonly paused?: string;
}

export const EMPTY_MEMORY: InventoryMemory = { opsMs: [], inFlight: new Map(), merges: new Map(), redeemed: new Set() };

const MINUTE = 60_000;
const DAY = 86_400_000;
/** On chain amounts have 6 decimals: a merge never asks for more than is held. */
const toUnits = (shares: number): number => {
  const u = Math.round(shares * 1e6); // 0.29 * 1e6 is 289999.99…: round, then step down if above
  return (u / 1e6 > shares ? u - 1 : u) / 1e6;
};

export const isRelayer = (mode: WalletMode): boolean => mode !== 'EOA';

/** Operations still allowed now, and the reason merges may not run (redemptions go first). */
function budget(
  now: number,
  opsMs: readonly number[],
  mode: WalletMode,
  l: InventoryLimits,
): { ops: number; mergeOps: number; reason?: string } {
  if (!isRelayer(mode)) {
    const ops = Math.max(0, l.maxOpsPerMinute - opsMs.filter((t) => now - t < MINUTE).length);
    return {
      ops,
      mergeOps: ops,
      ...(ops === 0 ? { reason: `EOA cap of ${l.maxOpsPerMinute} operations a minute` } : {}),
    };
  }
  const used = opsMs.filter((t) => now - t < DAY).length;
  const ops = Math.max(0, l.relayerDailyCap - used);
  const mergeOps = Math.max(0, ops - l.relayerRedeemReserve);
  return {
    ops,
    mergeOps,
    ...(mergeOps === 0
      ? {
          reason: `relayer daily cap of ${l.relayerDailyCap} operations (${l.relayerRedeemReserve} kept for redemptions)`,
        }
      : {}),
  };
}

/**
 * One decision round: redemptions of resolved markets first, then merges, oldest market first, within
 * the budget. Ids are stable (`merge:<conditionId>:<n>`, `redeem:<conditionId>`), and an id in flight
 * or done is never issued again, so the sink can execute each at most once.
 */
export function inventoryTick(
  now: number,
  positions: readonly ChainPosition[],
  mode: WalletMode,
  l: InventoryLimits,
  mem: InventoryMemory,
): { actions: InventoryAction[]; memory: InventoryMemory } {
  const opsMs = mem.opsMs.filter((t) => now - t < DAY);
  const b = budget(now, opsMs, mode, l);
  let ops = b.ops;
  let mergeOps = b.mergeOps;
  const actions: InventoryAction[] = [];
  const inFlight = new Map(mem.inFlight);
  const issuedMs = new Map(mem.issuedMs ?? []);
  const busy = new Set(inFlight.values());
  const issue = (a: Exclude<InventoryAction, { kind: 'pauseMerges' }>): void => {
    actions.push(a);
    inFlight.set(a.id, a.conditionId);
    issuedMs.set(a.id, now);
    busy.add(a.conditionId);
    opsMs.push(now);
    ops -= 1;
    mergeOps -= 1;
  };
  const byEnd = [...positions].sort((a, b2) => a.endMs - b2.endMs || a.conditionId.localeCompare(b2.conditionId));
  for (const p of byEnd) {
    if (ops <= 0) break;
    if (!p.resolved || busy.has(p.conditionId) || mem.redeemed.has(p.conditionId)) continue;
    if (toUnits(p.up) <= 0 && toUnits(p.down) <= 0) continue;
    issue({ kind: 'redeem', id: `redeem:${p.conditionId}`, conditionId: p.conditionId });
  }
  let heldBack = false;
  if (l.enabled) {
    for (const p of byEnd) {
      if (p.resolved || busy.has(p.conditionId)) continue;
      const sets = toUnits(Math.min(p.up, p.down));
      const threshold = isRelayer(mode) ? l.relayerMinSets : now >= p.endMs ? 1e-6 : l.minSets;
      if (sets <= 0 || sets < threshold) continue;
      if (mergeOps <= 0 || ops <= 0) {
        heldBack = true;
        continue;
      }
      issue({
        kind: 'merge',
        id: `merge:${p.conditionId}:${mem.merges.get(p.conditionId) ?? 0}`,
        conditionId: p.conditionId,
        sets,
      });
    }
  }
  // Paused: a cap held a wanted merge back; announced once per change of reason.
  const reason = !l.enabled
    ? 'merges disabled (merge.enabled=false)'
    : heldBack
      ? budget(now, opsMs, mode, l).reason
      : undefined;
  if (reason !== undefined && reason !== mem.paused) actions.push({ kind: 'pauseMerges', reason });
  const { paused: _p, ...rest } = mem;
  return {
    actions,
    memory: { ...rest, opsMs, inFlight, issuedMs, ...(reason !== undefined ? { paused: reason } : {}) },
  };
}

/**
 * An issued action the sink dropped before sending anything (nothing held on chain yet): it spent no
 * operation, so its slot in the caps comes back (else unsent merges would eat the relayer's daily cap).
 */
export function actionNotSent(mem: InventoryMemory, id: string): InventoryMemory {
  const at = mem.issuedMs?.get(id);
  const after = actionFinished(mem, id, false);
  if (at === undefined) return after;
  const i = after.opsMs.lastIndexOf(at);
  return i < 0 ? after : { ...after, opsMs: [...after.opsMs.slice(0, i), ...after.opsMs.slice(i + 1)] };
}

/** The sink's outcome of an issued action: done (counted) or failed (may be issued again later). */
export function actionFinished(mem: InventoryMemory, id: string, ok: boolean): InventoryMemory {
  const conditionId = mem.inFlight.get(id);
  if (conditionId === undefined) return mem;
  const inFlight = new Map(mem.inFlight);
  inFlight.delete(id);
  if (mem.issuedMs?.has(id)) {
    const issuedMs = new Map(mem.issuedMs);
    issuedMs.delete(id);
    mem = { ...mem, issuedMs };
  }
  if (!ok) return { ...mem, inFlight };
  if (id.startsWith('redeem:')) return { ...mem, inFlight, redeemed: new Set(mem.redeemed).add(conditionId) };
  return { ...mem, inFlight, merges: new Map(mem.merges).set(conditionId, (mem.merges.get(conditionId) ?? 0) + 1) };
}

/** The engine's limits from the `merge` config section. */
export const inventoryLimits = (m: {
  enabled: boolean;
  minSets: number;
  maxOpsPerMinute: number;
  relayerMinSets: number;
  relayerDailyCap: number;
  relayerRedeemReserve: number;
}): InventoryLimits => ({ ...m });
