// Other holes (issue 13 #13): a hung Gamma request times out instead of stalling discovery; the
// presign worker's errors reach a callback (logged and counted); a busy metrics port falls back.
import { describe, expect, it } from 'vitest';
import { VirtualTimeScheduler } from 'rxjs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { discovery$ } from '../../src/streams/discovery.js';
import { silentLogger } from '../../src/sinks/logger.js';
import { startPresigner } from '../../src/sinks/execution/presign.js';
import { createMetrics, serveMetrics } from '../../src/sinks/metrics.js';
import { testConfig } from '../support/events.js';

const listen = (server: Server): Promise<number> =>
  new Promise((r) => server.listen(0, '127.0.0.1', () => r((server.address() as AddressInfo).port)));

describe('Gamma fetch timeout', () => {
  it('a request that never answers fails after market.gammaTimeoutMs (gamma down), and polling goes on', async () => {
    let requests = 0;
    const hung = createServer(() => void (requests += 1)); // accepts, never answers
    const port = await listen(hung);
    let onExit = (): void => undefined;
    try {
      const cfg = testConfig({
        endpoints: { gamma: `http://127.0.0.1:${port}` },
        market: { gammaTimeoutMs: 300, discoveryPollMs: 250 },
      });
      const t0 = Date.now();
      let down: unknown;
      const sub = discovery$(cfg, { clock: () => Date.now(), logger: silentLogger() }).subscribe(
        (e) => void (e.kind === 'connection' && e.state === 'down' && (down ??= e)),
      );
      const until = Date.now() + 10_000;
      while (!down && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
      onExit = () => sub.unsubscribe();
      expect(Date.now() - t0).toBeGreaterThanOrEqual(290);
      expect(down).toMatchObject({ feed: 'gamma', state: 'down' });
      // Not stuck on the hung pair (current and next market): the next polls go out.
      const end = Date.now() + 5_000;
      while (requests < 4 && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
      expect(requests).toBeGreaterThanOrEqual(4);
    } finally {
      onExit();
      hung.closeAllConnections();
      hung.close();
    }
  }, 15_000);
});

describe('Gamma fetch timeout on the injected scheduler', () => {
  it('aborts at gammaTimeoutMs of scheduler time (no wall-clock timer), and a prompt answer leaves no timer behind', async () => {
    const scheduler = new VirtualTimeScheduler();
    const clock = (): number => 1_800_000_000_000 + scheduler.now();
    const aborted: Array<{ atMs: number; name: string }> = [];
    // Never answers; rejects with the signal's reason when aborted (as fetch does).
    const hung = (_url: string | URL | Request, init?: RequestInit): Promise<Response> =>
      new Promise((_, reject) =>
        init?.signal?.addEventListener('abort', () => {
          aborted.push({ atMs: scheduler.now(), name: (init.signal!.reason as Error).name });
          reject(init.signal!.reason as Error);
        }),
      );
    const cfg = testConfig({ market: { gammaTimeoutMs: 700, discoveryPollMs: 60_000 } });
    const events: Array<{ kind: string; state?: string; tsMs: number }> = [];
    const sub = discovery$(cfg, { clock, logger: silentLogger(), scheduler, fetch: hung as typeof fetch }).subscribe(
      (e) => void events.push(e as { kind: string; state?: string; tsMs: number }),
    );
    const runTo = async (t: number): Promise<void> => {
      scheduler.maxFrames = t;
      scheduler.flush();
      for (let i = 0; i < 5; i++) await new Promise((r) => setTimeout(r, 0));
    };
    await runTo(699);
    expect(aborted).toEqual([]);
    await runTo(700);
    // Both slugs (current and next market) time out at 700 ms of scheduler time, as a TimeoutError.
    expect(aborted).toEqual([
      { atMs: 700, name: 'TimeoutError' },
      { atMs: 700, name: 'TimeoutError' },
    ]);
    // With nothing found, the open-markets listing is asked: it times out 700 ms later.
    await runTo(1_400);
    expect(aborted.map((a) => a.atMs)).toEqual([700, 700, 1_400]);
    expect(events.find((e) => e.kind === 'connection')).toMatchObject({ state: 'down' });
    sub.unsubscribe();

    // A fetch that answers at once: its timeout is cancelled, nothing is left on the scheduler.
    const quick = new VirtualTimeScheduler();
    const answered = discovery$(cfg, {
      clock: () => 1_800_000_000_000 + quick.now(),
      logger: silentLogger(),
      scheduler: quick,
      fetch: (() => Promise.resolve(new Response('[]', { status: 200 }))) as typeof fetch,
    }).subscribe();
    quick.maxFrames = 0;
    quick.flush();
    for (let i = 0; i < 5; i++) await new Promise((r) => setTimeout(r, 0));
    const timeouts = quick.actions.filter((a) => !a.closed && (a as unknown as { delay: number }).delay === 700);
    answered.unsubscribe();
    expect(timeouts).toEqual([]);
  });
});

describe('presign worker errors', () => {
  it('a worker that fails is reported through onError (fatal), and counted', async () => {
    const errors: Array<[string, boolean]> = [];
    const p = startPresigner(
      { privateKey: '0xnot-a-key' as `0x${string}`, host: 'http://127.0.0.1:9', chain: 137, signatureType: 0 },
      { maxAgeMs: 30_000, maxEntries: 10, clock: () => Date.now(), onError: (e, fatal) => errors.push([e, fatal]) },
    );
    try {
      const end = Date.now() + 20_000;
      while (errors.length === 0 && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
      expect(errors.length).toBeGreaterThan(0);
      expect(p.stats.errors).toBeGreaterThan(0);
      expect(p.stats.lastError).toBe(errors[0]![0]);
    } finally {
      await p.close();
    }
  }, 30_000);
});

describe('metrics port in use', () => {
  it('falls back to a free port and says which was busy', async () => {
    const other = createServer();
    const busy = await listen(other);
    try {
      const served = await serveMetrics(createMetrics(), busy);
      try {
        expect(served.busyPort).toBe(busy);
        expect(served.port).not.toBe(busy);
        expect((await fetch(`http://127.0.0.1:${served.port}/metrics`)).status).toBe(200);
      } finally {
        await served.close();
      }
    } finally {
      other.close();
    }
  });
});
