// The fault matrix's cases: each a fault the live venue produces, injected into the simulated venue
// (or the bot's clock) while the bot trades, and cleared after a while.
import type { Config } from '../../config/schema.js';
import type { BotEvent } from '../../domain/index.js';
import type { RunningVenue } from '@polymm/venue';
import { UsageError } from '../usage.js';
import { runBotKill } from './botKill.js';
import { runVenueKill } from './venueKill.js';
import type { FaultResult } from './run.js';

export interface FaultContext {
  /** The venue now (a restarted venue is a new one on the same port). */
  readonly venue: RunningVenue;
  /** Shift the bot's clock against the venue's, in ms (clock skew). */
  skewBot(ms: number): void;
  /** Repeat an action while the fault lasts (stopped before `clear`). */
  every(ms: number, act: () => void): void;
  /** Do something later in the run (cancelled when the run ends). */
  after(ms: number, act: () => void): void;
}

/** What a case's own check sees of a run. */
export interface RunView {
  readonly events: readonly BotEvent[];
  /** The market the run is about. */
  readonly conditionId: string;
  /** Orders the venue accepted from the bot in other markets after the fault was injected. */
  readonly postedOnOtherMarkets: number;
}

export interface FaultCase {
  readonly name: string;
  readonly describe: string;
  /**
   * Set when the fault blinds the bot (it cannot see the market, its own orders or its liveness):
   * how long after the injection its orders may still rest on the venue. Past that, every order
   * found live counts in `live_while_blind`.
   */
  readonly blindGraceMs?: (cfg: Config) => number;
  /** How long the fault lasts (default 8 s). */
  readonly durationMs?: (cfg: Config) => number;
  /** The least the fault lasts, however short the run (what it checks needs that long). */
  readonly minDurationMs?: number;
  /**
   * Set when the bot cannot quote in this run, and why: it must then post no order at all, and
   * none needs to rest when the fault hits.
   */
  readonly neverQuotes?: string;
  /** Markets of this interval (default 5m). */
  readonly interval?: '1m' | '5m';
  /** The fault lasts through the market's end until its resolution is overdue (then the next market is quoted). */
  readonly throughMarketEnd?: boolean;
  /** Settings of the bot for this case (merged over the matrix's). */
  readonly botFlags?: Record<string, unknown>;
  /** A run of its own (the bot or the venue as a separate process), instead of injecting into the common one. */
  run?(opts: { durationScale?: number }): Promise<FaultResult>;
  /** A check of what the bot did, beyond the matrix columns: undefined when it holds, else what failed. */
  verify?(run: RunView): string | undefined;
  inject(ctx: FaultContext): void | Promise<void>;
  clear(ctx: FaultContext): void | Promise<void>;
}

/** Time the bot needs, beyond a detection limit, to send its cancels and have them answered. */
const CANCEL_SLACK_MS = 2_000;

const knobs = (patch: Record<string, unknown>, undo: Record<string, unknown>) => ({
  inject: ({ venue }: FaultContext) => void venue.faults.set(patch),
  clear: ({ venue }: FaultContext) => void venue.faults.set(undo),
});

/** A socket dropped again and again while the fault lasts (a flapping connection). */
function flapping(kind: 'market' | 'user'): Pick<FaultCase, 'inject' | 'clear'> {
  return {
    inject: ({ venue, every }) => {
      venue.drop([kind]);
      every(1_500, () => venue.drop([kind]));
    },
    clear: () => undefined,
  };
}

/** Accepted reference prices: all positive and sane, none more than `maxMove` from the previous of its source. */
function pricesSane(events: readonly BotEvent[], maxMove: number): string | undefined {
  const last = new Map<string, number>();
  for (const e of events) {
    if (e.kind !== 'price') continue;
    const v = e.tick.price;
    const prev = last.get(e.tick.source);
    if (!(v > 0 && v < 1e7) || (prev !== undefined && Math.abs(v / prev - 1) > maxMove))
      return `an implausible ${e.tick.source} price reached the state: ${v}`;
    last.set(e.tick.source, v);
  }
  return undefined;
}

