// Trading-quality defects (issue 12): each test fails on the strategy as it was before the fix.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { initialStrategy, strategyStep, type StrategyState } from '../../src/strategy/step.js';
import { evaluateMarket } from '../../src/strategy/evaluate.js';
import type { MarketState } from '../../src/state/botState.js';
import type { Book, InputEvent, OrderEvent } from '../../src/domain/index.js';
import { bidsWithout } from '../support/ownBids.js';
import {
  START,
  healthyOpening,
  testConfig,
  market,
  bookEv,
  marketEv,
  up,
  chainlink,
  binance,
} from '../support/events.js';

const cfg = testConfig();

function run(events: InputEvent[], s: StrategyState = initialStrategy(), c = cfg): StrategyState {
  let state = s;
  for (const ev of events) state = strategyStep(state, ev, c).state;
  return state;
}

const ourBid = (
  tokenId: 'UP' | 'DOWN',
  price: number,
  size: number,
  tsMs: number,
  id = `our-${tokenId}-${price}`,
): OrderEvent => ({
  kind: 'order',
  tsMs,
  change: 'PLACEMENT',
  order: {
    orderId: id,
    conditionId: market.conditionId,
    tokenId,
    outcome: tokenId === 'UP' ? 'up' : 'down',
    side: 'BUY',
    price,
    size,
    sizeMatched: 0,
    orderType: 'GTC',
    status: 'live',
    level: 0,
    tsMs,
  },
});

function bookWith(tokenId: string, tsMs: number, bids: [number, number][], asks: [number, number][]): InputEvent {
  const book: Book = {
    tokenId,
    bids: bids.map(([price, size]) => ({ price, size })),
    asks: asks.map(([price, size]) => ({ price, size })),
    tsMs,
    stale: false,
  };
  return { kind: 'book', tsMs, conditionId: market.conditionId, book };
}

const level0 = (s: StrategyState, outcome: 'up' | 'down'): number | undefined => {
  const m = s.bot.markets.get(market.conditionId)!;
  return evaluateMarket(s.bot, m, cfg).desired.orders.find((o) => o.outcome === outcome && o.level === 0)?.price;
};

describe('own orders are not part of the book we quote against', () => {
  const opened = run(healthyOpening());
  const t = START + 1_500;

  it('a book containing our own best bid does not move our quote', () => {
    const before = level0(opened, 'up');
    expect(before).toBeCloseTo(0.46, 9); // one tick above the others' 0.45
    // Our 0.46 bid rests and shows in the book: quoting must not climb to 0.47 on top of it.
    const s = run(
      [
        ourBid('UP', 0.46, 10, t),
        bookWith(
          'UP',
          t,
          [
            [0.46, 10],
            [0.45, 100],
          ],
          [[0.55, 100]],
        ),
      ],
      opened,
    );
    expect(level0(s, 'up')).toBeCloseTo(0.46, 9);
    // Repeated re-quotes do not ratchet either.
    const again = run(
      [
        ourBid('UP', 0.46, 10, t + 2_000, 'second'),
        bookWith(
          'UP',
          t + 2_000,
          [
            [0.46, 20],
            [0.45, 100],
          ],
          [[0.55, 100]],
        ),
      ],
      s,
    );
    expect(level0(again, 'up')).toBeCloseTo(0.46, 9);
  });

  it('others at our price still count: only our remaining size is taken out of the level', () => {
    const s = run(
      [
        ourBid('UP', 0.46, 10, t),
        bookWith(
          'UP',
          t,
          [
            [0.46, 35],
            [0.45, 100],
          ],
          [[0.55, 100]],
        ),
      ],
      opened,
    );
    expect(level0(s, 'up')).toBeCloseTo(0.47, 9);
  });

  it('our bid on the other token leaves this token alone', () => {
    const s = run(
      [
        ourBid('DOWN', 0.46, 10, t),
        bookWith(
          'UP',
          t,
          [
            [0.46, 10],
            [0.45, 100],
          ],
          [[0.55, 100]],
        ),
        bookEv('DOWN', t, 0.45, 0.55),
      ],
      opened,
    );
    expect(level0(s, 'up')).toBeCloseTo(0.47, 9);
  });
});

