// Toxic-regime classification (TECH_SPEC §6 alpha/toxicity).
import type { Regime } from '../domain/index.js';

export interface PricePoint {
  readonly price: number;
  readonly tsMs: number;
}

export interface ToxicityInputs {
  readonly nowMs: number;
  /** Latest settlement-source (Chainlink) tick. */
  readonly chainlink?: PricePoint;
  /** Latest fast-feed (Binance) tick. */
  readonly binance?: PricePoint;
  /** Fast-feed price at the start of the fast-move window. */
  readonly binanceWindowStart?: PricePoint;
  readonly varPerS: number;
  /** The settlement feed's own silence timer fired (exact, between ticks of the clock). */
  readonly oracleSilent?: boolean;
}

export interface ToxicityParams {
  readonly chainlinkStaleMs: number;
  readonly binanceStaleMs: number;
  readonly fastMoveWindowMs: number;
  readonly fastMoveThreshold: number;
  readonly disagreeThreshold: number;
  readonly staleBinanceSizeScalar: number;
  readonly fastMoveSizeScalar: number;
}

export interface RegimeFlags {
  readonly staleOracle: boolean;
  readonly staleBinance: boolean;
  readonly fastMove: boolean;
  readonly disagree: boolean;
}

export interface Toxicity {
  readonly regime: Regime;
  readonly flags: RegimeFlags;
  readonly reasons: readonly string[];
  /** Multiplier for quote sizes: 1 normal, lower under toxicity, 0 when paused. */
  readonly sizeScalar: number;
}

const pct = (x: number): string => `${(x * 100).toFixed(3)}%`;

export function classifyToxicity(i: ToxicityInputs, p: ToxicityParams): Toxicity {
  const reasons: string[] = [];
  const oracleAge = i.chainlink ? i.nowMs - i.chainlink.tsMs : Infinity;
  const staleOracle = oracleAge > p.chainlinkStaleMs || i.oracleSilent === true;
  if (staleOracle)
    reasons.push(i.chainlink ? `chainlink stale ${oracleAge}ms (limit ${p.chainlinkStaleMs}ms)` : 'no chainlink price');

  const binanceAge = i.binance ? i.nowMs - i.binance.tsMs : Infinity;
  const staleBinance = binanceAge > p.binanceStaleMs;
  if (staleBinance)
    reasons.push(i.binance ? `binance stale ${binanceAge}ms > ${p.binanceStaleMs}ms` : 'no binance price');

  let fastMove = false;
  const start = i.binanceWindowStart;
  if (!staleBinance && i.binance && start && start.price > 0 && i.binance.tsMs - start.tsMs <= p.fastMoveWindowMs) {
    const move = Math.abs(Math.log(i.binance.price / start.price));
    fastMove = move >= p.fastMoveThreshold;
    if (fastMove)
      reasons.push(`fast move ${pct(move)} in ${i.binance.tsMs - start.tsMs}ms >= ${pct(p.fastMoveThreshold)}`);
  }

  let disagree = false;
  if (!staleOracle && !staleBinance && i.chainlink && i.binance && i.chainlink.price > 0) {
    const gap = Math.abs(i.binance.price / i.chainlink.price - 1);
    disagree = gap >= p.disagreeThreshold;
    if (disagree) reasons.push(`feeds disagree by ${pct(gap)}`);
  }

  const flags = { staleOracle, staleBinance, fastMove, disagree };
  const regime: Regime = staleOracle
    ? 'STALE_ORACLE'
    : fastMove
      ? 'FAST_MOVE'
      : staleBinance
        ? 'STALE_BINANCE'
        : disagree
          ? 'ORACLE_DISAGREE'
          : 'NORMAL';
  const sizeScalar = staleOracle
    ? 0
    : (fastMove ? p.fastMoveSizeScalar : 1) * (staleBinance ? p.staleBinanceSizeScalar : 1);
  return { regime, flags, reasons, sizeScalar };
}
