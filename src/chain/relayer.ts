// The simulated venue's relayer: Polymarket's gasless relayer endpoints (`/nonce`, `/relay-payload`,
// `/submit`, `/transaction`, `/transactions`, `/deployed`) on loopback, for PROXY and SAFE wallets
// and deposit wallets' batches (type WALLET). A checked request's calls are executed on the dev chain
// as the wallet (the chain impersonates the wallet's address: a faithful stand-in for the proxy /
// safe / deposit wallet contract, which would make the same calls with the same msg.sender), one
// after another; each signer gets `dailyCap` submissions per rolling day of the venue's clock, as the
// live relayer caps builders. Submissions and the transaction list need a builder's authentication
// headers (`POLY_BUILDER_API_KEY`, `_PASSPHRASE`, `_SIGNATURE`, `_TIMESTAMP`: 401 without); the
// signature is not checked here, for the venue knows no builder's secret. States: STATE_NEW →
// STATE_EXECUTED → STATE_MINED → STATE_CONFIRMED, or STATE_FAILED when a call reverts.
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { getAddress, type Address, type Hex } from 'viem';
import { RECEIPT_TIMEOUT_MS, type DevChain } from './devChain.js';
import { checkRelayRequest, type RelayRequest } from './relayerProtocol.js';

export interface RelayerTx {
  transactionID: string;
  transactionHash: string;
  from: string;
  to: string;
  proxyAddress: string;
  data: string;
  nonce: string;
  value: string;
  state: string;
  type: string;
  metadata: string;
  /** Why it failed (the call's revert reason); not in Polymarket's answer, read by our sink's log. */
  error?: string;
  createdAt: string;
  updatedAt: string;
}

export interface RelayerOptions {
  /** Submissions per signer per rolling day. */
  readonly dailyCap?: number;
  /** The chain id the clients sign for (Polygon's contract set): 137. */
  readonly clientChainId?: number;
  readonly clock?: () => number;
  readonly gasPerCall?: bigint;
  /** Listen on this port when it is free (a restarted venue keeps its relayer URL), else on any. */
  readonly port?: number;
}

export interface VenueRelayer {
  readonly url: string;
  /** Wait for the transactions in flight (tests, shutdown). */
  idle(): Promise<void>;
  close(): Promise<void>;
}

const DAY_MS = 86_400_000;
const BUILDER_HEADERS = [
  'poly_builder_api_key',
  'poly_builder_passphrase',
  'poly_builder_signature',
  'poly_builder_timestamp',
] as const;

