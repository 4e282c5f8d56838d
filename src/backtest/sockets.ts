// In-process WebSockets for backtests: the bot's socket factory (rxjs-websockets' WebSocketLike)
// paired with a server end the venue's SocketHub accepts, so frames are encoded and parsed by the
// very code that runs on loopback. Every frame travels on the virtual clock with a delay.
import type { WebSocketLike } from 'rxjs-websockets';
import type { WebSocket } from 'ws';
import type { SchedulerLike } from 'rxjs';
import type { SocketHub, SocketKind, ValueSocket } from '@polymm/venue/in-process';
import { DecodedFrame } from '../wire/fields.js';

const KIND_BY_PATH: Readonly<Record<string, SocketKind>> = {
  '/ws/market': 'market',
  '/ws/user': 'user',
  '/rtds': 'rtds',
  '/ws': 'polybolt',
};
const OPEN = 1;
const CLOSED = 3;

export interface SocketDelays {
  /** Venue -> bot (market data, user channel, prices). */
  readonly feedMs: number;
  /** Bot -> venue (subscriptions). */
  readonly upstreamMs: number;
}

/**
 * How the venue's messages reach the bot's parsers: `decoded`, as the values the venue encodes
 * (no JSON text in between: a backtest spent a tenth of its time writing and parsing it), or
 * `text`, as JSON text, as on loopback.
 */
export type FrameMode = 'decoded' | 'text';

type Listener = (data: unknown) => void;

/**
 * The server end, shaped like the `ws` WebSocket the hub uses (on, send, close, readyState). The
 * hub hands it messages as values (`sendValue`) when no frame fault is on: the bot's parsers then
 * read the venue's objects without a JSON round trip (the same fields and values; the text path is
 * what the loopback tests and `start` exercise).
 */
class ServerEnd implements ValueSocket {
  readonly OPEN = OPEN;
  readyState = OPEN;
  private readonly listeners = new Map<string, Listener[]>();
  constructor(
    private readonly deliver: (frame: string | DecodedFrame) => void,
    private readonly onClose: () => void,
    private readonly frames: FrameMode,
  ) {}
  on(event: string, fn: Listener): this {
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), fn]);
    return this;
  }
  emit(event: string, data?: unknown): void {
    for (const fn of this.listeners.get(event) ?? []) fn(data);
  }
  send(text: string): void {
    if (this.readyState === OPEN) this.deliver(text);
  }
  sendValue(value: unknown): void {
    if (this.readyState === OPEN)
      this.deliver(this.frames === 'decoded' ? new DecodedFrame(value) : JSON.stringify(value));
  }
  close(): void {
    this.terminate();
  }
  terminate(): void {
    if (this.readyState === CLOSED) return;
    this.readyState = CLOSED;
    this.emit('close');
    this.onClose();
  }
}

/** A socket factory for the bot's streams, connected to `hub` through the virtual clock. */
export function inProcessSockets(
  hub: SocketHub,
  scheduler: SchedulerLike,
  delays: SocketDelays,
  frames: FrameMode = 'decoded',
): (url: string) => WebSocketLike {
  return (url) => {
    const kind = KIND_BY_PATH[new URL(url).pathname];
    let open = true;
    const client: WebSocketLike = {
      onopen: null,
      onclose: null,
      onmessage: null,
      onerror: null,
      send: (data) => {
        const text = String(data);
        if (open) scheduler.schedule(() => open && server.emit('message', Buffer.from(text)), delays.upstreamMs);
      },
      close: () => {
        if (!open) return;
        open = false;
        server.terminate();
      },
    };
    const server = new ServerEnd(
      (frame) => void scheduler.schedule(() => open && client.onmessage?.({ data: frame }), delays.feedMs),
      () => {
        if (!open) return;
        open = false;
        scheduler.schedule(() => client.onclose?.({ code: 1006, reason: 'closed by the venue' }), delays.feedMs);
      },
      frames,
    );
    scheduler.schedule(() => {
      if (!kind) return client.onclose?.({ code: 1006, reason: `no endpoint at ${url}` });
      hub.attach(kind, server as unknown as WebSocket);
      client.onopen?.({});
    }, delays.upstreamMs);
    return client;
  };
}
