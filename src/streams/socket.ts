// One reconnecting WebSocket over rxjs-websockets + ws: sends the subscribe frames on open and
// whatever `outgoing$` emits while connected, keeps alive with PING, reconnects with capped
// exponential backoff and jitter, and reports its life as events. Time comes from the scheduler.
import {
  asyncScheduler,
  catchError,
  concat,
  defer,
  EMPTY,
  interval,
  map,
  merge,
  Observable,
  of,
  retry,
  switchMap,
  throwError,
  timer,
  type SchedulerLike,
} from 'rxjs';
import * as rxws from 'rxjs-websockets';
import { WebSocket } from 'ws';
import { DecodedFrame, type Frame } from '../wire/fields.js';

type Factory = (url: string, protocols: string | string[]) => rxws.WebSocketLike;
type MakeObservable = (
  url: string,
  opts: { protocols: string | string[]; makeWebSocket: Factory },
) => Observable<rxws.GetWebSocketResponses<string>>;
// rxjs-websockets ships CommonJS: under Node ESM its default export sits one level down.
const mod = rxws as unknown as { default: MakeObservable | { default: MakeObservable } };
const makeWebSocketObservable: MakeObservable = typeof mod.default === 'function' ? mod.default : mod.default.default;

export type SocketEvent =
  | { readonly type: 'open'; readonly attempt: number }
  | { readonly type: 'message'; readonly data: Frame }
  | { readonly type: 'closed'; readonly reason: string; readonly retryInMs: number };

/** A received frame: text from a real socket, a decoded value from an in-process one (backtests). */
const frameOf = (data: unknown): Frame => (data instanceof DecodedFrame ? data : String(data));

export interface SocketSpec {
  readonly url: string;
  /** Frames to send after each (re)connect: subscriptions, auth. */
  readonly onOpen: () => readonly string[];
  /** Frames to send while connected (subscription changes). */
  readonly outgoing$?: Observable<string>;
  readonly pingMs: number;
  /** The keepalive frame (default `PING`; PolyBolt takes only JSON op frames: `{"op":"ping"}`). */
  readonly ping?: string;
  readonly backoff?: { readonly initialMs: number; readonly maxMs: number; readonly jitter: number };
}

export interface SocketDeps {
  readonly scheduler?: SchedulerLike;
  readonly random?: () => number;
  readonly makeSocket?: Factory;
}

const defaultFactory: Factory = (url, protocols) => new WebSocket(url, protocols) as unknown as rxws.WebSocketLike;

/** The reconnect back-off of the bot's sockets: 500 ms doubling up to `maxMs` (`sockets.reconnectMaxMs`), jittered down by up to 20 %. */
export const reconnectBackoff = (maxMs: number): NonNullable<SocketSpec['backoff']> => ({
  initialMs: 500,
  maxMs,
  jitter: 0.2,
});

/** Delay before reconnect attempt `n` (0-based): initial * 2^n capped, minus up to `jitter` of it. */
export function backoffMs(
  n: number,
  b: { initialMs: number; maxMs: number; jitter: number },
  random: () => number,
): number {
  const base = Math.min(b.maxMs, b.initialMs * Math.pow(2, n));
  return Math.round(base * (1 - b.jitter * random()));
}

export function socket$(spec: SocketSpec, deps: SocketDeps = {}): Observable<SocketEvent> {
  const scheduler = deps.scheduler ?? asyncScheduler;
  const random = deps.random ?? Math.random;
  const backoff = spec.backoff ?? { initialMs: 500, maxMs: 30_000, jitter: 0.2 };
  const factory = deps.makeSocket ?? defaultFactory;

  return defer(() => {
    // Consecutive attempts that never opened (an open resets it), and the wait before the next one.
    let failures = 0;
    let waitMs = 0;
    const attempt$ = defer(() => {
      let opened = false;
      return makeWebSocketObservable(spec.url, { protocols: [], makeWebSocket: factory }).pipe(
        switchMap((getResponses) => {
          opened = true;
          const attempt = failures;
          failures = 0;
          const out$ = merge(
            of(...spec.onOpen()),
            spec.outgoing$ ?? EMPTY,
            interval(spec.pingMs, scheduler).pipe(map(() => spec.ping ?? 'PING')),
          );
          return concat(
            of<SocketEvent>({ type: 'open', attempt }),
            getResponses(out$).pipe(map((data): SocketEvent => ({ type: 'message', data: frameOf(data) }))),
          );
        }),
        // rxjs-websockets errors on every loss (a server close included); only unsubscribing
        // completes. Report the loss, then let `retry` wait and connect again.
        catchError((err: unknown) => {
          // After an open the back-off starts over; else it grows with each failed attempt.
          waitMs = backoffMs(failures, backoff, random);
          if (!opened) failures += 1;
          const reason = err instanceof Error && err.message ? err.message : 'connection lost';
          return concat(
            of<SocketEvent>({ type: 'closed', reason, retryInMs: waitMs }),
            throwError(() => err),
          );
        }),
      );
    });
    return attempt$.pipe(retry({ delay: () => timer(waitMs, scheduler) }));
  });
}
