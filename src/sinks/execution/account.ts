// The wallet's key and address, from viem (which also signs): the bot needs no second crypto
// library (ethers) at run time.
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';

export interface KeyAccount {
  readonly privateKey: `0x${string}`;
  /** Checksummed. */
  readonly address: string;
}

/** The account of a 0x-prefixed 32-byte hex key; throws a message that never contains the key. */
export function accountOf(key: string): KeyAccount {
  if (!/^0x[0-9a-fA-F]{64}$/.test(key)) throw new Error('not a 0x-prefixed 32-byte hex private key');
  const privateKey = key as `0x${string}`;
  try {
    return { privateKey, address: privateKeyToAccount(privateKey).address };
  } catch {
    throw new Error('not a valid secp256k1 private key');
  }
}

/** A fresh random account (the simulated venue's throwaway wallet). */
export const randomAccount = (): KeyAccount => accountOf(generatePrivateKey());
