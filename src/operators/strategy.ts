// The strategy operator: input events -> decisions (alpha, desired order sets after the churn
// rules, taker intents, halts). A thin scan over the pure strategy step.
import { mergeMap, scan, type OperatorFunction } from 'rxjs';
import type { Config } from '../config/schema.js';
import type { Feed, InputEvent } from '../domain/index.js';
import {
  initialStrategy,
  stateParams,
  strategyStep,
  type StrategyEvent,
  type StrategyState,
} from '../strategy/step.js';

export function strategy(cfg: Config, requiredFeeds?: readonly Feed[]): OperatorFunction<InputEvent, StrategyEvent> {
  const params = stateParams(cfg);
  return (source) =>
    source.pipe(
      scan(
        (acc: { state: StrategyState; out: StrategyEvent[] }, ev: InputEvent) =>
          strategyStep(acc.state, ev, cfg, params),
        { state: initialStrategy(requiredFeeds), out: [] },
      ),
      mergeMap((step) => step.out),
    );
}
