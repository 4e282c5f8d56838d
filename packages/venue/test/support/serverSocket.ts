// A server-side socket for SocketHub tests: keeps what the hub sends, as text, or (with `values`)
// as values too (an in-process peer, ValueSocket), and lets the test send it frames.
import type { WebSocket } from 'ws';

export interface TestServerSocket {
  readonly ws: WebSocket;
  /** Frames sent as text. */
  readonly sent: string[];
  /** Messages sent as values (only with `values`). */
  readonly got: unknown[];
  /** A frame from the client. */
  readonly receive: (text: string) => void;
}

export function serverSocket(values = false): TestServerSocket {
  const sent: string[] = [];
  const got: unknown[] = [];
  const on: Record<string, (data: unknown) => void> = {};
  const ws = {
    OPEN: 1,
    readyState: 1,
    on: (event: string, fn: (data: unknown) => void) => ((on[event] = fn), ws),
    send: (text: string) => sent.push(text),
    ...(values ? { sendValue: (v: unknown) => got.push(v) } : {}),
    close: () => undefined,
    terminate: () => undefined,
  };
  return { ws: ws as unknown as WebSocket, sent, got, receive: (text) => on.message?.(Buffer.from(text)) };
}
