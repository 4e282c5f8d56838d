// The official client checks every order's tick against its own per-token cache, filled by one
// GET /tick-size on the token's first order (a network call in the order path) and never refreshed.
// After the market channel's tick_size_change to a finer tick (0.01 -> 0.001 near 0 or 1) it would
// refuse our orders ("invalid tick size"), and signing with the old, coarser tick would round our
// prices off the grid we priced on. So each order is signed with the tick we know (Gamma's, then the
// market channel's changes), and the client is told that tick first.
import type { ClobClient, TickSize } from '@polymarket/clob-client-v2';

/** Tell the client the tick size in force for these tokens (before it builds their orders). */
export function tellTick(client: Pick<ClobClient, 'tickSizes'>, tokenIds: Iterable<string>, tick: TickSize): void {
  for (const tokenId of tokenIds) if (client.tickSizes[tokenId] !== tick) client.tickSizes[tokenId] = tick;
}
