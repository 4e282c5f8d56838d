// The CLI: parses arguments, builds the config, hands over to the command. Wiring lives in src/app.
import yargs, { type Argv } from 'yargs';
import { hideBin } from 'yargs/helpers';
import { ConfigError, redactConfig } from './config/load.js';
import { configFromArgv, globalOptions, runOptions, venueOptions } from './cli/options.js';
import { backtestOptions } from './cli/backtestOptions.js';
import { LogInputError, runReplayCommand, runStressCommand } from './cli/replay.js';
import { UsageError } from './cli/usage.js';
import { TapError } from './operators/tapDebug.js';
import { WalletError } from './cli/walletError.js';
import { configPaths } from './config/load.js';
import { checkConfigFlags, unknownArgsMessage, type KnownNames } from './cli/typos.js';

// The operator commands load on use: every CLI start (and `start` itself) stays as quick as before.
const ops = {
  control: () => import('./cli/control.js'),
  keys: () => import('./cli/keys.js'),
  doctor: () => import('./cli/doctor.js'),
  livetest: () => import('./cli/livetest.js'),
  pnl: () => import('./cli/pnl.js'),
};
// So do the heavy ones (venue, pipeline, fault cases): declared up front, they cost every command,
// `polymm stress` included, ~130 MB of resident memory.
const cmds = {
  start: () => import('./cli/start.js'),
  venue: () => import('./cli/venue.js'),
  backtest: () => import('./cli/backtest.js'),
  faults: () => import('./cli/faults.js'),
  faultCases: () => import('./cli/faults/cases.js'),
};

const venueChoice = {
  type: 'string',
  choices: ['sim', 'live'],
  describe: 'sim: the embedded simulated venue; live: use endpoints',
} as const;

/** Command and option names yargs knows (for the nearest valid name to a typo). */
type Introspect = {
  getOptions?(): { key?: Record<string, unknown> };
  getInternalMethods?(): { getCommandInstance?(): { getCommands?(): string[] } };
};
const commandsOf = (y: unknown): string[] =>
  ((y as Introspect).getInternalMethods?.().getCommandInstance?.().getCommands?.() ?? []).filter((c) => c !== '$0');

function knownNames(y: unknown, commands: readonly string[], tokens: readonly string[]): KnownNames {
  const inner = y as Introspect;
  const declared = Object.keys(inner.getOptions?.().key ?? {});
  const camel = new Set(
    declared.filter((o) => o.includes('-')).map((o) => o.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase())),
  );
  const options = [...declared, ...configPaths()].filter((o) => !camel.has(o));
  return { commands, options: [...new Set(options)], tokens };
}