/** The price feeds of each transport (PolyBolt: Pyth and the Chainlink TWAP; RTDS: Chainlink, its TWAP, Binance). */
const FEEDS = { rtds: ['chainlink', 'chainlink-twap', 'binance'], polybolt: ['pyth', 'chainlink-twap'] } as const;
const KINDS = ['zero', 'negative', '1e12', 'jump'] as const;
const kindOf = (v: number): (typeof KINDS)[number] =>
  v === 0 ? 'zero' : v < 0 ? 'negative' : v >= 1e11 ? '1e12' : 'jump';

/** Every implausible kind skipped (as a suspect price) on every feed of the transport; undefined when so. */
function everyKindSkipped(events: readonly BotEvent[], feeds: readonly string[]): string | undefined {
  const seen = new Map<string, Set<string>>(feeds.map((f) => [f, new Set<string>()]));
  for (const e of events) {
    if (e.kind !== 'skip' || e.suspect === undefined) continue;
    const price = (JSON.parse(e.raw) as { price: number }).price;
    seen.get(e.suspect)?.add(kindOf(price));
  }
  const missing = [...seen].flatMap(([f, k]) => KINDS.filter((x) => !k.has(x)).map((x) => `${f} ${x}`));
  return missing.length ? `implausible prices not skipped: ${missing.join(', ')}` : undefined;
}

/** 0, negative, 1e12 and 20 % jumps on every price feed of one transport: skipped, counted, never used. */
function implausible(transport: 'rtds' | 'polybolt'): Omit<FaultCase, 'name'> {
  return {
    describe: `implausible prices (0, negative, 1e12, a 20 % jump) on every ${transport === 'rtds' ? 'RTDS' : 'PolyBolt'} price feed`,
    // Every other price of each feed is bad, the kinds in turn: 9 s show each kind on a 1 s feed.
    minDurationMs: 9_000,
    // A suspect feed holds quoting 4 s (matrix timescale), so that quoting comes back in the run.
    botFlags: {
      prices: { transport, suspectHoldMs: 4_000, ...(transport === 'polybolt' ? { fastSource: 'pyth' } : {}) },
    },
    ...(transport === 'polybolt'
      ? { neverQuotes: 'PolyBolt carries no raw Chainlink price, the settlement source the bot quotes on' }
      : {}),
    verify: ({ events }) => everyKindSkipped(events, FEEDS[transport]) ?? pricesSane(events, 0.1),
    ...knobs({ badPriceRate: 0.5 }, { badPriceRate: 0 }),
  };
}

