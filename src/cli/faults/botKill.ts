// The fault matrix's bot-kill case (issue 14 #13): the bot runs as its own process (`polymm start
// --venue live` against the matrix's venue), is SIGKILLed while a batch of orders is going out (the
// kill lands inside the venue's accept of one of its orders), and is started again at once on the
// same wallet, as a supervisor would. Measured from the venue's side and from the event logs: the
// orders left behind are adopted or cancelled, no order is duplicated, both logs read back, the
// restarted bot's view equals the venue's, nothing is posted after the cutoff or after it stops.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { loadConfig } from '../../config/load.js';
import type { BotEvent } from '../../domain/index.js';
import { isInput } from '../../replay/replay.js';
import { parseSegment, readRunText } from '../../sinks/eventLogFiles.js';
import { stateParams } from '../../strategy/step.js';
import { initialState, reduce } from '../../state/botState.js';
import { createVenueCore } from '@polymm/venue';
import { startVenue } from '@polymm/venue';
import { disagreement, recordingCore, until, type FaultResult, type Placement } from './run.js';

const INTERVAL_MS = 300_000;
/** The market opens this long after the venue: room for the bot process to start on a loaded machine. */
const OPEN_IN_MS = 15_000;
/** The bot stops quoting this long after the market opens (its cutoff), so the run crosses it. */
const QUOTE_FOR_MS = 75_000;
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** This CLI as a child process: the same entry, compiled or run through tsx. */
function cliCommand(): string[] {
  const ts = import.meta.url.endsWith('.ts');
  const entry = fileURLToPath(new URL(`../../index.${ts ? 'ts' : 'js'}`, import.meta.url));
  return [...(ts ? ['--import', 'tsx'] : []), entry];
}

/** Event lines of a run's log: how many parse, how many do not (a line torn by the kill). */
function readLog(dir: string, file: string): { events: BotEvent[]; torn: number } {
  const lines = readRunText(join(dir, file))
    .split('\n')
    .filter((l) => l.trim() !== '');
  const events: BotEvent[] = [];
  let torn = 0;
  for (const l of lines.slice(1)) {
    try {
      events.push(JSON.parse(l) as BotEvent);
    } catch {
      torn += 1;
    }
  }
  return { events, torn };
}

