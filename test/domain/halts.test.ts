// Halt reasons are typed values: what each does to resting orders is a table the compiler checks.
import { describe, expect, it } from 'vitest';
import {
  cancellingHalts,
  GLOBAL_HALTS,
  haltCancelsAll,
  haltEffect,
  haltLabel,
  isGlobalHalt,
} from '../../src/domain/index.js';

describe('halt reasons', () => {
  it('only an unconfirmed heartbeat freezes; every other global halt cancels all', () => {
    expect(GLOBAL_HALTS.filter((r) => haltEffect(r) === 'freeze')).toEqual(['heartbeat_unconfirmed']);
    expect(haltCancelsAll(['heartbeat_unconfirmed'])).toBe(false);
    expect(haltCancelsAll(['heartbeat_unconfirmed', 'operator_halt'])).toBe(true);
    expect(haltCancelsAll([])).toBe(false);
  });

  it('the strategy quotes nothing for the cancelling reasons only', () => {
    expect(cancellingHalts(['heartbeat_unconfirmed', 'prices_suspect', 'user_feed_down'])).toEqual([
      'prices_suspect',
      'user_feed_down',
    ]);
  });

  it('labels outages by what is down, others by the reason', () => {
    expect(
      ['user_feed_down', 'market_feed_down', 'heartbeat_down', 'heartbeat_unconfirmed']
        .filter(isGlobalHalt)
        .map(haltLabel),
    ).toEqual(['user_feed', 'market_feed', 'heartbeat', 'heartbeat_unconfirmed']);
  });

  it('narrows strings read from outside, refusing unknown ones', () => {
    expect(isGlobalHalt('daily_loss_limit')).toBe(true);
    expect(isGlobalHalt('daily_loss')).toBe(false);
    expect(isGlobalHalt('vol_warmup')).toBe(false);
  });
});
