// The human status lines distinguish a freeze (resting orders kept) from a halt (all cancelled).
import { describe, expect, it } from 'vitest';
import { statusReporter } from '../../src/cli/status.js';
import type { BotEvent, GlobalHalt } from '../../src/domain/index.js';
import { fillEv, market, marketEv, START } from '../support/events.js';

describe('status lines for halts', () => {
  it('start-up wait, then freeze, halt and resume each say what happens to the orders', () => {
    const lines: string[] = [];
    const report = statusReporter({ write: (l) => lines.push(l.slice(9)) });
    const halt = (tsMs: number, reasons: GlobalHalt[]): BotEvent => ({ kind: 'halt', tsMs, reasons });
    for (const ev of [
      halt(0, ['user_feed_down']),
      halt(1, []),
      halt(2, ['heartbeat_unconfirmed']),
      halt(3, ['heartbeat_down']),
      halt(4, []),
    ])
      report(ev);
    expect(lines).toEqual([
      'starting: waiting for user_feed',
      'all feeds up',
      'FROZEN: heartbeat_unconfirmed (no new orders; resting orders kept)',
      'HALT: heartbeat_down (orders cancelled, quoting off)',
      'resumed: all feeds healthy',
    ]);
  });
});

describe('status lines while waiting', () => {
  it('say what the bot waits for, with a countdown to the next market', () => {
    const lines: string[] = [];
    const report = statusReporter({ write: (l) => lines.push(l.slice(9)), waitEveryMs: 5_000 });
    const market = {
      slug: 'btc-updown-15m-100',
      conditionId: '0xa',
      question: '',
      tokenUp: 'u',
      tokenDown: 'd',
      startMs: 100_000,
      endMs: 1_000_000,
      tickSize: 0.01,
      minSize: 5,
      negRisk: false,
      feesEnabled: true,
      feeSchedule: { rate: 0.072, exponent: 1, takerOnly: true, rebateRate: 0.2 },
      acceptingOrders: true,
      active: true,
      closed: false,
      resolutionSource: '',
    };
    report({ kind: 'clock', tsMs: 10_000 });
    report({ kind: 'market', tsMs: 11_000, market });
    report({ kind: 'halt', tsMs: 11_000, reasons: ['user_feed_down'] });
    report({ kind: 'clock', tsMs: 12_000 });
    report({ kind: 'clock', tsMs: 15_000 });
    report({ kind: 'halt', tsMs: 16_000, reasons: [] });
    report({ kind: 'clock', tsMs: 25_000 });
    report({
      kind: 'decision',
      tsMs: 100_500,
      desired: {
        tsMs: 100_500,
        conditionId: '0xa',
        slug: market.slug,
        orders: [
          {
            outcome: 'up',
            tokenId: 'u',
            level: 0,
            price: 0.45,
            size: 10,
            side: 'BUY',
            postOnly: true,
            orderType: 'GTC',
          },
        ],
      },
    } as BotEvent);
    report({ kind: 'clock', tsMs: 101_000 });
    expect(lines.filter((l) => l.startsWith('waiting'))).toEqual([
      'waiting: the next market from Gamma',
      'waiting: user_feed; market btc-updown-15m-100 opens in 1:25 (00:01:40)',
      'waiting: market btc-updown-15m-100 opens in 1:15 (00:01:40)',
    ]);
  });
});

describe('status inventory lines', () => {
  it('count fills, take back a reversed one and remove merged sets, as the strategy counts them', () => {
    const lines: string[] = [];
    const report = statusReporter({ write: (l) => lines.push(l.slice(9)), inventoryEveryMs: 1_000 });
    report(marketEv(START, market));
    report(fillEv(market.tokenUp, 10, 0.4, START + 1));
    report(fillEv(market.tokenDown, 6, 0.5, START + 2));
    report(fillEv(market.tokenDown, 2, 0.5, START + 3, 'bad', true));
    report({
      kind: 'inventoryOp',
      tsMs: START + 4,
      id: 'm1',
      action: 'merge',
      conditionId: market.conditionId,
      phase: 'done',
      sets: 4,
    });
    report({ kind: 'clock', tsMs: START + 2_000 });
    expect(lines.filter((l) => l.startsWith('inventory'))).toEqual([
      `inventory ${market.slug} up 6.00 down 0.00 cost 2.40 unpaired 6.00`,
    ]);
  });
});
