// Accounts: pUSD collateral and outcome-token positions, with reservations for resting orders.

export interface Account {
  collateral: number;
  reservedCollateral: number;
  readonly positions: Map<string, number>;
  readonly reservedPositions: Map<string, number>;
  rebates: number;
  /** Last heartbeat (dead-man switch armed once set). */
  lastHeartbeatMs?: number;
}

/** One balance change, kept per trade so a FAILED trade can be reversed exactly. */
export interface LedgerEntry {
  readonly owner: string;
  readonly collateral: number;
  readonly tokenId?: string;
  readonly shares?: number;
}

/** An account as a venue restart keeps it; reservations follow from the orders restored with it. */
export interface PersistedAccount {
  readonly owner: string;
  readonly collateral: number;
  readonly positions: Readonly<Record<string, number>>;
  readonly rebates: number;
  readonly lastHeartbeatMs?: number;
}

const round6 = (x: number): number => Math.round(x * 1e6) / 1e6;

export class Accounts {
  private readonly accounts = new Map<string, Account>();

  constructor(private readonly startingBalance: number) {}

  get(owner: string): Account {
    let acc = this.accounts.get(owner);
    if (!acc) {
      acc = {
        collateral: this.startingBalance,
        reservedCollateral: 0,
        positions: new Map(),
        reservedPositions: new Map(),
        rebates: 0,
      };
      this.accounts.set(owner, acc);
    }
    return acc;
  }

  has(owner: string): boolean {
    return this.accounts.has(owner);
  }

  owners(): IterableIterator<string> {
    return this.accounts.keys();
  }

  freeCollateral(owner: string): number {
    const a = this.get(owner);
    return a.collateral - a.reservedCollateral;
  }

  shares(owner: string, tokenId: string): number {
    return this.get(owner).positions.get(tokenId) ?? 0;
  }

  freeShares(owner: string, tokenId: string): number {
    const a = this.get(owner);
    return (a.positions.get(tokenId) ?? 0) - (a.reservedPositions.get(tokenId) ?? 0);
  }

  reserveCollateral(owner: string, amount: number): void {
    const a = this.get(owner);
    a.reservedCollateral = round6(a.reservedCollateral + amount);
  }

  reserveShares(owner: string, tokenId: string, shares: number): void {
    const a = this.get(owner);
    a.reservedPositions.set(tokenId, round6((a.reservedPositions.get(tokenId) ?? 0) + shares));
  }

  apply(e: LedgerEntry): void {
    const a = this.get(e.owner);
    a.collateral = round6(a.collateral + e.collateral);
    if (e.tokenId !== undefined && e.shares)
      a.positions.set(e.tokenId, round6((a.positions.get(e.tokenId) ?? 0) + e.shares));
  }

  reverse(entries: readonly LedgerEntry[]): void {
    for (const e of entries)
      this.apply({
        owner: e.owner,
        collateral: -e.collateral,
        tokenId: e.tokenId,
        shares: e.shares === undefined ? undefined : -e.shares,
      });
  }

  persisted(owner: string): PersistedAccount {
    const a = this.get(owner);
    return {
      owner,
      collateral: a.collateral,
      positions: Object.fromEntries(a.positions),
      rebates: a.rebates,
      ...(a.lastHeartbeatMs !== undefined ? { lastHeartbeatMs: a.lastHeartbeatMs } : {}),
    };
  }

  restore(p: PersistedAccount): void {
    const a = this.get(p.owner);
    a.collateral = p.collateral;
    a.reservedCollateral = 0;
    a.rebates = p.rebates;
    a.lastHeartbeatMs = p.lastHeartbeatMs;
    a.positions.clear();
    a.reservedPositions.clear();
    for (const [token, shares] of Object.entries(p.positions)) a.positions.set(token, shares);
  }
}
