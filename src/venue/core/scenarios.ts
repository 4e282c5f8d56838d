// Market scenarios: parameters of the BTC price process and of the participants.
import type { VScenario } from './types.js';

export interface ScenarioParams {
  /** Annualised base volatility. */
  readonly volAnnual: number;
  /** Volatility of log-volatility (stochastic vol), per sqrt(second). */
  readonly volOfVol: number;
  /** Log drift per second (sign flips each interval in `trending`). */
  readonly driftPerS: number;
  /** Jumps per second and their log size standard deviation. */
  readonly jumpRate: number;
  readonly jumpSize: number;
  /** Flash crash: log drop at 40 % of each interval, partly recovered afterwards. */
  readonly flashCrash: number;
  /** Oracle stall: seconds without Chainlink updates every `stallEveryS`. */
  readonly stallS: number;
  readonly stallEveryS: number;
  /** Participant intensities (arrivals per second). */
  readonly noiseRate: number;
  readonly informedRate: number;
  /** Edge (in probability) informed takers need above the fee. */
  readonly informedEdge: number;
  readonly makerSpread: number;
}

const SECONDS_PER_YEAR = 31_536_000;
export const volPerSqrtS = (annual: number): number => annual / Math.sqrt(SECONDS_PER_YEAR);

const base: ScenarioParams = {
  volAnnual: 0.45, volOfVol: 0.01, driftPerS: 0, jumpRate: 1 / 1800, jumpSize: 0.001, flashCrash: 0,
  stallS: 0, stallEveryS: 0, noiseRate: 0.6, informedRate: 0.5, informedEdge: 0.02, makerSpread: 0.03,
};

export const SCENARIOS: Readonly<Record<VScenario, ScenarioParams>> = {
  calm: base,
  trending: { ...base, driftPerS: 6e-6, informedRate: 1, informedEdge: 0.015 },
  jumpy: { ...base, volAnnual: 0.7, jumpRate: 1 / 45, jumpSize: 0.002, informedRate: 1.2, informedEdge: 0.015 },
  'flash-crash': { ...base, flashCrash: 0.015, informedRate: 1 },
  'oracle-stall': { ...base, stallS: 30, stallEveryS: 180 },
};
