// On a real EVM (ganache in-process) with the real ConditionalTokens bytecode and pUSD: split, trade
// (outcome tokens moved to the bot), merge through the bot's sink, payouts reported, redeem through
// the sink; balances read back from the contracts. A crash between sending a merge and its receipt
// does not merge twice after the restart.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keccak256, toHex } from 'viem';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { startDevChain, type DevChain } from '../../src/chain/devChain.js';
import { connectCtf, oracle } from '../../src/chain/ctf.js';
import { toUnits } from '../../src/chain/contracts.js';
import { chainSink, type OpJournal } from '../../src/sinks/chainSink.js';
import {
  EMPTY_MEMORY,
  actionFinished,
  inventoryTick,
  type ChainPosition,
  type InventoryLimits,
} from '../../src/inventory/engine.js';
import type { InventoryOpEvent } from '../../src/domain/index.js';
import { until } from '../support/wait.js';

let chain: DevChain;
beforeAll(async () => {
  chain = await startDevChain();
}, 60_000);
afterAll(async () => {
  await chain?.close();
});

const LIMITS: InventoryLimits = {
  enabled: true,
  minSets: 10,
  maxOpsPerMinute: 6,
  relayerMinSets: 1,
  relayerDailyCap: 100,
  relayerRedeemReserve: 20,
};
const journal = (past: InventoryOpEvent[] = []): OpJournal & { events: InventoryOpEvent[] } => {
  const events = [...past];
  return { past: [...past], events, write: (e) => void events.push(e) };
};

async function setup(slug: string) {
  const venue = oracle(chain, chain.operator);
  const questionId = keccak256(toHex(slug));
  const conditionId = await venue.prepare(questionId);
  const bot = privateKeyToAccount(generatePrivateKey());
  await chain.fundGas(bot.address);
  await venue.mintPusd(bot.address, toUnits(100));
  await venue.mintPusd(chain.operator.address, toUnits(1_000));
  await venue.ctf.approveCollateral();
  const botCtf = connectCtf(chain, bot);
  await botCtf.approveCollateral();
  return { venue, questionId, conditionId, bot, botCtf };
}

describe('merge and redeem through the sink on the EVM', () => {
  it('split, trade, merge, report payouts, redeem: balances read back from the contracts', async () => {
    const { venue, questionId, conditionId, bot, botCtf } = await setup('btc-updown-15m-1');
    await botCtf.split(conditionId, toUnits(10)); // the bot splits 10 sets itself …
    await venue.ctf.split(conditionId, toUnits(100)); // … and buys 30 Up, 25 Down from the venue's sets
    const [upId, downId] = await botCtf.positionIds(conditionId);
    await venue.ctf.transfer(bot.address, upId, toUnits(30));
    await venue.ctf.transfer(bot.address, downId, toUnits(25));
    expect(await botCtf.balances(conditionId)).toEqual({ pusd: toUnits(90), up: toUnits(40), down: toUnits(35) });

    const j = journal();
    const sink = chainSink({ ref: chain, account: bot, journal: j, clock: () => 0 });
    const held = async (resolved: boolean): Promise<ChainPosition> => {
      const b = await botCtf.balances(conditionId);
      return { conditionId, up: Number(b.up) / 1e6, down: Number(b.down) / 1e6, endMs: 2_000, resolved };
    };
    const t1 = inventoryTick(1_000, [await held(false)], 'EOA', LIMITS, EMPTY_MEMORY);
    expect(t1.actions).toEqual([{ kind: 'merge', id: `merge:${conditionId}:0`, conditionId, sets: 35 }]);
    const merged = await sink.execute(t1.actions[0] as never);
    expect(merged).toMatchObject({ phase: 'done', proceedsUsdc: 35 });
    expect(await botCtf.balances(conditionId)).toEqual({ pusd: toUnits(125), up: toUnits(5), down: 0n });

    await venue.reportPayouts(questionId, 'up');
    const t2 = inventoryTick(3_000, [await held(true)], 'EOA', LIMITS, actionFinished(t1.memory, merged.id, true));
    expect(t2.actions).toEqual([{ kind: 'redeem', id: `redeem:${conditionId}`, conditionId }]);
    const redeemed = await sink.execute(t2.actions[0] as never);
    expect(redeemed).toMatchObject({ phase: 'done', proceedsUsdc: 5 });
    expect(await botCtf.balances(conditionId)).toEqual({ pusd: toUnits(130), up: 0n, down: 0n });
    // Done ids are never executed again.
    const nonce = await botCtf.publicClient.getTransactionCount({ address: bot.address });
    expect(await sink.execute(t2.actions[0] as never)).toBe(redeemed);
    expect(await botCtf.publicClient.getTransactionCount({ address: bot.address })).toBe(nonce);
    expect(j.events.map((e) => `${e.action}:${e.phase}`)).toEqual([
      'merge:sent',
      'merge:done',
      'redeem:sent',
      'redeem:done',
    ]);
  }, 60_000);

  it('a crash between sending a merge and its receipt does not merge twice after the restart', async () => {
    const { conditionId, bot, botCtf } = await setup('btc-updown-15m-2');
    await botCtf.split(conditionId, toUnits(50));
    const nonce0 = await botCtf.publicClient.getTransactionCount({ address: bot.address });
    const action = { kind: 'merge' as const, id: `merge:${conditionId}:0`, conditionId, sets: 20 };

    await chain.pauseMining();
    const before = journal();
    const first = chainSink({
      ref: chain,
      account: bot,
      journal: before,
      clock: () => 0,
      receiptTimeoutMs: 1_500,
      maxAttempts: 1,
    });
    const abandoned = first.execute(action); // the process "dies" once the transaction is out
    await until(() => before.events.some((e) => e.phase === 'sent'), 10_000, 'merge sent');
    const atCrash = before.events.filter((e) => e.phase === 'sent');
    expect(atCrash).toHaveLength(1);

    // Restart: a new sink from the journal as the event log had it at the crash.
    const after = journal(atCrash);
    const second = chainSink({ ref: chain, account: bot, journal: after, clock: () => 0 });
    const resumed = second.resume();
    await new Promise((r) => setTimeout(r, 300));
    await chain.resumeMining();
    const [r] = await resumed;
    expect(r).toMatchObject({ id: action.id, phase: 'done', txHash: atCrash[0]!.txHash, proceedsUsdc: 20 });
    // Asked again (the engine re-issuing the id), nothing is sent.
    expect(await second.execute(action)).toMatchObject({ phase: 'done', txHash: atCrash[0]!.txHash });
    await abandoned;
    expect(await botCtf.balances(conditionId)).toEqual({ pusd: toUnits(70), up: toUnits(30), down: toUnits(30) });
    expect(await botCtf.publicClient.getTransactionCount({ address: bot.address })).toBe(nonce0 + 1);
    expect(after.events.filter((e) => e.phase === 'sent')).toHaveLength(1); // only the journaled one
  }, 60_000);
});
