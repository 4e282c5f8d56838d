// Heartbeat chains as the live CLOB keeps them: a new id per accepted heartbeat; a stale id refused
// with the id expected; an empty id starts the chain afresh.
import { describe, expect, it } from 'vitest';
import { HeartbeatChains } from '../../src/server/heartbeats.js';

describe('heartbeat chains', () => {
  it('answers a new id per heartbeat; the next must carry it; a stale one is refused with the id expected', () => {
    const chains = new HeartbeatChains();
    const first = chains.beat('0xaaaaaaaaaa', '');
    if (!first.ok) throw new Error('the first heartbeat is accepted');
    const second = chains.beat('0xaaaaaaaaaa', first.heartbeatId);
    if (!second.ok) throw new Error('the id just answered is accepted');
    expect(second.heartbeatId).not.toBe(first.heartbeatId);
    expect(chains.beat('0xaaaaaaaaaa', first.heartbeatId)).toEqual({ ok: false, expected: second.heartbeatId });
    // Another account's chain is its own; an empty id starts a chain afresh.
    expect(chains.beat('0xbbbbbbbbbb', 'anything')).toMatchObject({ ok: true });
    const fresh = chains.beat('0xaaaaaaaaaa', '');
    expect(fresh).toMatchObject({ ok: true });
    expect(chains.beat('0xaaaaaaaaaa', second.heartbeatId)).toEqual({
      ok: false,
      expected: fresh.ok ? fresh.heartbeatId : '',
    });
  });
});
