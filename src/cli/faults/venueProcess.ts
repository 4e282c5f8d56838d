// The simulated venue as its own OS process (`polymm venue`, the binary users run), for the fault
// matrix's venue-restart case: started on a port with a state directory, SIGKILLed, started again
// on the same port from the same directory. Its truth is read over the control API.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { AccountView } from '@polymm/venue';
import type { ChainInfo, VenueUrls } from '@polymm/venue';
import { cliCommand } from './botKill.js';

export interface VenueProcess {
  readonly urls: VenueUrls;
  /** Its dev chain's settings, when it runs one. */
  readonly chain?: ChainInfo;
  readonly port: number;
  /** What the venue holds for an account (null while it cannot answer). */
  account(owner: string): Promise<AccountView | null>;
  /** SIGKILL, and wait until the process is gone. */
  kill(): Promise<void>;
  /** SIGTERM (a clean stop), and wait until the process is gone. */
  stop(): Promise<void>;
}

/** `sim` settings of the venue (seed, interval, …) as `--sim.<key> value` flags. */
export async function spawnVenue(
  stateDir: string,
  port: number,
  sim: Record<string, string | number | boolean>,
): Promise<VenueProcess> {
  const flags = Object.entries({ ...sim, port }).flatMap(([k, v]) => [`--sim.${k}`, String(v)]);
  const child = spawn(process.execPath, [...cliCommand(), 'venue', '--state-dir', stateDir, ...flags], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => void (stderr = (stderr + d.toString()).slice(-2_000)));
  const exited = (): Promise<void> =>
    child.exitCode !== null || child.signalCode !== null
      ? Promise.resolve()
      : new Promise((r) => child.once('exit', () => r()));
  const { venue: urls, chain } = await new Promise<{ venue: VenueUrls; chain?: ChainInfo }>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    const timer = setTimeout(() => fail(new Error('venue process: no URLs within 60 s')), 60_000);
    const fail = (e: Error): void => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(new Error(`${e.message}; stderr: ${stderr.trim()}`));
    };
    lines.on('line', (l) => {
      try {
        const line = JSON.parse(l) as { venue?: VenueUrls; chain?: ChainInfo };
        if (!line.venue) return;
        clearTimeout(timer);
        resolve({ venue: line.venue, ...(line.chain ? { chain: line.chain } : {}) });
      } catch {
        // not the URL line
      }
    });
    child.once('exit', (code, signal) => fail(new Error(`venue process exited (${code ?? signal})`)));
  });
  return {
    urls,
    ...(chain ? { chain } : {}),
    port: Number(new URL(urls.clob).port),
    account: async (owner) => {
      try {
        const r = await fetch(`${urls.control}/account?owner=${owner}`, { signal: AbortSignal.timeout(2_000) });
        return r.ok ? ((await r.json()) as AccountView) : null;
      } catch {
        return null;
      }
    },
    kill: async () => {
      child.kill('SIGKILL');
      await exited();
    },
    stop: async () => {
      child.kill('SIGTERM');
      await exited();
    },
  };
}
