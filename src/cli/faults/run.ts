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
import { createVenueCore, startVenue, type RunningVenue, type VenueCore } from '@polymm/venue';
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
  /** venue-restart: after the restart the chain's positions equal the bot's and the venue's (none lost, none twice). */
  readonly chain_reconciled?: boolean;
  /** venue-restart: the shares the bot's address held on chain when they were compared. */
  readonly chain_shares?: number;
  /** The run's hard checks: quoting when the fault hit; nothing live while blind, nothing after cutoff or stop, nothing lost, reconciled; the case's own check. */
  readonly ok: boolean;
  /** What the case's own check found wrong (absent when it held). */
  readonly problem?: string;
}

export interface RunOptions {
  readonly injectAfterMs?: number;
  /** Scale of the fault's duration (CI runs shorter faults). */
  readonly durationScale?: number;
  readonly seed?: number;
}

const INTERVALS_MS = { '1m': 60_000, '5m': 300_000 } as const;
const START_IN_MS = 1_500;
const RESUME_BUDGET_MS = 12_000;
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export interface Placement {
  readonly owner: string;
  readonly tokenId: string;
  readonly wallMs: number;
  readonly venueMs: number;
  readonly orderType: string;
}

/** The venue core, with every order it accepts and every cancel-all recorded (the venue's truth). */
export function recordingCore(core: VenueCore, placements: Placement[]): VenueCore {
  const place = core.placeOrder.bind(core);
  core.placeOrder = (req, nowMs) => {
    const r = place(req, nowMs);
    if (r.success)
      placements.push({
        owner: req.owner,
        tokenId: req.tokenId,
        wallMs: Date.now(),
        venueMs: nowMs,
        orderType: req.orderType,
      });
    return r;
  };
  return core;
}

export async function until(f: () => boolean, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (f()) return true;
    await sleep(50);
  }
  return f();
}

/** What the venue holds for the bot: its resting orders (ids) and its positions. */
export interface VenueHolding {
  readonly orders: readonly string[];
  readonly positions: Readonly<Record<string, number>>;
}

export const coreHolding = (core: VenueCore, owner: string): VenueHolding => ({
  orders: core.openOrders(owner).map((o) => o.id),
  positions: core.balance(owner).positions,
});

/** The bot's own view (its pure reducer over its inputs) against the venue: same live orders, same positions. */
export function disagreement(state: BotState, venue: VenueHolding): string | undefined {
  const venueOrders = new Set(venue.orders);
  const botOrders = new Set([...state.markets.values()].flatMap((m) => [...m.orders.keys()]));
  const held = venue.positions;
  if (venueOrders.size !== botOrders.size || [...venueOrders].some((id) => !botOrders.has(id))) {
    const only = (a: Set<string>, b: Set<string>): string =>
      [...a]
        .filter((id) => !b.has(id))
        .map((id) => id.slice(0, 10))
        .join(' ');
    return `orders: venue ${venueOrders.size}, bot ${botOrders.size} (venue only: ${only(venueOrders, botOrders)}; bot only: ${only(botOrders, venueOrders)})`;
  }
  for (const m of state.markets.values()) {
    // A resolved market's shares are realized by the bot; on the venue they wait for redemption.
    if (m.resolved) continue;
    const [up, down] = [held[m.market.tokenUp] ?? 0, held[m.market.tokenDown] ?? 0];
    if (Math.abs(up - m.inventory.up.shares) >= 1e-6 || Math.abs(down - m.inventory.down.shares) >= 1e-6)
      return `${m.market.slug}: venue holds ${up}/${down}, bot ${m.inventory.up.shares}/${m.inventory.down.shares}`;
  }
  return undefined;
}

