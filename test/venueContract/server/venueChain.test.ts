// The simulated venue started with its chain: the real ConditionalTokens answer on the RPC URL it
// publishes, and the markets it opens are prepared there as conditions.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPublicClient, http, keccak256, toHex, type Hex } from 'viem';
import { startVenue, type RunningVenue } from '@polymm/venue';
import { startVenueChain } from '../../../src/chain/venueChain.js';
import { CONDITIONAL_TOKENS } from '../../../src/chain/contracts.js';

let venue: RunningVenue;
beforeAll(async () => {
  venue = await startVenue({
    chain: (onError) => startVenueChain({ onError }),
    options: { seed: 3, intervalMs: 60_000, scheduleOriginMs: Date.now() - 1_000 },
  });
}, 60_000);
afterAll(async () => {
  await venue?.close();
});

describe('venue chain', () => {
  it('publishes the chain settings and prepares a condition per market', async () => {
    const c = venue.chain!;
    expect(c).toMatchObject({
      chainId: 31_337,
      rpcUrl: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/) as unknown,
    });
    const pc = createPublicClient({ transport: http(c.rpcUrl) });
    expect(await pc.getChainId()).toBe(31_337);
    expect((await pc.getCode({ address: c.ctf }))?.length ?? 0).toBeGreaterThan(2);
    // Wait (bounded) for the venue's first market and for its condition to be prepared on chain.
    const deadline = Date.now() + 20_000;
    let slots = 0n;
    while (Date.now() < deadline && slots === 0n) {
      const market = venue.core.markets()[0];
      if (!market) {
        await new Promise((r) => setTimeout(r, 100));
        continue;
      }
      const question = keccak256(toHex(market.conditionId));
      const logs = await pc.getContractEvents({
        address: c.ctf,
        abi: CONDITIONAL_TOKENS.abi,
        eventName: 'ConditionPreparation',
        fromBlock: 0n,
      });
      const mine = logs.find((l) => (l.args as { questionId: Hex }).questionId === question);
      if (mine) slots = (mine.args as { outcomeSlotCount: bigint }).outcomeSlotCount;
      else await new Promise((r) => setTimeout(r, 200));
    }
    expect(slots).toBe(2n);
  }, 60_000);
});
