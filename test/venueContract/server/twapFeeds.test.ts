// The venue's TWAP stream on both transports, read through the bot's own price stream: RTDS topic
// crypto_prices_twap_sixty (payload.window_s) and PolyBolt price.crypto.twap (window_seconds), each
// the venue's Chainlink TWAP (not Pyth), beside the Chainlink / Binance / Pyth ticks.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { firstValueFrom, filter, take, toArray } from 'rxjs';
import { ClobClient } from '@polymarket/clob-client-v2';
import { Wallet } from '@ethersproject/wallet';
import { loadConfig } from '../../../src/config/load.js';
import type { PriceEvent } from '../../../src/domain/index.js';
import { silentLogger } from '../../../src/sinks/logger.js';
import { prices$ } from '../../../src/streams/prices.js';
import { startVenue, type RunningVenue } from '@polymm/venue';

let venue: RunningVenue;
beforeAll(async () => {
  venue = await startVenue({ port: 0, options: { seed: 4, participants: false }, tickMs: 20 });
});
afterAll(() => venue.close());

const deps = { clock: () => Date.now(), logger: silentLogger() };
const ticks = (transport: 'rtds' | 'polybolt', creds?: { key: string; secret: string; passphrase: string }) => {
  const cfg = loadConfig({
    flags: { prices: { transport }, endpoints: { rtds: venue.urls.rtds, polybolt: venue.urls.polybolt } },
  });
  return firstValueFrom(
    prices$(cfg, deps, creds).pipe(
      filter((e): e is PriceEvent => e.kind === 'price'),
      filter((e) => e.tick.source === 'chainlink-twap'),
      take(3),
      toArray(),
    ),
  );
};

describe('TWAP feeds of the simulated venue', () => {
  it('RTDS: crypto_prices_twap_sixty frames are the Chainlink TWAP with a 60 s window', async () => {
    const got = await ticks('rtds');
    expect(got.map((e) => e.tick.windowS)).toEqual([60, 60, 60]);
    const last = venue.core.lastPrice('chainlink-twap')!;
    expect(got.every((e) => e.tick.symbol === 'btc/usd' && e.tick.price > 0 && e.tick.tsMs <= last.tsMs)).toBe(true);
    // Sent as E18 fixed-point, as RTDS sends its TWAP frames: read back as the price itself.
    expect(got.every((e) => Math.abs(e.tick.price / last.value - 1) < 0.01)).toBe(true);
  }, 10_000);

  it('PolyBolt: price.crypto.twap frames carry window_seconds and the Chainlink TWAP', async () => {
    const wallet = Wallet.createRandom();
    const creds = await new ClobClient({
      host: venue.urls.clob,
      chain: 137,
      signer: wallet as never,
    }).createOrDeriveApiKey();
    const got = await ticks('polybolt', creds);
    expect(got.map((e) => e.tick.windowS)).toEqual([60, 60, 60]);
    // Stamped on the Chainlink grid (whole seconds), not on Pyth's 400 ms ticks.
    expect(got.slice(1).every((e) => e.tick.tsMs % 1000 === 0)).toBe(true);
    const last = venue.core.lastPrice('chainlink-twap')!;
    expect(got.every((e) => Math.abs(e.tick.price / last.value - 1) < 0.01)).toBe(true);
  }, 10_000);
});
