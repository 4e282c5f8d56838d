// Deterministic replay: feed a run's logged inputs through the strategy again and compare what it
// decides with what the run logged. Pure: no clock, no I/O.
import { loadConfig, unredactedFlags } from '../config/load.js';
import { isMergeDone } from '../inventory/positions.js';
import type { Config } from '../config/schema.js';
import type { BotEvent, InputEvent } from '../domain/index.js';
import type { EventLogHeader } from '../sinks/eventLog.js';
import { initialStrategy, stateParams, strategyStep, type StrategyEvent } from '../strategy/step.js';

const INPUT_KINDS = new Set([
  'market',
  'book',
  'tickSize',
  'lastTrade',
  'bestBidAsk',
  'marketResolved',
  'order',
  'fill',
  'tradeStatus',
  'price',
  'clock',
  'connection',
  'stale',
  'heartbeat',
  'position',
  'skip',
  'operatorHalt',
  'inventoryOp', // completed merges only (isMergeDone), as the live strategy sees them
]);
const DECISION_KINDS = new Set(['alpha', 'decision', 'taker', 'halt', 'settlement']);

export const isInput = (ev: BotEvent): ev is InputEvent =>
  INPUT_KINDS.has(ev.kind) && (ev.kind !== 'inventoryOp' || isMergeDone(ev));
export const isDecision = (ev: BotEvent): ev is StrategyEvent => DECISION_KINDS.has(ev.kind);

export interface ReplayResult {
  readonly events: number;
  readonly inputs: number;
  readonly decisions_logged: number;
  readonly decisions_replayed: number;
  readonly mismatches: number;
  /** Logged inputs the strategy could not apply (a malformed line that is JSON): skipped, counted. */
  readonly unusable_inputs: number;
  readonly first_mismatch?: { readonly index: number; readonly logged: unknown; readonly replayed: unknown };
}

export function configOf(header: EventLogHeader | undefined): Config {
  return loadConfig(header ? { flags: unredactedFlags(header.config as Record<string, unknown>) } : {});
}

/** Run the strategy over the logged inputs; compare its outputs with the logged decisions, in order. */
export function replay(events: readonly BotEvent[], header: EventLogHeader | undefined): ReplayResult {
  const cfg = configOf(header);
  const params = stateParams(cfg);
  let state = initialStrategy(header?.requiredFeeds);
  const replayed: string[] = [];
  const logged: string[] = [];
  let inputs = 0;
  let unusable = 0;
  for (const ev of events) {
    if (isInput(ev)) {
      inputs += 1;
      let r;
      try {
        r = strategyStep(state, ev, cfg, params);
      } catch {
        // A hand-edited or corrupted log: the step is pure, so the state before it stands.
        unusable += 1;
        continue;
      }
      state = r.state;
      for (const out of r.out) replayed.push(JSON.stringify(out));
    } else if (isDecision(ev)) logged.push(JSON.stringify(ev));
  }
  let mismatches = Math.abs(replayed.length - logged.length);
  let first: ReplayResult['first_mismatch'];
  for (let i = 0; i < Math.min(replayed.length, logged.length); i++) {
    if (replayed[i] === logged[i]) continue;
    mismatches += 1;
    first ??= { index: i, logged: JSON.parse(logged[i]!) as unknown, replayed: JSON.parse(replayed[i]!) as unknown };
  }
  if (!first && replayed.length !== logged.length) {
    const i = Math.min(replayed.length, logged.length);
    first = {
      index: i,
      logged: logged[i] ? (JSON.parse(logged[i]) as unknown) : null,
      replayed: replayed[i] ? (JSON.parse(replayed[i]) as unknown) : null,
    };
  }
  return {
    events: events.length,
    inputs,
    decisions_logged: logged.length,
    decisions_replayed: replayed.length,
    mismatches,
    unusable_inputs: unusable,
    ...(first ? { first_mismatch: first } : {}),
  };
}