export async function startRelayer(chain: DevChain, o: RelayerOptions = {}): Promise<VenueRelayer> {
  const cap = o.dailyCap ?? 100;
  const clock = o.clock ?? Date.now;
  const relay = getAddress(chain.operator.address);
  const nonces = new Map<string, bigint>();
  const used = new Map<string, number[]>();
  const txs = new Map<string, RelayerTx>();
  let seq = 0;
  let queue: Promise<void> = Promise.resolve();

  const nonceKey = (address: string, type: string): string => `${type}:${address.toLowerCase()}`;
  const update = (t: RelayerTx, state: string, hash?: string): void => {
    t.state = state;
    if (hash) t.transactionHash = hash;
    t.updatedAt = new Date(clock()).toISOString();
  };
  const run = (t: RelayerTx, wallet: Address, calls: readonly { to: Address; data: Hex }[]): void => {
    queue = queue.then(async () => {
      try {
        for (const c of calls) {
          const hash = await chain.sendAs(wallet, c.to, c.data, o.gasPerCall ?? 1_000_000n);
          update(t, 'STATE_EXECUTED', hash);
          const rc = await chain.publicClient.waitForTransactionReceipt({ hash, timeout: RECEIPT_TIMEOUT_MS });
          if (rc.status !== 'success') {
            // The revert reason, from the same call replayed on the state it ran on.
            t.error = await chain.publicClient
              .call({ account: wallet, to: c.to, data: c.data, blockNumber: rc.blockNumber - 1n })
              .then(
                () => 'reverted',
                (e: unknown) => (e instanceof Error ? e.message.split('\n')[0] : String(e)),
              );
            return update(t, 'STATE_FAILED');
          }
          update(t, 'STATE_MINED');
        }
        update(t, 'STATE_CONFIRMED');
      } catch (e) {
        t.error = e instanceof Error ? e.message.split('\n')[0] : String(e);
        update(t, 'STATE_FAILED');
      }
    });
  };

  const submit = async (body: string): Promise<{ status: number; body: unknown }> => {
    let r: RelayRequest;
    try {
      r = JSON.parse(body) as RelayRequest;
    } catch {
      return { status: 400, body: { error: 'invalid json' } };
    }
    const from = typeof r?.from === 'string' ? r.from.toLowerCase() : '';
    const now = clock();
    const recent = (used.get(from) ?? []).filter((t) => now - t < DAY_MS);
    if (recent.length >= cap)
      return { status: 429, body: { error: `daily relayer limit of ${cap} transactions reached` } };
    const key = nonceKey(from, String(r?.type));
    const nonce = nonces.get(key) ?? 0n;
    const checked = await checkRelayRequest(r, nonce, relay, o.clientChainId ?? 137, now);
    if (!checked.ok) return { status: 400, body: { error: checked.error } };
    // Checked asynchronously: a concurrent submission may have taken this nonce meanwhile.
    if ((nonces.get(key) ?? 0n) !== nonce) return { status: 400, body: { error: 'invalid nonce: already used' } };
    nonces.set(key, nonce + 1n);
    used.set(from, [...recent, now]);
    const id = `relay-${++seq}`;
    const at = new Date(now).toISOString();
    const t: RelayerTx = {
      transactionID: id,
      transactionHash: '',
      from: checked.signer,
      to: r.to,
      proxyAddress: checked.wallet,
      data: r.data ?? '0x',
      nonce: String(nonce),
      value: '0',
      state: 'STATE_NEW',
      type: r.type,
      metadata: r.metadata ?? '',
      createdAt: at,
      updatedAt: at,
    };
    txs.set(id, t);
    run(t, checked.wallet, checked.calls);
    return { status: 200, body: { transactionID: id, state: t.state, transactionHash: '' } };
  };

  const route = async (
    method: string,
    url: URL,
    body: string,
    headers: IncomingHttpHeaders,
  ): Promise<{ status: number; body: unknown }> => {
    const q = url.searchParams;
    const authed = BUILDER_HEADERS.every((h) => typeof headers[h] === 'string' && headers[h] !== '');
    if (!authed && ((method === 'POST' && url.pathname === '/submit') || url.pathname === '/transactions'))
      return { status: 401, body: { error: 'invalid builder authentication' } };
    const address = q.get('address') ?? '';
    switch (`${method} ${url.pathname}`) {
      case 'GET /nonce':
        return { status: 200, body: { nonce: String(nonces.get(nonceKey(address, q.get('type') ?? '')) ?? 0n) } };
      case 'GET /relay-payload':
        return {
          status: 200,
          body: { address: relay, nonce: String(nonces.get(nonceKey(address, q.get('type') ?? 'PROXY')) ?? 0n) },
        };
      // Wallets are deployed on their first use here (the impersonated address needs no code).
      case 'GET /deployed':
        return { status: 200, body: { deployed: true } };
      case 'GET /transaction': {
        const t = txs.get(q.get('id') ?? '');
        return { status: 200, body: t ? [{ ...t }] : [] };
      }
      case 'GET /transactions':
        return { status: 200, body: [...txs.values()].map((t) => ({ ...t })) };
      case 'POST /submit':
        return submit(body);
      default:
        return { status: 404, body: { error: 'not found' } };
    }
  };

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://relayer');
      route(req.method ?? 'GET', url, Buffer.concat(chunks).toString('utf8'), req.headers)
        .catch(() => ({ status: 500, body: { error: 'internal error' } }))
        .then((a) => {
          res.writeHead(a.status, { 'content-type': 'application/json' });
          res.end(JSON.stringify(a.body));
        })
        .catch(() => res.destroy());
    });
  });
  const listen = (port: number): Promise<void> =>
    new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
  await listen(o.port ?? 0).catch((e: unknown) => {
    if (!o.port) throw e;
    return listen(0);
  });
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    idle: () => queue,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
