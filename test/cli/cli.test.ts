// The CLI contracts, run as a user runs them (TypeScript sources through tsx's loader).
import { spawn, spawnSync, type ChildProcess, type ChildProcessByStdio } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';

const polymm = (args: string[], env: Record<string, string> = {}) =>
  spawnSync(process.execPath, ['--import', 'tsx', 'src/index.ts', ...args], {
    encoding: 'utf8',
    env: { ...process.env, ...env },
    timeout: 60_000,
  });

/** Processes a test started and must not outlive it, even when it times out or fails. */
const children = new Set<ChildProcess>();
const running = (c: ChildProcess): boolean => c.exitCode === null && c.signalCode === null;
const polymmProcess = (args: string[]): ChildProcessByStdio<null, Readable, Readable> => {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/index.ts', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  child.once('exit', () => children.delete(child));
  return child;
};

// A test that timed out is abandoned mid-await (its finally may never run): whatever it started
// still running is killed here and waited for, so no venue is left listening after the run.
afterEach(async () => {
  const left = [...children].filter(running);
  children.clear();
  await Promise.all(
    left.map(
      (c) =>
        new Promise<void>((resolve) => {
          c.once('exit', () => resolve());
          if (!running(c)) resolve();
          else c.kill('SIGKILL');
        }),
    ),
  );
});

describe('polymm', () => {
  it('config print shows the effective config with secrets redacted', () => {
    const r = polymm(['config', 'print', '--ladder.levels', '4'], {
      PMM_PRIVATE_KEY: '0x' + '11'.repeat(32),
      PMM_API_SECRET: 'topsecret',
      PMM_CHURN_MIN_SIZE_CHANGE: '7',
    });
    expect(r.status).toBe(0);
    const cfg = JSON.parse(r.stdout) as {
      ladder: { levels: number };
      churn: { minSizeChange: number };
      wallet: Record<string, string>;
    };
    expect(cfg.ladder.levels).toBe(4);
    expect(cfg.churn.minSizeChange).toBe(7);
    expect(r.stdout).not.toContain('11'.repeat(32));
    expect(r.stdout).not.toContain('topsecret');
  });

  it('a bad value stops with exit 2 naming the field, the value and what is allowed', () => {
    const r = polymm(['config', 'print', '--ladder.levels', '99']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/ladder\.levels/);
    expect(r.stderr).toMatch(/99/);
    expect(r.stderr).toMatch(/10/);
  });

  // Three CLI processes in a row: on a loaded 2-core machine each takes ~10 s to start.
  it(
    'bad values of command options are usage errors (exit 2) naming the option and what is allowed',
    { timeout: 60_000 },
    () => {
      const fault = polymm(['faults', '--only', 'nope']);
      expect(fault.status).toBe(2);
      expect(fault.stderr).toMatch(/unknown fault "nope"; known: market-ws-dropped/);
      const parallel = polymm(['faults', '--parallel', '0']);
      expect(parallel.status).toBe(2);
      expect(parallel.stderr).toMatch(/--parallel must be a whole number >= 1, got 0/);
      const repeat = polymm(['stress', 'any.log', '--repeat', '0']);
      expect(repeat.status).toBe(2);
      expect(repeat.stderr).toMatch(/--repeat must be a whole number >= 1, got 0/);
    },
  );

  it('unknown taps are a usage error', () => {
    const tap = polymm(['start', '--tap', 'bogus']);
    expect(tap.status).toBe(2);
    expect(tap.stderr).toMatch(/unknown tap "bogus"; allowed: .*quotes/);
  });

  it('venue prints one {"venue":…} line once listening, and the URLs answer', async () => {
    const child = polymmProcess([
      'venue',
      '--seed',
      '1',
      '--scenario',
      'calm',
      '--port',
      '0',
      '--state-dir',
      mkdtempSync(join(tmpdir(), 'polymm-cli-venue-')),
    ]);
    try {
      const line = await new Promise<string>((resolve, reject) => {
        let buf = '';
        child.stdout.on('data', (b: Buffer) => {
          buf += b.toString();
          if (buf.includes('\n')) resolve(buf.split('\n')[0]!);
        });
        child.on('exit', () => reject(new Error('exited early')));
      });
      const { venue } = JSON.parse(line) as { venue: Record<string, string> };
      expect(Object.keys(venue).sort()).toEqual(['clob', 'control', 'gamma', 'polybolt', 'rtds', 'wsMarket', 'wsUser']);
      expect(await (await fetch(`${venue.clob}/version`)).json()).toEqual({ version: 2 });
    } finally {
      child.kill('SIGTERM');
    }
  }, 60_000); // a process start (~10 s under load) plus the simulated venue's dev chain (~5 s)

  it('start --dry-run with --duration stops cleanly and prints the summary line', () => {
    const r = polymm([
      'start',
      '--dry-run',
      '--interval',
      '1m',
      '--duration',
      '4s',
      '--metricsPort',
      '0',
      '--eventLogDir',
      '/tmp/polymm-cli-test',
      '--tap',
      'market',
    ]);
    expect(r.status).toBe(0);
    const lines = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.at(-1)).toEqual({ summary: expect.objectContaining({ orders_posted: 0, live_orders_at_exit: 0 }) });
    expect(lines.filter((l) => l.tap === 'market').length).toBeGreaterThanOrEqual(2);
    expect(lines.every((l) => 'tap' in l || 'summary' in l)).toBe(true);
  }, 60_000); // a process start (~10 s under load) plus the simulated venue's dev chain (~5 s)
});
