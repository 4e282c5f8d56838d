// `polymm venue`: the simulated venue standalone. Prints one JSON line with its URLs once listening.
import { startVenue, type RunningVenue } from '../venue/server/index.js';
import type { VScenario } from '../venue/core/types.js';
import type { Config } from '../config/schema.js';
import { INTERVAL_MS } from '../streams/discovery.js';

/** The simulated venue as configured by `sim` (seed, scenario, interval, port, starting fault knobs). */
export async function startSimVenue(sim: Config['sim']): Promise<RunningVenue> {
  return startVenue({
    port: sim.port,
    faults: sim.faults,
    options: { seed: sim.seed, scenario: sim.scenario as VScenario, intervalMs: INTERVAL_MS[sim.interval] ?? 900_000, resolution: sim.resolution },
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
