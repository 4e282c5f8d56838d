// Polymarket's relayer wire protocol, the venue's side (pure): a PROXY, SAFE or deposit wallet (WALLET)
// transaction request as `@polymarket/builder-relayer-client` submits it, checked (wallet derived from
// the signer, nonce, signature, deadline) and decoded into the calls the wallet makes. Addresses and
// hashes are Polygon's, which the client signs for whatever chain actually executes (the simulated
// venue's dev chain).
import {
  decodeFunctionData,
  encodeAbiParameters,
  encodePacked,
  getAddress,
  getCreate2Address,
  hashTypedData,
  hexToNumber,
  keccak256,
  concat,
  pad,
  parseAbi,
  recoverMessageAddress,
  recoverTypedDataAddress,
  sliceHex,
  toHex,
  zeroAddress,
  type Address,
  type Hex,
} from 'viem';

/** Polygon's wallet contracts, as the relayer client knows them. */
export const POLYGON_RELAYER = {
  proxyFactory: '0xaB45c5A4B0c941a2F231C04C3f49182e1A254052',
  relayHub: '0xD216153c06E857cD7f72665E0aF1d7D82172F494',
  safeFactory: '0xaacFeEa03eb1561C4e67d661e40682Bd20E3541b',
  safeMultisend: '0xA238CBeb142c10Ef7Ad8442C6D1f9E89e07e7761',
  proxyInitCodeHash: '0xd21df8dc65880a8606f09fe0ce3df9b8869287ab0b058be05aa9e8af6330a00b',
  safeInitCodeHash: '0x2bce2127ff07fb632d16c8347c4ebf501f4841168bed00d9e6ef715ddb6fcecf',
  depositWalletFactory: '0x00000000000Fb5C9ADea0298D729A0CB3823Cc07',
  depositWalletImplementation: '0x58CA52ebe0DadfdF531Cde7062e76746de4Db1eB',
} as const;

/** The proxy wallet (CREATE2 from the proxy factory, salt keccak(signer)). */
export const proxyWalletOf = (signer: Address): Address =>
  getCreate2Address({
    from: POLYGON_RELAYER.proxyFactory,
    salt: keccak256(encodePacked(['address'], [signer])),
    bytecodeHash: POLYGON_RELAYER.proxyInitCodeHash,
  });

/** The Gnosis safe (CREATE2 from the safe factory, salt keccak(abi.encode(signer))). */
export const safeWalletOf = (signer: Address): Address =>
  getCreate2Address({
    from: POLYGON_RELAYER.safeFactory,
    salt: keccak256(encodeAbiParameters([{ type: 'address' }], [signer])),
    bytecodeHash: POLYGON_RELAYER.safeInitCodeHash,
  });

// Solady's LibClone.initCodeHashERC1967(implementation, args): the deposit wallet's ERC-1967 proxy.
const ERC1967_CONST1 = '0xcc3735a920a3ca505d382bbc545af43d6000803e6038573d6000fd5b3d6000f3';
const ERC1967_CONST2 = '0x5155f3363d3d373d3d363d7f360894a13ba1a3210667c828492db98dca3e2076';
const ERC1967_PREFIX = 0x61003d3d8160233d3973n;

/**
 * The deposit wallet (CREATE2 from the deposit wallet factory of an ERC-1967 proxy to the UUPS
 * implementation; args abi.encode(factory, bytes32(owner)), salt keccak(args)), as the relayer client
 * derives it (the beacon-proxy variant it also knows needs the factory on chain: not modelled).
 */
export const depositWalletOf = (owner: Address): Address => {
  const factory = POLYGON_RELAYER.depositWalletFactory;
  const args = encodeAbiParameters(
    [{ type: 'address' }, { type: 'bytes32' }],
    [factory, pad(owner, { dir: 'left', size: 32 })],
  );
  const n = BigInt((args.length - 2) / 2);
  const bytecodeHash = keccak256(
    concat([
      toHex(ERC1967_PREFIX + (n << 56n), { size: 10 }),
      POLYGON_RELAYER.depositWalletImplementation,
      '0x6009',
      ERC1967_CONST2,
      ERC1967_CONST1,
      args,
    ]),
  );
  return getCreate2Address({ from: factory, salt: keccak256(args), bytecodeHash });
};

export interface RelayRequest {
  readonly type: string;
  readonly from: string;
  readonly to: string;
  readonly proxyWallet?: string;
  /** PROXY / SAFE: the wallet's call data (a WALLET batch carries its calls in `depositWalletParams`). */
  readonly data?: string;
  readonly nonce?: string;
  readonly signature: string;
  readonly signatureParams?: Record<string, string | undefined>;
  /** WALLET: the deposit wallet, the batch's deadline (unix seconds) and its calls. */
  readonly depositWalletParams?: {
    readonly depositWallet: string;
    readonly deadline: string;
    readonly calls: readonly { readonly target: string; readonly value: string; readonly data: string }[];
  };
  readonly metadata?: string;
}

