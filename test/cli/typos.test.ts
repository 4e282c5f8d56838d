// Typos are usage errors (issue 13 #2): exit 2 with the nearest valid name, before anything starts.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { checkConfigFlags, editDistance, nearest, unknownArgsMessage } from '../../src/cli/typos.js';
import { configPaths } from '../../src/config/load.js';

const polymm = (args: string[]) =>
  spawnSync(process.execPath, ['--import', 'tsx', 'src/index.ts', ...args], { encoding: 'utf8', timeout: 60_000 });

describe('polymm with a typo', () => {
  it.each([
    [['foo'], /unknown command "foo" \(commands: start, venue/],
    [['strat'], /unknown command "strat"; did you mean "start"\?/],
    [['start', '--dryrun', '--venue', 'live'], /unknown option "--dryrun"; did you mean "--dry-run"\?/],
    [['start', '--nosuch', '5'], /unknown option "--nosuch"/],
    [['start', '--ladder.levelz', '4'], /unknown option "--ladder.levelz"; did you mean "--ladder.levels"\?/],
    [['venue', '--sede', '3'], /unknown option "--sede"; did you mean "--seed"\?/],
  ])('polymm %j exits 2 naming it, with nothing started', (args, message) => {
    const r = polymm(args);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stdout).toBe('');
    expect(r.stderr).not.toMatch(/simulated venue|exchange connected|markets? found/i);
  });

  it('valid config paths and shorthands still pass', () => {
    const r = polymm(['config', 'print', '--ladder.levels', '4', '--venue', 'live', '--dry-run', '--metricsPort', '0']);
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ venue: 'live', dryRun: true, metricsPort: 0, ladder: { levels: 4 } });
  });
});

describe('typo helpers', () => {
  it('edit distance and nearest name', () => {
    expect(editDistance('strat', 'start')).toBe(2);
    expect(editDistance('', 'abc')).toBe(3);
    expect(nearest('strat', ['start', 'venue', 'stress'])).toBe('start');
    expect(nearest('xyzzy', ['start', 'venue'])).toBeUndefined();
    expect(nearest('dur', ['duration', 'dry-run'])).toBe('duration');
  });

  it("rewrites yargs' unknown-argument report; leaves other messages alone", () => {
    const known = { commands: ['start', 'venue'], options: ['dry-run', 'seed'], tokens: ['strat', '--dryrun'] };
    expect(unknownArgsMessage('Unknown arguments: strat, dryrun', known)).toBe(
      'polymm: unknown command "strat"; did you mean "start"? (commands: start, venue)\npolymm: unknown option "--dryrun"; did you mean "--dry-run"?',
    );
    expect(unknownArgsMessage('Missing required argument: log', known)).toBeUndefined();
  });

  it('config flags must name a config field', () => {
    const paths = configPaths();
    expect(() => checkConfigFlags({ ladder: { levels: 4 }, metricsPort: 0, _: [] }, paths)).not.toThrow();
    expect(() => checkConfigFlags({ churn: { minUpdateIntervalMz: 5 } }, paths)).toThrow(
      /--churn\.minUpdateIntervalMz.*--churn\.minUpdateIntervalMs/,
    );
    expect(() => checkConfigFlags({ ladder: { levels: { deep: 1 } } }, paths)).not.toThrow(); // a value: the schema judges it
  });
});
