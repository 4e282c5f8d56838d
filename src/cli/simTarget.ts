// For the operator commands that talk to a venue (doctor, livetest): with `venue: sim` they run
// against the embedded simulated venue, started for the purpose, with a random wallet when none
// is configured; with `venue: live`, against `endpoints`.
import { randomAccount } from '../sinks/execution/account.js';
import { endpointsOf, type Config } from '../config/schema.js';
import { startSimVenue } from './venue.js';

export async function withSimVenue<T>(
  cfg: Config,
  say: (line: string) => void,
  run: (target: Config) => Promise<T>,
): Promise<T> {
  if (cfg.venue !== 'sim') return run(cfg);
  const venue = await startSimVenue(cfg.sim);
  const u = venue.urls;
  say(`checking the embedded simulated venue ${u.clob} (use --venue live for Polymarket)`);
  try {
    return await run({
      ...cfg,
      endpoints: endpointsOf(u),
      market: { ...cfg.market, interval: cfg.sim.interval },
      wallet: { ...cfg.wallet, privateKey: cfg.wallet.privateKey || randomAccount().privateKey },
    });
  } finally {
    await venue.close();
  }
}
