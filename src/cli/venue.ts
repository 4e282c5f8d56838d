// `polymm venue`: the simulated venue standalone. Prints one JSON line with its URLs once listening.
import { startVenue, type RunningVenue } from '../venue/server/index.js';
import type { VScenario } from '../venue/core/types.js';
import { simScenarioOverrides, type Config } from '../config/schema.js';
import { INTERVAL_MS } from '../domain/index.js';

const PREROLL_MS = 60_000;

/** The simulated venue as configured by `sim` (seed, scenario, interval, port, first market, starting fault knobs). */
export async function startSimVenue(sim: Config['sim'], clock: () => number = Date.now): Promise<RunningVenue> {
  // The venue owns its schedule: a fresh market opens sim.firstMarketInMs after launch, so a newcomer
  // sees trading at once instead of waiting for the next UTC boundary (0 keeps the UTC grid).
  const now = clock();
  const scheduleOriginMs = sim.firstMarketInMs > 0 ? now + sim.firstMarketInMs : 0;
  return startVenue({
    port: sim.port,
    clock,
    faults: sim.faults,
    weeklyRestart: sim.weeklyRestart,
    // The world starts a minute before launch: prices have a history (RTDS sends it on subscribe),
    // so the bot's volatility estimate is warm when the fresh market opens.
    options: { seed: sim.seed, scenario: sim.scenario as VScenario, intervalMs: INTERVAL_MS[sim.interval] ?? 900_000, scheduleOriginMs, startMs: now - PREROLL_MS, scenarioOverrides: simScenarioOverrides(sim), resolution: sim.resolution },
  });
}

export async function runVenueCommand(cfg: Config): Promise<void> {
  const venue = await startSimVenue(cfg.sim);
  console.log(JSON.stringify({ venue: venue.urls }));
  await new Promise<void>((resolve) => {
    const stop = (): void => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await venue.close();
}
