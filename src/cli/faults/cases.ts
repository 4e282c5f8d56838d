// The fault matrix's cases: each a fault the live venue produces, injected into the simulated venue
// (or the bot's clock) while the bot trades, and cleared after a while.
import type { Config } from '../../config/schema.js';
import type { RunningVenue } from '../../venue/server/index.js';
import { UsageError } from '../usage.js';

export interface FaultContext {
  readonly venue: RunningVenue;
  /** Shift the bot's clock against the venue's, in ms (clock skew). */
  skewBot(ms: number): void;
  /** Repeat an action while the fault lasts (stopped before `clear`). */
  every(ms: number, act: () => void): void;
  /** Do something later in the run (cancelled when the run ends). */
  after(ms: number, act: () => void): void;
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
  inject(ctx: FaultContext): void;
  clear(ctx: FaultContext): void;
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

export const FAULT_CASES: readonly FaultCase[] = [
  { name: 'market-ws-dropped', describe: 'market WebSocket dropped (every 1.5 s while the fault lasts)', ...flapping('market') },
  { name: 'user-ws-dropped', describe: 'user WebSocket dropped (every 1.5 s while the fault lasts)', ...flapping('user') },
  {
    name: 'chainlink-silent', describe: 'settlement price feed (Chainlink) silent',
    blindGraceMs: (cfg) => cfg.alpha.chainlinkStaleMs + CANCEL_SLACK_MS,
    ...knobs({ oracleStall: true }, { oracleStall: false }),
  },
  {
    name: 'fast-feed-silent', describe: 'fast price feed (Binance) silent',
    ...knobs({ fastStall: true }, { fastStall: false }),
  },
  { name: 'rest-5xx', describe: 'REST answers 500 to 80 % of calls', ...knobs({ http5xxRate: 0.8 }, { http5xxRate: 0 }) },
  { name: 'rest-slow', describe: 'REST answers held back past the client timeout', ...knobs({ restDelayMs: 6_000 }, { restDelayMs: 0 }) },
  { name: 'rest-429', describe: 'a burst of 60 answers 429 with Retry-After', ...knobs({ http429Burst: 60 }, { http429Burst: 0 }) },
  {
    name: 'heartbeat-fail', describe: 'heartbeats answered 500',
    blindGraceMs: (cfg) => cfg.heartbeat.graceMs + cfg.heartbeat.intervalMs + CANCEL_SLACK_MS,
    ...knobs({ heartbeatFail: true }, { heartbeatFail: false }),
  },
  {
    name: 'engine-restart', describe: 'weekly engine restart: 425 on order endpoints, then post-only mode',
    inject: ({ venue }) => void venue.faults.set({ engineRestart: true }),
    clear: ({ venue, after }) => {
      venue.faults.set({ engineRestart: false, postOnlyMode: true });
      after(4_000, () => venue.faults.set({ postOnlyMode: false }));
    },
  },
  { name: 'cancel-only', describe: 'cancel-only mode: new orders answer 503', ...knobs({ cancelOnly: true }, { cancelOnly: false }) },
  {
    name: 'ws-disorder', describe: 'duplicate, out-of-order and delayed WebSocket messages',
    ...knobs({ duplicateRate: 0.2, reorderRate: 0.2, delayMs: 150 }, { duplicateRate: 0, reorderRate: 0, delayMs: 0 }),
  },
  { name: 'malformed-frames', describe: 'malformed, truncated and unknown frames on every socket', ...knobs({ malformedRate: 0.3 }, { malformedRate: 0 }) },
  { name: 'trade-failed', describe: 'matched trades FAIL after MATCHED (reversed)', ...knobs({ tradeFailRate: 1 }, { tradeFailRate: 0 }) },
  {
    name: 'clock-skew', describe: "the bot's clock 8 s behind the venue's",
    inject: (ctx) => ctx.skewBot(-8_000),
    clear: (ctx) => ctx.skewBot(0),
  },
  { name: 'geoblock', describe: 'trading endpoints answer 403 (restricted region)', ...knobs({ geoblock: true }, { geoblock: false }) },
  {
    name: 'market-ws-silent', describe: 'market WebSocket connected but silent',
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
