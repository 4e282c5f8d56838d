// The contracts the settlement layer uses, from their published build artifacts (no compiler): the
// real Gnosis ConditionalTokens, and OpenZeppelin 2.3's ERC20Mintable as pUSD (6 decimals by our
// convention: the artifact has no decimals(), amounts are whole micro-dollars).
import { createRequire } from 'node:module';
import type { Abi, Hex } from 'viem';

const require = createRequire(import.meta.url);

interface Artifact {
  readonly abi: Abi;
  readonly bytecode: Hex;
}

const load = (path: string): Artifact => {
  const a = require(path) as { abi: Abi; bytecode: string };
  return { abi: a.abi, bytecode: a.bytecode as Hex };
};

export const CONDITIONAL_TOKENS = load(
  '@gnosis.pm/conditional-tokens-contracts/build/contracts/ConditionalTokens.json',
);
export const PUSD = load('openzeppelin-solidity/build/contracts/ERC20Mintable.json');

/** pUSD and outcome tokens both count in micro-units (USDC's 6 decimals). */
export const UNIT = 1_000_000n;
export const toUnits = (usdc: number): bigint => BigInt(Math.round(usdc * 1e6));
export const fromUnits = (u: bigint): number => Number(u) / 1e6;

/** Binary markets: index sets of Up (outcome 0) and Down (outcome 1). */
export const PARTITION = [1n, 2n] as const;
export const ZERO_BYTES32: Hex = `0x${'0'.repeat(64)}`;
