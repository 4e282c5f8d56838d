// The operator commands against the simulated venue on loopback: doctor (all ok; a wrong funder
// and a geoblock name their fix), keys (a 0600 file written once, no secret in any output),
// cancel-all without a bot (the account is left with 0 open orders).
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, type AddressInfo } from 'node:net';
import { Wallet } from 'ethers';
import { loadConfig } from '../../src/config/load.js';
import type { Config } from '../../src/config/schema.js';
import { runChecks } from '../../src/cli/doctor.js';
import { runKeysCommand } from '../../src/cli/keys.js';
import { runCancelAllCommand } from '../../src/cli/control.js';
import { livetest } from '../../src/cli/livetest.js';
import { startVenue, type RunningVenue } from '@polymm/venue';
import { endpointsOf } from '../../src/config/schema.js';

let venue: RunningVenue;
let idlePort = 0;
const key = Wallet.createRandom();
const me = key.address.toLowerCase();
const cfgWith = (extra: Record<string, unknown> = {}, env: NodeJS.ProcessEnv = {}): Config => {
  const u = venue.urls;
  return loadConfig({
    env: { PMM_PRIVATE_KEY: key.privateKey, ...env },
    flags: {
      venue: 'live',
      metricsPort: idlePort,
      market: { interval: '1m' },
      endpoints: endpointsOf(u),
      ...extra,
    },
  });
};

beforeAll(async () => {
  // A loopback port nothing listens on: "no running bot".
  const probe = createServer().listen(0, '127.0.0.1');
  await new Promise((r) => probe.once('listening', r));
  idlePort = (probe.address() as AddressInfo).port;
  await new Promise((r) => probe.close(r));
  venue = await startVenue({
    port: 0,
    options: { seed: 9, intervalMs: 60_000, participants: false, scheduleOriginMs: Date.now() - 5_000 },
  });
});
afterAll(() => venue.close());

describe('polymm doctor', () => {
  it('every check is ok on a healthy venue with a consistent wallet', async () => {
    const results = await runChecks(cfgWith());
    expect(results.map((r) => r.check)).toEqual([
      'endpoints',
      'clock',
      'wallet',
      'credentials',
      'closed-only',
      'balance',
      'allowance',
      'geoblock',
      'heartbeat',
    ]);
    expect(results.filter((r) => !r.ok)).toEqual([]);
  });

  it('a funder that does not fit the wallet mode fails with the fix', async () => {
    const results = await runChecks(cfgWith({}, { PMM_FUNDER: '0x00000000000000000000000000000000000000d4' }));
    const wallet = results.find((r) => r.check === 'wallet')!;
    expect(wallet.ok).toBe(false);
    expect(wallet.fix).toMatch(/unset PMM_FUNDER/);
    expect(wallet.fix).toMatch(/--wallet\.mode PROXY\|SAFE\|DEPOSIT/);
    // (A PROXY wallet on the live venue needs the relayer's builder credentials to load at all.)
    const builder = { PMM_BUILDER_API_KEY: 'k', PMM_BUILDER_SECRET: 'c2VjcmV0', PMM_BUILDER_PASSPHRASE: 'p' };
    const proxy = (await runChecks(cfgWith({ wallet: { mode: 'PROXY' } }, builder))).find((r) => r.check === 'wallet')!;
    expect(proxy.ok).toBe(false);
    expect(proxy.fix).toMatch(/set PMM_FUNDER/);
  });

  it('a geoblock and a closed-only account fail with the fix', async () => {
    await fetch(`${venue.urls.control}/faults`, {
      method: 'POST',
      body: JSON.stringify({ geoblock: true, closedOnly: true }),
    });
    try {
      const results = await runChecks(cfgWith());
      expect(results.find((r) => r.check === 'geoblock')).toMatchObject({
        ok: false,
        fix: expect.stringMatching(/region/),
      });
      expect(results.find((r) => r.check === 'closed-only')).toMatchObject({ ok: false });
    } finally {
      await fetch(`${venue.urls.control}/reset`, { method: 'POST' });
    }
  });

  it('given credentials that are wrong fail with the fix', async () => {
    const results = await runChecks(
      cfgWith(
        {},
        { PMM_API_KEY: '00000000-0000-4000-a000-000000000000', PMM_API_SECRET: 'c2VjcmV0', PMM_API_PASSPHRASE: 'nope' },
      ),
    );
    expect(results.find((r) => r.check === 'credentials')).toMatchObject({
      ok: false,
      fix: expect.stringMatching(/polymm keys/),
    });
  });
});