export interface WalletCall {
  readonly to: Address;
  readonly data: Hex;
}

export type Checked =
  | { readonly ok: true; readonly signer: Address; readonly wallet: Address; readonly calls: readonly WalletCall[] }
  | { readonly ok: false; readonly error: string };

const PROXY_ABI = parseAbi(['function proxy((uint8 typeCode, address to, uint256 value, bytes data)[] calls)']);
const MULTISEND_ABI = parseAbi(['function multiSend(bytes transactions)']);
const isHex = (s: unknown): s is Hex => typeof s === 'string' && /^0x[0-9a-fA-F]*$/.test(s);
const word = (n: string | undefined): Hex => toHex(BigInt(n ?? '0'), { size: 32 });

async function checkProxy(r: RelayRequest, signer: Address, relay: Address): Promise<Checked> {
  const p = r.signatureParams ?? {};
  if (getAddress(r.to) !== getAddress(POLYGON_RELAYER.proxyFactory))
    return { ok: false, error: 'to is not the proxy factory' };
  if (!p.relayHub || getAddress(p.relayHub) !== getAddress(POLYGON_RELAYER.relayHub))
    return { ok: false, error: 'unknown relay hub' };
  if (!p.relay || getAddress(p.relay) !== relay) return { ok: false, error: 'unknown relay address' };
  const hash = keccak256(
    concat([
      toHex('rlx:'),
      signer,
      getAddress(r.to),
      r.data as Hex,
      word(p.relayerFee),
      word(p.gasPrice),
      word(p.gasLimit),
      word(r.nonce),
      getAddress(p.relayHub),
      relay,
    ]),
  );
  if ((await recoverMessageAddress({ message: { raw: hash }, signature: r.signature as Hex })) !== signer)
    return { ok: false, error: 'invalid signature' };
  const wallet = proxyWalletOf(signer);
  const { args } = decodeFunctionData({ abi: PROXY_ABI, data: r.data as Hex });
  const calls = args[0].map((c) => ({ typeCode: c.typeCode, to: c.to, value: c.value, data: c.data }));
  if (calls.some((c) => c.typeCode !== 1 || c.value !== 0n))
    return { ok: false, error: 'only plain calls without value' };
  return { ok: true, signer, wallet, calls: calls.map((c) => ({ to: c.to, data: c.data })) };
}

/** A multiSend payload: packed (operation u8, to, value u256, length u256, data) entries. */
function unpackMultisend(data: Hex): WalletCall[] | undefined {
  const { args } = decodeFunctionData({ abi: MULTISEND_ABI, data });
  const out: WalletCall[] = [];
  const b = args[0];
  let at = 2;
  const hexLen = b.length;
  while (at < hexLen) {
    const op = hexToNumber(`0x${b.slice(at, at + 2)}`);
    const to = getAddress(`0x${b.slice(at + 2, at + 42)}`);
    const value = BigInt(`0x${b.slice(at + 42, at + 106)}`);
    const len = Number(BigInt(`0x${b.slice(at + 106, at + 170)}`));
    const callData = `0x${b.slice(at + 170, at + 170 + len * 2)}` as Hex;
    if (op !== 0 || value !== 0n) return undefined;
    out.push({ to, data: callData });
    at += 170 + len * 2;
  }
  return out;
}

async function checkSafe(r: RelayRequest, signer: Address, chainId: number): Promise<Checked> {
  const p = r.signatureParams ?? {};
  const wallet = safeWalletOf(signer);
  const operation = Number(p.operation ?? '0');
  const hash = hashTypedData({
    domain: { chainId, verifyingContract: wallet },
    types: {
      SafeTx: [
        { name: 'to', type: 'address' },
        { name: 'value', type: 'uint256' },
        { name: 'data', type: 'bytes' },
        { name: 'operation', type: 'uint8' },
        { name: 'safeTxGas', type: 'uint256' },
        { name: 'baseGas', type: 'uint256' },
        { name: 'gasPrice', type: 'uint256' },
        { name: 'gasToken', type: 'address' },
        { name: 'refundReceiver', type: 'address' },
        { name: 'nonce', type: 'uint256' },
      ],
    },
    primaryType: 'SafeTx',
    message: {
      to: getAddress(r.to),
      value: 0n,
      data: r.data as Hex,
      operation,
      safeTxGas: BigInt(p.safeTxnGas ?? '0'),
      baseGas: BigInt(p.baseGas ?? '0'),
      gasPrice: BigInt(p.gasPrice ?? '0'),
      gasToken: (p.gasToken ?? zeroAddress) as Address,
      refundReceiver: (p.refundReceiver ?? zeroAddress) as Address,
      nonce: BigInt(r.nonce ?? '0'),
    },
  });
  // Gnosis' eth_sign convention: v + 4 (31/32); back to 27/28 to recover the personal-sign signer.
  const sig = r.signature as Hex;
  if (sig.length !== 132) return { ok: false, error: 'invalid signature length' };
  const v = hexToNumber(sliceHex(sig, 64, 65));
  if (v !== 31 && v !== 32) return { ok: false, error: 'invalid signature v' };
  const plain = concat([sliceHex(sig, 0, 64), toHex(v - 4, { size: 1 })]);
  if ((await recoverMessageAddress({ message: { raw: hash }, signature: plain })) !== signer)
    return { ok: false, error: 'invalid signature' };
  if (operation === 0) return { ok: true, signer, wallet, calls: [{ to: getAddress(r.to), data: r.data as Hex }] };
  if (getAddress(r.to) !== getAddress(POLYGON_RELAYER.safeMultisend))
    return { ok: false, error: 'delegate calls only to the multisend contract' };
  const calls = unpackMultisend(r.data as Hex);
  return calls
    ? { ok: true, signer, wallet, calls }
    : { ok: false, error: 'multisend: only plain calls without value' };
}

