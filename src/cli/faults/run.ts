// One fault-matrix run: the simulated venue and the whole bot in one process, on a clock shifted so
// a market opens 1.5 s in; the fault is injected once the bot quotes, cleared later, and the run
// goes on past the market's cutoff before the bot is stopped. What is measured comes from the
// venue's side (orders it accepted, orders resting) and the bot's own events and event log.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generatePrivateKey } from 'viem/accounts';
import { startBot, type Bot } from '../../app.js';
import { loadConfig } from '../../config/load.js';
import type { Config } from '../../config/schema.js';
import type { BotEvent } from '../../domain/index.js';
import { silentLogger } from '../../sinks/logger.js';
import { stateParams } from '../../strategy/step.js';
import { initialState, reduce, type BotState } from '../../state/botState.js';
import { createVenueCore } from '../../venue/core/venue.js';
import type { VenueCore } from '../../venue/core/types.js';
import { startVenue, type RunningVenue } from '../../venue/server/index.js';
import type { FaultCase, FaultContext } from './cases.js';
import { isInput } from '../../replay/replay.js';

export interface FaultResult {
  readonly fault: string;
  /** From injection to the bot's first pause (a halt, or a market quoted with nothing); null if it never paused. */
  readonly paused_ms: number | null;
  /** Most of the bot's orders found resting on the venue past the blind grace period; null if the fault does not blind. */
  readonly live_while_blind: number | null;
  readonly posted_after_cutoff: number;
  readonly posted_after_stop: number;
  /** Events the bot produced that its event log lacks. */
  readonly events_lost: number;
  /** After the fault, the bot's orders and positions equal the venue's. */
  readonly reconciled: boolean;
  /** From clearing the fault to the first order posted again; null if it never paused or never resumed. */
  readonly resumed_ms: number | null;
  /** The bot's orders resting on the venue when the fault hit (a run where it was not quoting proves nothing). */
  readonly live_at_injection: number;
  /** The run's hard checks: quoting when the fault hit; nothing live while blind, nothing after cutoff or stop, nothing lost, reconciled. */
  readonly ok: boolean;
}

export interface RunOptions {
  readonly injectAfterMs?: number;
  /** Scale of the fault's duration (CI runs shorter faults). */
  readonly durationScale?: number;
  readonly seed?: number;
}

const INTERVAL_MS = 300_000;
const START_IN_MS = 1_500;
const RESUME_BUDGET_MS = 12_000;
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

interface Placement {
  readonly owner: string;
  readonly tokenId: string;
  readonly wallMs: number;
  readonly venueMs: number;
}

/** The venue core, with every order it accepts and every cancel-all recorded (the venue's truth). */
function recordingCore(core: VenueCore, placements: Placement[]): VenueCore {
  const place = core.placeOrder.bind(core);
  core.placeOrder = (req, nowMs) => {
    const r = place(req, nowMs);
    if (r.success) placements.push({ owner: req.owner, tokenId: req.tokenId, wallMs: Date.now(), venueMs: nowMs });
    return r;
  };
  return core;
}

async function until(f: () => boolean, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (f()) return true;
    await sleep(50);
  }
  return f();
}

/** The bot's own view (its pure reducer over its inputs) against the venue: same live orders, same positions. */
function agrees(state: BotState, core: VenueCore, owner: string): boolean {
  const venueOrders = new Set(core.openOrders(owner).map((o) => o.id));
  const botOrders = new Set([...state.markets.values()].flatMap((m) => [...m.orders.keys()]));
  const held = core.balance(owner).positions;
  if (venueOrders.size !== botOrders.size || [...venueOrders].some((id) => !botOrders.has(id))) return false;
  return [...state.markets.values()].every((m) =>
    Math.abs((held[m.market.tokenUp] ?? 0) - m.inventory.up.shares) < 1e-6 && Math.abs((held[m.market.tokenDown] ?? 0) - m.inventory.down.shares) < 1e-6,
  );
}

function botConfig(cutoffMs: number): Config {
  return loadConfig({
    flags: {
      sim: { interval: '5m' }, cutoffMs, metricsPort: 0,
      market: { discoveryPollMs: 500 },
      alpha: { minVolSamples: 0 },
      heartbeat: { intervalMs: 500, graceMs: 1_500 },
      rest: { timeoutMs: 2_000 },
      presign: { enabled: false },
      wallet: { privateKey: generatePrivateKey() },
      eventLogDir: mkdtempSync(join(tmpdir(), 'polymm-faults-')),
    },
  });
}

