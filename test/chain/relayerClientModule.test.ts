// The relayer client's console is its own: what it writes reaches the given sink and never the
// process's console, which nothing replaces (not even while its calls run); two loads never share one.
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadRelayerClient } from '../../src/chain/relayerClientModule.js';

let server: Server;
let url = '';
beforeAll(async () => {
  // A relayer that refuses everything: the client reports each refusal with console.error.
  server = createServer((_req, res) => {
    res.writeHead(503, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ error: 'down for the test' }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

/** The process's console, looked at (never written to). */
const processConsole = globalThis.console;
const SIGNER = '0x00000000000000000000000000000000000000a1';

describe('the relayer client with a private console', () => {
  it('writes to its own sink, never to the global console', async () => {
    const { log, error } = processConsole;
    const spyLog = vi.spyOn(processConsole, 'log');
    const spyError = vi.spyOn(processConsole, 'error');
    try {
      const a: string[] = [];
      const b: string[] = [];
      const clientA = new (loadRelayerClient((l) => void a.push(l)).relayer.RelayClient)(url, 137);
      const clientB = new (loadRelayerClient((l) => void b.push(l)).relayer.RelayClient)(url, 137);
      const call = clientA.getNonce(SIGNER, 'PROXY');
      // While the call is in flight the process's console is the process's.
      expect(processConsole.log).toBe(spyLog);
      expect(processConsole.error).toBe(spyError);
      await expect(call).rejects.toThrow(/"status":503/);
      expect(a).toHaveLength(1);
      expect(a[0]).toMatch(/^request error .*status: 503/s);
      expect(b).toEqual([]);
      await expect(clientB.getNonce(SIGNER, 'PROXY')).rejects.toThrow(/503/);
      expect(b).toHaveLength(1);
      expect(a).toHaveLength(1);
      expect(spyLog).not.toHaveBeenCalled();
      expect(spyError).not.toHaveBeenCalled();
    } finally {
      vi.restoreAllMocks();
    }
    expect(processConsole.log).toBe(log);
    expect(processConsole.error).toBe(error);
  });

  it('loads the builder signing SDK with it: its headers carry the credentials given', async () => {
    const { signing } = loadRelayerClient(() => undefined);
    const cfg = new signing.BuilderConfig({ localBuilderCreds: { key: 'k', secret: 'c2VjcmV0', passphrase: 'p' } });
    expect(await cfg.generateBuilderHeaders('POST', '/submit', '{}', 1_764_547_200)).toMatchObject({
      POLY_BUILDER_API_KEY: 'k',
      POLY_BUILDER_PASSPHRASE: 'p',
      POLY_BUILDER_TIMESTAMP: '1764547200',
      POLY_BUILDER_SIGNATURE: expect.stringMatching(/^[\w-]+=*$/),
    });
    expect(() => new signing.BuilderConfig({ localBuilderCreds: { key: 'k', secret: ' ', passphrase: 'p' } })).toThrow(
      /invalid local builder credentials/,
    );
  });
});
