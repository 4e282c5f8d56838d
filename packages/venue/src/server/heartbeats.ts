// Heartbeat chains, as the live CLOB keeps them: each accepted heartbeat answers a new
// `heartbeat_id`, and the next heartbeat must carry it. A stale id (the answer that carried the new
// one was lost) is refused with 400 "Invalid Heartbeat ID" and the id expected, so a client can take
// it up. An empty id starts a chain afresh (a client's first heartbeat, or one restarted; what the
// live venue does with an empty id mid-chain is not published: lenient here).

export type HeartbeatAnswer =
  { readonly ok: true; readonly heartbeatId: string } | { readonly ok: false; readonly expected: string };

export class HeartbeatChains {
  private readonly expected = new Map<string, string>();
  private issued = 0;

  beat(owner: string, heartbeatId: string): HeartbeatAnswer {
    const expected = this.expected.get(owner);
    if (heartbeatId !== '' && expected !== undefined && heartbeatId !== expected) return { ok: false, expected };
    this.issued += 1;
    const next = `hb-${this.issued.toString(36)}-${owner.slice(2, 10)}`;
    this.expected.set(owner, next);
    return { ok: true, heartbeatId: next };
  }
}