async function main(argv: string[]): Promise<void> {
  let commands: string[] = [];
  const cli: Argv = globalOptions(yargs(argv));
  cli
    .scriptName('polymm')
    .usage(
      '$0 <command> [options]\n\nMarket maker for Polymarket BTC Up/Down markets. Runs on the embedded simulated venue unless --venue live.',
    )
    .command(['start', '$0'], 'run the bot (default: with the simulated venue in-process)', runOptions, async (args) =>
      (await cmds.start()).runStartCommand(args as Record<string, unknown>),
    )
    .command(
      'venue',
      'run the simulated venue standalone; prints {"venue":{...urls}} once listening',
      (y) =>
        venueOptions(y)
          .option('state-dir', {
            type: 'string',
            describe:
              'keep accounts, API keys, orders and balances here across a restart (default: sim.stateDir, else ~/.local/state/polymm/venue)',
          })
          .option('state', { type: 'boolean', default: true, describe: '--no-state: keep nothing across a restart' }),
      async (args) => {
        const cfg = configFromArgv(args as Record<string, unknown>);
        const { defaultVenueStateDir, runVenueCommand } = await cmds.venue();
        return runVenueCommand(
          cfg,
          args.state === false ? undefined : (args.stateDir ?? (cfg.sim.stateDir || defaultVenueStateDir())),
        );
      },
    )
    .command(
      'backtest',
      'run the bot against the simulated venue in virtual time; prints {"backtest":{...}}',
      backtestOptions,
      async (args) => (await cmds.backtest()).runBacktestCommand(args as Record<string, unknown>),
    )
    .command(
      'replay <log>',
      'replay an event log through the strategy; prints {"replay":{...}}, exit 1 if it differs',
      (y) => y.positional('log', { type: 'string', demandOption: true }),
      (args) => {
        process.exitCode = runReplayCommand(args.log);
      },
    )
    .command(
      'stress <log>',
      'replay an event log\'s inputs through the strategy, as fast as possible or at --speed N× real time; prints {"stress":{...}}',
      (y) =>
        y
          .positional('log', { type: 'string', demandOption: true })
          .option('repeat', { type: 'number', default: 20, describe: 'passes over the log (a whole number >= 1)' })
          .option('speed', {
            type: 'number',
            describe: "replay at N times the log's own speed (default: as fast as possible)",
          })
          .check((a) => {
            if (!Number.isInteger(a.repeat) || a.repeat < 1)
              throw new UsageError(`--repeat must be a whole number >= 1, got ${String(a.repeat)}`);
            if (a.speed !== undefined && !(Number.isFinite(a.speed) && a.speed > 0))
              throw new UsageError(`--speed must be a number > 0, got ${String(a.speed)}`);
            return true;
          }),
      async (args) => {
        process.exitCode = await runStressCommand(args.log, args.repeat, args.speed);
      },
    )
    .command(
      'faults',
      'the fault matrix: inject each live-venue fault into the simulated venue while the bot trades; prints a table and {"faults":[...]}',
      (y) =>
        y
          .option('only', { type: 'string', describe: 'comma-separated fault names (default: all)' })
          .option('parallel', { type: 'number', default: 4, describe: 'runs at once (each has its own venue and bot)' })
          .option('short', { type: 'boolean', default: false, describe: 'shorter faults (CI)' })
          .check((a) => {
            if (!Number.isInteger(a.parallel) || a.parallel < 1)
              throw new UsageError(`--parallel must be a whole number >= 1, got ${String(a.parallel)}`);
            return true;
          }),
      async (args) => {
        // Unknown fault names: a usage error before anything runs.
        if (args.only !== undefined) (await cmds.faultCases()).selectCases(args.only.split(',').filter(Boolean));
        process.exitCode = await (
          await cmds.faults()
        ).runFaultsCommand({
          only: args.only?.split(',').filter(Boolean),
          parallel: args.parallel,
          short: args.short,
        });
      },
    )
    .command(
      'keys',
      'create or derive CLOB API credentials for the configured wallet; writes them once to a 0600 file',
      (y) =>
        y
          .option('venue', venueChoice)
          .option('out', {
            type: 'string',
            describe: 'credentials file (default ~/.config/polymm/api-credentials.json); must not exist',
          })
          .option('print', { type: 'boolean', default: false, describe: 'also print the credentials on stdout' }),
      async (args) => {
        process.exitCode = await (
          await ops.keys()
        ).runKeysCommand(configFromArgv(args as Record<string, unknown>), {
          ...(args.out ? { out: args.out } : {}),
          print: args.print,
        });
      },
    )
    .command(
      'doctor',
      'preflight for live trading: one line per check, ok or the fix; exit 1 on any failure',
      (y) => y.option('venue', venueChoice),
      async (args) => {
        process.exitCode = await (await ops.doctor()).runDoctorCommand(configFromArgv(args as Record<string, unknown>));
      },
    )
    .command(
      'livetest',
      'one safe round trip: a minimum post-only order at the lowest tick, seen on the user channel, cancelled, confirmed gone; prints {"livetest":{…}}',
      (y) => y.option('venue', venueChoice),
      async (args) => {
        process.exitCode = await (
          await ops.livetest()
        ).runLivetestCommand(configFromArgv(args as Record<string, unknown>));
      },
    )
    .command(
      'status',
      'ask the running bot (its metricsPort on 127.0.0.1) what it holds and does',
      (y) => y.option('json', { type: 'boolean', default: false, describe: 'print {"status":{…}} instead of a table' }),
      async (args) => {
        process.exitCode = await (
          await ops.control()
        ).runStatusCommand(configFromArgv(args as Record<string, unknown>), args.json);
      },
    )
    .command(
      'cancel-all',
      'panic button: halt the running bot and cancel every open order of the account; prints {"cancelAll":{…}}',
      (y) => y.option('venue', venueChoice),
      async (args) => {
        process.exitCode = await (
          await ops.control()
        ).runCancelAllCommand(configFromArgv(args as Record<string, unknown>));
      },
    )
    .command(
      'pnl',
      'rebuild the SQLite ledger from the event logs and print PnL per market and the totals',
      (y) =>
        y
          .option('since', {
            type: 'string',
            describe: 'markets ending since: an ISO date/time or a duration back from now (24h)',
          })
          .option('json', { type: 'boolean', default: false, describe: 'print {"pnl":{…}} instead of a table' }),
      async (args) => {
        process.exitCode = (await ops.pnl()).runPnlCommand(configFromArgv(args as Record<string, unknown>), {
          ...(args.since !== undefined ? { since: args.since } : {}),
          json: args.json,
        });
      },
    )
    .command(
      'config [action]',
      'show the effective configuration (secrets redacted)',
      (y) =>
        runOptions(y)
          .positional('action', { type: 'string', choices: ['print'], default: 'print' })
          .option('json', { type: 'boolean', default: true }),
      (args) => {
        const cfg = configFromArgv(args as Record<string, unknown>);
        console.log(JSON.stringify(redactConfig(cfg), null, 2));
      },
    )
    .parserConfiguration({ 'dot-notation': true })
    .middleware((args) => checkConfigFlags(args, configPaths()), true)
    .strict()
    .recommendCommands()
    .demandCommand(0)
    .help()
    .alias('h', 'help')
    .fail((msg, err, y) => {
      if (
        err instanceof ConfigError ||
        err instanceof TapError ||
        err instanceof WalletError ||
        err instanceof LogInputError ||
        err instanceof UsageError
      ) {
        console.error(err.message);
        process.exit(2);
      }
      if (err) throw err;
      const typo = unknownArgsMessage(msg, knownNames(cli, commands, argv));
      if (typo) {
        console.error(typo + '\n(see `polymm --help`)');
        process.exit(2);
      }
      console.error(msg + '\n');
      y.showHelp();
      process.exit(2);
    });
  commands = commandsOf(cli); // read before parsing: a running command resets the list
  await cli.parseAsync();
}

main(hideBin(process.argv)).then(
  () => process.exit(process.exitCode ?? 0),
  (err: unknown) => {
    const usage =
      err instanceof ConfigError ||
      err instanceof TapError ||
      err instanceof WalletError ||
      err instanceof LogInputError ||
      err instanceof UsageError;
    console.error(
      usage || !(err instanceof Error) ? String(err instanceof Error ? err.message : err) : `polymm: ${err.message}`,
    );
    process.exit(usage ? 2 : 1);
  },
);
