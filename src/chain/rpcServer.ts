// The dev chain's JSON-RPC over HTTP, served by Node rather than by ganache's own server: Node's
// listening socket reuses its address, so a venue restarted after a crash gets the same port back
// (and the bot, which read the RPC URL once at start, finds its chain again); ganache's server could
// not listen there again while the old connections linger. Single and batched requests; a request the
// provider rejects answers a JSON-RPC error with its code, message and revert data.
import { createServer, type IncomingMessage } from 'node:http';

export interface RpcProvider {
  request(args: { method: string; params?: unknown[] }): Promise<unknown>;
}

export interface RpcServer {
  readonly url: string;
  close(): Promise<void>;
}

interface RpcRequest {
  id?: unknown;
  method?: unknown;
  params?: unknown;
}

const body = (req: IncomingMessage): Promise<string> =>
  new Promise((resolve, reject) => {
    let text = '';
    req.setEncoding('utf8');
    req.on('data', (d: string) => void (text += d));
    req.on('end', () => resolve(text));
    req.on('error', reject);
  });

/** `port`: listen there when free, else on any free port (the URL says which). */
export async function serveRpc(provider: RpcProvider, port?: number): Promise<RpcServer> {
  const one = async (r: RpcRequest): Promise<unknown> => {
    const id = r?.id ?? null;
    if (typeof r?.method !== 'string')
      return { jsonrpc: '2.0', id, error: { code: -32600, message: 'invalid request' } };
    try {
      const params = Array.isArray(r.params) ? (r.params as unknown[]) : [];
      const result = await provider.request({ method: r.method, params });
      return { jsonrpc: '2.0', id, result: result ?? null };
    } catch (e) {
      const err = e as { code?: unknown; message?: unknown; data?: unknown };
      const error = {
        code: typeof err.code === 'number' ? err.code : -32000,
        message: typeof err.message === 'string' ? err.message : String(e),
        ...(err.data !== undefined ? { data: err.data } : {}),
      };
      return { jsonrpc: '2.0', id, error };
    }
  };
  const server = createServer((req, res) => {
    void body(req)
      .then(async (text) => {
        let msg: unknown;
        try {
          msg = JSON.parse(text);
        } catch {
          return { jsonrpc: '2.0', id: null, error: { code: -32700, message: 'parse error' } };
        }
        return Array.isArray(msg) ? Promise.all(msg.map((m) => one(m as RpcRequest))) : one(msg as RpcRequest);
      })
      .then((answer) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify(answer));
      })
      .catch(() => res.destroy());
  });
  const listen = (p: number): Promise<void> =>
    new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(p, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
  await listen(port ?? 0).catch((e: unknown) => {
    if (!port) throw e;
    return listen(0);
  });
  const { port: bound } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${bound}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
