// End to end: the whole bot (streams, strategy, execution through the official client) against the
// simulated venue on loopback. The clock is shifted so a 1-minute market starts 4 s into the test;
// the venue runs without participants so that every counterparty order is the test's own.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/config/load.js';
import { parseEventLog } from '../../src/sinks/eventLog.js';
import { replay } from '../../src/replay/replay.js';
import type { BotEvent, ExecutionEvent, FillEvent } from '../../src/domain/index.js';
import { startBot, type Bot } from '../../src/app.js';
import { silentLogger } from '../../src/sinks/logger.js';
import type { RunSummary } from '../../src/sinks/summary.js';
import { startVenue, type RunningVenue } from '@polymm/venue';
import type { VMarket } from '@polymm/venue';
import { sleep, until } from '../support/wait.js';

const INTERVAL = 60_000;
const CUTOFF = 35_000;
const HEARTBEAT_MS = 500;
const GRACE_MS = 1_000;
let offset = 0;
const clock = (): number => Date.now() + offset;
let venue: RunningVenue;
let bot: Bot;
let market: VMarket;
const events: BotEvent[] = [];
let summary: RunSummary;

const me = (): string => bot.exchange!.address;
const open = () => venue.core.openOrders(me(), { conditionId: market.conditionId });
const executions = (f: (e: ExecutionEvent) => boolean = () => true) =>
  events.filter((e): e is ExecutionEvent => e.kind === 'execution' && f(e));
const other = '0x00000000000000000000000000000000000000d4';

beforeAll(async () => {
  // Shift time so that the next 1-minute market starts 4 s from now: starting the bot takes ~1 s,
  // and over 1.5 s on a loaded machine (the market must still be ahead when it is looked up).
  const now = Date.now();
  offset = Math.ceil(now / INTERVAL) * INTERVAL - now - 4_000 + INTERVAL;
  venue = await startVenue({
    port: 0,
    clock,
    tickMs: 20,
    options: { seed: 11, intervalMs: INTERVAL, participants: false, minedDelayMs: 200, confirmedDelayMs: 200 },
  });
  // Chosen before the bot starts: on a loaded machine the start-up may outlast the 1.5 s (the bot
  // then joins the market late and takes Gamma's price to beat, which the tests below allow).
  market = await until(
    () => venue.core.markets().find((m) => m.startMs > clock() && m.startMs - clock() < 5_000),
    2_000,
    'the next market',
  );
  const cfg = loadConfig({
    flags: {
      sim: { interval: '1m' },
      cutoffMs: CUTOFF,
      metricsPort: 0,
      market: { discoveryPollMs: 500, bookStaleMs: 120_000 }, // no participants: the market channel is quiet
      alpha: { minVolSamples: 0 },
      // The whole (1-minute) market is a panic window: the taker test below completes at a bounded loss.
      taker: { minWaitMs: 1_500, panicWindowMs: 60_000, panicMaxLossPerShare: 0.05 },
      heartbeat: { intervalMs: HEARTBEAT_MS, graceMs: GRACE_MS },
      eventLogDir: mkdtempSync(join(tmpdir(), 'polymm-events-')),
    },
  });
  bot = await startBot(cfg, {
    logger: silentLogger(),
    venue,
    clock,
    serveMetrics: false,
    onEvent: (e) => events.push(e),
  });
}, 20_000);

afterAll(async () => {
  summary ??= await bot.stop();
  await venue.close();
});

