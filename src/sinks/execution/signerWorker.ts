// Worker thread that signs orders off the main thread, for the presign cache. It only builds and
// signs (no network): tick size, neg-risk flag and order version are given with each request (the
// client is told the tick: src/sinks/execution/tickCache.ts).
import { parentPort, workerData } from 'node:worker_threads';
import { ClobClient, Side, type SignedOrder, type TickSize } from '@polymarket/clob-client-v2';
import { fastSigner } from './signer.js';
import { tellTick } from './tickCache.js';

export interface SignerInit {
  readonly privateKey: `0x${string}`;
  readonly host: string;
  readonly chain: number;
  readonly signatureType: number;
  readonly funderAddress?: string;
}

export interface SignRequest {
  readonly id: number;
  readonly tickSize: TickSize;
  readonly negRisk: boolean;
  readonly orders: ReadonlyArray<{
    readonly tokenId: string;
    readonly price: number;
    readonly size: number;
    readonly side: 'BUY' | 'SELL';
  }>;
}

export interface SignResponse {
  readonly id: number;
  readonly signed: SignedOrder[];
  readonly error?: string;
}

const init = workerData as SignerInit;
const client = new ClobClient({
  host: init.host,
  chain: init.chain,
  signer: fastSigner(init.privateKey) as never,
  signatureType: init.signatureType,
  ...(init.funderAddress ? { funderAddress: init.funderAddress } : {}),
});

parentPort?.on('message', (req: SignRequest) => {
  void (async (): Promise<SignResponse> => {
    const signed: SignedOrder[] = [];
    try {
      tellTick(
        client,
        req.orders.map((o) => o.tokenId),
        req.tickSize,
      );
      for (const o of req.orders) {
        signed.push(
          await client.createOrder(
            { tokenID: o.tokenId, price: o.price, size: o.size, side: o.side === 'BUY' ? Side.BUY : Side.SELL },
            { tickSize: req.tickSize, negRisk: req.negRisk, version: 2 },
          ),
        );
      }
      return { id: req.id, signed };
    } catch (err) {
      return { id: req.id, signed, error: err instanceof Error ? err.message : String(err) };
    }
  })().then((res) => parentPort?.postMessage(res));
});
