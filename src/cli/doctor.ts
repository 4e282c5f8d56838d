// `polymm doctor`: preflight for live trading. One line per check, "ok" with what was seen or
// "FAIL" with the exact fix; exit 1 if any check fails. With `venue: sim` it checks the embedded
// simulated venue (started for the purpose, with a random wallet when none is configured).
import { AssetType, getContractConfig, type ClobClient } from '@polymarket/clob-client-v2';
import WebSocket from 'ws';
import type { Config } from '../config/schema.js';
import { currentAndNextStarts, INTERVAL_MS, slugFor } from '../domain/index.js';
import { configuredWallet, WalletError, type ConfiguredWallet } from './wallet.js';
import { withSimVenue } from './simTarget.js';

export interface CheckResult {
  readonly check: string;
  readonly ok: boolean;
  /** What was seen (ok) or what is wrong (fail). */
  readonly detail: string;
  readonly fix?: string;
}

const isAddress = (a: string): boolean => /^0x[0-9a-fA-F]{40}$/.test(a);
const statusOf = (err: unknown): number | undefined =>
  (err as { status?: number; response?: { status?: number } }).status ??
  (err as { response?: { status?: number } }).response?.status;
const text = (err: unknown): string => (err instanceof Error ? err.message : String(err));

async function timed<T>(f: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const t0 = performance.now();
  const value = await f();
  return { value, ms: Math.round(performance.now() - t0) };
}

function wsOpens(url: string, timeoutMs: number): Promise<number> {
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    const timer = setTimeout(() => (ws.terminate(), reject(new Error('no answer'))), timeoutMs);
    ws.once('open', () => (clearTimeout(timer), ws.close(), resolve(Math.round(performance.now() - t0))));
    ws.once('error', (e) => (clearTimeout(timer), reject(e)));
  });
}

async function endpoints(cfg: Config): Promise<CheckResult> {
  const e = cfg.endpoints;
  const slug = slugFor(
    cfg.market.asset,
    cfg.market.interval,
    currentAndNextStarts(Date.now(), INTERVAL_MS[cfg.market.interval]!)[0],
  );
  const probes: Array<[string, () => Promise<number>]> = [
    [
      'clob',
      async () =>
        (
          await timed(async () => {
            const r = await fetch(`${e.clob}/time`, { signal: AbortSignal.timeout(5_000) });
            if (!r.ok) throw new Error(`HTTP ${r.status}`);
          })
        ).ms,
    ],
    [
      'gamma',
      async () =>
        (
          await timed(async () => {
            const r = await fetch(`${e.gamma}/markets?slug=${slug}`, { signal: AbortSignal.timeout(5_000) });
            if (r.status >= 500) throw new Error(`HTTP ${r.status}`);
          })
        ).ms,
    ],
    ['market ws', () => wsOpens(e.wsMarket, 5_000)],
    ['user ws', () => wsOpens(e.wsUser, 5_000)],
    [cfg.prices.transport, () => wsOpens(cfg.prices.transport === 'polybolt' ? e.polybolt : e.rtds, 5_000)],
  ];
  const results = await Promise.all(
    probes.map(async ([name, f]) =>
      f().then(
        (ms) => ({ name, ms }),
        (err: unknown) => ({ name, error: text(err) }),
      ),
    ),
  );
  const bad = results.filter((r) => 'error' in r);
  if (bad.length)
    return {
      check: 'endpoints',
      ok: false,
      detail: bad.map((r) => `${r.name}: ${'error' in r ? r.error : ''}`).join('; '),
      fix: `check network access and the endpoints.* settings (${bad.map((r) => r.name).join(', ')} unreachable)`,
    };
  return {
    check: 'endpoints',
    ok: true,
    detail: results.map((r) => `${r.name} ${'ms' in r ? r.ms : '?'} ms`).join(', '),
  };
}

async function clockOffset(cfg: Config): Promise<CheckResult> {
  try {
    const t0 = Date.now();
    const r = await fetch(`${cfg.endpoints.clob}/time`, { signal: AbortSignal.timeout(5_000) });
    const serverS = Number(await r.text());
    const t1 = Date.now();
    if (!Number.isFinite(serverS)) throw new Error('unreadable answer');
    // The venue answers whole seconds: an offset within 1.5 s is as close as it can tell.
    const offsetMs = serverS * 1000 + 500 - (t0 + t1) / 2;
    const detail = `offset ${(offsetMs / 1000).toFixed(1)} s to the venue's /time (round trip ${t1 - t0} ms)`;
    return Math.abs(offsetMs) <= 1_500
      ? { check: 'clock', ok: true, detail }
      : {
          check: 'clock',
          ok: false,
          detail,
          fix: 'synchronise the system clock (sudo timedatectl set-ntp true, or chronyc makestep)',
        };
  } catch (err) {
    return {
      check: 'clock',
      ok: false,
      detail: text(err),
      fix: 'the CLOB /time endpoint must answer; check endpoints.clob',
    };
  }
}

