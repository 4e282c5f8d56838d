// The human status lines distinguish a freeze (resting orders kept) from a halt (all cancelled).
import { describe, expect, it } from 'vitest';
import { statusReporter } from '../../src/cli/status.js';
import type { BotEvent } from '../../src/domain/index.js';

describe('status lines for halts', () => {
  it('start-up wait, then freeze, halt and resume each say what happens to the orders', () => {
    const lines: string[] = [];
    const report = statusReporter({ write: (l) => lines.push(l.slice(9)) });
    const halt = (tsMs: number, reasons: string[]): BotEvent => ({ kind: 'halt', tsMs, reasons });
    for (const ev of [halt(0, ['user_feed_down']), halt(1, []), halt(2, ['heartbeat_unconfirmed']), halt(3, ['heartbeat_down']), halt(4, [])]) report(ev);
    expect(lines).toEqual([
      'starting: waiting for user_feed',
      'all feeds up',
      'FROZEN: heartbeat_unconfirmed (no new orders; resting orders kept)',
      'HALT: heartbeat_down (orders cancelled, quoting off)',
      'resumed: all feeds healthy',
    ]);
  });
});
