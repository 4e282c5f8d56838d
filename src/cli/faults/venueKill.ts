// The fault matrix's venue-restart case (issue 14 #12): the venue runs as its own process (`polymm
// venue --state-dir …`), the bot trades on it in this process; the venue is SIGKILLed under the bot
// and started again on the same port from its store. The bot pauses while it is gone (feeds and
// heartbeat down), reconciles afterwards (its orders and positions equal the venue's) and resumes.
// The venue's dev chain is off in this run: a restarted venue would start a fresh chain whose
// balances disagree with its restored store (the chain is not persisted).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startBot, type Bot } from '../../app.js';
import type { BotEvent, MarketIdentity } from '../../domain/index.js';
import { isInput } from '../../replay/replay.js';
import { silentLogger } from '../../sinks/logger.js';
import { initialState, reduce, type BotState } from '../../state/botState.js';
import { stateParams } from '../../strategy/step.js';
import type { AccountView } from '@polymm/venue';
import { botConfig, disagreement, loggedEvents, type FaultResult } from './run.js';
import { spawnVenue, type VenueProcess } from './venueProcess.js';

const INTERVAL_MS = 300_000;
/** The market opens this long after the venue starts: room for the bot to start on a loaded machine. */
const OPEN_IN_MS = 12_000;
const INJECT_AFTER_MS = 6_000;
/** Budget to quote again after the restart was begun (a process start under load included). */
const RESUME_BUDGET_MS = 25_000;
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function poll<T>(f: () => Promise<T | undefined>, ms: number): Promise<T | undefined> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await f();
    if (v !== undefined || Date.now() >= end) return v;
    await sleep(100);
  }
}

export async function runVenueKill(opts: { durationScale?: number } = {}): Promise<FaultResult> {
  const downMs = Math.round(8_000 * (opts.durationScale ?? 1));
  const stateDir = mkdtempSync(join(tmpdir(), 'polymm-faults-venue-'));
  const sim = {
    seed: 7,
    scenario: 'calm',
    interval: '5m',
    chain: false,
    weeklyRestart: false,
    firstMarketInMs: OPEN_IN_MS,
  };
  let venue: VenueProcess | undefined = await spawnVenue(stateDir, 0, sim);
  const port = venue.port;
  const urls = venue.urls;
  // The cutoff comes after the fault, the restart and the resume: every run also crosses a cutoff.
  // REST answers get 5 s (not the matrix's 2 s): a venue process just started on a loaded machine
  // answers the first key derivation slowly (seen at a load average of 35).
  const cfg = botConfig(INTERVAL_MS - (INJECT_AFTER_MS + downMs + RESUME_BUDGET_MS + 8_000), '5m', {
    rest: { timeoutMs: 5_000 },
  });
  const events: { wallMs: number; ev: BotEvent }[] = [];
  let bot: Bot | undefined;
  try {
    bot = await startBot(cfg, {
      logger: silentLogger(),
      venue: { urls, close: async () => undefined },
      serveMetrics: false,
      onEvent: (ev) => events.push({ wallMs: Date.now(), ev }),
    });
    const owner = bot.exchange!.address.toLowerCase();
    const params = stateParams(cfg);
    let view: BotState = initialState();
    let folded = 0;
    const botView = (): BotState => {
      for (; folded < events.length; folded++) {
        const { ev } = events[folded]!;
        if (isInput(ev)) view = reduce(view, ev, params);
      }
      return view;
    };
    const account = (): Promise<AccountView | null> => venue?.account(owner) ?? Promise.resolve(null);
    const resting = async (): Promise<AccountView | undefined> => {
      const a = await account();
      return a && a.orders.length > 0 ? a : undefined;
    };
    // The market of the bot's first resting order.
    const first = await poll(resting, OPEN_IN_MS + 30_000);
    const token = first?.orders[0]?.tokenId;
    const market: MarketIdentity | undefined = [...botView().markets.values()]
      .map((m) => m.market)
      .find((m) => m.tokenUp === token || m.tokenDown === token);
    if (!market) throw new Error('venue-restart: the bot never quoted');
    await sleep(Math.max(0, market.startMs + INJECT_AFTER_MS - Date.now()));
    const atInjection = await poll(resting, 5_000);

    const injectedAt = Date.now();
    await venue.kill();
    venue = undefined;
    await sleep(Math.max(0, injectedAt + downMs - Date.now()));
    const clearedAt = Date.now();
    venue = await spawnVenue(stateDir, port, sim);

    const paused = events.find(({ wallMs, ev }) => wallMs >= injectedAt && ev.kind === 'halt' && ev.reasons.length > 0);
    const haltReasons = (): readonly string[] => {
      for (let i = events.length - 1; i >= 0; i--) {
        const { ev } = events[i]!;
        if (ev.kind === 'halt') return ev.reasons;
      }
      return [];
    };
    const quoting = async (): Promise<true | undefined> =>
      haltReasons().length === 0 && (await resting()) ? true : undefined;
    const resumed = paused ? await poll(quoting, Math.max(0, clearedAt + RESUME_BUDGET_MS - Date.now())) : undefined;
    const resumedAt = resumed ? Date.now() : undefined;

    let lastDisagreement: string | undefined = 'the venue did not answer';
    const agrees = async (): Promise<true | undefined> => {
      const a = await account();
      if (a) lastDisagreement = disagreement(botView(), { orders: a.orders.map((o) => o.id), positions: a.positions });
      return a && lastDisagreement === undefined ? true : undefined;
    };
    const reconciled = (await poll(agrees, 5_000)) === true;

    const cutoffAt = market.endMs - cfg.cutoffMs;
    await sleep(Math.max(0, cutoffAt + 2_000 - Date.now()));
    const logPath = bot.eventLogPath;
    await bot.stop();
    const stoppedAt = Date.now();
    bot = undefined;
    await sleep(500);
    const after = await account();
    const late = (after?.accepted ?? []).filter(
      (p) => (p.tokenId === market.tokenUp || p.tokenId === market.tokenDown) && p.atMs >= cutoffAt,
    );
    const postedAfterStop = after
      ? after.orders.length + after.accepted.filter((p) => p.atMs > stoppedAt).length
      : Number.NaN;
    const eventsLost = Math.max(0, events.length - (logPath ? loggedEvents(logPath) : 0));
    const liveAtInjection = atInjection?.orders.length ?? 0;
    const problem = late.length
      ? `posted after cutoff: ${late.map((p) => `${p.orderType} +${p.atMs - cutoffAt} ms`).join(', ')}`
      : reconciled
        ? after
          ? undefined
          : 'the restarted venue did not answer at the end'
        : `not reconciled: ${lastDisagreement}`;
    const ok =
      liveAtInjection > 0 &&
      late.length === 0 &&
      postedAfterStop === 0 &&
      eventsLost === 0 &&
      reconciled &&
      resumedAt !== undefined &&
      problem === undefined;
    return {
      fault: 'venue-restart',
      paused_ms: paused ? paused.wallMs - injectedAt : null,
      live_while_blind: null,
      posted_after_cutoff: late.length,
      posted_after_stop: postedAfterStop,
      events_lost: eventsLost,
      reconciled,
      resumed_ms: resumedAt === undefined ? null : resumedAt - clearedAt,
      live_at_injection: liveAtInjection,
      ok,
      ...(problem ? { problem } : resumedAt === undefined ? { problem: 'never quoted again' } : {}),
    };
  } finally {
    if (bot) await bot.stop().catch(() => undefined);
    await venue?.stop();
  }
}