export const FAULT_CASES: readonly FaultCase[] = [
  {
    name: 'market-ws-dropped',
    describe: 'market WebSocket dropped (every 1.5 s while the fault lasts)',
    ...flapping('market'),
  },
  {
    name: 'user-ws-dropped',
    describe: 'user WebSocket dropped (every 1.5 s while the fault lasts)',
    ...flapping('user'),
  },
  {
    name: 'chainlink-silent',
    describe: 'settlement price feed (Chainlink) silent',
    blindGraceMs: (cfg) => cfg.alpha.chainlinkStaleMs + CANCEL_SLACK_MS,
    ...knobs({ oracleStall: true }, { oracleStall: false }),
  },
  {
    name: 'fast-feed-silent',
    describe: 'fast price feed (Binance) silent',
    ...knobs({ fastStall: true }, { fastStall: false }),
  },
  {
    name: 'rest-5xx',
    describe: 'REST answers 500 to 80 % of calls',
    ...knobs({ http5xxRate: 0.8 }, { http5xxRate: 0 }),
  },
  {
    name: 'rest-slow',
    describe: 'REST answers held back past the client timeout',
    ...knobs({ restDelayMs: 6_000 }, { restDelayMs: 0 }),
  },
  {
    name: 'rest-429',
    describe: 'a burst of 60 answers 429 with Retry-After',
    ...knobs({ http429Burst: 60 }, { http429Burst: 0 }),
  },
  {
    name: 'heartbeat-fail',
    describe: 'heartbeats answered 500',
    blindGraceMs: (cfg) => cfg.heartbeat.graceMs + cfg.heartbeat.intervalMs + CANCEL_SLACK_MS,
    ...knobs({ heartbeatFail: true }, { heartbeatFail: false }),
  },
  {
    name: 'engine-restart',
    describe: 'weekly engine restart: 425 on order endpoints, then post-only mode',
    inject: ({ venue }) => void venue.faults.set({ engineRestart: true }),
    clear: ({ venue, after }) => {
      venue.faults.set({ engineRestart: false, postOnlyMode: true });
      after(4_000, () => venue.faults.set({ postOnlyMode: false }));
    },
  },
  {
    name: 'cancel-only',
    describe: 'cancel-only mode: new orders answer 503',
    ...knobs({ cancelOnly: true }, { cancelOnly: false }),
  },
  {
    name: 'ws-disorder',
    describe: 'duplicate, out-of-order and delayed WebSocket messages',
    ...knobs({ duplicateRate: 0.2, reorderRate: 0.2, delayMs: 150 }, { duplicateRate: 0, reorderRate: 0, delayMs: 0 }),
  },
  {
    name: 'malformed-frames',
    describe: 'malformed, truncated and unknown frames on every socket',
    ...knobs({ malformedRate: 0.3 }, { malformedRate: 0 }),
  },
  {
    name: 'trade-failed',
    describe: 'matched trades FAIL after MATCHED (reversed)',
    ...knobs({ tradeFailRate: 1 }, { tradeFailRate: 0 }),
  },
  {
    name: 'clock-skew',
    describe: "the bot's clock 8 s behind the venue's",
    inject: (ctx) => ctx.skewBot(-8_000),
    clear: (ctx) => ctx.skewBot(0),
  },
  {
    name: 'venue-restart',
    describe:
      'the venue process (`polymm venue`) SIGKILLed under the bot and restarted on the same port from its persistent store, its dev chain with it',
    run: runVenueKill,
    inject: () => undefined,
    clear: () => undefined,
  },
  {
    name: 'resolution-never',
    describe: 'the market never resolves (the venue publishes no outcome); the next market opens',
    interval: '1m',
    throughMarketEnd: true,
    // One-minute markets move fast: requote at most every 3 s, so that a quiet instant exists to compare with the venue.
    botFlags: { churn: { minUpdateIntervalMs: 3_000 } },
    verify: ({ events, conditionId, postedOnOtherMarkets }) => {
      const reported = events.some(
        (e) => e.kind === 'settlement' && e.conditionId === conditionId && e.problem?.startsWith('resolution overdue'),
      );
      if (!reported) return 'the overdue resolution was not reported';
      return postedOnOtherMarkets > 0 ? undefined : 'the next market was not quoted';
    },
    ...knobs({ resolutionDelayMs: -1 }, { resolutionDelayMs: 0 }),
  },
  { ...implausible('rtds'), name: 'implausible-prices' },
  { ...implausible('polybolt'), name: 'implausible-polybolt' },
  {
    name: 'venue-clock-jump',
    describe: "the venue's clock jumps 5 s ahead mid-run (and back)",
    verify: ({ events }) =>
      events.some((e) => e.kind === 'halt' && e.reasons.includes('clock_skew')) ? undefined : 'no clock_skew pause',
    ...knobs({ clockOffsetMs: 5_000 }, { clockOffsetMs: 0 }),
  },
  {
    name: 'bot-kill',
    describe: 'the bot SIGKILLed while a batch of orders goes out, and started again at once on the same wallet',
    run: runBotKill,
    inject: () => undefined,
    clear: () => undefined,
  },
  {
    name: 'geoblock',
    describe: 'trading endpoints answer 403 (restricted region)',
    ...knobs({ geoblock: true }, { geoblock: false }),
  },
  {
    name: 'market-ws-silent',
    describe: 'market WebSocket connected but silent',
    blindGraceMs: (cfg) => cfg.market.bookStaleMs + CANCEL_SLACK_MS,
    durationMs: (cfg) => cfg.market.bookStaleMs + CANCEL_SLACK_MS + 4_000,
    ...knobs({ silent: 'market' }, { silent: '' }),
  },
];

/** The cases whose names are listed (all when none); an unknown name is an error naming the valid ones. */
export function selectCases(names: readonly string[] | undefined): FaultCase[] {
  if (!names || names.length === 0) return [...FAULT_CASES];
  return names.map((n) => {
    const c = FAULT_CASES.find((x) => x.name === n);
    if (!c) throw new UsageError(`unknown fault "${n}"; known: ${FAULT_CASES.map((x) => x.name).join(', ')}`);
    return c;
  });
}
