// Feed health as events: connection state from socket life (staleness from silence is the
// `staleAfter` operator, src/operators/staleAfter.ts).
import type { ConnectionEvent, Feed, SkipEvent } from '../domain/index.js';
import type { SocketEvent } from './socket.js';

export function connectionEvent(feed: Feed, ev: SocketEvent, tsMs: number): ConnectionEvent | undefined {
  if (ev.type === 'open') return { kind: 'connection', tsMs, feed, state: 'up' };
  if (ev.type === 'closed')
    return { kind: 'connection', tsMs, feed, state: 'down', reason: `${ev.reason}; retry in ${ev.retryInMs}ms` };
  return undefined;
}

export function skipEvent(source: string, reason: string, raw: string, tsMs: number): SkipEvent {
  return { kind: 'skip', tsMs, source, reason, raw };
}