/** Signer, funder and signature type agree (what the exchange will check on every order). */
export function walletConsistency(cfg: Config, signer: string): CheckResult {
  const { mode, funder } = cfg.wallet;
  const f = funder?.toLowerCase();
  if (f !== undefined && !isAddress(f))
    return {
      check: 'wallet',
      ok: false,
      detail: `wallet.funder ${funder} is not an address`,
      fix: 'set PMM_FUNDER to the 0x… address of your Polymarket wallet (40 hex digits)',
    };
  if (mode === 'EOA' && f !== undefined && f !== signer) {
    return {
      check: 'wallet',
      ok: false,
      detail: `wallet.mode EOA trades from the signer ${signer}, but wallet.funder is ${f}`,
      fix: `unset PMM_FUNDER (wallet.funder) to trade from the signer, or set --wallet.mode PROXY|SAFE|DEPOSIT if ${f} is your Polymarket proxy, Safe or deposit wallet`,
    };
  }
  if (mode !== 'EOA' && f === undefined)
    return {
      check: 'wallet',
      ok: false,
      detail: `wallet.mode ${mode} needs a funder`,
      fix: `set PMM_FUNDER to your Polymarket ${mode === 'DEPOSIT' ? 'deposit' : mode === 'SAFE' ? 'Safe' : 'proxy'} wallet address (shown in your Polymarket profile), or use --wallet.mode EOA`,
    };
  if (mode !== 'EOA' && f === signer)
    return {
      check: 'wallet',
      ok: false,
      detail: `wallet.funder is the signer itself, which is an EOA, not a ${mode} wallet`,
      fix: 'set PMM_FUNDER to the Polymarket wallet address (not the signer), or use --wallet.mode EOA',
    };
  return { check: 'wallet', ok: true, detail: `signer ${signer}, ${mode}${f ? `, funder ${f}` : ''}` };
}

async function credentials(cfg: Config, w: ConfiguredWallet): Promise<{ result: CheckResult; client?: ClobClient }> {
  const { apiKey, apiSecret, apiPassphrase } = cfg.wallet;
  const given = apiKey && apiSecret && apiPassphrase;
  try {
    const creds = given
      ? { key: apiKey, secret: apiSecret, passphrase: apiPassphrase }
      : await w.l1.createOrDeriveApiKey();
    const client = w.withCreds(creds);
    await client.getApiKeys();
    return {
      result: {
        check: 'credentials',
        ok: true,
        detail: given ? 'configured API credentials accepted' : 'API credentials derived and accepted',
      },
      client,
    };
  } catch (err) {
    const fix = given
      ? 'the configured API credentials are not valid for this signer: run `polymm keys --out FILE` and set PMM_API_CREDENTIALS_FILE=FILE, or unset PMM_API_KEY/SECRET/PASSPHRASE to derive them at start'
      : 'the venue would not create or derive API credentials for this signer: check wallet.privateKey and wallet.chainId';
    return { result: { check: 'credentials', ok: false, detail: `HTTP ${statusOf(err) ?? '?'}: ${text(err)}`, fix } };
  }
}

async function closedOnly(client: ClobClient): Promise<CheckResult> {
  try {
    const r = await client.getClosedOnlyMode();
    return r.closed_only
      ? {
          check: 'closed-only',
          ok: false,
          detail: 'the account is in closed-only mode (cancels only)',
          fix: 'closed-only is set by Polymarket on the account: contact Polymarket support; the bot cannot quote meanwhile',
        }
      : { check: 'closed-only', ok: true, detail: 'not in closed-only mode' };
  } catch (err) {
    return {
      check: 'closed-only',
      ok: false,
      detail: text(err),
      fix: 'GET /auth/ban-status/closed-only must answer; check endpoints.clob and the credentials',
    };
  }
}

