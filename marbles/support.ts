// Marble-test helpers: a TestScheduler wired to vitest, and a fake WebSocket for rxjs-websockets.
import { TestScheduler } from 'rxjs/testing';
import { expect } from 'vitest';
import type { WebSocketLike } from 'rxjs-websockets';

export const newScheduler = (): TestScheduler =>
  new TestScheduler((actual, expected) => expect(actual).toEqual(expected));

export interface FakeSocket extends WebSocketLike {
  readonly url: string;
  readonly createdAt: number;
  readonly sent: Array<{ at: number; data: string }>;
  open(): void;
  fail(reason?: string): void;
  receive(data: string): void;
}

/** A factory of fake sockets; `script` decides what each new socket does, on the scheduler. */
export function fakeSockets(scheduler: TestScheduler, script: (sock: FakeSocket, index: number) => void) {
  const sockets: FakeSocket[] = [];
  const make = (url: string): WebSocketLike => {
    const sock: FakeSocket = {
      url,
      createdAt: scheduler.now(),
      sent: [],
      onopen: null,
      onclose: null,
      onmessage: null,
      onerror: null,
      send: (data) => void sock.sent.push({ at: scheduler.now(), data: String(data) }),
      close: () => undefined,
      open: () => sock.onopen?.({}),
      fail: (reason = 'boom') => sock.onclose?.({ code: 1006, reason }),
      receive: (data) => sock.onmessage?.({ data }),
    };
    sockets.push(sock);
    script(sock, sockets.length - 1);
    return sock;
  };
  return { sockets, make };
}
