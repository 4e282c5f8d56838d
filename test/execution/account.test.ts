// The wallet's account comes from viem: the same address ethers derives, and a bad key is refused
// without being echoed.
import { describe, expect, it } from 'vitest';
import { Wallet } from 'ethers';
import { accountOf, randomAccount } from '../../src/sinks/execution/account.js';

describe('accountOf', () => {
  it('derives the same address as an ethers Wallet', () => {
    const w = Wallet.createRandom();
    expect(accountOf(w.privateKey).address).toBe(w.address);
    const r = randomAccount();
    expect(new Wallet(r.privateKey).address).toBe(r.address);
  });

  it.each(['', 'abc', '0x1234', `0x${'zz'.repeat(32)}`, `0x${'00'.repeat(32)}`])(
    'refuses %j without echoing it',
    (key) => {
      let message = '';
      try {
        accountOf(key);
      } catch (err) {
        message = (err as Error).message;
      }
      expect(message).not.toBe('');
      if (key.length > 4) expect(message).not.toContain(key.slice(4));
    },
  );
});
