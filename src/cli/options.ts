// Shared CLI options and the mapping from flags onto config paths.
import type { Argv } from 'yargs';
import { configPaths, loadConfig, setPath } from '../config/load.js';
import type { Config } from '../config/schema.js';
import { parseDuration } from './duration.js';

/** Options every command understands. Any config field is also settable as `--<path> value`
 * (e.g. `--ladder.levels 4`, `--churn.minUpdateIntervalMs 500`). */
export function globalOptions<T>(y: Argv<T>) {
  // Each config section is a known (hidden) option for strict parsing; its paths are checked
  // against the schema by checkConfigFlags, which names the nearest one.
  const withPaths = CONFIG_FLAG_ROOTS.reduce((acc, root) => acc.option(root, { hidden: true }), y);
  return withPaths
    .option('config', { type: 'string', describe: 'config file (JSON or YAML); also PMM_CONFIG' })
    .option('log-level', { type: 'string', choices: ['error', 'warn', 'info', 'debug'], describe: 'log level' });
}

/** Options of the commands that run the bot (and of `venue`, for the simulated venue). */
export function venueOptions<T>(y: Argv<T>) {
  return y
    .option('seed', { type: 'number', describe: 'simulated venue: random seed' })
    .option('scenario', {
      type: 'string',
      choices: ['calm', 'trending', 'jumpy', 'flash-crash', 'oracle-stall'],
      describe: 'simulated venue: market scenario',
    })
    .option('interval', { type: 'string', choices: ['1m', '5m', '15m'], describe: 'simulated venue: market interval' })
    .option('port', { type: 'number', describe: 'simulated venue: base port (0 picks free ports)' })
    .option('resolution', {
      type: 'string',
      choices: ['twap', 'first-tick'],
      describe: "simulated venue: settle on Chainlink's 60 s TWAP (default) or the retired first tick",
    });
}

export function runOptions<T>(y: Argv<T>) {
  return venueOptions(y)
    .option('venue', {
      type: 'string',
      choices: ['sim', 'live'],
      describe: 'sim: start the simulated venue in-process; live: use endpoints',
    })
    .option('dry-run', { type: 'boolean', describe: 'run feeds and strategy, log desired orders, post nothing' })
    .option('duration', { type: 'string', describe: 'stop cleanly after this long (e.g. 30s, 10m, 1h)' })
    .option('dashboard', {
      type: 'boolean',
      default: true,
      describe: 'on a terminal, a live dashboard redrawn in place (--no-dashboard: the status lines)',
    })
    .option('tap', {
      type: 'string',
      describe: 'debug taps, comma-separated (book,prices,fills,volatility,qUp,regime,caps,quotes)',
    });
}

/** Flag name -> config path for the flags that are shorthands. */
const FLAG_PATHS: Readonly<Record<string, string>> = {
  logLevel: 'logLevel',
  venue: 'venue',
  dryRun: 'dryRun',
  seed: 'sim.seed',
  scenario: 'sim.scenario',
  interval: 'sim.interval',
  port: 'sim.port',
  resolution: 'sim.resolution',
};

const CONFIG_ROOTS = new Set(Object.keys(loadConfig({})));
/** Roots settable as `--<path>`; the ones with their own declared flag are left to it. */
const CONFIG_FLAG_ROOTS = [...new Set(configPaths().map((p) => p.split('.')[0]!))].filter(
  (r) => !['logLevel', 'venue', 'dryRun'].includes(r),
);

/** Turns parsed argv into a nested override tree for loadConfig. */
export function flagsToTree(argv: Record<string, unknown>): Record<string, unknown> {
  const tree: Record<string, unknown> = {};
  for (const [flag, path] of Object.entries(FLAG_PATHS)) {
    if (argv[flag] !== undefined) setPath(tree, path, argv[flag]);
  }
  for (const [key, value] of Object.entries(argv)) {
    if (key in FLAG_PATHS || key.includes('-') || !CONFIG_ROOTS.has(key)) continue;
    if (value !== undefined) tree[key] = value;
  }
  return tree;
}

export function configFromArgv(argv: Record<string, unknown>, env: NodeJS.ProcessEnv = process.env): Config {
  return loadConfig({ file: argv.config as string | undefined, env, flags: flagsToTree(argv) });
}

export function durationMs(argv: Record<string, unknown>): number | undefined {
  const text = argv.duration as string | undefined;
  return text === undefined ? undefined : parseDuration(text);
}
