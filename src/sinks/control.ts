// The running bot's local control routes (on the metrics port, 127.0.0.1 only): GET /status for
// `polymm status`, POST /halt for `polymm cancel-all`. A halt enters the pipeline as an input
// event (so it is logged and replayed) and latches until restart; the route also cancels at once
// and answers only when the venue shows no open order of ours (or after a bounded wait).
import { EventEmitter } from 'node:events';
import { fromEvent, type Observable } from 'rxjs';
import type { OperatorHaltEvent } from '../domain/index.js';
import type { Exchange, RestOrder } from './execution/exchange.js';
import type { LocalRoutes } from './metrics.js';
import type { OpenOrderView, StatusSnapshot } from './statusView.js';

export interface OperatorControl {
  /** Operator halts, as input events. */
  readonly halt$: Observable<OperatorHaltEvent>;
  readonly routes: LocalRoutes;
}

export interface ControlDeps {
  readonly clock: () => number;
  /** The exchange when the bot trades (undefined in a dry run without a key). */
  readonly exchange?: Exchange;
  readonly live: boolean;
  readonly snapshot: (openOrders: readonly OpenOrderView[] | null, openOrdersError?: string) => StatusSnapshot;
  readonly sleep?: (ms: number) => Promise<void>;
}

const view = (o: RestOrder): OpenOrderView => ({
  orderId: o.orderId,
  market: o.conditionId,
  tokenId: o.tokenId,
  side: o.side,
  price: o.price,
  size: o.size,
  sizeMatched: o.sizeMatched,
});
const message = (err: unknown): string => (err instanceof Error ? err.message : String(err));

export function operatorControl(deps: ControlDeps): OperatorControl {
  const emitter = new EventEmitter();
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const halt$ = fromEvent(emitter, 'halt') as Observable<OperatorHaltEvent>;

  /** Cancel-all, then confirm: a batch in flight at the halt may land after the first cancel. */
  const cancelUntilFlat = async (ex: Exchange): Promise<{ openOrders: number; error?: string }> => {
    let lastError: string | undefined;
    for (let attempt = 0; attempt < 6; attempt++) {
      try {
        await ex.cancelAll();
        const open = await ex.openOrders();
        if (open.length === 0) return { openOrders: 0 };
        lastError = `${open.length} orders still open`;
      } catch (err) {
        lastError = message(err);
      }
      await sleep(250 * (attempt + 1));
    }
    return { openOrders: -1, ...(lastError ? { error: lastError } : {}) };
  };

  const routes: LocalRoutes = {
    'GET /status': async () => {
      if (!deps.exchange) return { status: 200, body: deps.snapshot(null, 'no exchange (dry run without a wallet)') };
      try {
        return { status: 200, body: deps.snapshot((await deps.exchange.openOrders()).map(view)) };
      } catch (err) {
        return { status: 200, body: deps.snapshot(null, message(err)) };
      }
    },
    'POST /halt': async (query) => {
      const reason = query.get('reason') ?? 'operator';
      emitter.emit('halt', { kind: 'operatorHalt', tsMs: deps.clock(), reason } satisfies OperatorHaltEvent);
      if (!deps.exchange || !deps.live) return { status: 200, body: { halted: true, reason, openOrders: null } };
      const r = await cancelUntilFlat(deps.exchange);
      return { status: r.openOrders === 0 ? 200 : 502, body: { halted: true, reason, ...r } };
    },
  };
  return { halt$, routes };
}
