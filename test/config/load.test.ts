import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, envNameOf, loadConfig, redactConfig } from '../../src/config/load.js';

describe('loadConfig', () => {
  it('has the spec defaults', () => {
    const cfg = loadConfig({});
    expect(cfg.market).toMatchObject({ asset: 'btc', interval: '15m' });
    expect(cfg.cutoffMs).toBe(60_000);
    expect(cfg.endpoints.clob).toBe('https://clob.polymarket.com');
    expect(cfg.venue).toBe('sim');
  });

  it('layers file <- env <- flags', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pmm-'));
    const file = join(dir, 'c.yaml');
    writeFileSync(file, 'ladder:\n  levels: 2\n  baseSize: 7\nchurn:\n  minUpdateIntervalMs: 100\n');
    const cfg = loadConfig({
      file,
      env: { PMM_LADDER_LEVELS: '4', PMM_CHURN_MIN_UPDATE_INTERVAL_MS: '200' },
      flags: { churn: { minUpdateIntervalMs: 300 } },
    });
    expect(cfg.ladder).toMatchObject({ levels: 4, baseSize: 7 });
    expect(cfg.churn.minUpdateIntervalMs).toBe(300);
  });

  it('reads JSON files and PMM_CONFIG', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pmm-'));
    const file = join(dir, 'c.json');
    writeFileSync(file, JSON.stringify({ heartbeat: { intervalMs: 2000 } }));
    expect(loadConfig({ env: { PMM_CONFIG: file } }).heartbeat.intervalMs).toBe(2000);
  });

  it.each([
    [{ flags: { ladder: { levels: 0 } } }, /ladder\.levels = 0/],
    [{ env: { PMM_CUTOFF_MS: 'soon' } }, /cutoffMs = "soon"/],
    [{ flags: { wallet: { mode: 'LEDGER' } } }, /wallet\.mode = "LEDGER".*EOA/],
    [{ flags: { ladder: { levelz: 3 } } }, /ladder\.levelz: unknown setting/],
    [{ env: { PMM_NOPE: '1' } }, /PMM_NOPE: unknown setting/],
    [{ flags: { targetTotal: { base: 0.95, max: 0.94 } } }, /min <= base <= max/],
    [{ file: '/nonexistent/x.json' }, /cannot read/],
  ])('rejects bad input %#', (sources, message) => {
    expect(() => loadConfig(sources)).toThrow(ConfigError);
    expect(() => loadConfig(sources)).toThrow(message);
  });

  it('never shows secrets in errors or printed config', () => {
    // A well-formed key (a malformed one is a config error, tested with the CLI's bad input).
    const env = { PMM_PRIVATE_KEY: '0x' + 'c0ffee01'.repeat(8), PMM_API_SECRET: 'shh', PMM_API_PASSPHRASE: 'pp' };
    const printed = JSON.stringify(redactConfig(loadConfig({ env })));
    expect(printed).not.toMatch(/c0ffee01|shh|"pp"/);
    expect(printed).toContain('<redacted>');
    expect(() =>
      loadConfig({ env: { ...env, PMM_WALLET_PRIVATE_KEY: 42 as unknown as string, PMM_LADDER_LEVELS: '0' } }),
    ).toThrow(/^(?!.*c0ffee01)/s);
  });

  it('names env vars after config paths', () => {
    expect(envNameOf('churn.minUpdateIntervalMs')).toBe('PMM_CHURN_MIN_UPDATE_INTERVAL_MS');
  });
});
