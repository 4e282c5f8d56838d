// What the venue's chain mirror must remember across a restart beside the chain itself: the accounts
// it mirrors (venue owner -> the address holding its tokens), the trade legs it has delivered, and the
// one leg in flight (its signed transaction, sent again after a crash: mined once whatever happens).
// One small JSON file written atomically (temp file, fsync, rename), as the venue's own store.
import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { Hex } from 'viem';

export const MIRROR_FILE = 'mirror.json';
/** Delivered legs remembered (the venue restores at most its last 500 trades an account). */
const DELIVERED_KEPT = 20_000;

export interface MirrorJournalState {
  /** Venue owner (lower case) -> address on chain. */
  accounts: [string, Hex][];
  /** Leg keys (`tradeId#leg`) delivered on chain, oldest first. */
  delivered: string[];
  /** The leg being delivered: its signed transaction, sent or about to be. */
  pending?: { leg: string; raw: Hex };
  /** The chain's RPC and relayer ports, reused by a restarted venue when free. */
  ports?: { rpc: number; relayer: number };
}

export interface MirrorJournal {
  readonly state: MirrorJournalState;
  /** Write the state (durable when it returns); a journal kept in memory only does nothing. */
  save(): void;
}

const isLeg = (x: unknown): x is string => typeof x === 'string';
const isHex = (x: unknown): x is Hex => typeof x === 'string' && /^0x[0-9a-fA-F]*$/.test(x);

const trim = (state: MirrorJournalState): void => {
  if (state.delivered.length > DELIVERED_KEPT) state.delivered.splice(0, state.delivered.length - DELIVERED_KEPT);
};

/** An empty journal kept in memory (a chain that is not persisted), bounded as the file is. */
export function memoryJournal(): MirrorJournal {
  const state: MirrorJournalState = { accounts: [], delivered: [] };
  return { state, save: () => trim(state) };
}

/** The journal in `dir` (fresh when there is none); a damaged file is a clear error naming it. */
export function openMirrorJournal(dir: string): MirrorJournal {
  const path = join(dir, MIRROR_FILE);
  const state: MirrorJournalState = { accounts: [], delivered: [] };
  let text: string | undefined;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  if (text !== undefined) {
    const bad = (): Error => new Error(`venue chain journal ${path}: damaged; move the chain directory away`);
    let s: Partial<MirrorJournalState>;
    try {
      s = JSON.parse(text) as Partial<MirrorJournalState>;
    } catch {
      throw bad();
    }
    if (
      !Array.isArray(s.accounts) ||
      !s.accounts.every((a) => Array.isArray(a) && isLeg(a[0]) && isHex(a[1])) ||
      !Array.isArray(s.delivered) ||
      !s.delivered.every(isLeg) ||
      (s.pending !== undefined && (!isLeg(s.pending.leg) || !isHex(s.pending.raw)))
    )
      throw bad();
    state.accounts = s.accounts;
    state.delivered = s.delivered;
    if (s.pending) state.pending = s.pending;
    if (s.ports && Number.isInteger(s.ports.rpc) && Number.isInteger(s.ports.relayer)) state.ports = s.ports;
  }
  return {
    state,
    save() {
      trim(state);
      mkdirSync(dir, { recursive: true });
      const tmp = `${path}.${process.pid}.tmp`;
      const fd = openSync(tmp, 'w', 0o600);
      try {
        writeSync(fd, JSON.stringify(state));
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
      renameSync(tmp, path);
    },
  };
}
