// `polymm keys [--out FILE] [--print]`: create or derive the CLOB API credentials of the configured
// wallet (signature type and funder as configured) and write them once, to a new file of mode
// 0600. The secret goes to the file only; stdout gets the address and the path (or, with --print,
// the credentials, because the operator asked).
import { closeSync, existsSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import type { Config } from '../config/schema.js';
import { configuredWallet } from './wallet.js';

export const defaultKeysFile = (): string =>
  join(process.env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), 'polymm', 'api-credentials.json');

export interface KeysOptions {
  readonly out?: string;
  readonly print: boolean;
}

export async function runKeysCommand(
  cfg: Config,
  opts: KeysOptions,
  out: (line: string) => void = console.log,
): Promise<number> {
  const file = resolve(opts.out ?? defaultKeysFile());
  if (existsSync(file)) {
    process.stderr.write(
      `polymm keys: ${file} exists; credentials are written once (remove it, or pass --out NEW_FILE)\n`,
    );
    return 1;
  }
  const w = configuredWallet(cfg);
  let creds: { key: string; secret: string; passphrase: string };
  try {
    creds = await w.l1.createOrDeriveApiKey();
  } catch (err) {
    const e = err as { status?: number; message?: string };
    process.stderr.write(
      `polymm keys: the venue refused to create or derive credentials for ${w.signer}${e.status ? ` (HTTP ${e.status})` : ''}: ${e.message ?? 'error'}\n`,
    );
    return 1;
  }
  if (!creds?.key || !creds.secret || !creds.passphrase) {
    process.stderr.write('polymm keys: the venue answered without credentials\n');
    return 1;
  }
  const record = {
    apiKey: creds.key,
    secret: creds.secret,
    passphrase: creds.passphrase,
    signer: w.signer,
    ...(w.funder ? { funder: w.funder } : {}),
    walletMode: cfg.wallet.mode,
    clob: cfg.endpoints.clob,
    createdAt: new Date().toISOString(),
  };
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  // 'wx': fail rather than overwrite; the mode applies at creation, before a byte is written.
  const fd = openSync(file, 'wx', 0o600);
  try {
    writeSync(fd, JSON.stringify(record, null, 2) + '\n');
  } finally {
    closeSync(fd);
  }
  const shown = opts.print ? { apiKey: creds.key, secret: creds.secret, passphrase: creds.passphrase } : {};
  out(
    JSON.stringify({
      keys: {
        signer: w.signer,
        walletMode: cfg.wallet.mode,
        ...(w.funder ? { funder: w.funder } : {}),
        file,
        ...shown,
      },
    }),
  );
  process.stderr.write(`credentials written to ${file} (mode 0600); use them with PMM_API_CREDENTIALS_FILE=${file}\n`);
  return 0;
}
