import { describe, expect, it } from 'vitest';
import { initialState, reduce, type BotState } from '../../src/state/botState.js';
import { globalHalts, marketHalts } from '../../src/state/halts.js';
import { dailyPnl } from '../../src/state/risk.js';
import { stateParams } from '../../src/strategy/step.js';
import type { InputEvent } from '../../src/domain/index.js';
import {
  START,
  END,
  liveOrder,
  market,
  marketEv,
  chainlink,
  up,
  down,
  fillEv,
  bookEv,
  testConfig,
} from '../support/events.js';

const params = stateParams(testConfig());
const run = (events: InputEvent[], s: BotState = initialState()): BotState =>
  events.reduce((acc, ev) => reduce(acc, ev, params), s);
const m = (s: BotState) => s.markets.get(market.conditionId)!;

describe('S0', () => {
  it('is the first settlement tick at or after the start when the tick before was seen', () => {
    const s = run([
      marketEv(START - 5_000),
      chainlink(START - 500, 99_990),
      chainlink(START + 300, 100_000),
      chainlink(START + 1_300, 100_050),
    ]);
    expect(m(s).s0).toBe(100_000);
    expect(m(s).s0Source).toBe('tick');
    expect(marketHalts(m(s))).toEqual([]);
  });

  it('a tick exactly at the start counts', () => {
    expect(m(run([marketEv(START - 5_000), chainlink(START - 1_000, 1), chainlink(START, 2)])).s0).toBe(2);
  });

  it('is unknown when the bot joins after the start, and says so', () => {
    const s = run([marketEv(START + 60_000), chainlink(START + 60_500, 100_000), chainlink(START + 61_500, 100_010)]);
    expect(m(s).s0).toBeUndefined();
    expect(marketHalts(m(s))).toEqual(['no_s0_joined_late']);
  });

  it('comes from the recent tick history when the market is discovered after its start', () => {
    const s = run([
      chainlink(START - 1_000, 99_000),
      chainlink(START + 200, 99_100),
      chainlink(START + 1_200, 99_200),
      marketEv(START + 2_000),
    ]);
    expect(m(s).s0).toBe(99_100);
  });

  it("joining late takes Gamma's published price to beat for that market (no fixed fallback price)", () => {
    const s = run([
      marketEv(START + 60_000),
      chainlink(START + 60_500, 100_000),
      marketEv(START + 61_000, { ...market, priceToBeat: 98_765.43 }),
    ]);
    expect(m(s).s0).toBe(98_765.43);
    expect(m(s).s0Source).toBe('gamma');
    expect(marketHalts(m(s))).toEqual([]);
    expect(() => testConfig({ prices: { s0Fallback: 98_765 } })).toThrow(/s0Fallback: unknown setting/);
  });

  it('a feed gap across the start does not let a later tick become S0', () => {
    const s = run([
      marketEv(START - 5_000),
      chainlink(START - 1_000, 99_000),
      chainlink(START + 20_000, 99_500),
      chainlink(START + 21_000, 99_510),
    ]);
    expect(m(s).s0).toBeUndefined();
    expect(marketHalts(m(s))).toEqual(['no_s0_joined_late']);
    expect(m(s).settlement.missed).toMatch(/gap of 21000 ms/);
  });

  it('ignores out-of-order and duplicate settlement ticks', () => {
    const s = run([
      marketEv(START - 5_000),
      chainlink(START - 500, 1),
      chainlink(START + 1_000, 2),
      chainlink(START + 500, 3),
      chainlink(START + 1_000, 4),
    ]);
    expect(s.prices.settlement).toEqual({ price: 2, tsMs: START + 1_000 });
    expect(m(s).s0).toBe(2);
  });
});