describe('bidsWithout', () => {
  const level = fc.record({
    price: fc.integer({ min: 1, max: 99 }).map((c) => c / 100),
    size: fc.integer({ min: 1, max: 500 }),
  });
  it('takes only our size out, never adds or raises a level, and returns the book itself when we have no bid', () => {
    fc.assert(
      fc.property(fc.array(level, { maxLength: 8 }), fc.array(level, { maxLength: 4 }), (raw, ours) => {
        const bids = [...new Map(raw.map((l) => [l.price, l])).values()].sort((a, b) => b.price - a.price);
        const book: Book = { tokenId: 'UP', bids, asks: [], tsMs: 0, stale: false };
        expect(bidsWithout(book, [])).toBe(book);
        const out = bidsWithout(book, ours);
        for (const l of out.bids) {
          const before = bids.find((b) => b.price === l.price)!;
          const mine = ours.filter((o) => Math.abs(o.price - l.price) < 1e-9).reduce((a, o) => a + o.size, 0);
          expect(l.size).toBeCloseTo(Math.max(0, before.size - mine), 9);
          expect(l.size).toBeGreaterThan(0);
        }
        expect(out.bids.length).toBeLessThanOrEqual(bids.length);
        expect(out.bids.map((l) => l.price)).toEqual(
          bids.filter((b) => out.bids.some((l) => l.price === b.price)).map((b) => b.price),
        );
      }),
    );
  });
});

describe('q_up at a market start', () => {
  /** A 1 bp first return (into S0 = 100 000 at the start), then a price that only jitters by ±0.5 bp. */
  function flatStart(): InputEvent[] {
    const evs: InputEvent[] = [
      marketEv(START - 5_000),
      up('market', START - 5_000),
      up('user', START - 5_000),
      chainlink(START - 1_000, 99_990),
      binance(START - 1_000, 99_990),
      chainlink(START, 100_000),
      binance(START, 100_000),
    ];
    evs.push(bookEv('UP', START + 100, 0.45, 0.55), bookEv('DOWN', START + 100, 0.45, 0.55));
    for (let k = 1; k <= 60; k++) {
      const p = k % 2 ? 100_005 : 99_995;
      evs.push(chainlink(START + k * 1_000, p), binance(START + k * 1_000, p));
    }
    return evs;
  }
  const qUps = (c: typeof cfg): number[] => {
    let s = initialStrategy();
    const out: number[] = [];
    for (const ev of flatStart()) {
      const r = strategyStep(s, ev, c);
      s = r.state;
      for (const e of r.out) if (e.kind === 'alpha' && e.tsMs >= START + 20_000) out.push(e.qUp);
    }
    const m = s.bot.markets.get(market.conditionId)!;
    out.push(evaluateMarket(s.bot, m, c).alpha.qUp);
    return out;
  };

  it('stays near 0.5 when the price is flat (defaults: prior variance, no drift)', () => {
    for (const q of qUps(testConfig({ alpha: { minVolSamples: 20 } }))) expect(Math.abs(q - 0.5)).toBeLessThan(0.05);
  });

  it('stays near 0.5 even with some drift weight: the first return no longer becomes the drift', () => {
    for (const q of qUps(testConfig({ alpha: { minVolSamples: 20, driftWeight: 0.2 } })))
      expect(Math.abs(q - 0.5)).toBeLessThan(0.1);
  });

  it('the volatility estimate carries over to the next market (a property of BTC, not of a market)', () => {
    let s = run(flatStart());
    const before = s.bot.prices.ewma;
    const next = {
      ...market,
      conditionId: '0xnext',
      slug: 'next',
      tokenUp: 'UP2',
      tokenDown: 'DOWN2',
      startMs: market.endMs,
      endMs: market.endMs + 900_000,
    };
    s = run([marketEv(START + 61_000, next)], s);
    expect(s.bot.prices.ewma).toBe(before);
    const a = evaluateMarket(s.bot, s.bot.markets.get('0xnext')!, cfg).alpha;
    expect(a.varPerS).toBe(before.varPerS);
    expect(before.samples).toBeGreaterThanOrEqual(60);
  });
});

