// The market channel's best_bid_ask: as live (where it is a small fraction of price_change), sent
// only when a token's best bid or ask moved since the connection last heard it.
import { describe, expect, it } from 'vitest';
import { CredStore } from '../../src/server/auth.js';
import { FaultController } from '../../src/server/faults.js';
import { SocketHub } from '../../src/server/sockets.js';
import { createVenueCore } from '../../src/core/venue.js';
import type { VenueEvent } from '../../src/core/types.js';
import { serverSocket } from '../support/serverSocket.js';

type Change = Extract<VenueEvent, { type: 'priceChange' }>['changes'][number];
const change = (tokenId: string, price: number, bestBid: number, bestAsk = 0.6): Change => ({
  tokenId,
  side: 'BUY',
  price,
  size: 10,
  bestBid,
  bestAsk,
});

describe('market channel best_bid_ask', () => {
  it('goes out when a token’s best moves, from its last change, and again after a resubscribe', () => {
    const core = createVenueCore({ startMs: 0, participants: false, seed: 1 });
    const hub = new SocketHub(
      core,
      new CredStore('t'),
      new FaultController({}, 1),
      () => '0x0',
      () => 0,
    );
    const { ws, sent, receive } = serverSocket();
    hub.attach('market', ws);
    receive(JSON.stringify({ assets_ids: ['up', 'down'], type: 'market' }));
    const bbas = (): Array<{ asset_id: string; best_bid: string }> => {
      const frames = sent.splice(0).flatMap((t) => [JSON.parse(t) as object].flat());
      return frames.filter((m) => (m as { event_type: string }).event_type === 'best_bid_ask') as never;
    };
    const publish = (...changes: Change[]): void =>
      hub.publish([{ type: 'priceChange', tsMs: 1, conditionId: 'c', changes }]);

    publish(change('up', 0.5, 0.5), change('up', 0.51, 0.51), change('down', 0.4, 0.4));
    expect(bbas().map((m) => [m.asset_id, m.best_bid])).toEqual([
      ['up', '0.51'],
      ['down', '0.4'],
    ]);
    publish(change('up', 0.45, 0.51)); // a level behind the best: the best stays
    expect(bbas()).toEqual([]);
    publish(change('up', 0.52, 0.52));
    expect(bbas().map((m) => m.best_bid)).toEqual(['0.52']);
    receive(JSON.stringify({ assets_ids: ['up'], operation: 'unsubscribe' }));
    receive(JSON.stringify({ assets_ids: ['up'], operation: 'subscribe' }));
    publish(change('up', 0.45, 0.52));
    expect(bbas().map((m) => m.best_bid)).toEqual(['0.52']);
  });
});
