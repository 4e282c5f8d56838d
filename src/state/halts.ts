// Why the bot must not quote, read from its state: globally (feeds, heartbeat, risk, operator) and
// per market (resolution rule, price to beat, books).
import type { GlobalHalt, MarketHalt } from '../domain/index.js';
import { resolutionOf } from '../domain/index.js';
import type { BotState, MarketState } from './botState.js';

/** Global reasons not to quote at all; empty when healthy. */
export function globalHalts(s: BotState): GlobalHalt[] {
  const out: GlobalHalt[] = [];
  if (s.health.down.has('user') || s.health.stale.has('user')) out.push('user_feed_down');
  if (s.health.down.has('market') || s.health.stale.has('market')) out.push('market_feed_down');
  if (s.health.heartbeatDown) out.push('heartbeat_down');
  else if (!s.health.heartbeatOk) out.push('heartbeat_unconfirmed');
  if (s.health.stale.has('clock')) out.push('clock_skew');
  if (s.health.geoblocked) out.push('geoblocked');
  if (s.health.authRefused) out.push('auth_refused');
  if (s.risk.killed) out.push('daily_loss_limit');
  if (s.prices.suspectUntilMs !== undefined && s.nowMs < s.prices.suspectUntilMs) out.push('prices_suspect');
  if (s.operatorHalt !== undefined) out.push('operator_halt');
  return out;
}

/** Reasons specific to one market; empty when it may be quoted. */
export function marketHalts(m: MarketState): MarketHalt[] {
  const out: MarketHalt[] = [];
  const rule = resolutionOf(m.market);
  if (rule.rule === 'unknown') out.push('resolution_unknown');
  if (m.s0 === undefined) out.push(m.s0Missed ? 'no_s0_joined_late' : 'no_s0');
  if (m.settlement.disagree) out.push('s0_disagree');
  if (m.bookUp?.stale || m.bookDown?.stale) out.push('book_stale');
  if (m.resolved) out.push('resolved');
  return out;
}
