// Confirmed-fill accounting: a fill is pending until its trade is CONFIRMED, a FAILED trade is undone
// everywhere (inventory, settled view, the kill switch), and the REST view after a gap agrees.
import { describe, expect, it } from 'vitest';
import { initialState, reduce, settledInventory, type BotState } from '../../src/state/botState.js';
import { globalHalts } from '../../src/state/halts.js';
import { dailyPnl } from '../../src/state/risk.js';
import { applyListedFills, applyTrade, EMPTY_LEDGER, takerPrice, type Me } from '../../src/streams/fills.js';
import { stateParams } from '../../src/strategy/step.js';
import type { Fill, FillEvent, InputEvent, MarketIdentity, TradeStatusEvent } from '../../src/domain/index.js';
import type { UserTradeMsg } from '../../src/wire/user.js';
import { START, market, marketEv, fillEv, bookEv, testConfig } from '../support/events.js';

const params = stateParams(testConfig({ risk: { dailyLossLimitUsdc: 5 } }));
const run = (events: InputEvent[], s: BotState = initialState()): BotState =>
  events.reduce((acc, ev) => reduce(acc, ev, params), s);
const m = (s: BotState) => s.markets.get(market.conditionId)!;
const status = (f: FillEvent, st: Fill['status'], tsMs: number): TradeStatusEvent => ({
  kind: 'tradeStatus',
  tsMs,
  fill: { ...f.fill, status: st },
});
const failed = (f: FillEvent, tsMs: number): FillEvent => ({
  kind: 'fill',
  tsMs,
  fill: { ...f.fill, status: 'FAILED' },
  reversal: true,
});

describe('settlement of our fills', () => {
  it('a fill is pending until CONFIRMED: inventory counts it at once, the settled view only then', () => {
    const f = fillEv('UP', 10, 0.4, START + 1);
    const s1 = run([marketEv(START), f]);
    expect(m(s1).inventory.up.shares).toBe(10);
    expect(settledInventory(m(s1)).up.shares).toBe(0);
    const s2 = run([status(f, 'MINED', START + 2)], s1);
    expect(settledInventory(m(s2)).up.shares).toBe(0);
    expect(m(s2).unsettled?.get(`${f.fill.tradeId}:${f.fill.orderId}`)?.status).toBe('MINED');
    const s3 = run([status(f, 'CONFIRMED', START + 3)], s2);
    expect(settledInventory(m(s3)).up.shares).toBe(10);
    expect(m(s3).unsettled).toBeUndefined();
  });

  it('a FAILED trade after RETRYING is undone: inventory, settled view and PnL as if it never matched', () => {
    const before = run([marketEv(START), bookEv('UP', START, 0.39, 0.41), bookEv('DOWN', START, 0.59, 0.61)]);
    const f = fillEv('UP', 10, 0.45, START + 1);
    const s = run([f, status(f, 'RETRYING', START + 2), failed(f, START + 3)], before);
    expect(m(s).inventory.up).toEqual(m(before).inventory.up);
    expect(m(s).unsettled).toBeUndefined();
    expect(m(s).unpairedSinceMs).toBeUndefined();
    expect(dailyPnl(s)).toBeCloseTo(dailyPnl(before), 9);
  });

  it('a pending sell stays spent in the settled view (conservative both ways)', () => {
    const buy = fillEv('UP', 10, 0.4, START + 1);
    const sell: FillEvent = {
      ...fillEv('UP', 4, 0.5, START + 2, 'ts'),
      fill: { ...fillEv('UP', 4, 0.5, START + 2, 'ts').fill, side: 'SELL' },
    };
    const s = run([marketEv(START), buy, status(buy, 'CONFIRMED', START + 2), sell]);
    expect(m(s).inventory.up.shares).toBe(6);
    expect(settledInventory(m(s)).up.shares).toBe(6);
  });

  it('the kill switch latched by a fill whose trade then FAILED unlatches; one latched by a real loss stays', () => {
    const open = [marketEv(START), bookEv('UP', START, 0.09, 0.11), bookEv('DOWN', START, 0.89, 0.91)];
    const bad = fillEv('UP', 100, 0.5, START + 1); // marked at 0.10: a 40 USDC loss, limit 5
    const killed = run([...open, bad]);
    expect(globalHalts(killed)).toContain('daily_loss_limit');
    expect(globalHalts(run([failed(bad, START + 2)], killed))).not.toContain('daily_loss_limit');
    // A loss from a trade that stays: the reversal of an unrelated, later fill changes nothing.
    const later = fillEv('DOWN', 1, 0.9, START + 5, 'late');
    const s = run([later, failed(later, START + 6)], killed);
    expect(globalHalts(s)).toContain('daily_loss_limit');
  });
});

