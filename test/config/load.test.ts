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

  describe('builder credentials (the relayer of PROXY, SAFE and DEPOSIT wallets)', () => {
    const BUILDER = {
      PMM_BUILDER_API_KEY: 'bk-1234',
      PMM_BUILDER_SECRET: 'YnVpbGRlcnNlY3JldA==',
      PMM_BUILDER_PASSPHRASE: 'bpass-99',
    };

    it('are read from PMM_BUILDER_* (and their _FILE forms) into chain.builder*', () => {
      const cfg = loadConfig({ env: { ...BUILDER, PMM_WALLET_MODE: 'SAFE', PMM_VENUE: 'live' } });
      expect(cfg.chain).toMatchObject({
        builderApiKey: 'bk-1234',
        builderSecret: 'YnVpbGRlcnNlY3JldA==',
        builderPassphrase: 'bpass-99',
      });
      const file = join(mkdtempSync(join(tmpdir(), 'pmm-')), 'builder-secret');
      writeFileSync(file, 'from-a-file\n');
      expect(loadConfig({ env: { ...BUILDER, PMM_BUILDER_SECRET_FILE: file } }).chain.builderSecret).toBe(
        'from-a-file',
      );
    });

    it.each(['PROXY', 'SAFE', 'DEPOSIT'])(
      'are required for a %s wallet on the live venue: a config error naming them',
      (mode) => {
        const load = () => loadConfig({ flags: { venue: 'live', wallet: { mode } } });
        expect(load).toThrow(ConfigError);
        expect(load).toThrow(
          new RegExp(
            `wallet\\.mode ${mode}: .*relayer.*chain\\.builderApiKey \\(PMM_BUILDER_API_KEY\\), chain\\.builderSecret \\(PMM_BUILDER_SECRET\\), chain\\.builderPassphrase \\(PMM_BUILDER_PASSPHRASE\\)`,
          ),
        );
      },
    );

    it('are not needed for EOA wallets, nor on the simulated venue (which makes some up)', () => {
      expect(loadConfig({ flags: { venue: 'live', wallet: { mode: 'EOA' } } }).chain.builderApiKey).toBeUndefined();
      expect(loadConfig({ flags: { venue: 'sim', wallet: { mode: 'PROXY' } } }).chain.builderApiKey).toBeUndefined();
      expect(loadConfig({ flags: { venue: 'sim', wallet: { mode: 'DEPOSIT' } } }).chain.builderApiKey).toBeUndefined();
    });

    it('go together: a partial set is an error naming what is missing, never a value', () => {
      const partial = {
        PMM_BUILDER_API_KEY: BUILDER.PMM_BUILDER_API_KEY,
        PMM_BUILDER_SECRET: BUILDER.PMM_BUILDER_SECRET,
      };
      const load = () => loadConfig({ env: partial });
      expect(load).toThrow(/missing chain\.builderPassphrase \(PMM_BUILDER_PASSPHRASE\)$/);
      expect(load).toThrow(/^(?!.*(bk-1234|YnVpbGRlcnNlY3JldA)).*$/s);
      expect(() => loadConfig({ env: { ...BUILDER, PMM_BUILDER_API_KEY: ' ' } })).toThrow(
        /missing chain\.builderApiKey/,
      );
    });

    it('are secrets: redacted in the printed config, never in an error', () => {
      const env = { ...BUILDER, PMM_WALLET_MODE: 'PROXY', PMM_VENUE: 'live' };
      const printed = JSON.stringify(redactConfig(loadConfig({ env })));
      expect(printed).not.toMatch(/bk-1234|YnVpbGRlcnNlY3JldA|bpass-99/);
      expect(JSON.parse(printed).chain).toMatchObject({
        builderApiKey: '<redacted>',
        builderSecret: '<redacted>',
        builderPassphrase: '<redacted>',
      });
      expect(() => loadConfig({ env: { ...env, PMM_LADDER_LEVELS: '0' } })).toThrow(
        /^(?!.*(bk-1234|YnVpbGRlcnNlY3JldA|bpass-99)).*$/s,
      );
    });
  });

  it('names env vars after config paths', () => {
    expect(envNameOf('churn.minUpdateIntervalMs')).toBe('PMM_CHURN_MIN_UPDATE_INTERVAL_MS');
  });
});
