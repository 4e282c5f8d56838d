// Secrets never leave the process: the bot runs as a user runs it (`polymm start --venue live`
// against the simulated venue) with a known private key and known API credentials, through a REST
// fault, a crash (SIGKILL) and a restart, and everything it produced — stdout, stderr, the event
// log, /metrics, /healthz, /status, `config print` and `replay` — is searched for them: 0 hits.
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { connectExchange } from '../../src/sinks/execution/exchange.js';
import { startVenue, type RunningVenue } from '@polymm/venue';
import { endpointsOf } from '../../src/config/schema.js';

let venue: RunningVenue;
const privateKey = generatePrivateKey();
let secrets: string[] = [];
let env: Record<string, string> = {};
const eventLogDir = mkdtempSync(join(tmpdir(), 'polymm-secrets-'));

const freePort = (): Promise<number> =>
  new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });

function args(metricsPort: number, duration?: string): string[] {
  const u = venue.urls;
  return [
    '--import',
    'tsx',
    'src/index.ts',
    'start',
    '--venue',
    'live',
    '--no-dashboard',
    '--log-level',
    'debug',
    '--tap',
    'all',
    '--endpoints.gamma',
    u.gamma,
    '--endpoints.clob',
    u.clob,
    '--endpoints.wsMarket',
    u.wsMarket,
    '--endpoints.wsUser',
    u.wsUser,
    '--endpoints.rtds',
    u.rtds,
    '--endpoints.polybolt',
    u.polybolt,
    '--market.interval',
    '1m',
    '--cutoffMs',
    '10000',
    '--metricsPort',
    String(metricsPort),
    '--eventLogDir',
    eventLogDir,
    ...(duration ? ['--duration', duration] : []),
  ];
}

/** Run the bot; meanwhile read its HTTP answers; kill it with `signal` after `killAfterMs` unless it ends first. */
async function runBot(opts: {
  duration?: string;
  killAfterMs?: number;
  during?: () => Promise<void>;
}): Promise<{ out: string; code: number | null; http: string[] }> {
  const port = await freePort();
  const child = spawn(process.execPath, args(port, opts.duration), {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (b: Buffer) => (out += b.toString()));
  child.stderr.on('data', (b: Buffer) => (out += b.toString()));
  const ended = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const http: string[] = [];
  const poll = (async () => {
    for (let i = 0; i < 40; i++) {
      await new Promise((r) => setTimeout(r, 500));
      for (const path of ['/metrics', '/healthz', '/status']) {
        try {
          http.push(await (await fetch(`http://127.0.0.1:${port}${path}`)).text());
        } catch {
          // not listening yet, or gone
        }
      }
      if (child.exitCode !== null) return;
    }
  })();
  await opts.during?.();
  if (opts.killAfterMs !== undefined) {
    await new Promise((r) => setTimeout(r, opts.killAfterMs));
    child.kill('SIGKILL');
  }
  const code = await ended;
  await poll;
  return { out, code, http };
}

beforeAll(async () => {
  // A fresh 1-minute market opens 8 s from now, so the bot (up in a few seconds) sees its start and trades.
  venue = await startVenue({
    port: 0,
    tickMs: 20,
    options: { seed: 41, intervalMs: 60_000, scheduleOriginMs: Date.now() + 8_000, startMs: Date.now() - 60_000 },
  });
  const u = venue.urls;
  // Known API credentials: derived once here, handed to the bot as PMM_API_* (as an operator would).
  const ex = await connectExchange(
    loadConfig({
      flags: {
        presign: { enabled: false },
        wallet: { privateKey },
        endpoints: endpointsOf(u),
      },
    }),
    { randomKeyIfMissing: false },
  );
  const { key, secret, passphrase } = ex.creds;
  await ex.close();
  // Builder credentials too (the relayer's; unused by this EOA run, but config print and the log header show the config).
  const builder = {
    PMM_BUILDER_API_KEY: `builder-key-${randomUUID()}`,
    PMM_BUILDER_SECRET: randomBytes(32).toString('base64'),
    PMM_BUILDER_PASSPHRASE: randomUUID(),
  };
  env = {
    PMM_PRIVATE_KEY: privateKey,
    PMM_API_KEY: key,
    PMM_API_SECRET: secret,
    PMM_API_PASSPHRASE: passphrase,
    ...builder,
  };
  secrets = [privateKey.slice(2), secret, passphrase, ...Object.values(builder)];
}, 30_000);
afterAll(() => venue.close());

describe('secrets', () => {
  it(
    'appear in no output of start, a fault, a crash, a restart, config print or replay',
    { timeout: 120_000 },
    async () => {
      // 1. Trades, through a burst of REST 500s, and is killed mid-run (no shutdown, orders live).
      const address = privateKeyToAccount(privateKey).address;
      const crashed = await runBot({
        killAfterMs: 1_000,
        during: async () => {
          for (let i = 0; i < 300 && venue.core.openOrders(address).length === 0; i++)
            await new Promise((r) => setTimeout(r, 100));
          venue.faults.set({ http5xxRate: 0.5 });
          await new Promise((r) => setTimeout(r, 2_000));
          venue.faults.set({ http5xxRate: 0 });
        },
      });
      expect(crashed.code).toBeNull(); // killed
      // 2. Restarts on the same wallet and stops cleanly.
      const restarted = await runBot({ duration: '8s' });
      expect(restarted.code).toBe(0);
      expect(restarted.out).toMatch(/\{"summary":/);
      // 3. The operator's views of it.
      const config = spawnSync(process.execPath, ['--import', 'tsx', 'src/index.ts', 'config', 'print'], {
        env: { ...process.env, ...env },
        encoding: 'utf8',
      });
      expect(config.status).toBe(0);
      const logs = readdirSync(eventLogDir).map((f) => join(eventLogDir, f));
      expect(logs.length).toBeGreaterThanOrEqual(2);
      const replays = logs
        .filter((p) => p.endsWith('.jsonl'))
        .map((p) =>
          spawnSync(process.execPath, ['--import', 'tsx', 'src/index.ts', 'replay', p], { encoding: 'utf8' }),
        );
      // Replay really read each log (a header with redacted secrets loads): its report, not an error.
      for (const r of replays) expect(r.stdout, r.stderr).toMatch(/^\{"replay":/);
      const logText = logs
        .map((p) => (p.endsWith('.gz') ? gunzipSync(readFileSync(p)) : readFileSync(p)).toString('utf8'))
        .join('\n');

      // It really traded and really was looked at: the search covers something.
      expect(logText).toMatch(/"action":"post","ok":true|"ok":true,"orderId"/);
      expect([...crashed.http, ...restarted.http].some((t) => t.includes('polymm_'))).toBe(true);

      const everything = [
        crashed.out,
        restarted.out,
        ...crashed.http,
        ...restarted.http,
        config.stdout,
        config.stderr,
        ...replays.flatMap((r) => [r.stdout, r.stderr]),
        logText,
      ]
        .join('\n')
        .toLowerCase();
      for (const s of secrets)
        expect(everything.includes(s.toLowerCase()), `a secret (${s.length} chars) leaked`).toBe(false);
    },
  );
});
