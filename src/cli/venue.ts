// `polymm venue`: the simulated venue standalone. Prints one JSON line with its URLs once listening.
// Standalone, it keeps its accounts, API keys, orders and balances across a restart (a state
// directory), as the live venue does, and its dev chain with them; embedded in the bot or in tests it keeps nothing by default.
import { homedir } from 'node:os';
import { join } from 'node:path';
import { startVenue, type RunningVenue } from '@polymm/venue';
import { loadVenueState, VenueStateError } from '@polymm/venue';
import type { VScenario } from '@polymm/venue';
import { startVenueChain } from '../chain/venueChain.js';
import { simScenarioOverrides, type Config } from '../config/schema.js';
import { INTERVAL_MS } from '../domain/index.js';

const PREROLL_MS = 60_000;

/** Where `polymm venue` keeps its state unless told otherwise. */
export const defaultVenueStateDir = (): string =>
  join(process.env.XDG_STATE_HOME || join(homedir(), '.local', 'state'), 'polymm', 'venue');

/** The simulated venue as configured by `sim` (seed, scenario, interval, port, first market, starting fault knobs, state directory). */
export async function startSimVenue(sim: Config['sim'], clock: () => number = Date.now): Promise<RunningVenue> {
  const now = clock();
  const intervalMs = INTERVAL_MS[sim.interval] ?? 900_000;
  const stateDir = sim.stateDir === '' ? undefined : sim.stateDir;
  const saved = stateDir ? loadVenueState(stateDir) : undefined;
  if (saved && (saved.world.seed !== sim.seed || saved.world.intervalMs !== intervalMs)) {
    throw new VenueStateError(
      `venue state in ${stateDir}: saved by a venue with seed ${saved.world.seed} and ${saved.world.intervalMs / 60_000}-minute markets, not seed ${sim.seed} and ${sim.interval}; use the same settings, another --state-dir, or --no-state`,
    );
  }
  // The venue owns its schedule: a fresh market opens sim.firstMarketInMs after launch, so a newcomer
  // sees trading at once instead of waiting for the next UTC boundary (0 keeps the UTC grid). A
  // restarted venue keeps the schedule it had, so the same markets (and their orders) exist again.
  const scheduleOriginMs = saved?.world.scheduleOriginMs ?? (sim.firstMarketInMs > 0 ? now + sim.firstMarketInMs : 0);
  return startVenue({
    port: sim.port,
    clock,
    faults: sim.faults,
    weeklyRestart: sim.weeklyRestart,
    // With a store, the chain lives in it too (`<store>/chain`): a restart reopens it.
    ...(sim.chain
      ? {
          chain: (onError: (err: Error) => void, clock: () => number) =>
            startVenueChain({ onError, clock, ...(stateDir ? { dir: join(stateDir, 'chain') } : {}) }),
        }
      : {}),
    // The world starts a minute before launch: prices have a history (RTDS sends it on subscribe),
    // so the bot's volatility estimate is warm when the fresh market opens.
    options: {
      seed: sim.seed,
      scenario: sim.scenario as VScenario,
      intervalMs,
      scheduleOriginMs,
      startMs: now - PREROLL_MS,
      scenarioOverrides: simScenarioOverrides(sim),
      resolution: sim.resolution,
    },
    ...(stateDir
      ? {
          state: {
            dir: stateDir,
            world: { seed: sim.seed, intervalMs, scheduleOriginMs },
            ...(saved ? { saved } : {}),
            onError: (err: Error) => process.stderr.write(`venue state not saved: ${err.message}\n`),
          },
        }
      : {}),
  });
}

/** `stateDir`: undefined keeps nothing (--no-state); else where the state lives. */
export async function runVenueCommand(cfg: Config, stateDir: string | undefined): Promise<void> {
  const venue = await startSimVenue({ ...cfg.sim, stateDir: stateDir ?? '' });
  if (stateDir) {
    const r = venue.restored;
    process.stderr.write(
      r
        ? `venue state restored from ${stateDir}: ${r.accounts} accounts, ${r.orders} resting orders (${r.dropped} could not rest again)\n`
        : `venue state: ${stateDir} (fresh)\n`,
    );
  }
  console.log(JSON.stringify({ venue: venue.urls, ...(venue.chain ? { chain: venue.chain } : {}) }));
  await new Promise<void>((resolve) => {
    const stop = (): void => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await venue.close();
}
