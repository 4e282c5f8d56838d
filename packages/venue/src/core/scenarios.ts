// Market scenarios: parameters of the BTC price process, the oracle and the participants. Every
// field is a setting (`sim.<name>`); a scenario is only a named set of defaults. How each default
// was chosen (calibrated against real books, or a documented guess) is in the README.
import type { VScenario } from './types.js';

export interface ScenarioParams {
  /** Annualised base volatility. */
  readonly volAnnual: number;
  /** Volatility of log-volatility (stochastic vol), per sqrt(second). */
  readonly volOfVol: number;
  /** Log drift per second (sign flips each interval in `trending`). */
  readonly driftPerS: number;
  /** Jumps per second, and their size: a jump's log return is normal with standard deviation `JUMP_SD_PER_SIZE` × jumpSize. */
  readonly jumpRate: number;
  readonly jumpSize: number;
  /** Flash crash: log drop over 10 s at 40 % of each interval, half recovered over the next minute; the level persists. */
  readonly flashCrash: number;
  /** Oracle stall: seconds without Chainlink updates every `stallEveryS`. */
  readonly stallS: number;
  readonly stallEveryS: number;
  /** The oracle shows the fast price this late; the lag wanders between the two bounds. */
  readonly oracleLagMinMs: number;
  readonly oracleLagMaxMs: number;
  /** Participant intensities (arrivals per second). */
  readonly noiseRate: number;
  readonly informedRate: number;
  /** Size range of a noise trade and of an informed order, shares. */
  readonly noiseSizeMin: number;
  readonly noiseSizeMax: number;
  readonly informedSizeMin: number;
  readonly informedSizeMax: number;
  /** Edge (in probability) informed takers need above the fee. */
  readonly informedEdge: number;
  /** From seeing the fast price to the order reaching the venue. */
  readonly informedLatencyMs: number;
  /** Taker delay: a marketable order is held this long before it matches (150 ms on crypto markets). */
  readonly takerDelayMs: number;
  /** Competing makers: how many, and each one's half-spread around its own estimate. */
  readonly makers: number;
  readonly makerSpread: number;
  /** Mean time between a maker's re-quotes. */
  readonly makerRequoteMs: number;
  /** How stale a maker's view of BTC is (each maker 0.5x..1.5x this). */
  readonly makerLagMs: number;
  /** Standard deviation of a maker's own, slowly wandering error on the BTC price, basis points. */
  readonly makerNoiseBps: number;
  /** Log-sd of a maker's error on the volatility (each maker draws one factor). */
  readonly makerVolError: number;
  /** Quote shift per share of net inventory (long Up: lower Up bids, raise Down bids). */
  readonly makerSkewPerShare: number;
  /** Extra half-spread while the maker sees a fast move (0.2 % in 5 s). */
  readonly makerFastMoveWiden: number;
  /** Levels per token and the size range of each. */
  readonly makerLevels: number;
  readonly makerSizeMin: number;
  readonly makerSizeMax: number;
}

const SECONDS_PER_YEAR = 31_536_000;
export const volPerSqrtS = (annual: number): number => annual / Math.sqrt(SECONDS_PER_YEAR);
export const JUMP_SD_PER_SIZE = 2;

/**
 * The price process's whole volatility, annualised: the diffusion's and the jumps' variance (rate ×
 * jump variance per second). What a participant who knows the process prices with; in `jumpy` the
 * jumps are most of it, and a fair value from the diffusion alone is sure of outcomes that are not.
 */
export const fairVolAnnual = (p: Pick<ScenarioParams, 'volAnnual' | 'jumpRate' | 'jumpSize'>): number =>
  Math.sqrt(p.volAnnual ** 2 + p.jumpRate * (JUMP_SD_PER_SIZE * p.jumpSize) ** 2 * SECONDS_PER_YEAR);

const base: ScenarioParams = {
  volAnnual: 0.45,
  volOfVol: 0.01,
  driftPerS: 0,
  jumpRate: 1 / 1800,
  jumpSize: 0.001,
  flashCrash: 0,
  stallS: 0,
  stallEveryS: 0,
  oracleLagMinMs: 1_000,
  oracleLagMaxMs: 4_000,
  noiseRate: 0.6,
  informedRate: 0.5,
  noiseSizeMin: 5,
  noiseSizeMax: 30,
  informedSizeMin: 10,
  informedSizeMax: 60,
  informedEdge: 0.02,
  informedLatencyMs: 300,
  takerDelayMs: 150,
  makers: 6,
  makerSpread: 0.015,
  makerRequoteMs: 1_500,
  makerLagMs: 2_000,
  makerNoiseBps: 4,
  makerVolError: 0.3,
  makerSkewPerShare: 0.0002,
  makerFastMoveWiden: 0.03,
  makerLevels: 3,
  makerSizeMin: 30,
  makerSizeMax: 150,
};

export const SCENARIOS: Readonly<Record<VScenario, ScenarioParams>> = {
  calm: base,
  trending: { ...base, driftPerS: 6e-6, informedRate: 1, informedEdge: 0.015 },
  jumpy: { ...base, volAnnual: 0.7, jumpRate: 1 / 45, jumpSize: 0.002, informedRate: 1.2, informedEdge: 0.015 },
  'flash-crash': { ...base, flashCrash: 0.015, informedRate: 1 },
  'oracle-stall': { ...base, stallS: 30, stallEveryS: 180 },
};

export const SCENARIO_PARAM_NAMES = Object.keys(base) as (keyof ScenarioParams)[];

/** A named scenario with some of its parameters replaced (the `sim.*` settings). */
export function scenarioParams(name: VScenario, overrides: Partial<ScenarioParams> = {}): ScenarioParams {
  const out: Record<string, number> = { ...SCENARIOS[name] };
  for (const k of SCENARIO_PARAM_NAMES) {
    const v = overrides[k];
    if (v !== undefined && Number.isFinite(v)) out[k] = v;
  }
  const p = out as unknown as ScenarioParams;
  return p.oracleLagMaxMs < p.oracleLagMinMs ? { ...p, oracleLagMaxMs: p.oracleLagMinMs } : p;
}
