// Combined target p_up + p_down: below 1 so that a full set bought at the target is profitable.
import type { RegimeFlags } from './toxicity.js';

export interface TargetTotalParams {
  readonly base: number;
  readonly min: number;
  readonly max: number;
  readonly fastMovePenalty: number;
  readonly staleBinancePenalty: number;
  readonly disagreePenalty: number;
  /** Penalty per unit of variance per second (scaled by 1e6 so typical BTC values are ~1). */
  readonly volPenaltyPerUnit: number;
}

export function targetTotal(flags: RegimeFlags, varPerS: number, p: TargetTotalParams): number {
  const volUnits = Number.isFinite(varPerS) && varPerS > 0 ? varPerS * 1e6 : 0;
  const penalties =
    (flags.fastMove ? p.fastMovePenalty : 0) +
    (flags.staleBinance ? p.staleBinancePenalty : 0) +
    (flags.disagree ? p.disagreePenalty : 0) +
    p.volPenaltyPerUnit * volUnits;
  return Math.min(p.max, Math.max(p.min, p.base - penalties));
}
