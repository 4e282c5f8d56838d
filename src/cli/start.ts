// `polymm start`: the bot, on the simulated venue in-process by default or on Polymarket with
// --venue live. Human status lines go to stderr; stdout carries taps and the final summary line.
import type { Subscription } from 'rxjs';
import { startBot } from '../app.js';
import { parseTaps, stdoutTaps } from '../operators/tapDebug.js';
import { createLogger } from '../sinks/logger.js';
import { statusReporter } from './status.js';
import { startSimVenue } from './venue.js';
import { liveDashboard } from './dashboard.js';
import { configFromArgv, durationMs } from './options.js';
import { parentGone$ } from './parentWatch.js';

export async function runStartCommand(argv: Record<string, unknown>): Promise<void> {
  const cfg = configFromArgv(argv);
  const taps = stdoutTaps(parseTaps(argv.tap as string | undefined));
  const runFor = durationMs(argv);
  // On a terminal, a live dashboard redrawn in place (logs down to errors); else the status lines.
  const dashboard = process.stderr.isTTY && argv.dashboard !== false;
  const logger = createLogger(dashboard ? 'error' : cfg.logLevel);
  let cutoffMs = cfg.cutoffMs;
  const screen = dashboard
    ? liveDashboard(
        (text) => process.stderr.write(text),
        () => cutoffMs,
        () => Date.now(),
      )
    : undefined;
  const status = screen?.onEvent ?? statusReporter({ write: (line) => process.stderr.write(line + '\n') });
  const bot = await startBot(cfg, { logger, taps, onEvent: status, startSimVenue });
  cutoffMs = bot.cfg.cutoffMs;
  if (bot.venue)
    process.stderr.write(
      `simulated venue: ${bot.venue.urls.clob} (scenario ${cfg.sim.scenario}, seed ${cfg.sim.seed}, ${cfg.sim.interval} markets)\n`,
    );
  if (bot.metricsPort) process.stderr.write(`metrics: http://127.0.0.1:${bot.metricsPort}/metrics  health: /healthz\n`);
  let orphan: Subscription | undefined;
  const stopped = new Promise<string>((resolve) => {
    process.once('SIGINT', () => resolve('SIGINT'));
    process.once('SIGTERM', () => resolve('SIGTERM'));
    if (runFor !== undefined) setTimeout(() => resolve(`duration ${String(argv.duration)}`), runFor).unref();
    void bot.ended.then(() => resolve('pipeline ended'));
    orphan = parentGone$().subscribe({
      next: (ppid) => resolve(`parent process gone (now ${ppid}); run node bin/polymm.js directly under a supervisor`),
      error: (err: unknown) =>
        process.stderr.write(
          `parent-process watch failed (${err instanceof Error ? err.message : String(err)}); the bot runs on, stop it with SIGINT/SIGTERM\n`,
        ),
    });
  });
  // A vanished parent may have taken stdout's reader with it: the shutdown must not die of EPIPE.
  process.stdout.on('error', () => undefined);
  const why = await stopped;
  screen?.stop();
  orphan?.unsubscribe();
  process.stderr.write(`stopping (${why}): cancelling all orders…\n`);
  const summary = await bot.stop();
  process.stdout.write(JSON.stringify({ summary }) + '\n');
}
