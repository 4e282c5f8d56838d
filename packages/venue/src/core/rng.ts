// Seeded randomness for the venue: mulberry32. Nothing in the venue uses Math.random.

export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  normal(): number;
  /** Integer in [lo, hi]. */
  int(lo: number, hi: number): number;
  chance(p: number): boolean;
  /** A child stream, independent of later draws on this one. */
  fork(salt: number): Rng;
}

export function createRng(seed: number): Rng {
  let a = seed >>> 0 || 0x9e3779b9;
  const next = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  let spare: number | undefined;
  const rng: Rng = {
    next,
    normal() {
      if (spare !== undefined) {
        const s = spare;
        spare = undefined;
        return s;
      }
      const u = Math.max(next(), 1e-12);
      const v = next();
      const r = Math.sqrt(-2 * Math.log(u));
      spare = r * Math.sin(2 * Math.PI * v);
      return r * Math.cos(2 * Math.PI * v);
    },
    int: (lo, hi) => lo + Math.floor(next() * (hi - lo + 1)),
    chance: (p) => next() < p,
    fork: (salt) => createRng((Math.imul(seed ^ 0x85ebca6b, 0xc2b2ae35) + salt * 0x27d4eb2f) >>> 0),
  };
  return rng;
}

/** Deterministic hex string of `bytes` bytes (for ids). */
export function hexId(rng: Rng, bytes: number): string {
  let out = '';
  for (let i = 0; i < bytes; i++)
    out += Math.floor(rng.next() * 256)
      .toString(16)
      .padStart(2, '0');
  return out;
}

/** Deterministic big decimal string like Polymarket token ids (~77 digits). */
export function decimalId(rng: Rng, digits = 77): string {
  let out = String(1 + Math.floor(rng.next() * 9));
  while (out.length < digits) out += String(Math.floor(rng.next() * 10));
  return out;
}
