// The standalone venue's persistent store: a venue restarted on its state directory knows the same
// API keys, resting orders, balances and trades, as the live venue does after a restart; a damaged
// or foreign state file is a clear error, never a silently fresh venue.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generatePrivateKey } from 'viem/accounts';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config/load.js';
import { startSimVenue } from '../../../src/cli/venue.js';
import { connectExchange } from '../../../src/sinks/execution/exchange.js';
import type { RunningVenue } from '@polymm/venue';
import { STATE_FILE, VenueStateError } from '@polymm/venue';
import { until } from '../../support/wait.js';
import { endpointsOf } from '../../../src/config/schema.js';

const simCfg = (stateDir: string, port = 0, seed = 5) =>
  loadConfig({
    flags: { sim: { interval: '1m', seed, port, stateDir, firstMarketInMs: 500, weeklyRestart: false, chain: false } },
  }).sim;

function botCfg(venue: RunningVenue) {
  const u = venue.urls;
  return loadConfig({
    flags: {
      presign: { enabled: false },
      wallet: { privateKey: generatePrivateKey() },
      endpoints: endpointsOf(u),
    },
  });
}

describe('venue persistent store', () => {
  it('a restarted venue keeps API keys, resting orders and balances', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'polymm-venue-state-'));
    const first = await startSimVenue(simCfg(dir));
    const port = Number(new URL(first.urls.clob).port);
    const ex = await connectExchange(botCfg(first), { randomKeyIfMissing: false });
    let second: RunningVenue | undefined;
    try {
      const owner = ex.address;
      const market = await until(
        () => first.core.markets().find((m) => m.status === 'open' && m.endMs - Date.now() > 20_000),
        45_000,
        'an open market with 20 s left',
      );
      // A market with time left (it cancels resting orders when it closes: under load the first open
      // one had seconds left). A buy at the lowest tick never crosses; a split gives shares to hold.
      expect(first.core.split(owner, market.conditionId, 20, Date.now()).ok).toBe(true);
      const request = {
        owner,
        tokenId: market.tokenUp,
        side: 'BUY',
        price: market.tickSize,
        size: market.minSize,
        orderType: 'GTC',
        postOnly: true,
        expirationS: 0,
      } as const;
      const placed = first.core.placeOrder(request, Date.now());
      expect(placed.success).toBe(true);
      const balance = first.core.balance(owner);
      expect((await ex.openOrders()).map((o) => o.orderId)).toEqual([placed.orderId]);
      await first.close();
      const savedSeq = (JSON.parse(readFileSync(join(dir, STATE_FILE), 'utf8')) as { core: { seq: number } }).core.seq;
      expect(savedSeq).toBeGreaterThan(0);

      second = await startSimVenue(simCfg(dir, port));
      expect(second.restored).toEqual({ accounts: 1, orders: 1, dropped: 0 });
      // The id sequence continues: the restarted venue mints ids after the saved counter (checked on
      // an order placed after the restart, below); of the ids minted before, only the restored order
      // is there. (The participants' trades while it caught up are no longer kept to be read back.)
      const seqOf = (id: string): number => parseInt(id.slice(3), 16);
      const mintedBefore = Array.from(
        { length: savedSeq },
        (_, i) => `0xa${(i + 1).toString(16).padStart(61, '0')}`,
      ).filter((id) => second!.core.order(id) !== undefined);
      expect(mintedBefore).toEqual([placed.orderId]);
      // The same client, same API key, same URLs: the order still rests, the balance is the same.
      // (The first call may meet the connection the old process held open: once more then.)
      expect((await ex.openOrders().catch(() => ex.openOrders())).map((o) => o.orderId)).toEqual([placed.orderId]);
      expect(second.core.balance(owner)).toEqual(balance);
      expect(second.core.marketByCondition(market.conditionId)?.tokenUp).toBe(market.tokenUp);
      const fresh = second.core.placeOrder({ ...request, tokenId: market.tokenDown }, Date.now());
      expect(fresh.success).toBe(true);
      expect(seqOf(fresh.orderId!)).toBeGreaterThan(savedSeq);
      // Cancelling works and frees the reserved collateral (the reservation was restored with it).
      await ex.cancelAll();
      expect(second.core.openOrders(owner)).toEqual([]);
      expect(second.core.balance(owner).collateral).toBeCloseTo(
        balance.collateral + market.tickSize * market.minSize,
        6,
      );
    } finally {
      await ex.close();
      await second?.close();
    }
  }, 90_000);

  it('a damaged state file, or one of another venue, is a clear error', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'polymm-venue-state-'));
    const v = await startSimVenue(simCfg(dir));
    await v.close();
    const saved = readFileSync(join(dir, STATE_FILE), 'utf8');
    await expect(startSimVenue(simCfg(dir, 0, 6))).rejects.toThrow(/saved by a venue with seed 5 .* not seed 6/);
    writeFileSync(join(dir, STATE_FILE), saved.slice(0, saved.length / 2));
    await expect(startSimVenue(simCfg(dir))).rejects.toThrow(VenueStateError);
    writeFileSync(join(dir, STATE_FILE), JSON.stringify({ version: 1, keys: 'nope' }));
    await expect(startSimVenue(simCfg(dir))).rejects.toThrow(/not a version 1 venue state/);
  });
});