export async function runBotKill(): Promise<FaultResult> {
  const now = Date.now();
  const placements: Placement[] = [];
  const core = recordingCore(
    createVenueCore({
      seed: 11,
      scenario: 'calm',
      intervalMs: INTERVAL_MS,
      startMs: now - 60_000,
      scheduleOriginMs: now + OPEN_IN_MS,
      minedDelayMs: 300,
      confirmedDelayMs: 300,
    }),
    placements,
  );
  const venue = await startVenue({ core, port: 0, tickMs: 20 });
  const privateKey = generatePrivateKey();
  const owner = privateKeyToAccount(privateKey).address.toLowerCase();
  const logDir = mkdtempSync(join(tmpdir(), 'polymm-faults-kill-'));
  const u = venue.urls;
  const args = [
    ...cliCommand(),
    'start',
    '--venue',
    'live',
    '--no-dashboard',
    '--log-level',
    'error',
    '--endpoints.gamma',
    u.gamma,
    '--endpoints.clob',
    u.clob,
    '--endpoints.wsMarket',
    u.wsMarket,
    '--endpoints.wsUser',
    u.wsUser,
    '--endpoints.rtds',
    u.rtds,
    '--endpoints.polybolt',
    u.polybolt,
    '--market.interval',
    '5m',
    '--cutoffMs',
    String(INTERVAL_MS - QUOTE_FOR_MS),
    '--metricsPort',
    '0',
    '--eventLogDir',
    logDir,
    '--market.discoveryPollMs',
    '500',
    '--alpha.minVolSamples',
    '0',
    '--heartbeat.intervalMs',
    '500',
    '--heartbeat.graceMs',
    '1500',
    '--presign.enabled',
    'false',
  ];
  const launch = (): ChildProcess =>
    spawn(process.execPath, args, { env: { ...process.env, PMM_PRIVATE_KEY: privateKey }, stdio: 'ignore' });
  const exited = (c: ChildProcess): Promise<void> =>
    c.exitCode !== null || c.signalCode !== null ? Promise.resolve() : new Promise((r) => c.once('exit', () => r()));
  await until(() => core.markets().some((m) => m.startMs === now + OPEN_IN_MS), 5_000);
  const market = core.markets().find((m) => m.startMs === now + OPEN_IN_MS)!;
  const cutoffAt = market.startMs + QUOTE_FOR_MS;
  const mine = (): number => core.openOrders(owner).length;
  let first: ChildProcess | undefined = launch();
  let second: ChildProcess | undefined;
  try {
    const quoting = await until(() => mine() > 0, OPEN_IN_MS + 30_000);
    // Kill inside the next batch: the moment the venue accepts one of its orders.
    await sleep(1_500);
    const killedAt = await new Promise<number>((resolve) => {
      const place = core.placeOrder;
      core.placeOrder = (req, t) => {
        const r = place(req, t);
        if (r.success && req.owner === owner && first?.exitCode === null) {
          first.kill('SIGKILL');
          core.placeOrder = place;
          resolve(Date.now());
        }
        return r;
      };
    });
    await exited(first);
    first = undefined;
    const leftBehind = core.openOrders(owner).map((o) => o.id);
    second = launch();
    const relaunchedAt = Date.now();
    // Quoting again: the restarted process posts (the orders left behind it adopts or cancels).
    // (The rest of the batch the kill interrupted is accepted by the venue before this: not counted.)
    const resumed = await until(() => placements.some((p) => p.owner === owner && p.wallMs > relaunchedAt), 45_000);
    const resumedAt = resumed ? Date.now() : undefined;
    // One log per run (its first segment names it).
    const logs = (): string[] =>
      readdirSync(logDir)
        .filter((f) => parseSegment(f)?.seq === 0)
        .sort();
    const params = stateParams(loadConfig({}));
    const reconciled = await until(() => {
      const files = logs();
      if (files.length < 2) return false;
      let view = initialState();
      for (const ev of readLog(logDir, files.at(-1)!).events) if (isInput(ev)) view = reduce(view, ev, params);
      return disagreement(view, core, owner) === undefined;
    }, 15_000);
    // The same order twice (token, side, price) resting at once: a duplicate.
    const resting = core.openOrders(owner).map((o) => `${o.tokenId}/${o.side}/${o.price}`);
    const duplicates = resting.length - new Set(resting).size;
    await sleep(Math.max(0, cutoffAt + 2_000 - Date.now()));
    second.kill('SIGTERM');
    await exited(second);
    const stoppedAt = Date.now();
    second = undefined;
    await sleep(500);
    const minePlaced = placements.filter((p) => p.owner === owner);
    const postedAfterCutoff = minePlaced.filter(
      (p) => (p.tokenId === market.tokenUp || p.tokenId === market.tokenDown) && p.venueMs >= cutoffAt,
    ).length;
    const postedAfterStop = mine() + minePlaced.filter((p) => p.wallMs > stoppedAt).length;
    const read = logs().map((f) => readLog(logDir, f));
    const eventsLost = read.reduce((n, r) => n + r.torn, 0);
    const problem =
      read.length < 2
        ? `${read.length} event logs, not 2`
        : duplicates > 0
          ? `${duplicates} duplicate orders resting`
          : undefined;
    const ok =
      quoting &&
      postedAfterCutoff === 0 &&
      postedAfterStop === 0 &&
      eventsLost === 0 &&
      reconciled &&
      problem === undefined;
    return {
      fault: 'bot-kill',
      paused_ms: 0,
      live_while_blind: null,
      posted_after_cutoff: postedAfterCutoff,
      posted_after_stop: postedAfterStop,
      events_lost: eventsLost,
      reconciled,
      resumed_ms: resumedAt === undefined ? null : resumedAt - killedAt,
      live_at_injection: leftBehind.length,
      ok,
      ...(problem ? { problem } : {}),
    };
  } finally {
    first?.kill('SIGKILL');
    second?.kill('SIGKILL');
    await venue.close();
  }
}
