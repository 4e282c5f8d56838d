// A real EVM on loopback for the simulated venue and the tests: ganache in-process, with pUSD and the
// ConditionalTokens contract deployed at start. Blocks are mined as transactions arrive; nothing is
// downloaded at run time.
import ganache from 'ganache';
import {
  createPublicClient,
  createWalletClient,
  custom,
  defineChain,
  type Address,
  type Chain,
  type Hex,
  type PublicClient,
  type WalletClient,
} from 'viem';
import { privateKeyToAccount, type PrivateKeyAccount } from 'viem/accounts';
import { CONDITIONAL_TOKENS, PUSD } from './contracts.js';

export interface DevChain {
  readonly rpcUrl: string;
  readonly chain: Chain;
  readonly ctf: Address;
  readonly pusd: Address;
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

export async function startDevChain(opts: { port?: number } = {}): Promise<DevChain> {
  const server = ganache.server({
    logging: { quiet: true },
    chain: { chainId: DEV_CHAIN_ID },
    wallet: { totalAccounts: 0 },
    miner: { instamine: 'eager' },
  });
  await server.listen(opts.port ?? 0, '127.0.0.1');
  const provider = server.provider;
  const { port } = server.address() as { port: number };
  const rpcUrl = `http://127.0.0.1:${port}`;
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
    const r = await publicClient.waitForTransactionReceipt({ hash });
    if (!r.contractAddress || r.status !== 'success') throw new Error('dev chain: contract deployment failed');
    return r.contractAddress;
  };
  const [pusd, ctf] = [await deploy(PUSD), await deploy(CONDITIONAL_TOKENS)];
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
    operator,
    publicClient,
    fundGas,
    pauseMining: async () => void (await provider.request({ method: 'miner_stop', params: [] })),
    resumeMining: async () => void (await provider.request({ method: 'miner_start', params: [] })),
    close: () => server.close(),
  };
}