describe('polymm keys', () => {
  it('writes the credentials once to a 0600 file and prints no secret', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'polymm-keys-')), 'sub', 'creds.json');
    const out: string[] = [];
    const err = vi.spyOn(process.stderr, 'write').mockImplementation((s) => (out.push(String(s)), true));
    try {
      expect(await runKeysCommand(cfgWith(), { out: file, print: false }, (l) => out.push(l))).toBe(0);
      expect(await runKeysCommand(cfgWith(), { out: file, print: false }, (l) => out.push(l))).toBe(1); // written once
    } finally {
      err.mockRestore();
    }
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const creds = JSON.parse(readFileSync(file, 'utf8')) as {
      apiKey: string;
      secret: string;
      passphrase: string;
      signer: string;
    };
    expect(creds.signer).toBe(me);
    for (const secret of [creds.secret, creds.passphrase, key.privateKey, key.privateKey.slice(2)])
      expect(out.join('\n')).not.toContain(secret);
    // The file is what PMM_API_CREDENTIALS_FILE reads, and the venue accepts it.
    const cfg = cfgWith({}, { PMM_API_CREDENTIALS_FILE: file });
    expect(cfg.wallet.apiSecret).toBe(creds.secret);
    expect((await runChecks(cfg)).find((r) => r.check === 'credentials')).toMatchObject({
      ok: true,
      detail: expect.stringMatching(/configured/),
    });
  });
});

describe('polymm cancel-all without a running bot', () => {
  it('cancels every open order of the account on the venue', async () => {
    const m = venue.core.markets().find((x) => x.status === 'open')!;
    for (const [tokenId, price] of [
      [m.tokenUp, 0.02],
      [m.tokenDown, 0.03],
      [m.tokenUp, 0.04],
    ] as const) {
      expect(
        venue.core.placeOrder(
          { owner: me, tokenId, side: 'BUY', price, size: 5, orderType: 'GTC', postOnly: true, expirationS: 0 },
          Date.now(),
        ).success,
      ).toBe(true);
    }
    expect(venue.core.openOrders(me)).toHaveLength(3);
    const out: string[] = [];
    expect(await runCancelAllCommand(cfgWith(), (l) => out.push(l))).toBe(0);
    expect(venue.core.openOrders(me)).toHaveLength(0);
    expect(JSON.parse(out[0]!)).toEqual({ cancelAll: { bot: 'not running', venue: 'cancelled', open_orders: 0 } });
  });
});

describe('polymm livetest', () => {
  it('posts one minimum post-only order at the floor, sees it on the user channel, cancels it, confirms it gone', async () => {
    const steps: string[] = [];
    const r = await livetest(cfgWith(), (l) => steps.push(l));
    const m = venue.core.marketBySlug(r.market)!;
    expect(r).toMatchObject({ price: m.tickSize, size: m.minSize, confirmed_gone: true });
    expect(venue.core.openOrders(me)).toEqual([]);
    expect(venue.core.trades(me)).toEqual([]);
    expect(steps).toEqual(['preflight ok', `market ${r.market}`]);
  }, 40_000);

  it('refuses when the preflight fails, and places nothing', async () => {
    await fetch(`${venue.urls.control}/faults`, { method: 'POST', body: JSON.stringify({ geoblock: true }) });
    try {
      await expect(livetest(cfgWith(), () => undefined)).rejects.toThrow(
        /refusing: preflight failed[\s\S]*FAIL {2}geoblock/,
      );
    } finally {
      await fetch(`${venue.urls.control}/reset`, { method: 'POST' });
    }
    expect(venue.core.openOrders(me)).toEqual([]);
  });
});
