// The standalone venue's persistent store: what the live venue keeps across a restart (accounts,
// API keys, resting orders, balances, trades) in one small JSON file, written atomically (a temp
// file, fsync, rename) so a crash mid-write leaves the previous state, never half a file.
import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { VPersisted } from '../core/types.js';

export const STATE_FILE = 'venue-state.json';
const VERSION = 1;

export interface VenueState {
  readonly version: typeof VERSION;
  /** The market schedule the state belongs to: a restart keeps it, so the same markets exist again. */
  readonly world: { readonly seed: number; readonly intervalMs: number; readonly scheduleOriginMs: number };
  readonly serverSecret: string;
  readonly keys: readonly { readonly address: string; readonly nonce: string }[];
  readonly core: VPersisted;
}

export class VenueStateError extends Error {
  override readonly name = 'VenueStateError';
}

const isObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);

/** The saved state in `dir`, or undefined when there is none yet; a damaged file is a clear error naming it. */
export function loadVenueState(dir: string): VenueState | undefined {
  const path = join(dir, STATE_FILE);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new VenueStateError(`venue state ${path}: cannot read it (${(err as Error).message})`);
  }
  let s: unknown;
  try {
    s = JSON.parse(text);
  } catch {
    throw new VenueStateError(`venue state ${path}: not JSON; move it away to start with a fresh venue`);
  }
  const core = isObject(s) ? s.core : undefined;
  const world = isObject(s) ? s.world : undefined;
  if (
    !isObject(s) ||
    s.version !== VERSION ||
    typeof s.serverSecret !== 'string' ||
    !Array.isArray(s.keys) ||
    !isObject(world) ||
    !isObject(core) ||
    typeof world.seed !== 'number' ||
    typeof world.intervalMs !== 'number' ||
    typeof world.scheduleOriginMs !== 'number' ||
    typeof core.seq !== 'number' ||
    !Array.isArray(core.accounts) ||
    !Array.isArray(core.orders) ||
    !Array.isArray(core.trades)
  ) {
    throw new VenueStateError(
      `venue state ${path}: not a version ${VERSION} venue state; move it away to start with a fresh venue`,
    );
  }
  return s as unknown as VenueState;
}

/** Serialise the state (the caller skips writing when it equals the last one written). */
export const venueStateText = (s: VenueState): string => JSON.stringify(s);

/** Write atomically: the file holds either the previous state or this one, whatever happens. */
export function saveVenueStateText(dir: string, text: string): void {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, STATE_FILE);
  const tmp = `${path}.${process.pid}.tmp`;
  const fd = openSync(tmp, 'w', 0o600);
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
}
