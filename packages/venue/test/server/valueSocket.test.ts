// A peer in the same process (ValueSocket) gets the hub's messages as values, equal to the JSON
// text a network peer gets; with a frame fault on, it gets the text, so the fault still happens.
import { describe, expect, it } from 'vitest';
import { CredStore } from '../../src/server/auth.js';
import { FaultController } from '../../src/server/faults.js';
import { SocketHub } from '../../src/server/sockets.js';
import { createVenueCore } from '../../src/core/venue.js';
import { serverSocket } from '../support/serverSocket.js';

function market(faults: ConstructorParameters<typeof FaultController>[0]) {
  const core = createVenueCore({ startMs: 0, seed: 3, scenario: 'calm', intervalMs: 60_000 });
  let now = 0;
  const hub = new SocketHub(
    core,
    new CredStore('t'),
    new FaultController(faults, 1),
    () => '0x0',
    () => now,
  );
  core.advance(100);
  core.drainEvents();
  const m = core.markets().find((x) => x.startMs <= 100 && 100 < x.endMs);
  const subscribe = JSON.stringify({ assets_ids: [m!.tokenUp, m!.tokenDown], type: 'market' });
  const net = serverSocket();
  const local = serverSocket(true);
  for (const p of [net, local]) {
    hub.attach('market', p.ws);
    p.receive(subscribe);
  }
  for (now = 200; now <= 20_000; now += 100) {
    core.advance(now);
    hub.publish(core.drainEvents());
  }
  return { net, local };
}

describe('in-process peers (ValueSocket)', () => {
  it('get values equal to the text a network peer gets', () => {
    const { net, local } = market({});
    expect(net.sent.length).toBeGreaterThan(50);
    expect(local.sent).toEqual([]);
    expect(local.got).toStrictEqual(net.sent.map((t) => JSON.parse(t) as unknown));
  });

  it('get text when a frame fault is on (the malformed frames arrive)', () => {
    const { local } = market({ malformedRate: 0.5 });
    expect(local.got).toEqual([]);
    expect(local.sent.length).toBeGreaterThan(50);
    expect(local.sent.some((t) => !t.startsWith('{') && !t.startsWith('['))).toBe(true);
  });
});