export function botConfig(
  cutoffMs: number,
  interval: keyof typeof INTERVALS_MS,
  extra: Record<string, unknown> = {},
): Config {
  return loadConfig({
    flags: merge(
      {
        sim: { interval },
        cutoffMs,
        metricsPort: 0,
        // Re-measure the clock offset every 2 s; report a resolution 5 s overdue (matrix timescales).
        clockSkew: { recheckMs: 2_000 },
        market: { discoveryPollMs: 500, resolutionOverdueMs: 5_000 },
        alpha: { minVolSamples: 0 },
        heartbeat: { intervalMs: 500, graceMs: 1_500 },
        rest: { timeoutMs: 2_000 },
        presign: { enabled: false },
        wallet: { privateKey: generatePrivateKey() },
        eventLogDir: mkdtempSync(join(tmpdir(), 'polymm-faults-')),
      },
      extra,
    ),
  });
}

/** `over` merged into `base`, objects key by key. */
function merge(base: Record<string, unknown>, over: Record<string, unknown>): Record<string, unknown> {
  const out = { ...base };
  for (const [k, v] of Object.entries(over)) {
    const b = out[k];
    out[k] =
      v && typeof v === 'object' && !Array.isArray(v) && b && typeof b === 'object'
        ? merge(b as Record<string, unknown>, v as Record<string, unknown>)
        : v;
  }
  return out;
}