describe('the bot on the simulated venue', () => {
  it('posts post-only ladders on both tokens once the market starts', async () => {
    // Three levels on each token (a snapshot taken mid re-quote, cancels sent and posts not yet
    // answered, may hold fewer: wait for a settled one rather than sleeping a fixed time).
    const full = (o: ReturnType<typeof open>): boolean =>
      [market.tokenUp, market.tokenDown].every((t) => o.filter((x) => x.tokenId === t).length === 3);
    const orders = await until(
      () => {
        const o = open();
        return full(o) ? o : undefined;
      },
      10_000,
      'three-level ladders on both tokens',
    );
    for (const token of [market.tokenUp, market.tokenDown]) {
      const mine = orders.filter((o) => o.tokenId === token);
      expect(mine.length).toBe(3);
      expect(mine.every((o) => o.side === 'BUY' && o.originalSize >= market.minSize)).toBe(true);
    }
    const up = Math.max(...orders.filter((o) => o.tokenId === market.tokenUp).map((o) => o.price));
    const down = Math.max(...orders.filter((o) => o.tokenId === market.tokenDown).map((o) => o.price));
    expect(up + down).toBeLessThanOrEqual(0.99);
    expect(clock()).toBeGreaterThanOrEqual(market.startMs);
  }, 15_000);

  it('fills update inventory, and unpaired inventory is completed by a FOK within its cap', async () => {
    const bestUp = Math.max(
      ...open()
        .filter((o) => o.tokenId === market.tokenUp)
        .map((o) => o.price),
    );
    const bestDown = Math.max(
      ...open()
        .filter((o) => o.tokenId === market.tokenDown)
        .map((o) => o.price),
    );
    venue.core.ensureAccount(other);
    // Someone buys Down at 1 - our Up bid: a complementary match fills our best Up bid.
    const hit = venue.core.placeOrder(
      {
        owner: other,
        tokenId: market.tokenDown,
        side: 'BUY',
        price: Number((1 - bestUp).toFixed(2)),
        size: 10,
        orderType: 'FAK',
        postOnly: false,
        expirationS: 0,
      },
      clock(),
    );
    expect(hit.success).toBe(true);
    const upFill = await until(
      () => events.find((e): e is FillEvent => e.kind === 'fill' && e.fill.outcome === 'up'),
      5_000,
      'our Up fill',
    );
    // The venue's order price is ticks * tick (0.47 reads 0.47000000000000003): compare as numbers.
    expect(upFill.fill).toMatchObject({ role: 'MAKER', side: 'BUY', size: 10 });
    expect(upFill.fill.price).toBeCloseTo(bestUp, 9);
    // Down is offered just above our Down bids: only a taker order completes the pair.
    expect(venue.core.split(other, market.conditionId, 100, clock()).ok).toBe(true);
    const ask = Number((bestDown + 0.02).toFixed(2));
    expect(
      venue.core.placeOrder(
        {
          owner: other,
          tokenId: market.tokenDown,
          side: 'SELL',
          price: ask,
          size: 50,
          orderType: 'GTC',
          postOnly: true,
          expirationS: 0,
        },
        clock(),
      ).success,
    ).toBe(true);
    const taker = await until(() => executions((e) => e.action === 'taker' && e.ok)[0], 8_000, 'a taker completion');
    expect(taker.orderType).toBe('FOK');
    expect(taker.price).toBeGreaterThanOrEqual(ask);
    // The cap bounds the pair: Up cost + cap + fee - 1 <= the panic allowance (outside it: <= -edge).
    expect(bestUp + taker.price! - 1).toBeLessThanOrEqual(0.05 + 1e-9);
    const downFill = await until(
      () => events.find((e): e is FillEvent => e.kind === 'fill' && e.fill.role === 'TAKER'),
      5_000,
      'the taker fill',
    );
    expect(downFill.fill).toMatchObject({ outcome: 'down', side: 'BUY', price: ask });
    expect(downFill.fill.size).toBeCloseTo(10, 1);
  }, 20_000);

  it('a heartbeat failure pauses the bot within one interval (no new order), cancels all after the grace period, resumes after', async () => {
    await until(() => open().length > 0, 5_000, 'quotes back');
    await fetch(`${venue.urls.control}/faults`, { method: 'POST', body: JSON.stringify({ heartbeatFail: true }) });
    const since = clock();
    const frozen = await until(
      () => events.find((e) => e.kind === 'halt' && e.tsMs >= since && e.reasons.includes('heartbeat_unconfirmed')),
      2_000,
      'the freeze',
    );
    expect(frozen.tsMs - since).toBeLessThanOrEqual(HEARTBEAT_MS + 200);
    const halt = await until(
      () => events.find((e) => e.kind === 'halt' && e.tsMs >= since && e.reasons.includes('heartbeat_down')),
      3_000,
      'the halt',
    );
    expect(halt.tsMs - frozen.tsMs).toBeLessThanOrEqual(GRACE_MS + 200);
    await until(() => open().length === 0, 2_000, 'cancel-all');
    await sleep(1_500);
    expect(executions((e) => (e.action === 'post' || e.action === 'taker') && e.tsMs >= frozen.tsMs)).toEqual([]);
    expect(open()).toEqual([]);
    await fetch(`${venue.urls.control}/faults`, { method: 'POST', body: JSON.stringify({ heartbeatFail: false }) });
    await until(() => open().length > 0, 5_000, 'quoting resumed');
  }, 15_000);

  it('leaves zero live orders after the cutoff, never posts after it, and never trips the dead-man switch', async () => {
    const cut = market.endMs - CUTOFF;
    await until(() => clock() >= cut + 1_000, 30_000, 'the cutoff');
    await until(() => open().length === 0, 3_000, 'no live orders');
    await sleep(1_000);
    expect(open()).toEqual([]);
    expect(
      executions((e) => e.action === 'post' && e.ok && e.conditionId === market.conditionId && e.tsMs >= cut),
    ).toEqual([]);
    expect(venue.core.deadmanFired(me())).toBe(0);
    // The venue meters the signer like Polymarket (Standard tier): the bot's own limiter kept it clear.
    expect(executions((e) => /429|rate limited/i.test(e.error ?? ''))).toEqual([]);
    // Never a trade against ourselves (a taker order matching our own resting bid).
    expect(
      venue.core.trades(me()).filter((t) => t.takerOwner === me() && t.makers.some((m) => m.owner === me())),
    ).toEqual([]);
    summary = await bot.stop();
    expect(summary.live_orders_at_exit).toBe(0);
    expect(summary.orders_after_cutoff).toBe(0);
    expect(summary.fills).toBeGreaterThanOrEqual(2);
    expect(summary.orders_posted).toBeGreaterThan(0);
    expect(summary.heartbeat_failures).toBeGreaterThan(0);
  }, 40_000);

  it('the event log replays deterministically: the same decisions, in the same order', () => {
    const { header, events: logged, bad } = parseEventLog(readFileSync(bot.eventLogPath!, 'utf8'));
    expect(bad).toBe(0);
    expect(header?.requiredFeeds).toEqual(['market', 'user']);
    expect(JSON.stringify(header)).not.toContain(bot.exchange!.creds.secret);
    const r = replay(logged, header);
    expect(r.inputs).toBeGreaterThan(100);
    expect(r.decisions_logged).toBeGreaterThan(10);
    expect(r).toMatchObject({ mismatches: 0, decisions_replayed: r.decisions_logged });
    // And it notices a difference: one settlement price 1% off.
    const i = logged.findIndex(
      (e) => e.kind === 'price' && e.tick.source === 'chainlink' && e.tsMs > market.startMs + 2_000,
    );
    const p = logged[i]!;
    const tampered = p.kind === 'price' ? { ...p, tick: { ...p.tick, price: p.tick.price * 1.01 } } : p;
    expect(replay([...logged.slice(0, i), tampered, ...logged.slice(i + 1)], header).mismatches).toBeGreaterThan(0);
  });
});
