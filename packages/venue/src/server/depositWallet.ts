// Deposit wallets (signature type 3, POLY_1271), the venue's side: the wallet an owner's key controls
// and the check of an order signed for it. On Polygon the exchange asks the wallet contract
// (`isValidSignature`, ERC-1271) and the wallet unwraps the ERC-7739 envelope the official client
// builds: innerSig(65) ‖ appDomainSep(32) ‖ contentsHash(32) ‖ contentsType ‖ uint16 length, the inner
// signature being the owner's EIP-712 `TypedDataSign` over the order under the exchange's domain, with
// the wallet's own domain fields (name "DepositWallet", version "1", chain, the wallet) in the struct.
// Simplification: the venue has no wallet contract to ask; it does the wallet's check itself against the
// one owner it knows for the wallet, the API key's address whose deposit wallet it is (the UUPS address
// the relayer client derives; a wallet's session signers and the beacon-proxy variant are not modelled).
import { utils } from 'ethers';
import { exchangeDomain, ORDER_TYPES, orderValue, V2_EXCHANGES, type WireOrder } from './auth.js';

/** Polygon's deposit wallet factory and implementation (the relayer client's contract set, chain 137). */
export const DEPOSIT_WALLET_FACTORY = '0x00000000000Fb5C9ADea0298D729A0CB3823Cc07';
export const DEPOSIT_WALLET_IMPLEMENTATION = '0x58CA52ebe0DadfdF531Cde7062e76746de4Db1eB';

// Solady's LibClone.initCodeHashERC1967(implementation, args): the ERC-1967 proxy's creation code.
const ERC1967_CONST1 = '0xcc3735a920a3ca505d382bbc545af43d6000803e6038573d6000fd5b3d6000f3';
const ERC1967_CONST2 = '0x5155f3363d3d373d3d363d7f360894a13ba1a3210667c828492db98dca3e2076';
const ERC1967_PREFIX = 0x61003d3d8160233d3973n;

/** The deposit wallet of `owner` (CREATE2 from the factory; args abi.encode(factory, bytes32(owner))). */
export function depositWalletOf(
  owner: string,
  factory = DEPOSIT_WALLET_FACTORY,
  implementation = DEPOSIT_WALLET_IMPLEMENTATION,
): string {
  const args = utils.defaultAbiCoder.encode(['address', 'bytes32'], [factory, utils.hexZeroPad(owner, 32)]);
  const n = BigInt(utils.hexDataLength(args));
  const prefix = `0x${(ERC1967_PREFIX + (n << 56n)).toString(16).padStart(20, '0')}`;
  const initCodeHash = utils.keccak256(
    utils.hexConcat([prefix, implementation, '0x6009', ERC1967_CONST2, ERC1967_CONST1, args]),
  );
  return utils.getCreate2Address(factory, utils.keccak256(args), initCodeHash);
}

const WALLET_NAME_HASH = utils.keccak256(utils.toUtf8Bytes('DepositWallet'));
const WALLET_VERSION_HASH = utils.keccak256(utils.toUtf8Bytes('1'));
const ZERO32 = `0x${'0'.repeat(64)}`;

/** The ERC-7739 envelope's parts, or undefined when the bytes do not hold one. */
function unwrap(
  signature: string,
): { inner: string; appDomainSep: string; contents: string; type: string } | undefined {
  if (!utils.isHexString(signature)) return undefined;
  const bytes = utils.arrayify(signature);
  if (bytes.length < 65 + 64 + 2) return undefined;
  const typeLength = (bytes[bytes.length - 2]! << 8) | bytes[bytes.length - 1]!;
  if (bytes.length !== 65 + 64 + typeLength + 2) return undefined;
  return {
    inner: utils.hexlify(bytes.slice(0, 65)),
    appDomainSep: utils.hexlify(bytes.slice(65, 97)),
    contents: utils.hexlify(bytes.slice(97, 129)),
    type: utils.toUtf8String(bytes.slice(129, 129 + typeLength)),
  };
}

/**
 * Check a POLY_1271 order as its deposit wallet would, for the owner the venue knows for it: the
 * envelope must wrap this order's hash under one of the exchanges' domains, and its inner signature
 * recover to `owner` over the wallet's `TypedDataSign`. Returns the order hash (its id).
 */
export function verifyDepositWalletOrder(
  o: WireOrder,
  chainId: number,
  owner: string,
): { hash: string } | { error: string } {
  try {
    const w = unwrap(o.signature);
    if (!w) return { error: 'invalid signature' };
    const value = orderValue(o);
    for (const verifyingContract of V2_EXCHANGES) {
      const domain = exchangeDomain(chainId, verifyingContract);
      const hash = utils._TypedDataEncoder.hash(domain, ORDER_TYPES, value);
      // The wallet is handed only the hash: the envelope must rebuild it from its own domain and contents.
      if (utils.keccak256(utils.hexConcat(['0x1901', w.appDomainSep, w.contents])) !== hash) continue;
      const name = w.type.slice(0, w.type.indexOf('('));
      if (!/^[A-Za-z0-9_]+$/.test(name)) return { error: 'invalid signature' };
      const typeHash = utils.keccak256(
        utils.toUtf8Bytes(
          `TypedDataSign(${name} contents,string name,string version,uint256 chainId,address verifyingContract,bytes32 salt)${w.type}`,
        ),
      );
      const struct = utils.keccak256(
        utils.defaultAbiCoder.encode(
          ['bytes32', 'bytes32', 'bytes32', 'bytes32', 'uint256', 'address', 'bytes32'],
          [typeHash, w.contents, WALLET_NAME_HASH, WALLET_VERSION_HASH, chainId, o.signer, ZERO32],
        ),
      );
      const digest = utils.keccak256(utils.hexConcat(['0x1901', w.appDomainSep, struct]));
      return utils.recoverAddress(digest, w.inner).toLowerCase() === owner.toLowerCase()
        ? { hash }
        : { error: 'invalid signature' };
    }
    return { error: 'invalid signature' };
  } catch {
    return { error: 'invalid signature' };
  }
}
