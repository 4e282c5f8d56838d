// RTDS: the first frame of a subscription carries a short history (the last minute), so a client
// that connects to a venue whose world started before launch (the embedded default) is warm at once.
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startVenue } from '../src/server/index.js';

describe('RTDS subscribe history', () => {
  it('the subscribe frame carries the last minute of oracle ticks, oldest first', async () => {
    const now = Date.now();
    const venue = await startVenue({
      port: 0,
      tickMs: 20,
      options: { seed: 4, intervalMs: 60_000, participants: false, startMs: now - 90_000 },
    });
    await new Promise((r) => setTimeout(r, 300)); // the venue catches up to now on its first ticks
    const ws = new WebSocket(venue.urls.rtds);
    try {
      await new Promise((r, j) => (ws.once('open', r), ws.once('error', j)));
      const first = new Promise<{ type: string; payload: { data: Array<{ timestamp: number; value: number }> } }>(
        (resolve) =>
          ws.on('message', (b: Buffer) => {
            const m = JSON.parse(b.toString()) as {
              type: string;
              topic: string;
              payload: { data: Array<{ timestamp: number; value: number }> };
            };
            if (m.type === 'subscribe' && m.topic === 'crypto_prices_chainlink') resolve(m);
          }),
      );
      ws.send(
        JSON.stringify({
          action: 'subscribe',
          subscriptions: [{ topic: 'crypto_prices_chainlink', type: '*', filters: '{"symbol":"btc/usd"}' }],
        }),
      );
      const data = (await first).payload.data;
      expect(data.length).toBeGreaterThanOrEqual(50); // about one tick a second
      const ts = data.map((d) => d.timestamp);
      expect(ts).toEqual([...ts].sort((a, b) => a - b));
      expect(ts.at(-1)! - ts[0]!).toBeLessThanOrEqual(60_000);
      expect(ts[0]!).toBeGreaterThanOrEqual(now - 90_000);
    } finally {
      ws.close();
      await venue.close();
    }
  });
});
