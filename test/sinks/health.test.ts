// /healthz per the spec: 200 when every feed is healthy, or when halted with an explicit reason;
// 503 otherwise; the JSON body says why.
import { describe, expect, it } from 'vitest';
import { createMetrics, serveMetrics } from '../../src/sinks/metrics.js';
import { EMPTY_STATUS } from '../../src/sinks/statusView.js';

describe('/healthz', () => {
  it('answers 200 healthy, 200 halted with the reason, 503 when a feed is down without a halt', async () => {
    const m = createMetrics(() => 1_000);
    const server = await serveMetrics(m, 0);
    const get = async () => {
      const r = await fetch(`http://127.0.0.1:${server.port}/healthz`);
      return { code: r.status, body: (await r.json()) as { status: string; reason: string } };
    };
    try {
      m.observe({ kind: 'connection', tsMs: 1, feed: 'market', state: 'up' }, EMPTY_STATUS);
      m.observe({ kind: 'halt', tsMs: 1, reasons: [] }, EMPTY_STATUS);
      expect(await get()).toMatchObject({ code: 200, body: { status: 'ok', reason: 'all feeds healthy' } });
      m.observe({ kind: 'connection', tsMs: 2, feed: 'prices', state: 'down', reason: 'closed' }, EMPTY_STATUS);
      expect(await get()).toMatchObject({ code: 503, body: { status: 'unhealthy', reason: 'prices down' } });
      m.observe({ kind: 'connection', tsMs: 3, feed: 'user', state: 'down' }, EMPTY_STATUS);
      m.observe({ kind: 'halt', tsMs: 3, reasons: ['user_feed_down'] }, EMPTY_STATUS);
      expect(await get()).toMatchObject({
        code: 200,
        body: { status: 'halted', reason: expect.stringMatching(/^halted: user_feed_down \(.*user down/) },
      });
      expect((await fetch(`http://127.0.0.1:${server.port}/nope`)).status).toBe(404);
    } finally {
      await server.close();
    }
  });
});
