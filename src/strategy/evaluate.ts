// One market's decision from the bot state (pure): alpha (volatility, q_up, regime, caps, target
// total), the desired order set, and a taker completion intent when unpaired inventory calls for one.
import type { Config } from '../config/schema.js';
import type { AlphaEvent, DesiredOrderSet, TakerIntent } from '../domain/index.js';
import { FREEZE_ONLY_HALTS, resolutionOf, tokenOf, topOf } from '../domain/index.js';
import { classifyToxicity, completionOrder, feeCurveOf, modelCaps, qUp, qUpTwap, quoteMarket, targetTotal, twapOf, type Toxicity } from '../quant/index.js';
import { globalHalts, marketHalts, type BotState, type MarketState } from '../state/botState.js';

export interface Limits {
  readonly capUp: number;
  readonly capDown: number;
  readonly targetTotal: number;
}

export interface Evaluation {
  readonly alpha: AlphaEvent;
  readonly desired: DesiredOrderSet;
  readonly limits: Limits;
  readonly taker?: TakerIntent;
}

export function toxicityOf(s: BotState, cfg: Config): Toxicity {
  const windowStart = s.prices.fastWindow[0];
  return classifyToxicity(
    {
      nowMs: s.nowMs,
      varPerS: s.prices.ewma.varPerS,
      oracleSilent: s.health.stale.has('prices'),
      ...(s.prices.settlement ? { chainlink: s.prices.settlement } : {}),
      ...(s.prices.fast ? { binance: s.prices.fast } : {}),
      ...(windowStart ? { binanceWindowStart: windowStart } : {}),
    },
    cfg.alpha,
  );
}

export function evaluateMarket(s: BotState, m: MarketState, cfg: Config, tox: Toxicity = toxicityOf(s, cfg), halts: readonly string[] = globalHalts(s)): Evaluation {
  const { market } = m;
  const nowMs = s.nowMs;
  const { ewma, settlement } = s.prices;
  const tauS = Math.max(0, (market.endMs - nowMs) / 1000);
  const varPerS = Math.max(ewma.varPerS, cfg.alpha.varFloorPerS);
  const muPerS = cfg.alpha.driftWeight * ewma.driftPerS;
  const rule = resolutionOf(market);
  let q = 0.5;
  if (m.s0 !== undefined && settlement) {
    if (rule.rule === 'twap') {
      // Inside the averaging window its observed part is fixed: the average of our own ticks so far.
      const knownAvg = tauS < rule.lookbackS ? twapOf(s.prices.settlementHistory, nowMs, rule.lookbackS * 1000 - tauS * 1000) : undefined;
      q = qUpTwap({ s0: m.s0, spot: settlement.price, tauS, lookbackS: rule.lookbackS, muPerS, varPerS, ...(knownAvg !== undefined ? { knownAvg } : {}) });
    } else q = qUp(m.s0, settlement.price, tauS, muPerS, varPerS);
  }
  const total = targetTotal(tox.flags, ewma.varPerS, cfg.targetTotal);
  const tick = m.tickSize;
  const caps = modelCaps(q, cfg.alpha.requiredEdge, total, tick);
  const alpha: AlphaEvent = {
    kind: 'alpha', tsMs: nowMs, conditionId: market.conditionId, regime: tox.regime, regimeReasons: tox.reasons,
    qUp: q, model: rule.rule === 'twap' ? 'twap' : 'firstTick', capUp: caps.capUp, capDown: caps.capDown, targetTotal: total, sizeScalar: tox.sizeScalar, varPerS: ewma.varPerS, driftPerS: ewma.driftPerS,
  };
  const tickedMarket = tick === market.tickSize ? market : { ...market, tickSize: tick };
  const bookUp = m.bookUp && topOf(m.bookUp, tick);
  const bookDown = m.bookDown && topOf(m.bookDown, tick);
  const desired = quoteMarket(
    {
      nowMs, market: tickedMarket, qUp: q, toxicity: tox, targetTotal: total, inventory: m.inventory,
      // Freeze-only halts keep the quotes: the execution sink sends no new order while they last.
      halts: [...halts.filter((r) => !FREEZE_ONLY_HALTS.has(r)), ...marketHalts(m), ...(ewma.samples < cfg.alpha.minVolSamples ? ['vol_warmup'] : [])],
      ...(bookUp ? { bookUp } : {}),
      ...(bookDown ? { bookDown } : {}),
    },
    { cutoffMs: cfg.cutoffMs, requiredEdge: cfg.alpha.requiredEdge, ladder: cfg.ladder, skew: cfg.skew },
  );
  const limits = { capUp: caps.capUp, capDown: caps.capDown, targetTotal: total };
  const taker = halts.length === 0 && cfg.taker.enabled ? takerIntent(m, nowMs, cfg) : undefined;
  return { alpha, desired, limits, ...(taker ? { taker } : {}) };
}

function takerIntent(m: MarketState, nowMs: number, cfg: Config): TakerIntent | undefined {
  const { market } = m;
  const c = completionOrder(
    {
      nowMs, cutoffMs: market.endMs - cfg.cutoffMs, startMs: market.startMs, inventory: m.inventory,
      tick: m.tickSize, minSize: market.minSize, curve: feeCurveOf(market.feeSchedule),
      ...(m.bookUp?.asks[0] ? { bestAskUp: m.bookUp.asks[0].price } : {}),
      ...(m.bookDown?.asks[0] ? { bestAskDown: m.bookDown.asks[0].price } : {}),
      ...(m.unpairedSinceMs !== undefined ? { unpairedSinceMs: m.unpairedSinceMs } : {}),
    },
    cfg.taker,
  );
  if (!c) return undefined;
  return { conditionId: market.conditionId, tokenId: tokenOf(market, c.outcome), outcome: c.outcome, side: 'BUY', maxPrice: c.maxPrice, size: c.size, orderType: cfg.taker.orderType, reason: c.reason, tsMs: nowMs };
}
