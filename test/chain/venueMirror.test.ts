// The simulated venue's trades settled on the EVM: a mirrored account's CONFIRMED buys arrive as real
// outcome tokens, the venue reports the winner on the CTF at resolution, and the bot's engine and sink
// merge and redeem what the chain says it holds.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { startDevChain, type DevChain } from '../../src/chain/devChain.js';
import { connectCtf, oracle } from '../../src/chain/ctf.js';
import { fromUnits } from '../../src/chain/contracts.js';
import { startVenueMirror } from '../../src/chain/venueMirror.js';
import { chainSink } from '../../src/sinks/chainSink.js';
import { EMPTY_MEMORY, inventoryTick, type InventoryLimits } from '../../src/inventory/engine.js';
import { createVenueCore } from '@polymm/venue';
import type { VOrderRequest } from '@polymm/venue';

let chain: DevChain;
beforeAll(async () => {
  chain = await startDevChain();
}, 60_000);
afterAll(async () => {
  await chain?.close();
});

const START = Date.UTC(2026, 10, 24, 20, 0, 0);
const A = '0x000000000000000000000000000000000000000a';
const LIMITS: InventoryLimits = {
  enabled: true,
  minSets: 10,
  maxOpsPerMinute: 6,
  relayerMinSets: 1,
  relayerDailyCap: 100,
  relayerRedeemReserve: 20,
};

describe('venue positions on the chain', () => {
  it('confirmed buys become tokens on chain; the bot merges and, after the reported payout, redeems them', async () => {
    const bot = privateKeyToAccount(generatePrivateKey());
    const owner = bot.address.toLowerCase();
    await chain.fundGas(bot.address);
    const core = createVenueCore({
      startMs: START,
      intervalMs: 60_000,
      participants: false,
      startingBalance: 1000,
      minedDelayMs: 100,
      confirmedDelayMs: 100,
    });
    const mirror = await startVenueMirror(chain, new Map([[owner, bot.address]]));
    core.advance(START + 1000);
    const m = core.markets().find((x) => x.status === 'open')!;
    const order = (o: Pick<VOrderRequest, 'owner' | 'tokenId' | 'side' | 'price' | 'size'>): VOrderRequest => ({
      orderType: 'GTC',
      postOnly: false,
      expirationS: 0,
      ...o,
    });
    core.ensureAccount(A);
    core.ensureAccount(owner);
    core.placeOrder(order({ owner: A, tokenId: m.tokenDown, side: 'BUY', price: 0.45, size: 30 }), START + 1000);
    core.placeOrder(order({ owner, tokenId: m.tokenUp, side: 'BUY', price: 0.6, size: 30 }), START + 1000);
    core.placeOrder(order({ owner: A, tokenId: m.tokenUp, side: 'BUY', price: 0.5, size: 20 }), START + 1000);
    core.placeOrder(order({ owner, tokenId: m.tokenDown, side: 'BUY', price: 0.55, size: 20 }), START + 1000);
    core.advance(START + 2000);
    mirror.apply(core.drainEvents());
    await mirror.idle();
    expect(mirror.stats).toMatchObject({ delivered: 2, errors: 0 });

    const conditionId = mirror.conditionOf(m.conditionId)!;
    const ctf = connectCtf(chain, bot);
    const onChain = await ctf.balances(conditionId);
    const onVenue = core.balance(owner).positions;
    expect([fromUnits(onChain.up), fromUnits(onChain.down)]).toEqual([onVenue[m.tokenUp], onVenue[m.tokenDown]]);
    expect([fromUnits(onChain.up), fromUnits(onChain.down)]).toEqual([30, 20]);

    const sink = chainSink({ ref: chain, account: bot, journal: { past: [], write: () => undefined }, clock: () => 0 });
    const pos = async (resolved: boolean) => {
      const b = await ctf.balances(conditionId);
      return [{ conditionId, up: fromUnits(b.up), down: fromUnits(b.down), endMs: m.endMs, resolved }];
    };
    const t1 = inventoryTick(START + 2000, await pos(false), 'EOA', LIMITS, EMPTY_MEMORY);
    expect(t1.actions).toMatchObject([{ kind: 'merge', sets: 20 }]);
    expect(await sink.execute(t1.actions[0] as never)).toMatchObject({ phase: 'done', proceedsUsdc: 20 });

    // The market ends and resolves on the venue; the venue reports the payout on the CTF.
    core.advance(m.endMs + 120_000);
    const resolved = core.markets().find((x) => x.conditionId === m.conditionId);
    mirror.apply(core.drainEvents());
    await mirror.idle();
    expect(mirror.stats.errors).toBe(0);
    const winner =
      resolved?.winner ??
      core
        .drainEvents()
        .flatMap((e) =>
          e.type === 'marketResolved' && e.market.conditionId === m.conditionId ? [e.market.winner] : [],
        )[0];
    expect(winner).toBeDefined();
    expect(await oracle(chain, chain.operator).payoutDenominator(conditionId)).toBe(1n);
    const t2 = inventoryTick(m.endMs + 120_000, await pos(true), 'EOA', LIMITS, EMPTY_MEMORY);
    expect(t2.actions).toMatchObject([{ kind: 'redeem' }]);
    const redeemed = await sink.execute(t2.actions[0] as never);
    expect(redeemed).toMatchObject({ phase: 'done', proceedsUsdc: winner === 'Up' ? 10 : 0 });
    expect(await ctf.balances(conditionId)).toEqual({
      pusd: BigInt((20 + (winner === 'Up' ? 10 : 0)) * 1e6),
      up: 0n,
      down: 0n,
    });
  }, 60_000);
});