async function balanceAndAllowance(cfg: Config, client: ClobClient, w: ConfiguredWallet): Promise<CheckResult[]> {
  const holder = w.funder ?? w.signer;
  try {
    const r = (await client.getBalanceAllowance({ asset_type: AssetType.COLLATERAL })) as {
      balance: string;
      allowances?: Record<string, string>;
      allowance?: string;
    };
    const pusd = Number(r.balance) / 1e6;
    const balance: CheckResult =
      pusd > 0
        ? { check: 'balance', ok: true, detail: `${pusd.toFixed(2)} pUSD at ${holder}` }
        : {
            check: 'balance',
            ok: false,
            detail: `no pUSD at ${holder}`,
            fix: `deposit pUSD (or USDC, wrapped on deposit) to ${holder}; if you deposited elsewhere, wallet.funder is wrong: set PMM_FUNDER to the address shown in your Polymarket profile`,
          };
    const exchange = getContractConfig(cfg.wallet.chainId).exchangeV2;
    const byAddress = new Map(Object.entries(r.allowances ?? {}).map(([a, v]) => [a.toLowerCase(), v]));
    const allowed = byAddress.get(exchange.toLowerCase()) ?? r.allowance;
    const allowance: CheckResult =
      allowed !== undefined && Number(allowed) > 0
        ? { check: 'allowance', ok: true, detail: `pUSD approved for the exchange ${exchange}` }
        : {
            check: 'allowance',
            ok: false,
            detail: `no pUSD allowance for the exchange ${exchange}`,
            fix: `approve pUSD for ${exchange} from ${holder} (enable trading once on polymarket.com with this wallet, or send an ERC-20 approve)`,
          };
    return [balance, allowance];
  } catch (err) {
    return [
      {
        check: 'balance',
        ok: false,
        detail: text(err),
        fix: 'GET /balance-allowance must answer; check endpoints.clob and the credentials',
      },
    ];
  }
}

async function heartbeatAndRegion(client: ClobClient): Promise<CheckResult[]> {
  try {
    const r = await client.postHeartbeat(undefined);
    if (r.error_msg) throw new Error(r.error_msg);
    return [
      { check: 'geoblock', ok: true, detail: 'trading endpoints answer from this region' },
      { check: 'heartbeat', ok: true, detail: 'heartbeat accepted' },
    ];
  } catch (err) {
    if (statusOf(err) === 403)
      return [
        {
          check: 'geoblock',
          ok: false,
          detail: `HTTP 403: ${text(err)}`,
          fix: 'trading is restricted from this region: run the bot from a region Polymarket allows',
        },
      ];
    return [
      {
        check: 'heartbeat',
        ok: false,
        detail: `HTTP ${statusOf(err) ?? '?'}: ${text(err)}`,
        fix: 'the heartbeat endpoint must accept the credentials: check endpoints.clob and the credentials (without heartbeats the venue cancels every order)',
      },
    ];
  }
}

/** Every check, in order; later checks are skipped (not run) when the wallet or credentials fail. */
export async function runChecks(cfg: Config): Promise<CheckResult[]> {
  const out: CheckResult[] = [await endpoints(cfg), await clockOffset(cfg)];
  let w: ConfiguredWallet;
  try {
    w = configuredWallet(cfg);
  } catch (err) {
    const fix =
      err instanceof WalletError && /no wallet/.test(err.message)
        ? 'set PMM_PRIVATE_KEY_FILE (or PMM_PRIVATE_KEY) to the signer key'
        : 'check wallet.privateKey (a 0x… 32-byte hex key)';
    return [...out, { check: 'wallet', ok: false, detail: text(err), fix }];
  }
  out.push(walletConsistency(cfg, w.signer));
  const { result, client } = await credentials(cfg, w);
  out.push(result);
  if (!client) return out;
  out.push(
    await closedOnly(client),
    ...(await balanceAndAllowance(cfg, client, w)),
    ...(await heartbeatAndRegion(client)),
  );
  return out;
}

export function formatCheck(r: CheckResult): string {
  return r.ok
    ? `ok    ${r.check.padEnd(12)} ${r.detail}`
    : `FAIL  ${r.check.padEnd(12)} ${r.detail} — fix: ${r.fix ?? 'see above'}`;
}

export async function runDoctorCommand(cfg: Config, out: (line: string) => void = console.log): Promise<number> {
  return withSimVenue(cfg, out, async (target) => {
    const results = await runChecks(target);
    for (const r of results) out(formatCheck(r));
    return results.every((r) => r.ok) ? 0 : 1;
  });
}
