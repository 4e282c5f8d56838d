// Bad input to the commands (issue 13 #11): a bad private key stops at configuration (exit 2, the
// key never echoed); replay/stress on something that is not an event log is a clear error (exit 2)
// with a bounded, escaped excerpt, never a vacuous "deterministic: true".
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { excerpt, LogInputError, runReplayCommand, runStressCommand } from '../../src/cli/replay.js';
import { loadConfig } from '../../src/config/load.js';

const polymm = (args: string[], env: Record<string, string> = {}) =>
  spawnSync(process.execPath, ['--import', 'tsx', 'src/index.ts', ...args], {
    encoding: 'utf8',
    env: { ...process.env, ...env },
    timeout: 60_000,
  });

describe('a bad private key', () => {
  it.each([
    ['too short', '0x1234'],
    ['not hex (and never echoed)', '0xzz' + 'ab'.repeat(31)],
    ['zero', '0x' + '0'.repeat(64)],
    ['above the group order', '0x' + 'f'.repeat(64)],
  ])('%s: a config error naming the field, not the value', (_name, key) => {
    expect(() => loadConfig({ env: { PMM_PRIVATE_KEY: key } })).toThrow(
      /wallet\.privateKey = <redacted>: must be a private key/,
    );
    try {
      loadConfig({ env: { PMM_PRIVATE_KEY: key } });
    } catch (err) {
      expect((err as Error).message).not.toContain(key.slice(2, 10));
    }
  });

  it('a valid key passes, with or without 0x', () => {
    expect(loadConfig({ env: { PMM_PRIVATE_KEY: '0x' + '11'.repeat(32) } }).wallet.privateKey).toBe(
      '0x' + '11'.repeat(32),
    );
    expect(loadConfig({ env: { PMM_PRIVATE_KEY: '11'.repeat(32) } }).wallet.privateKey).toBe('11'.repeat(32));
  });

  it('polymm start with it exits 2 before anything starts', () => {
    const key = '0xzz' + 'cd'.repeat(31);
    const r = polymm(['start', '--duration', '1s'], { PMM_PRIVATE_KEY: key });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/wallet\.privateKey = <redacted>/);
    expect(r.stderr + r.stdout).not.toContain('cdcdcdcd');
    expect(r.stderr).not.toMatch(/simulated venue/);
  });
});

describe('replay and stress on what is not an event log', () => {
  const dir = mkdtempSync(join(tmpdir(), 'polymm-badlog-'));
  const file = (name: string, data: string | Buffer) => (writeFileSync(join(dir, name), data), join(dir, name));
  const empty = file('empty.log', '');
  const random = file('random.bin', Buffer.from(Array.from({ length: 4_000 }, (_, i) => (i * 7919 + 13) % 256)));
  const headless = file('headless.log', '{"kind":"clock","tsMs":1}\n{"kind":"clock","tsMs":2}\n');

  it.each([
    [empty, /event log .*empty\.log: empty/],
    [headless, /headless\.log: no header line.*\(2 events, 0 unreadable lines/],
    [join(dir, 'missing.log'), /missing\.log: cannot read \(ENOENT\)/],
  ])('replay %s: a LogInputError', (path, message) => {
    expect(() => runReplayCommand(path)).toThrow(LogInputError);
    expect(() => runReplayCommand(path)).toThrow(message);
    expect(() => runStressCommand(path, 1)).toThrow(message);
  });

  it.each([
    [
      'replay',
      random,
      /random\.bin: no header line, so not a log written by `polymm start` \(0 events, \d+ unreadable lines/,
    ],
    ['stress', random, /random\.bin: no header line/],
  ])('polymm %s %s: a clear error, exit 2, nothing on stdout', (command, path, message) => {
    const r = polymm([command, path]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stdout).toBe('');
    // Bounded and printable: no raw control bytes reach the terminal.
    expect(r.stderr.length).toBeLessThan(1_000);
    expect([...r.stderr].filter((c) => (c < ' ' && c !== '\n') || c === '\x7f')).toEqual([]);
  });

  it('the excerpt escapes control, quote, backslash and non-ASCII, and is bounded', () => {
    expect(excerpt('a"b\\c\x07\u00e9\u2028', 60)).toBe('"a\\"b\\\\c\\x07\\xe9\\u2028"');
    expect(excerpt('x'.repeat(100), 10)).toBe(`"${'x'.repeat(10)}"…`);
  });
});
