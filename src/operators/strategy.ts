// The strategy operator: input events -> decisions (alpha, desired order sets after the churn
// rules, taker intents, halts). A thin scan over the pure strategy step.
import { scan, type OperatorFunction } from 'rxjs';
import { mapToMany } from './mapToMany.js';
import type { Config } from '../config/schema.js';
import type { Feed, InputEvent } from '../domain/index.js';
import {
  initialStrategy,
  stateParams,
  strategyStep,
  type StrategyEvent,
  type StrategyState,
} from '../strategy/step.js';

/**
 * An input the step cannot apply (it throws) is skipped: the state before it stands, as in replay,
 * and `onUnusable` hears of it; the pipeline goes on.
 */
export function strategy(
  cfg: Config,
  requiredFeeds?: readonly Feed[],
  onUnusable: (ev: InputEvent, err: unknown) => void = () => {},
): OperatorFunction<InputEvent, StrategyEvent> {
  const params = stateParams(cfg);
  return (source) =>
    source.pipe(
      scan(
        (acc: { state: StrategyState; out: StrategyEvent[] }, ev: InputEvent) => {
          try {
            return strategyStep(acc.state, ev, cfg, params);
          } catch (err) {
            onUnusable(ev, err);
            return { state: acc.state, out: [] };
          }
        },
        { state: initialStrategy(requiredFeeds), out: [] },
      ),
      mapToMany((step) => step.out),
    );
}
