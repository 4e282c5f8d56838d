// A real EVM on loopback for the simulated venue and the tests: ganache in-process (its JSON-RPC served
// by rpcServer.ts; every write, in process or over RPC, one at a time: serialWrites.ts), with pUSD and
// the ConditionalTokens contract deployed at start. Blocks are mined as transactions arrive; nothing is
// downloaded at run time. Given a database directory, the chain lives there and a restart reopens it:
// the same blocks, balances and contracts (deployed by the fixed operator at its nonces 0 and 1, so
// their addresses never change). Without one, ganache keeps it in memory.
import ganache from 'ganache';
import {
  createPublicClient,
  createWalletClient,
  custom,
  defineChain,
  getAddress,
  getContractAddress,
  type Address,
  type Chain,
  type Hex,
  type PublicClient,
  type WalletClient,
} from 'viem';
import { privateKeyToAccount, type PrivateKeyAccount } from 'viem/accounts';
import { CONDITIONAL_TOKENS, PUSD } from './contracts.js';
import { serveRpc, type RpcServer } from './rpcServer.js';
import { serialWrites } from './serialWrites.js';

export interface DevChain {
  readonly rpcUrl: string;
  readonly chain: Chain;
  readonly ctf: Address;
  readonly pusd: Address;
  /** True when the chain was reopened from its database (its contracts already deployed). */
  readonly reopened: boolean;
  /** Deploys the contracts, mints pUSD, prepares conditions and reports payouts (the oracle). */
  readonly operator: PrivateKeyAccount;
  readonly publicClient: PublicClient;
  /** Give an address gas money (native coin). */
  fundGas(address: Address, wei?: bigint): Promise<void>;
  /**
   * Run `send` (it sends one transaction and resolves once the chain holds it) when no other sender
   * of this chain is between reading a nonce and sending: the dev accounts are shared (the operator by
   * the venue mirror, the oracle and the tests; a wallet by the relayer and the mirror), and two
   * concurrent sends from one account would take the same nonce.
   */
  serial<T>(send: () => Promise<T>): Promise<T>;
  /**
   * Send a call as `from` without its key (the chain impersonates it): how the venue's relayer acts
   * for a user's wallet contract. Resolves with the hash once sent; the receipt is the caller's.
   */
  sendAs(from: Address, to: Address, data: Hex, gas: bigint): Promise<Hex>;
  /** Stop mining: sent transactions stay pending until `resumeMining` (to test a crash before the receipt). */
  pauseMining(): Promise<void>;
  resumeMining(): Promise<void>;
  close(): Promise<void>;
}

export const DEV_CHAIN_ID = 31_337;

/** A fixed operator key: this chain is a local fixture and holds nothing of value. */
const OPERATOR_KEY: Hex = '0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d';

/** How long a dev-chain transaction may take to be mined before its wait fails (mining is instant). */
export const RECEIPT_TIMEOUT_MS = 30_000;

/**
 * `dbPath`: keep the chain in that directory (created when missing) and reopen it from there. `port`:
 * listen there, or, when it is taken, on any free port (the RPC URL says which).
 */
export async function startDevChain(opts: { port?: number; dbPath?: string } = {}): Promise<DevChain> {
  const ganacheProvider = ganache.provider({
    logging: { quiet: true },
    chain: { chainId: DEV_CHAIN_ID },
    wallet: { totalAccounts: 0 },
    miner: { instamine: 'eager' },
    ...(opts.dbPath ? { database: { dbPath: opts.dbPath } } : {}),
  });
  const provider = serialWrites(ganacheProvider, { timeoutMs: RECEIPT_TIMEOUT_MS });
  let rpc: RpcServer;
  try {
    rpc = await serveRpc(provider, opts.port);
  } catch (e) {
    await ganacheProvider.disconnect();
    throw e;
  }
  const rpcUrl = rpc.url;
  const chain = defineChain({
    id: DEV_CHAIN_ID,
    name: 'polymm-dev',
    nativeCurrency: { name: 'POL', symbol: 'POL', decimals: 18 },
    rpcUrls: { default: { http: [rpcUrl] } },
  });
  const transport = custom(provider as Parameters<typeof custom>[0]);
  const publicClient = createPublicClient({ chain, transport, pollingInterval: 20 }) as PublicClient;
  const operator = privateKeyToAccount(OPERATOR_KEY);
  // Setting a balance mines a block (ganache): a state change like a send, so it takes the same lock.
  const setBalance = async (address: Address, wei = 10n ** 21n): Promise<void> => {
    await provider.request({ method: 'evm_setAccountBalance', params: [address, `0x${wei.toString(16)}`] });
  };
  await setBalance(operator.address);
  const wallet: WalletClient = createWalletClient({ account: operator, chain, transport });
  const deploy = async (a: typeof PUSD): Promise<Address> => {
    const hash = await wallet.deployContract({ abi: a.abi, bytecode: a.bytecode, account: operator, chain });
    const r = await publicClient.waitForTransactionReceipt({ hash, timeout: RECEIPT_TIMEOUT_MS });
    if (!r.contractAddress || r.status !== 'success') throw new Error('dev chain: contract deployment failed');
    return getAddress(r.contractAddress);
  };
  // A reopened chain has its contracts where the operator's first two transactions put them.
  const deployed = [0n, 1n].map((nonce) => getAddress(getContractAddress({ from: operator.address, nonce })));
  const codes = await Promise.all(deployed.map((address) => publicClient.getCode({ address })));
  const reopened = codes.every((c) => c !== undefined && c.length > 2);
  if (!reopened && (await publicClient.getTransactionCount({ address: operator.address })) > 0) {
    await rpc.close();
    await ganacheProvider.disconnect();
    throw new Error(`dev chain in ${opts.dbPath ?? 'memory'}: not a polymm dev chain (no contracts where expected)`);
  }
  const [pusd, ctf] = reopened ? [deployed[0]!, deployed[1]!] : [await deploy(PUSD), await deploy(CONDITIONAL_TOKENS)];
  const impersonated = new Set<string>();
  let sending: Promise<unknown> = Promise.resolve();
  const serial = <T>(send: () => Promise<T>): Promise<T> => {
    const next = sending.then(send);
    sending = next.catch(() => undefined);
    return next;
  };
  const sendAs = (from: Address, to: Address, data: Hex, gas: bigint): Promise<Hex> =>
    serial(() => sendOneAs(from, to, data, gas));
  const fundGas = (address: Address, wei?: bigint): Promise<void> => serial(() => setBalance(address, wei));
  const sendOneAs = async (from: Address, to: Address, data: Hex, gas: bigint): Promise<Hex> => {
    const key = from.toLowerCase();
    if (!impersonated.has(key)) {
      await provider.request({ method: 'evm_addAccount', params: [from, ''] });
      await provider.request({ method: 'personal_unlockAccount', params: [from, '', 0] });
      await setBalance(from);
      impersonated.add(key);
    }
    const hash = await provider.request({
      method: 'eth_sendTransaction',
      params: [{ from, to, data, gas: `0x${gas.toString(16)}` }],
    });
    return hash as Hex;
  };
  return {
    rpcUrl,
    chain,
    serial,
    sendAs,
    ctf,
    pusd,
    reopened,
    operator,
    publicClient,
    fundGas,
    pauseMining: async () => void (await provider.request({ method: 'miner_stop', params: [] })),
    resumeMining: async () => void (await provider.request({ method: 'miner_start', params: [] })),
    close: async () => {
      await rpc.close();
      await ganacheProvider.disconnect();
    },
  };
}
