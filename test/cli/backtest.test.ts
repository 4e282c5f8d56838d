// `polymm backtest` as a user runs it: exactly one {"backtest":{…}} line on stdout with every field,
// the HTML report written, and a usage error for a bad strategy.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const polymm = (args: string[]) =>
  spawnSync(process.execPath, ['--import', 'tsx', 'src/index.ts', ...args], { encoding: 'utf8', timeout: 60_000 });

const FIELDS = [
  'scenario',
  'seed',
  'strategy',
  'markets',
  'fills',
  'volume_usdc',
  'pnl_usdc',
  'pnl_per_share',
  'fees_usdc',
  'rebates_usdc',
  'markout_1s',
  'markout_5s',
  'markout_30s',
  'markout_settle',
  'max_unpaired_shares',
  'one_leg_markets',
  'orders_posted',
  'orders_cancelled',
  'orders_after_cutoff',
  'invariant_breaches',
  'brier',
  'events',
  'sim_seconds',
  'wall_seconds',
  'events_per_s',
];

describe('polymm backtest', () => {
  it('prints exactly one {"backtest":{…}} line with every field, and writes the report', () => {
    const report = join(mkdtempSync(join(tmpdir(), 'polymm-backtest-')), 'report.html');
    const r = polymm([
      'backtest',
      '--scenario',
      'trending',
      '--seed',
      '2',
      '--markets',
      '1',
      '--interval',
      '1m',
      '--strategy',
      'follow',
      '--report',
      report,
    ]);
    expect(r.status, r.stderr).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    const { backtest } = JSON.parse(lines[0]!) as { backtest: Record<string, unknown> };
    expect(Object.keys(backtest)).toEqual(FIELDS);
    expect(backtest).toMatchObject({
      scenario: 'trending',
      seed: 2,
      strategy: 'follow',
      markets: 1,
      orders_after_cutoff: 0,
      invariant_breaches: 0,
    });
    expect(existsSync(report)).toBe(true);
    expect(readFileSync(report, 'utf8')).toMatch(/^<!doctype html>/);
  }, 60_000);

  it('--segments splits the markets into independent runs at once: the same line, saying so', () => {
    const r = polymm(['backtest', '--seed', '3', '--markets', '2', '--interval', '1m', '--segments', '2']);
    expect(r.status, r.stderr).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    const { backtest } = JSON.parse(lines[0]!) as { backtest: Record<string, unknown> };
    expect(Object.keys(backtest)).toEqual([...FIELDS.slice(0, 4), 'segments', ...FIELDS.slice(4)]);
    expect(backtest).toMatchObject({ seed: 3, markets: 2, segments: 2, orders_after_cutoff: 0, invariant_breaches: 0 });
  }, 60_000);

  it('a segment count outside 1..markets, or with --report or --table, is a usage error (exit 2)', () => {
    for (const [args, message] of [
      [['--markets', '2', '--segments', '3'], /--segments must be a whole number from 1 to --markets/],
      [['--markets', '2', '--segments', '0'], /--segments must be/],
      [['--markets', '2', '--segments', '2', '--report', 'x.html'], /--report needs an unsplit run/],
      [['--markets', '2', '--segments', '2', '--table'], /not with --table/],
    ] as const) {
      const r = polymm(['backtest', ...args]);
      expect(r.status, r.stderr).toBe(2);
      expect(r.stderr).toMatch(message);
    }
  }, 60_000);

  it('an unknown strategy is a usage error (exit 2)', () => {
    const r = polymm(['backtest', '--strategy', 'magic']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/magic/);
  });
});
