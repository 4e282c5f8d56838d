import { describe, expect, it } from 'vitest';
import { classifyToxicity, loadDefaultsForTest, targetTotal } from './helpers.js';

const p = loadDefaultsForTest().alpha;
const now = 1_000_000;

describe('classifyToxicity', () => {
  it.each([
    [
      'all fresh and agreeing',
      { chainlink: { price: 100_000, tsMs: now - 500 }, binance: { price: 100_010, tsMs: now - 100 } },
      'NORMAL',
      1,
    ],
    ['no chainlink at all', { binance: { price: 100_000, tsMs: now } }, 'STALE_ORACLE', 0],
    [
      'chainlink just past its threshold',
      { chainlink: { price: 100_000, tsMs: now - p.chainlinkStaleMs - 1 }, binance: { price: 100_000, tsMs: now } },
      'STALE_ORACLE',
      0,
    ],
    [
      'chainlink exactly at its threshold',
      { chainlink: { price: 100_000, tsMs: now - p.chainlinkStaleMs }, binance: { price: 100_000, tsMs: now } },
      'NORMAL',
      1,
    ],
    [
      'binance stale',
      { chainlink: { price: 100_000, tsMs: now }, binance: { price: 100_000, tsMs: now - p.binanceStaleMs - 1 } },
      'STALE_BINANCE',
      p.staleBinanceSizeScalar,
    ],
    [
      'fast move on binance',
      {
        chainlink: { price: 100_000, tsMs: now },
        binance: { price: 100_300, tsMs: now },
        binanceWindowStart: { price: 100_000, tsMs: now - 2_000 },
      },
      'FAST_MOVE',
      p.fastMoveSizeScalar,
    ],
    [
      'feeds disagree',
      { chainlink: { price: 100_000, tsMs: now }, binance: { price: 100_250, tsMs: now } },
      'ORACLE_DISAGREE',
      1,
    ],
  ])('%s', (_name, inputs, regime, sizeScalar) => {
    const t = classifyToxicity({ nowMs: now, varPerS: 1e-8, ...inputs }, p);
    expect(t.regime).toBe(regime);
    expect(t.sizeScalar).toBeCloseTo(sizeScalar as number, 12);
    if (regime !== 'NORMAL') expect(t.reasons.length).toBeGreaterThan(0);
  });

  it('stale oracle outranks a fast move', () => {
    const t = classifyToxicity(
      {
        nowMs: now,
        varPerS: 0,
        binance: { price: 101_000, tsMs: now },
        binanceWindowStart: { price: 100_000, tsMs: now - 1000 },
      },
      p,
    );
    expect(t.regime).toBe('STALE_ORACLE');
    expect(t.flags.fastMove).toBe(true);
  });
});

describe('targetTotal', () => {
  const tt = {
    base: 0.98,
    min: 0.9,
    max: 0.99,
    fastMovePenalty: 0.03,
    staleBinancePenalty: 0.01,
    disagreePenalty: 0.01,
    volPenaltyPerUnit: 0,
  };
  const none = { staleOracle: false, staleBinance: false, fastMove: false, disagree: false };
  it.each([
    [none, 0, tt, 0.98],
    [{ ...none, fastMove: true }, 0, tt, 0.95],
    [{ ...none, fastMove: true, staleBinance: true, disagree: true }, 0, tt, 0.93],
    [{ ...none, fastMove: true }, 0, { ...tt, fastMovePenalty: 0.5 }, 0.9],
    [none, 0, { ...tt, base: 0.999 }, 0.99],
    [none, 2e-6, { ...tt, volPenaltyPerUnit: 0.01 }, 0.96],
  ])('%# clamp(base - penalties, min, max)', (flags, v, params, expected) => {
    expect(targetTotal(flags, v, params)).toBeCloseTo(expected, 12);
  });
});