export async function runFault(fc: FaultCase, opts: RunOptions = {}): Promise<FaultResult> {
  const injectAfterMs = opts.injectAfterMs ?? 6_000;
  const scale = opts.durationScale ?? 1;
  // The cutoff falls a resume budget after the fault ends, so every run also crosses a cutoff.
  const probe = botConfig(60_000);
  // A blinding fault lasts past its grace period, however short the run.
  const durationMs = Math.max(Math.round((fc.durationMs?.(probe) ?? 8_000) * scale), (fc.blindGraceMs?.(probe) ?? 0) + 2_000);
  const quoteWindowMs = START_IN_MS + injectAfterMs + durationMs + RESUME_BUDGET_MS;
  const cfg = { ...probe, cutoffMs: INTERVAL_MS - quoteWindowMs };

  const now = Date.now();
  // The market opens well after the bot could have started; once it has, time jumps forward so the
  // market opens START_IN_MS later (a loaded machine may take seconds to start a bot).
  const marketStart = Math.ceil(now / INTERVAL_MS) * INTERVAL_MS + INTERVAL_MS;
  let offset = marketStart - now - 30_000;
  let skew = 0;
  const venueClock = (): number => Date.now() + offset;
  const botClock = (): number => venueClock() + skew;
  const placements: Placement[] = [];
  const core = recordingCore(
    createVenueCore({ seed: opts.seed ?? 7, scenario: 'calm', intervalMs: INTERVAL_MS, startMs: venueClock(), minedDelayMs: 300, confirmedDelayMs: 300 }),
    placements,
  );
  const venue: RunningVenue = await startVenue({ core, port: 0, clock: venueClock, tickMs: 20 });
  const events: { wallMs: number; ev: BotEvent }[] = [];
  const delays: ReturnType<typeof setTimeout>[] = [];
  let bot: Bot | undefined;
  try {
    bot = await startBot(cfg, { logger: silentLogger(), venue, clock: botClock, serveMetrics: false, onEvent: (ev) => events.push({ wallMs: Date.now(), ev }) });
    offset = Math.max(offset, marketStart - START_IN_MS - Date.now());
    const owner = bot.exchange!.address;
    const market = core.markets().find((m) => m.startMs === marketStart);
    const mine = (): number => core.openOrders(owner).length;
    await until(() => mine() > 0, injectAfterMs + 10_000);
    await sleep(Math.max(0, marketStart + injectAfterMs - venueClock()));

    // Inject, watch for blindness, clear.
    // Timers a fault starts are the run's: repeats end when the fault is cleared, delays with the run.
    const repeats: ReturnType<typeof setInterval>[] = [];
    const ctx: FaultContext = {
      venue,
      skewBot: (ms) => void (skew = ms),
      every: (ms, act) => void repeats.push(setInterval(act, ms)),
      after: (ms, act) => void delays.push(setTimeout(act, ms)),
    };
    const liveAtInjection = mine();
    const injectedAt = Date.now();
    fc.inject(ctx);
    const graceMs = fc.blindGraceMs?.(cfg);
    let liveWhileBlind = 0;
    while (Date.now() < injectedAt + durationMs) {
      if (graceMs !== undefined && Date.now() >= injectedAt + graceMs) liveWhileBlind = Math.max(liveWhileBlind, mine());
      await sleep(100);
    }
    const clearedAt = Date.now();
    repeats.forEach(clearInterval);
    fc.clear(ctx);

    const paused = events.find(({ wallMs, ev }) => wallMs >= injectedAt && ((ev.kind === 'halt' && ev.reasons.length > 0) || (ev.kind === 'decision' && ev.desired.orders.length === 0 && ev.desired.reason !== undefined)));
    // Quoting again: no halt in force and orders resting on the venue.
    const haltReasons = (): readonly string[] => {
      for (let i = events.length - 1; i >= 0; i--) {
        const { ev } = events[i]!;
        if (ev.kind === 'halt') return ev.reasons;
      }
      return [];
    };
    const quoting = (): boolean => haltReasons().length === 0 && mine() > 0;
    const resumedAt = paused && (await until(quoting, RESUME_BUDGET_MS - 2_000)) ? Date.now() : undefined;

    // Reconciled: the bot's reducer over its own inputs agrees with the venue at some instant.
    await sleep(1_000);
    const params = stateParams(cfg);
    let view = initialState();
    let folded = 0;
    const botView = (): BotState => {
      for (; folded < events.length; folded++) {
        const { ev } = events[folded]!;
        if (isInput(ev)) view = reduce(view, ev, params);
      }
      return view;
    };
    const reconciled = await until(() => agrees(botView(), core, owner), 5_000);

    // Past the cutoff, then stop: nothing may be accepted after either.
    const cutoffAt = (market?.endMs ?? marketStart + INTERVAL_MS) - cfg.cutoffMs;
    await sleep(Math.max(0, cutoffAt + 2_000 - venueClock()));
    const logPath = bot.eventLogPath;
    await bot.stop();
    const stoppedAt = Date.now();
    bot = undefined;
    await sleep(500);
    const mineAfter = placements.filter((p) => p.owner === owner);
    const postedAfterCutoff = mineAfter.filter((p) => market && (p.tokenId === market.tokenUp || p.tokenId === market.tokenDown) && p.venueMs >= cutoffAt).length;
    // Orders placed while stop() let in-flight work finish are cancelled by its final cancel-all;
    // what is still resting afterwards, or accepted after stop() returned, was posted after stop.
    const postedAfterStop = core.openOrders(owner).length + mineAfter.filter((p) => p.wallMs > stoppedAt).length;
    const eventsLost = Math.max(0, events.length - (logPath ? loggedEvents(logPath) : 0));
    const result = {
      fault: fc.name,
      paused_ms: paused ? paused.wallMs - injectedAt : null,
      live_while_blind: graceMs === undefined ? null : liveWhileBlind,
      posted_after_cutoff: postedAfterCutoff,
      posted_after_stop: postedAfterStop,
      events_lost: eventsLost,
      reconciled,
      resumed_ms: resumedAt === undefined ? null : resumedAt - clearedAt,
      live_at_injection: liveAtInjection,
    };
    return { ...result, ok: liveAtInjection > 0 && (result.live_while_blind ?? 0) === 0 && postedAfterCutoff === 0 && postedAfterStop === 0 && eventsLost === 0 && reconciled };
  } finally {
    delays.forEach(clearTimeout);
    if (bot) await bot.stop().catch(() => undefined);
    await venue.close();
  }
}


/** Event lines in an event log (the header is not an event). */
function loggedEvents(path: string): number {
  return readFileSync(path, 'utf8').split('\n').filter((l) => l.trim() !== '').length - 1;
}