describe('health and halts', () => {
  it('required feeds count as down until they connect; a drop halts, a reconnect resumes', () => {
    expect(globalHalts(initialState())).toEqual(['user_feed_down', 'market_feed_down']);
    const s = run([up('market', 1), up('user', 1)]);
    expect(globalHalts(s)).toEqual([]);
    expect(globalHalts(run([down('user', 2)], s))).toEqual(['user_feed_down']);
    expect(globalHalts(run([down('user', 2), up('user', 3)], s))).toEqual([]);
  });

  it('a failed heartbeat freezes at once and halts once unacknowledged for the grace period; an ack clears both', () => {
    const grace = testConfig().heartbeat.graceMs;
    const hb = (tsMs: number, ok: boolean): InputEvent => ({
      kind: 'heartbeat',
      tsMs,
      ok,
      ...(ok ? {} : { error: 'HTTP 500' }),
    });
    const healthy = run([up('market', 1), up('user', 1), hb(1_000, true)]);
    const failing = run([hb(2_000, false)], healthy);
    expect(globalHalts(failing)).toEqual(['heartbeat_unconfirmed']);
    // Grace runs from the last acknowledgement (1 000), not from the failure; clock ticks move time too.
    expect(globalHalts(run([{ kind: 'clock', tsMs: 1_000 + grace - 1 }], failing))).toEqual(['heartbeat_unconfirmed']);
    expect(globalHalts(run([{ kind: 'clock', tsMs: 1_000 + grace }], failing))).toEqual(['heartbeat_down']);
    expect(globalHalts(run([hb(1_000 + grace, false)], failing))).toEqual(['heartbeat_down']);
    expect(globalHalts(run([{ kind: 'clock', tsMs: 1_000 + grace }, hb(1_000 + grace + 1, true)], failing))).toEqual(
      [],
    );
    // With no acknowledgement yet, grace runs from the first failure.
    expect(
      globalHalts(run([up('market', 1), up('user', 1), hb(5_000, false), { kind: 'clock', tsMs: 5_000 + grace - 1 }])),
    ).toEqual(['heartbeat_unconfirmed']);
  });

  it('with no grace (graceMs 0) the first failure cancels everything at once', () => {
    const p0 = stateParams(testConfig({ heartbeat: { graceMs: 0 } }));
    const s = [
      up('market', 1),
      up('user', 1),
      { kind: 'heartbeat', tsMs: 1_000, ok: true },
      { kind: 'heartbeat', tsMs: 6_000, ok: false, error: 'HTTP 500' },
    ].reduce((acc, ev) => reduce(acc, ev as InputEvent, p0), initialState());
    expect(globalHalts(s)).toEqual(['heartbeat_down']);
  });

  it('a 403 on the heartbeat marks geoblock (a halt that cancels), cleared by an acknowledgement', () => {
    const s = run([
      up('market', 1),
      up('user', 1),
      {
        kind: 'heartbeat',
        tsMs: 2,
        ok: false,
        error: 'HTTP 403: Trading restricted in your region',
        refused: 'region',
      },
    ]);
    expect(globalHalts(s)).toEqual(['heartbeat_unconfirmed', 'geoblocked']);
    expect(globalHalts(run([{ kind: 'heartbeat', tsMs: 3, ok: true }], s))).toEqual([]);
  });

  it('refusals are read from the typed field, never from the error text', () => {
    const base = [up('market', 1), up('user', 1)];
    // Text that merely mentions a region or credentials (a 5xx page, a proxy) refuses nothing.
    const text = run([
      ...base,
      { kind: 'heartbeat', tsMs: 2, ok: false, error: 'HTTP 502: region gateway 403; credentials refused?' },
    ]);
    expect(globalHalts(text)).toEqual(['heartbeat_unconfirmed']);
    const refused = run([...base, { kind: 'heartbeat', tsMs: 2, ok: false, error: 'x', refused: 'credentials' }]);
    expect(globalHalts(refused)).toEqual(['heartbeat_unconfirmed', 'auth_refused']);
    // A later failure without the field keeps the refusal; an acknowledgement clears it.
    const still = run([{ kind: 'heartbeat', tsMs: 3, ok: false, error: 'HTTP 500' }], refused);
    expect(globalHalts(still)).toEqual(['heartbeat_unconfirmed', 'auth_refused']);
    expect(globalHalts(run([{ kind: 'heartbeat', tsMs: 4, ok: true }], still))).toEqual([]);
  });

  it('stale feeds halt like down ones', () => {
    const s = run([up('market', 1), up('user', 1), { kind: 'stale', tsMs: 2, feed: 'market', stale: true }]);
    expect(globalHalts(s)).toEqual(['market_feed_down']);
  });
});

describe('orders and inventory', () => {
  it('tracks live orders, keeps their level, drops cancelled ones', () => {
    const order = {
      orderId: 'o1',
      conditionId: market.conditionId,
      tokenId: 'UP',
      outcome: 'up' as const,
      side: 'BUY' as const,
      price: 0.4,
      size: 10,
      sizeMatched: 0,
      orderType: 'GTC' as const,
      status: 'live' as const,
      level: 0,
      tsMs: 1,
    };
    let s = run([marketEv(0), { kind: 'order', tsMs: 1, change: 'PLACEMENT', order }]);
    s = run([{ kind: 'order', tsMs: 2, change: 'UPDATE', order: { ...order, level: undefined, sizeMatched: 4 } }], s);
    expect(m(s).orders.get('o1')).toMatchObject({ sizeMatched: 4, level: 0 });
    s = run([{ kind: 'order', tsMs: 3, change: 'CANCELLATION', order: { ...order, status: 'cancelled' } }], s);
    expect(m(s).orders.size).toBe(0);
  });

  it('fills move inventory and the unpaired clock; reversals undo them', () => {
    let s = run([marketEv(0), fillEv('UP', 10, 0.4, 100)]);
    expect(m(s).inventory.up).toEqual({ shares: 10, notional: 4 });
    expect(m(s).unpairedSinceMs).toBe(100);
    s = run([fillEv('DOWN', 10, 0.5, 200)], s);
    expect(m(s).unpairedSinceMs).toBeUndefined();
    s = run([fillEv('DOWN', 10, 0.5, 300, 't200', true)], s);
    expect(m(s).inventory.down.shares).toBe(0);
    expect(m(s).unpairedSinceMs).toBe(300);
  });

  it('adopts positions held at start (booked at 0.5) unless fills were already seen', () => {
    const s = run([marketEv(0), { kind: 'position', tsMs: 5, conditionId: market.conditionId, up: 12, down: 2 }]);
    expect(m(s).inventory.up).toEqual({ shares: 12, notional: 6 });
    expect(m(s).unpairedSinceMs).toBe(5);
    const after = run([
      marketEv(0),
      fillEv('UP', 10, 0.4, 3),
      { kind: 'position', tsMs: 5, conditionId: market.conditionId, up: 10, down: 0 },
    ]);
    expect(m(after).inventory.up).toEqual({ shares: 10, notional: 4 });
  });

  it('forgets a market well after its end once it has no orders', () => {
    const s = run([
      marketEv(0),
      marketEv(END + 200_000, { ...market, conditionId: '0xnext', startMs: END, endMs: END + 900_000 }),
    ]);
    expect([...s.markets.keys()]).toEqual(['0xnext']);
  });
});

