// q_up = P(S_end >= S0) when the log price moves with drift mu and variance var per second
// (both estimated on log returns, so no Ito correction is added).
import { normalCdf } from './normal.js';

const finite = (...xs: number[]): boolean => xs.every(Number.isFinite);

export function qUp(s0: number, st: number, tauS: number, muPerS: number, varPerS: number): number {
  if (!finite(s0, st) || !(s0 > 0) || !(st > 0)) return 0.5;
  // At (or past) the end the outcome is known; ties go Up (end >= start).
  if (!(tauS > 0)) return st >= s0 ? 1 : 0;
  const mu = Number.isFinite(muPerS) ? muPerS : 0;
  const variance = Number.isFinite(varPerS) && varPerS > 0 ? varPerS : 0;
  const sd = Math.sqrt(variance * tauS);
  const m = Math.log(st / s0) + mu * tauS;
  if (!(sd > 0)) return m >= 0 ? 1 : 0;
  const q = normalCdf(m / sd);
  return Number.isFinite(q) ? Math.min(1, Math.max(0, q)) : 0.5;
}
