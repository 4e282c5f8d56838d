// API keys as the CLOB derives them: deterministic per address and nonce from the venue's secret.
// Apart from auth.ts (the signature checks) so that an in-process user (the backtest) loads no
// Ethereum library.
import { createHash, createHmac } from 'node:crypto';

export interface Creds {
  readonly apiKey: string;
  readonly secret: string;
  readonly passphrase: string;
}

export class CredStore {
  private readonly byKey = new Map<string, { address: string; nonce: string; creds: Creds }>();
  constructor(private serverSecret: string) {}

  /** What a venue restart keeps (the persistent store): the server secret and who derived which key. */
  persisted(): { serverSecret: string; keys: { address: string; nonce: string }[] } {
    return {
      serverSecret: this.serverSecret,
      keys: [...this.byKey.values()].map(({ address, nonce }) => ({ address, nonce })),
    };
  }

  /** A store restored after a restart: the same keys answer as before (keys derive from the secret). */
  static restored(p: { serverSecret: string; keys: readonly { address: string; nonce: string }[] }): CredStore {
    const store = new CredStore(p.serverSecret);
    for (const k of p.keys) store.credsFor(k.address, k.nonce);
    return store;
  }

  /** Forget every API key, as a venue restart does: old keys answer 401; deriving gives new ones. */
  forget(newServerSecret: string): void {
    this.serverSecret = newServerSecret;
    this.byKey.clear();
  }

  /** Deterministic per address and nonce, like derive-api-key. */
  credsFor(address: string, nonce: string): Creds {
    const h = (tag: string): Buffer =>
      createHmac('sha256', this.serverSecret).update(`${tag}:${address.toLowerCase()}:${nonce}`).digest();
    const hex = h('key').toString('hex');
    const apiKey = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
    const creds = {
      apiKey,
      secret: h('secret').toString('base64url'),
      passphrase: h('pass').toString('hex').slice(0, 32),
    };
    this.byKey.set(apiKey, { address: address.toLowerCase(), nonce, creds });
    return creds;
  }

  lookup(apiKey: string): { address: string; creds: Creds } | undefined {
    return this.byKey.get(apiKey);
  }

  /** API key (UUID) of an address as shown on the wire; accounts without a key show a hash. */
  keyOf = (address: string): string => {
    for (const [key, v] of this.byKey) if (v.address === address) return key;
    return createHash('sha256').update(address).digest('hex').slice(0, 36);
  };
}