describe('a fast move on the fast feed', () => {
  const opened = run(healthyOpening());
  const t = START + 1_500;
  const levels = (out: ReturnType<typeof strategyStep>['out'], outcome: 'up' | 'down'): number[] => {
    const d = out.filter((e) => e.kind === 'decision').at(-1);
    return d?.kind === 'decision' ? d.desired.orders.filter((o) => o.outcome === outcome).map((o) => o.price) : [];
  };

  it('re-prices the side the move makes stale at once, before the oracle shows it, and leaves the other side', () => {
    const before = evaluateMarket(opened.bot, opened.bot.markets.get(market.conditionId)!, cfg).desired.orders;
    const upBefore = before.filter((o) => o.outcome === 'up').map((o) => o.price);
    expect(before.find((o) => o.outcome === 'down' && o.level === 0)?.price).toBeCloseTo(0.46, 9);
    // Binance +0.25 % within a second; Chainlink (lagging) still at 100 010.
    const r = strategyStep(opened, binance(t, 100_260), cfg);
    const alpha = r.out.find((e) => e.kind === 'alpha');
    expect(alpha).toMatchObject({ regime: 'FAST_MOVE' });
    if (alpha?.kind === 'alpha') expect(alpha.qUpFast).toBeGreaterThan(0.75);
    expect(r.out.some((e) => e.kind === 'decision')).toBe(true);
    const down = levels(r.out, 'down');
    // Down is worth much less now (q ~ 0.83 on the fast feed): its bids are re-priced under the new cap.
    expect(down.length).toBeGreaterThan(0);
    for (const p of down) expect(p).toBeLessThanOrEqual(0.2);
    // Up is not made stale by an up-move: its prices stay (sizes shrink under FAST_MOVE).
    expect(levels(r.out, 'up')).toEqual(upBefore);
  });

  it('with alpha.fastMoveReprice off only the sizes change (the old behaviour, kept for comparison)', () => {
    const off = testConfig({ alpha: { minVolSamples: 0, fastMoveReprice: false } });
    const r = strategyStep(opened, binance(t, 100_260), off);
    // Only the combined target's fast-move penalty trims it (0.46 -> 0.45): Down stays near fair.
    expect(levels(r.out, 'down')[0]).toBeGreaterThan(0.4);
  });

  it('a fall re-prices Up, not Down', () => {
    const r = strategyStep(opened, binance(t, 99_760), cfg);
    expect(levels(r.out, 'up').length).toBeGreaterThan(0);
    for (const p of levels(r.out, 'up')) expect(p).toBeLessThanOrEqual(0.2);
    expect(levels(r.out, 'down')[0]).toBeCloseTo(0.46, 9);
  });
});

describe('taker completion against the fast feed (taker.legAtFair)', () => {
  const opened = run([...healthyOpening(), bookWith('DOWN', START + 1_200, [[0.4, 100]], [[0.42, 100]])]);
  // 20 Up bought at 0.45, unpaired for a minute: the pair rule alone would buy Down at up to 0.51; Down is worth ~0.45.
  const holding = (s: StrategyState): MarketState => ({
    ...s.bot.markets.get(market.conditionId)!,
    inventory: { up: { shares: 20, notional: 9 }, down: { shares: 0, notional: 0 }, lastTradeMs: START },
    unpairedSinceMs: START - 60_000,
  });

  it('completes at a fair price while the feeds agree', () => {
    const taker = evaluateMarket(opened.bot, holding(opened), cfg).taker;
    expect(taker).toMatchObject({ outcome: 'down', size: 20 });
    expect(taker!.maxPrice).toBeLessThanOrEqual(0.51);
  });

  it('does not buy the leg the fast feed has just made cheap, before the oracle shows it', () => {
    // Binance +0.25 %: Down is worth ~0.17 now, its 0.42 ask only looks cheap on the lagging oracle.
    const moved = run([binance(START + 1_500, 100_260)], opened);
    expect(evaluateMarket(moved.bot, holding(moved), cfg).taker).toBeUndefined();
    // The pair rule alone (legAtFair off) would have taken it.
    const off = testConfig({ alpha: { minVolSamples: 0 }, taker: { legAtFair: false } });
    expect(evaluateMarket(moved.bot, holding(moved), off).taker).toMatchObject({ outcome: 'down' });
  });
});