const BATCH_TYPES = {
  Call: [
    { name: 'target', type: 'address' },
    { name: 'value', type: 'uint256' },
    { name: 'data', type: 'bytes' },
  ],
  Batch: [
    { name: 'wallet', type: 'address' },
    { name: 'nonce', type: 'uint256' },
    { name: 'deadline', type: 'uint256' },
    { name: 'calls', type: 'Call[]' },
  ],
} as const;

/**
 * A deposit wallet batch: the owner's EIP-712 `Batch` under the wallet's domain ("DepositWallet" 1, the
 * wallet as verifying contract), as the wallet contract checks it before running the calls. The
 * wallet must be the signer's (the relayer knows each wallet's owner from its address).
 */
async function checkDepositBatch(r: RelayRequest, signer: Address, chainId: number, nowMs: number): Promise<Checked> {
  const p = r.depositWalletParams;
  if (getAddress(r.to) !== getAddress(POLYGON_RELAYER.depositWalletFactory))
    return { ok: false, error: 'to is not the deposit wallet factory' };
  if (!p || typeof p !== 'object' || !isHex(p.depositWallet) || !Array.isArray(p.calls) || p.calls.length === 0)
    return { ok: false, error: 'no deposit wallet params' };
  const wallet = depositWalletOf(signer);
  if (getAddress(p.depositWallet) !== wallet) return { ok: false, error: 'depositWallet is not the signer’s wallet' };
  const deadline = BigInt(p.deadline);
  if (deadline * 1000n < BigInt(Math.floor(nowMs))) return { ok: false, error: 'batch deadline passed' };
  if (p.calls.some((c) => !isHex(c?.target) || !isHex(c.data) || BigInt(c.value ?? '0') !== 0n))
    return { ok: false, error: 'only plain calls without value' };
  const calls = p.calls.map((c) => ({ target: getAddress(c.target), value: 0n, data: c.data as Hex }));
  const recovered = await recoverTypedDataAddress({
    domain: { name: 'DepositWallet', version: '1', chainId, verifyingContract: wallet },
    types: BATCH_TYPES,
    primaryType: 'Batch',
    message: { wallet, nonce: BigInt(r.nonce ?? '0'), deadline, calls },
    signature: r.signature as Hex,
  });
  if (recovered !== signer) return { ok: false, error: 'invalid signature' };
  return { ok: true, signer, wallet, calls: calls.map((c) => ({ to: c.target, data: c.data })) };
}

/**
 * Check a submitted request against the signer's expected nonce (and, for PROXY, the relay address
 * the relayer handed out). `chainId`: the chain the client signs for (its contract set).
 */
export async function checkRelayRequest(
  r: RelayRequest,
  expectedNonce: bigint,
  relay: Address,
  chainId: number,
  nowMs: number,
): Promise<Checked> {
  try {
    if (!r || typeof r !== 'object' || !isHex(r.from) || !isHex(r.to) || !isHex(r.signature))
      return { ok: false, error: 'invalid request' };
    if (r.type !== 'WALLET' && !isHex(r.data)) return { ok: false, error: 'invalid request' };
    if (r.type !== 'WALLET' && (!r.signatureParams || typeof r.signatureParams !== 'object'))
      return { ok: false, error: 'no signature params' };
    if (BigInt(r.nonce ?? '-1') !== expectedNonce)
      return { ok: false, error: `invalid nonce: expected ${expectedNonce}` };
    const signer = getAddress(r.from);
    const checked =
      r.type === 'PROXY'
        ? await checkProxy(r, signer, relay)
        : r.type === 'SAFE'
          ? await checkSafe(r, signer, chainId)
          : r.type === 'WALLET'
            ? await checkDepositBatch(r, signer, chainId, nowMs)
            : ({ ok: false, error: `unsupported transaction type ${String(r.type)}` } as const);
    if (checked.ok && r.proxyWallet && getAddress(r.proxyWallet) !== checked.wallet)
      return { ok: false, error: 'proxyWallet is not the signer’s wallet' };
    return checked;
  } catch (e) {
    return { ok: false, error: `invalid request: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}` };
  }
}