describe('daily loss kill switch', () => {
  const p = stateParams(testConfig({ risk: { dailyLossLimitUsdc: 5 } }));
  const go = (events: InputEvent[], s: BotState = run([up('market', 1), up('user', 1)])) =>
    events.reduce((acc, ev) => reduce(acc, ev, p), s);

  it('halts once realized plus marked-to-market loss passes the limit, and stays halted', () => {
    let s = go([marketEv(START), fillEv('UP', 20, 0.5, START + 1), bookEv('UP', START + 2, 0.3, 0.32)]);
    expect(dailyPnl(s)).toBeCloseTo(20 * 0.31 - 10, 9);
    expect(globalHalts(s)).toEqual([]);
    s = go([bookEv('UP', START + 3, 0.2, 0.22)], s);
    expect(globalHalts(s)).toEqual(['daily_loss_limit']);
    s = go([bookEv('UP', START + 4, 0.6, 0.62)], s);
    expect(globalHalts(s)).toEqual(['daily_loss_limit']);
  });

  it('counts the taker fee a fill paid (not for maker fills), and a reversal gives it back', () => {
    const taker = (ev: ReturnType<typeof fillEv>) => ({ ...ev, fill: { ...ev.fill, role: 'TAKER' as const } });
    const fee = 10 * 0.072 * 0.4 * 0.6; // shares * rate * p(1-p), the market's schedule
    const s = go([marketEv(START), taker(fillEv('UP', 10, 0.4, START + 1))]);
    expect(m(s).inventory.up.notional).toBeCloseTo(4 + fee, 9);
    expect(m(go([marketEv(START), fillEv('UP', 10, 0.4, START + 1)])).inventory.up.notional).toBeCloseTo(4, 9);
    const undone = go([{ ...taker(fillEv('UP', 10, 0.4, START + 1)), reversal: true }], s);
    expect(m(undone).inventory.up).toEqual({ shares: 0, notional: 0 });
    // Realized at resolution: the winning side pays 1 a share, cost includes the fee.
    const won = go(
      [{ kind: 'marketResolved', tsMs: END + 1, conditionId: market.conditionId, winningTokenId: 'UP' }],
      s,
    );
    expect(won.risk.realizedUsdc).toBeCloseTo(10 - 4 - fee, 9);
  });

  it('realizes a resolved market and counts it toward the day', () => {
    const s = go([
      marketEv(START),
      fillEv('UP', 10, 0.4, START + 1),
      fillEv('DOWN', 10, 0.5, START + 2),
      { kind: 'marketResolved', tsMs: END + 1, conditionId: market.conditionId, winningTokenId: 'DOWN' },
    ]);
    expect(s.risk.realizedUsdc).toBeCloseTo(10 - 9, 9);
    expect(m(s).inventory.up.shares).toBe(0);
    expect(dailyPnl(s)).toBeCloseTo(1, 9);
  });
});

describe('order events out of order or duplicated', () => {
  const order = (change: 'PLACEMENT' | 'UPDATE' | 'CANCELLATION', tsMs: number): InputEvent => ({
    kind: 'order',
    tsMs,
    change,
    order: liveOrder('o1', { tokenId: 'UP', status: change === 'CANCELLATION' ? 'cancelled' : 'live', tsMs }),
  });

  it('a cancellation that arrives before its placement, or a duplicate after it, does not revive the order', () => {
    expect(m(run([marketEv(START), order('CANCELLATION', START + 2), order('PLACEMENT', START + 1)])).orders.size).toBe(
      0,
    );
    expect(
      m(
        run([
          marketEv(START),
          order('PLACEMENT', START + 1),
          order('CANCELLATION', START + 2),
          order('UPDATE', START + 1),
          order('PLACEMENT', START + 1),
        ]),
      ).orders.size,
    ).toBe(0);
    expect(m(run([marketEv(START), order('PLACEMENT', START + 1), order('PLACEMENT', START + 1)])).orders.size).toBe(1);
  });
});