export async function runFault(fc: FaultCase, opts: RunOptions = {}): Promise<FaultResult> {
  const injectAfterMs = opts.injectAfterMs ?? 6_000;
  const scale = opts.durationScale ?? 1;
  // The cutoff falls a resume budget after the fault ends, so every run also crosses a cutoff.
  const interval = fc.interval ?? '5m';
  const INTERVAL_MS = INTERVALS_MS[interval];
  const probe = botConfig(60_000, interval, fc.botFlags);
  // A blinding fault lasts past its grace period, however short the run.
  const durationMs = Math.max(
    Math.round((fc.durationMs?.(probe) ?? 8_000) * scale),
    (fc.blindGraceMs?.(probe) ?? 0) + 2_000,
    fc.minDurationMs ?? 0,
  );
  const quoteWindowMs = START_IN_MS + injectAfterMs + durationMs + RESUME_BUDGET_MS;
  // A fault through the market's end: the market is quoted until 10 s before its end.
  const cfg = { ...probe, cutoffMs: fc.throughMarketEnd ? 10_000 : INTERVAL_MS - quoteWindowMs };

  const now = Date.now();
  // The market opens well after the bot could have started; once it has, time jumps forward so the
  // market opens START_IN_MS later (a loaded machine may take seconds to start a bot).
  const marketStart = Math.ceil(now / INTERVAL_MS) * INTERVAL_MS + INTERVAL_MS;
  let offset = marketStart - now - 30_000;
  let skew = 0;
  const venueClock = (): number => Date.now() + offset;
  const botClock = (): number => venueClock() + skew;
  const placements: Placement[] = [];
  const seed = opts.seed ?? 7;
  const launch = async (port: number): Promise<RunningVenue> => {
    const core = createVenueCore({
      seed,
      scenario: 'calm',
      intervalMs: INTERVAL_MS,
      startMs: venueClock(),
      minedDelayMs: 300,
      confirmedDelayMs: 300,
    });
    return startVenue({ core: recordingCore(core, placements), port, clock: venueClock, tickMs: 20 });
  };
  const venue: RunningVenue = await launch(0);
  const core = venue.core;
  const events: { wallMs: number; ev: BotEvent }[] = [];
  const delays: ReturnType<typeof setTimeout>[] = [];
  let bot: Bot | undefined;
  try {
    bot = await startBot(cfg, {
      logger: silentLogger(),
      venue,
      clock: botClock,
      serveMetrics: false,
      onEvent: (ev) => events.push({ wallMs: Date.now(), ev }),
    });
    offset = Math.max(offset, marketStart - START_IN_MS - Date.now());
    const owner = bot.exchange!.address;
    const market = core.markets().find((m) => m.startMs === marketStart);
    const mine = (): number => core.openOrders(owner).length;
    const quotes = fc.neverQuotes === undefined;
    if (quotes) await until(() => mine() > 0, injectAfterMs + 10_000);
    await sleep(Math.max(0, marketStart + injectAfterMs - venueClock()));
    // Inject while orders rest: a re-quote in flight at that instant (cancels answered, posts not
    // yet) shows none, and the case would then prove nothing (seen under load in CI's short matrix).
    if (quotes) await until(() => mine() > 0, 5_000);

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
    // Through the market's end: until its resolution is overdue, and a little more.
    const faultMs = fc.throughMarketEnd
      ? Math.max(durationMs, marketStart + INTERVAL_MS - venueClock() + cfg.market.resolutionOverdueMs + 3_000)
      : durationMs;
    await fc.inject(ctx);
    const graceMs = fc.blindGraceMs?.(cfg);
    let liveWhileBlind = 0;
    while (Date.now() < injectedAt + faultMs) {
      if (graceMs !== undefined && Date.now() >= injectedAt + graceMs)
        liveWhileBlind = Math.max(liveWhileBlind, mine());
      await sleep(100);
    }
    const clearedAt = Date.now();
    repeats.forEach(clearInterval);
    await fc.clear(ctx);

    const paused = events.find(
      ({ wallMs, ev }) =>
        wallMs >= injectedAt &&
        ((ev.kind === 'halt' && ev.reasons.length > 0) ||
          (ev.kind === 'decision' && ev.desired.orders.length === 0 && ev.desired.reason !== undefined)),
    );
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
    let lastDisagreement: string | undefined;
    const reconciled = await until(
      () => (lastDisagreement = disagreement(botView(), coreHolding(core, owner))) === undefined,
      5_000,
    );

    // Past the cutoff, then stop: nothing may be accepted after either.
    const cutoffAt = (market?.endMs ?? marketStart + INTERVAL_MS) - cfg.cutoffMs;
    await sleep(Math.max(0, cutoffAt + 2_000 - venueClock()));
    const logPath = bot.eventLogPath;
    await bot.stop();
    const stoppedAt = Date.now();
    bot = undefined;
    await sleep(500);
    const mineAfter = placements.filter((p) => p.owner === owner);
    const lateOnes = mineAfter.filter(
      (p) => market && (p.tokenId === market.tokenUp || p.tokenId === market.tokenDown) && p.venueMs >= cutoffAt,
    );
    const postedAfterCutoff = lateOnes.length;
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
    const onMarket = (p: Placement): boolean =>
      Boolean(market && (p.tokenId === market.tokenUp || p.tokenId === market.tokenDown));
    const late = lateOnes.length
      ? `posted after cutoff: ${lateOnes.map((p) => `${p.orderType} +${p.venueMs - cutoffAt} ms`).join(', ')}`
      : undefined;
    const problem =
      late ??
      (quotes || mineAfter.length === 0
        ? undefined
        : `${mineAfter.length} orders posted where the bot cannot quote (${fc.neverQuotes})`) ??
      (reconciled ? undefined : `not reconciled: ${lastDisagreement} (the run's market: ${market?.slug ?? '?'})`) ??
      fc.verify?.({
        events: events.map((e) => e.ev),
        conditionId: market?.conditionId ?? '',
        postedOnOtherMarkets: mineAfter.filter((p) => p.wallMs >= injectedAt && !onMarket(p)).length,
      });
    const ok =
      (quotes ? liveAtInjection > 0 : mineAfter.length === 0) &&
      (result.live_while_blind ?? 0) === 0 &&
      postedAfterCutoff === 0 &&
      postedAfterStop === 0 &&
      eventsLost === 0 &&
      reconciled &&
      problem === undefined;
    return { ...result, ok, ...(problem ? { problem } : {}) };
  } finally {
    delays.forEach(clearTimeout);
    if (bot) await bot.stop().catch(() => undefined);
    await venue.close();
  }
}

/** Event lines in an event log (the header is not an event). */
export function loggedEvents(path: string): number {
  return (
    readFileSync(path, 'utf8')
      .split('\n')
      .filter((l) => l.trim() !== '').length - 1
  );
}
