// Secrets from files (Docker secrets, systemd credentials): PMM_<SECRET>_FILE reads the secret
// from the file; errors name the variable and the path, never the content.
import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, redactConfig } from '../../src/config/load.js';

const dir = mkdtempSync(join(tmpdir(), 'polymm-secrets-'));
const file = (name: string, text: string): string => (writeFileSync(join(dir, name), text), join(dir, name));

describe('secrets from files', () => {
  it('PMM_PRIVATE_KEY_FILE, PMM_FUNDER_FILE and PMM_API_CREDENTIALS_FILE', () => {
    const key = '0x' + '11'.repeat(32);
    const cfg = loadConfig({
      env: {
        PMM_PRIVATE_KEY_FILE: file('key', `${key}\n`),
        PMM_FUNDER_FILE: file('funder', '0x00000000000000000000000000000000000000d4'),
        PMM_API_CREDENTIALS_FILE: file(
          'creds.json',
          JSON.stringify({ apiKey: 'k', secret: 's3cr3t', passphrase: 'p' }),
        ),
      },
    });
    expect(cfg.wallet).toMatchObject({
      privateKey: key,
      funder: '0x00000000000000000000000000000000000000d4',
      apiKey: 'k',
      apiSecret: 's3cr3t',
      apiPassphrase: 'p',
    });
    expect(JSON.stringify(redactConfig(cfg))).not.toContain('s3cr3t');
  });

  it('a missing or malformed file is an error naming the variable, not the content', () => {
    expect(() => loadConfig({ env: { PMM_PRIVATE_KEY_FILE: join(dir, 'absent') } })).toThrow(
      /PMM_PRIVATE_KEY_FILE: cannot read .*absent \(ENOENT\)/,
    );
    const bad = file('bad.json', 'topsecret-not-json');
    expect(() => loadConfig({ env: { PMM_API_CREDENTIALS_FILE: bad } })).toThrow(/PMM_API_CREDENTIALS_FILE/);
    try {
      loadConfig({ env: { PMM_API_CREDENTIALS_FILE: bad } });
    } catch (e) {
      expect((e as Error).message).not.toContain('topsecret');
    }
  });
});
