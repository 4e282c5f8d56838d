// Baseline strategies to compare the spec strategy with, through the same pipeline and sink:
//   naive  — one bid per token at the book mid minus a fixed distance, fixed size, no model;
//   follow — join or improve by one tick the best bid of others on both tokens, while the
//            combined bid stays <= 1 - requiredEdge.
// They reuse the bot state reducer, the halts, the pause rules (cutoff, stale oracle, no book)
// and the churn rules; only the quote differs. No taker completions.
import { mergeMap, scan, type OperatorFunction } from 'rxjs';
import type { Config } from '../config/schema.js';
import type { Book, DesiredOrder, DesiredOrderSet, Feed, InputEvent, Outcome } from '../domain/index.js';
import { cancellingHalts, midOf, type GlobalHalt, tokenOf, topOf } from '../domain/index.js';
import { pauseReason } from '../quant/quote.js';
import { type BotState, type MarketState } from '../state/botState.js';
import { marketHalts } from '../state/halts.js';
import { applyChurn, EMPTY_CHURN, type ChurnState } from '../strategy/churn.js';
import { toxicityOf } from '../strategy/evaluate.js';
import {
  initialStrategy,
  stateParams,
  strategyStep,
  type StrategyEvent,
  type StrategyState,
} from '../strategy/step.js';

export type BaselineKind = 'naive' | 'follow';

/** How far below the mid the naive baseline bids. */
export const NAIVE_DISTANCE = 0.03;

const EPS = 1e-9;
const floorTick = (x: number, tick: number): number => Math.round(Math.floor(x / tick + EPS) * tick * 1e6) / 1e6;

/** Best bid of others: our own resting size at a level is not someone else's bid. */
function othersBestBid(book: Book, m: MarketState): number | undefined {
  for (const level of book.bids) {
    let own = 0;
    for (const o of m.orders.values())
      if (o.tokenId === book.tokenId && Math.abs(o.price - level.price) < EPS) own += o.size - o.sizeMatched;
    if (level.size - own > EPS) return level.price;
  }
  return undefined;
}

/** Bid prices for (up, down), or a reason not to quote. */
function prices(
  kind: BaselineKind,
  m: MarketState,
  bookUp: Book,
  bookDown: Book,
  limit: number,
): [number, number] | string {
  const tick = m.tickSize;
  if (kind === 'naive') {
    const midUp = midOf(bookUp);
    const midDown = midOf(bookDown);
    if (midUp === undefined || midDown === undefined) return 'no_mid';
    const up = floorTick(midUp - NAIVE_DISTANCE, tick);
    const down = floorTick(midDown - NAIVE_DISTANCE, tick);
    // Keep the combined bid under the limit: take the excess off both sides.
    const shave = Math.ceil((up + down - limit) / (2 * tick) - EPS) * tick;
    return shave > 0 ? [floorTick(up - shave, tick), floorTick(down - shave, tick)] : [up, down];
  }
  const up = othersBestBid(bookUp, m);
  const down = othersBestBid(bookDown, m);
  if (up === undefined || down === undefined) return 'no_bid_to_follow';
  if (up + down + 2 * tick <= limit + EPS) return [up + tick, down + tick];
  if (up + down <= limit + EPS) return [up, down];
  return 'combined_over_limit';
}

function baselineQuote(
  kind: BaselineKind,
  s: BotState,
  m: MarketState,
  cfg: Config,
  halts: readonly GlobalHalt[],
): DesiredOrderSet {
  const { market } = m;
  const tick = m.tickSize;
  const tox = toxicityOf(s, cfg);
  const bookUp = m.bookUp && topOf(m.bookUp, tick);
  const bookDown = m.bookDown && topOf(m.bookDown, tick);
  const empty = (reason: string): DesiredOrderSet => ({
    slug: market.slug,
    conditionId: market.conditionId,
    orders: [],
    reason,
    tsMs: s.nowMs,
  });
  const paused = pauseReason(
    {
      nowMs: s.nowMs,
      market,
      qUp: 0.5,
      toxicity: tox,
      targetTotal: 1,
      inventory: m.inventory,
      halts: [...cancellingHalts(halts), ...marketHalts(m)],
      ...(bookUp ? { bookUp } : {}),
      ...(bookDown ? { bookDown } : {}),
    },
    cfg.cutoffMs,
  );
  if (paused !== undefined) return empty(paused);
  const limit = 1 - cfg.alpha.requiredEdge;
  const p = prices(kind, m, m.bookUp!, m.bookDown!, kind === 'naive' ? 1 - tick : limit);
  if (typeof p === 'string') return empty(p);
  const orders: DesiredOrder[] = [];
  const size = Math.max(cfg.ladder.baseSize, market.minSize);
  (
    [
      ['up', p[0], bookUp?.bestAsk],
      ['down', p[1], bookDown?.bestAsk],
    ] as const
  ).forEach(([outcome, raw, ask]) => {
    // Post-only: stay below the best ask; on the grid and inside [tick, 1 - tick].
    const price = Math.min(raw, ask !== undefined ? ask - tick : raw, 1 - tick);
    if (price < tick - EPS) return;
    orders.push({
      outcome: outcome as Outcome,
      tokenId: tokenOf(market, outcome),
      level: 0,
      side: 'BUY',
      price: Math.round(price * 1e6) / 1e6,
      size,
      postOnly: true,
      orderType: 'GTC',
    });
  });
  return {
    slug: market.slug,
    conditionId: market.conditionId,
    orders,
    tsMs: s.nowMs,
    ...(orders.length === 0 ? { reason: 'nothing_to_quote' } : {}),
  };
}

interface BaselineState {
  readonly spec: StrategyState;
  readonly churn: ReadonlyMap<string, ChurnState>;
  readonly out: StrategyEvent[];
}

/** A strategy operator: the spec step keeps state, alpha and halts; the baseline replaces its quotes. */
export function baselineStrategy(
  kind: BaselineKind,
): (cfg: Config, requiredFeeds?: readonly Feed[]) => OperatorFunction<InputEvent, StrategyEvent> {
  return (cfg, requiredFeeds) => {
    const params = stateParams(cfg);
    const limits = { capUp: 1, capDown: 1, targetTotal: kind === 'naive' ? 1 : 1 - cfg.alpha.requiredEdge };
    const step = (s: BaselineState, ev: InputEvent): BaselineState => {
      const r = strategyStep(s.spec, ev, cfg, params);
      if (r.state === s.spec || ev.kind === 'skip' || ev.kind === 'lastTrade' || ev.kind === 'bestBidAsk')
        return { ...s, spec: r.state, out: [] };
      const out: StrategyEvent[] = r.out.filter((e) => e.kind === 'alpha' || e.kind === 'halt');
      const bot = r.state.bot;
      const churn = new Map(s.churn);
      for (const [id, m] of bot.markets) {
        const c = applyChurn(
          churn.get(id) ?? EMPTY_CHURN,
          baselineQuote(kind, bot, m, cfg, r.state.halts),
          limits,
          m.tickSize,
          cfg.churn,
        );
        churn.set(id, c.state);
        if (c.emit) out.push({ kind: 'decision', tsMs: bot.nowMs, desired: c.emit });
      }
      for (const id of churn.keys()) if (!bot.markets.has(id)) churn.delete(id);
      return { spec: r.state, churn, out };
    };
    return (source) =>
      source.pipe(
        scan(step, { spec: initialStrategy(requiredFeeds), churn: new Map(), out: [] }),
        mergeMap((s) => s.out),
      );
  };
}