describe('the fill ledger follows each trade', () => {
  const markets = new Map<string, MarketIdentity>([[market.conditionId, market]]);
  const me: Me = { apiKey: 'k', address: '0xme', orderIds: new Set(['o1']) };
  const msg = (st: UserTradeMsg['status'], tsMs: number): UserTradeMsg => ({
    type: 'trade',
    tradeId: 't1',
    status: st,
    conditionId: market.conditionId,
    tokenId: market.tokenUp,
    side: 'BUY',
    price: 0.4,
    size: 10,
    feeRateBps: 0,
    takerOrderId: 'o1',
    traderSide: 'TAKER',
    owner: 'k',
    makers: [],
    tsMs,
  });

  it('MATCHED counts, MINED and CONFIRMED follow, repeats and late statuses are ignored, FAILED reverses once', () => {
    let l = EMPTY_LEDGER;
    const kinds: string[] = [];
    for (const [st, ts] of [
      ['MATCHED', 1],
      ['MATCHED', 2],
      ['MINED', 3],
      ['MATCHED', 4],
      ['CONFIRMED', 5],
      ['MINED', 6],
    ] as const) {
      const u = applyTrade(l, msg(st, ts), me, markets);
      l = u.ledger;
      kinds.push(...u.events.map((e) => `${e.kind}:${e.fill.status}`));
    }
    expect(kinds).toEqual(['fill:MATCHED', 'tradeStatus:MINED', 'tradeStatus:CONFIRMED']);
    let r = EMPTY_LEDGER;
    const out: string[] = [];
    for (const [st, ts] of [
      ['MATCHED', 1],
      ['RETRYING', 2],
      ['FAILED', 3],
      ['FAILED', 4],
      ['MATCHED', 5],
    ] as const) {
      const u = applyTrade(r, msg(st, ts), me, markets);
      r = u.ledger;
      out.push(
        ...u.events.map((e) => `${e.kind}:${e.fill.status}${e.kind === 'fill' && e.reversal ? ':reversal' : ''}`),
      );
    }
    expect(out).toEqual(['fill:MATCHED', 'tradeStatus:RETRYING', 'fill:FAILED:reversal']);
  });

  it('after a gap, REST listing a counted fill as FAILED reverses it; an unknown FAILED one is not counted', () => {
    const first = applyTrade(EMPTY_LEDGER, msg('MATCHED', 1), me, markets);
    const counted = first.events[0]!.fill;
    const listed = applyListedFills(first.ledger, [
      { ...counted, status: 'FAILED' },
      { ...counted, tradeId: 'other', status: 'FAILED' },
    ]);
    expect(listed.events.map((e) => e.kind === 'fill' && e.reversal)).toEqual([true]);
    const confirmed = applyListedFills(first.ledger, [{ ...counted, status: 'CONFIRMED' }]);
    expect(confirmed.events.map((e) => `${e.kind}:${e.fill.status}`)).toEqual(['tradeStatus:CONFIRMED']);
  });
});

describe('the price of our taker fills', () => {
  const trade = (over: Partial<UserTradeMsg>): UserTradeMsg => ({
    type: 'trade',
    tradeId: 't1',
    status: 'MATCHED',
    conditionId: market.conditionId,
    tokenId: market.tokenUp,
    side: 'BUY',
    price: 0.5,
    size: 30,
    feeRateBps: 0,
    takerOrderId: 'mine',
    traderSide: 'TAKER',
    makers: [],
    tsMs: START,
    ...over,
  });
  const maker = (tokenId: string, price: number, matchedAmount: number) => ({
    orderId: `o${price}`,
    tokenId,
    price,
    matchedAmount,
  });

  it("is what each level cost, weighted by size, a complementary maker's price as 1 - p; not the trade's last price", () => {
    // Bought 10 at 0.48, 15 at 0.49 and 5 from a Down maker bidding 0.49 (0.51 to us); the venue says 0.51.
    const t = trade({
      price: 0.51,
      makers: [maker(market.tokenUp, 0.48, 10), maker(market.tokenUp, 0.49, 15), maker(market.tokenDown, 0.49, 5)],
    });
    expect(takerPrice(t)).toBeCloseTo((10 * 0.48 + 15 * 0.49 + 5 * 0.51) / 30, 9);
    const me: Me = { apiKey: 'k', address: '0xme', orderIds: new Set(['mine']) };
    const [fill] = applyTrade(EMPTY_LEDGER, t, me, new Map([[market.conditionId, market]])).events;
    expect(fill).toMatchObject({ kind: 'fill', fill: { role: 'TAKER', size: 30 } });
    expect((fill as FillEvent).fill.price).toBeCloseTo(0.49, 9);
  });

  it("falls back on the trade's price when the makers' entries do not add up to its size", () => {
    expect(
      takerPrice(
        trade({ price: 0.5, makers: [maker(market.tokenUp, 0.5, 25), maker(market.tokenUp, 0.5, 5)], size: 25 }),
      ),
    ).toBe(0.5);
    expect(takerPrice(trade({ price: 0.47, makers: [] }))).toBe(0.47);
  });
});
