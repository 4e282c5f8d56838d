// ConditionalTokens and pUSD through viem: what an account does (approve, split, merge, redeem,
// transfer, read balances) and what the oracle does (prepare a condition, report payouts).
import {
  createPublicClient,
  createWalletClient,
  encodeFunctionData,
  http,
  type Account,
  type Address,
  type Chain,
  type Hex,
  type PublicClient,
  type WalletClient,
} from 'viem';
import { CONDITIONAL_TOKENS, PARTITION, PUSD, ZERO_BYTES32 } from './contracts.js';

export interface ChainRef {
  readonly rpcUrl: string;
  readonly chain: Chain;
  readonly ctf: Address;
  readonly pusd: Address;
  /** A chain whose accounts are shared (the dev chain): sends go through it, one at a time (see DevChain.serial). */
  readonly serial?: <T>(send: () => Promise<T>) => Promise<T>;
}

export interface Ctf {
  readonly address: Address;
  readonly publicClient: PublicClient;
  readonly wallet: WalletClient;
  /** Wait for a transaction's receipt; throws when it reverted. */
  send(data: Hex, to?: Address, gas?: bigint): Promise<{ hash: Hex; gasUsed: bigint }>;
  positionIds(conditionId: Hex): Promise<readonly [bigint, bigint]>;
  /** [pUSD, Up, Down] in micro-units. */
  balances(conditionId: Hex, of?: Address): Promise<{ pusd: bigint; up: bigint; down: bigint }>;
  approveCollateral(): Promise<void>;
  split(conditionId: Hex, units: bigint): Promise<void>;
  transfer(to: Address, tokenId: bigint, units: bigint): Promise<void>;
}

export const mergeCall = (r: ChainRef, conditionId: Hex, units: bigint): Hex =>
  encodeFunctionData({
    abi: CONDITIONAL_TOKENS.abi,
    functionName: 'mergePositions',
    args: [r.pusd, ZERO_BYTES32, conditionId, [...PARTITION], units],
  });
export const redeemCall = (r: ChainRef, conditionId: Hex): Hex =>
  encodeFunctionData({
    abi: CONDITIONAL_TOKENS.abi,
    functionName: 'redeemPositions',
    args: [r.pusd, ZERO_BYTES32, conditionId, [...PARTITION]],
  });

export function connectCtf(r: ChainRef, account: Account): Ctf {
  const transport = http(r.rpcUrl, { retryCount: 0 });
  const publicClient = createPublicClient({ chain: r.chain, transport, pollingInterval: 20 }) as PublicClient;
  const wallet = createWalletClient({ account, chain: r.chain, transport });
  const read = <T>(
    address: Address,
    abi: typeof PUSD.abi,
    functionName: string,
    args: readonly unknown[],
  ): Promise<T> => publicClient.readContract({ address, abi, functionName, args }) as Promise<T>;
  const send = async (data: Hex, to: Address = r.ctf, gas = 600_000n): Promise<{ hash: Hex; gasUsed: bigint }> => {
    const sendOne = (): Promise<Hex> => wallet.sendTransaction({ account, chain: r.chain, to, data, gas });
    const hash = await (r.serial ? r.serial(sendOne) : sendOne());
    const rc = await publicClient.waitForTransactionReceipt({ hash });
    if (rc.status !== 'success') throw new Error(`transaction ${hash} reverted`);
    return { hash, gasUsed: rc.gasUsed };
  };
  const positionIds = async (conditionId: Hex): Promise<readonly [bigint, bigint]> => {
    const ids = await Promise.all(
      PARTITION.map(async (set) => {
        const collection = await read<Hex>(r.ctf, CONDITIONAL_TOKENS.abi, 'getCollectionId', [
          ZERO_BYTES32,
          conditionId,
          set,
        ]);
        return read<bigint>(r.ctf, CONDITIONAL_TOKENS.abi, 'getPositionId', [r.pusd, collection]);
      }),
    );
    return [ids[0]!, ids[1]!];
  };
  return {
    address: account.address,
    publicClient,
    wallet,
    send,
    positionIds,
    async balances(conditionId, of = account.address) {
      const [up, down] = await positionIds(conditionId);
      const [pusd, bUp, bDown] = await Promise.all([
        read<bigint>(r.pusd, PUSD.abi, 'balanceOf', [of]),
        read<bigint>(r.ctf, CONDITIONAL_TOKENS.abi, 'balanceOf', [of, up]),
        read<bigint>(r.ctf, CONDITIONAL_TOKENS.abi, 'balanceOf', [of, down]),
      ]);
      return { pusd, up: bUp, down: bDown };
    },
    async approveCollateral() {
      await send(
        encodeFunctionData({ abi: PUSD.abi, functionName: 'approve', args: [r.ctf, 2n ** 255n] }),
        r.pusd,
        100_000n,
      );
    },
    async split(conditionId, units) {
      await send(
        encodeFunctionData({
          abi: CONDITIONAL_TOKENS.abi,
          functionName: 'splitPosition',
          args: [r.pusd, ZERO_BYTES32, conditionId, [...PARTITION], units],
        }),
      );
    },
    async transfer(to, tokenId, units) {
      await send(
        encodeFunctionData({
          abi: CONDITIONAL_TOKENS.abi,
          functionName: 'safeTransferFrom',
          args: [account.address, to, tokenId, units, '0x'],
        }),
        r.ctf,
        200_000n,
      );
    },
  };
}

/** The oracle's side (the venue's operator account): fund accounts, open conditions, report payouts. */
export function oracle(r: ChainRef, account: Account) {
  const c = connectCtf(r, account);
  return {
    ctf: c,
    async mintPusd(to: Address, units: bigint): Promise<void> {
      await c.send(encodeFunctionData({ abi: PUSD.abi, functionName: 'mint', args: [to, units] }), r.pusd, 100_000n);
    },
    /** Prepare the binary condition of a market; its id is keccak(oracle, questionId, 2). */
    async prepare(questionId: Hex): Promise<Hex> {
      await c.send(
        encodeFunctionData({
          abi: CONDITIONAL_TOKENS.abi,
          functionName: 'prepareCondition',
          args: [account.address, questionId, 2n],
        }),
      );
      return (await c.publicClient.readContract({
        address: r.ctf,
        abi: CONDITIONAL_TOKENS.abi,
        functionName: 'getConditionId',
        args: [account.address, questionId, 2n],
      })) as Hex;
    },
    /** Payouts [Up, Down]: the winner gets 1 a share. */
    async reportPayouts(questionId: Hex, winner: 'up' | 'down'): Promise<void> {
      await c.send(
        encodeFunctionData({
          abi: CONDITIONAL_TOKENS.abi,
          functionName: 'reportPayouts',
          args: [questionId, winner === 'up' ? [1n, 0n] : [0n, 1n]],
        }),
      );
    },
    async payoutDenominator(conditionId: Hex): Promise<bigint> {
      return (await c.publicClient.readContract({
        address: r.ctf,
        abi: CONDITIONAL_TOKENS.abi,
        functionName: 'payoutDenominator',
        args: [conditionId],
      })) as bigint;
    },
  };
}
