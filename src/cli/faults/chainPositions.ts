// What an address holds of the venue's markets on the venue's dev chain, read from the
// ConditionalTokens contract: the fault matrix compares it with the bot's positions and the venue's
// after a venue restart (the chain must have kept them, and delivered no trade twice).
import { createPublicClient, http, keccak256, toHex, type Address, type Hex } from 'viem';
import type { ChainInfo } from '@polymm/venue';
import { CONDITIONAL_TOKENS, PARTITION, ZERO_BYTES32, fromUnits } from '../../chain/contracts.js';

export type ChainPositions = (venueConditionId: string) => Promise<{ up: number; down: number }>;

/** Shares of `owner` per venue market on the chain `c` (a market never created there holds none). */
export function chainPositions(c: ChainInfo, owner: Address): ChainPositions {
  const pc = createPublicClient({ transport: http(c.rpcUrl, { retryCount: 0, timeout: 2_000 }) });
  const read = <T>(functionName: string, args: readonly unknown[]): Promise<T> =>
    pc.readContract({ address: c.ctf, abi: CONDITIONAL_TOKENS.abi, functionName, args }) as Promise<T>;
  return async (venueConditionId) => {
    const condition = await read<Hex>('getConditionId', [c.conditionOracle, keccak256(toHex(venueConditionId)), 2n]);
    const [up, down] = await Promise.all(
      PARTITION.map(async (set) => {
        const collection = await read<Hex>('getCollectionId', [ZERO_BYTES32, condition, set]);
        const id = await read<bigint>('getPositionId', [c.collateral, collection]);
        return fromUnits(await read<bigint>('balanceOf', [owner, id]));
      }),
    );
    return { up: up!, down: down! };
  };
}
