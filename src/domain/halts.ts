// Halt reasons as types: every reason the bot stops or freezes quoting is one literal here, so
// the state, the execution sink, metrics and status match them by value (a switch the compiler
// checks), never by searching a string for a word.

/** Reasons that stop quoting on every market; the strategy step emits them in a `halt` event. */
export const GLOBAL_HALTS = [
  'user_feed_down',
  'market_feed_down',
  'heartbeat_down',
  'heartbeat_unconfirmed',
  'geoblocked',
  'auth_refused',
  'daily_loss_limit',
  'prices_suspect',
  'operator_halt',
  'clock_skew',
] as const;
export type GlobalHalt = (typeof GLOBAL_HALTS)[number];

/** Reasons that stop quoting one market (they reach the desired set's `reason`, not a `halt` event). */
export const MARKET_HALTS = [
  'resolution_unknown',
  'no_s0',
  'no_s0_joined_late',
  's0_disagree',
  'book_stale',
  'resolved',
  'vol_warmup',
] as const;
export type MarketHalt = (typeof MARKET_HALTS)[number];

export type HaltReason = GlobalHalt | MarketHalt;

/** What a global halt does to resting orders: cancel them all, or only send no new order. */
export type HaltEffect = 'cancelAll' | 'freeze';

export function haltEffect(reason: GlobalHalt): HaltEffect {
  switch (reason) {
    // The heartbeat missed one beat: the exchange has not cancelled yet, so resting orders stay.
    case 'heartbeat_unconfirmed':
      return 'freeze';
    case 'user_feed_down':
    case 'market_feed_down':
    case 'heartbeat_down':
    case 'geoblocked':
    case 'auth_refused':
    case 'daily_loss_limit':
    case 'prices_suspect':
    case 'operator_halt':
    case 'clock_skew': // our clock and the venue's disagree: the cutoff and every deadline may be wrong
      return 'cancelAll';
  }
}

/** Halt reasons that only freeze: no new order goes out, resting orders stay (cancels still go). */
export const FREEZE_ONLY_HALTS: ReadonlySet<GlobalHalt> = new Set(
  GLOBAL_HALTS.filter((r) => haltEffect(r) === 'freeze'),
);

/** True when these halt reasons call for cancelling every order (not only freezing). */
export const haltCancelsAll = (reasons: readonly GlobalHalt[]): boolean =>
  reasons.some((r) => haltEffect(r) === 'cancelAll');

/** The reasons that cancel (the freeze-only ones dropped): what the strategy quotes nothing for. */
export const cancellingHalts = (reasons: readonly GlobalHalt[]): GlobalHalt[] =>
  reasons.filter((r) => haltEffect(r) === 'cancelAll');

/** A short human name for status lines: what is down for an outage, else the reason itself. */
export function haltLabel(reason: GlobalHalt): string {
  switch (reason) {
    case 'user_feed_down':
      return 'user_feed';
    case 'market_feed_down':
      return 'market_feed';
    case 'heartbeat_down':
      return 'heartbeat';
    default:
      return reason;
  }
}

/** Narrows a string read from outside (an event log line, a test) to a global halt reason. */
export const isGlobalHalt = (s: string): s is GlobalHalt => (GLOBAL_HALTS as readonly string[]).includes(s);
