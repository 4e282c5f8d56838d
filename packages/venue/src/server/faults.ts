// Fault knobs of the simulated venue: set from options or live through POST /control/faults.
import { createRng, type Rng } from '../core/rng.js';

export interface Faults {
  /** Probability an outgoing WebSocket message is dropped / sent twice / held back and sent after the next. */
  dropRate: number;
  duplicateRate: number;
  reorderRate: number;
  /** Extra delay on every outgoing WebSocket message. */
  delayMs: number;
  /** Probability a REST call answers 500. */
  http5xxRate: number;
  /** The next N REST calls answer 429. */
  http429Burst: number;
  /** Probability an order is rejected by the venue. */
  rejectRate: number;
  /** Chainlink prices stop (RTDS and the market's oracle view are unaffected otherwise). */
  oracleStall: boolean;
  /** The fast feeds stop: Binance on RTDS, Pyth on PolyBolt. */
  fastStall: boolean;
  /** Trading endpoints answer 403 as for a restricted region. */
  geoblock: boolean;
  /** The heartbeat endpoint answers 500. */
  heartbeatFail: boolean;
  /** Extra delay before every REST answer (a slow venue; clients time out). */
  restDelayMs: number;
  /** The weekly matching-engine restart: order and cancel endpoints answer 425. */
  engineRestart: boolean;
  /** Post-only mode (after an engine restart): orders that are not post-only are rejected. */
  postOnlyMode: boolean;
  /** Cancel-only mode: new orders answer 503; cancels still work. */
  cancelOnly: boolean;
  /** Probability a WebSocket message is preceded by a malformed, truncated or unknown frame. */
  malformedRate: number;
  /** Comma-separated socket kinds (market, user, rtds, polybolt) that stay connected but send nothing, PONG included. */
  silent: string;
  /** Probability a matched trade later FAILS (balances reversed), for trades matched from now on. */
  tradeFailRate: number;
  /** The account is in closed-only mode (GET /auth/ban-status/closed-only answers true). */
  closedOnly: boolean;
  /** Every L2-authenticated call answers 401 (keys refused even when freshly derived). */
  authReject: boolean;
  /** Markets resolve this long after their final price is known (0: at once); -1: never (a resolution that does not come). */
  resolutionDelayMs: number;
  /** Probability a published price (Chainlink, its TWAP, Binance, Pyth; RTDS and PolyBolt) is replaced by an implausible one: 0, negative, 1e12 or a 20 % jump. */
  badPriceRate: number;
  /** The venue's clock runs this far ahead of (or, negative, behind) the true time: GET /time and every timestamp it sends. */
  clockOffsetMs: number;
}

export const NO_FAULTS: Faults = {
  dropRate: 0,
  duplicateRate: 0,
  reorderRate: 0,
  delayMs: 0,
  http5xxRate: 0,
  http429Burst: 0,
  rejectRate: 0,
  oracleStall: false,
  fastStall: false,
  geoblock: false,
  heartbeatFail: false,
  closedOnly: false,
  restDelayMs: 0,
  engineRestart: false,
  postOnlyMode: false,
  cancelOnly: false,
  malformedRate: 0,
  silent: '',
  tradeFailRate: 0,
  authReject: false,
  resolutionDelayMs: 0,
  badPriceRate: 0,
  clockOffsetMs: 0,
};

/** Implausible stand-ins for a real price `v`: what a broken feed sends. */
export const implausiblePrice = (v: number, pick: number): number =>
  [0, -v, 1e12, Math.round(v * 1.2 * 1e8) / 1e8][Math.floor(pick * 4) % 4]!;

/** Order entry and cancel endpoints: what an engine restart (425) or cancel-only mode (503) refuses. */
const ORDER_ENTRY = new Set(['POST /order', 'POST /orders']);
const ORDER_CANCEL = new Set(['DELETE /order', 'DELETE /orders', 'DELETE /cancel-all', 'DELETE /cancel-market-orders']);

/** Frames a broken or newer venue might send: truncated JSON, unknown events, junk. */
export function malformedFrame(real: string, pick: number): string {
  const forms = [
    real.slice(0, Math.max(1, Math.floor(real.length / 2))),
    '{"event_type":"mystery_event","payload":{}}',
    'not json at all',
    '[1,2',
    '{"topic":"unknown_topic","type":"update","payload":null}',
  ];
  return forms[Math.floor(pick * forms.length) % forms.length]!;
}

export class FaultController {
  private state: Readonly<Faults>;
  private readonly rng: Rng;
  /** Per feed: the implausible prices due (≥ 1: the next one) and how many were sent. */
  private readonly badFeeds = new Map<string, { credit: number; n: number }>();

  /** Called after every change (the venue applies knobs that live in its core). */
  onChange: (f: Faults) => void = () => undefined;

  constructor(initial: Partial<Faults> = {}, seed = 1) {
    this.state = Object.freeze({ ...NO_FAULTS, ...initial });
    this.rng = createRng(seed ^ 0x5eed);
  }

  /** The knobs now: a frozen snapshot (a change replaces the state, never edits it), read on every frame. */
  get(): Readonly<Faults> {
    return this.state;
  }

  /** Merge knobs; unknown keys or wrong types are an error naming the key. */
  set(patch: Record<string, unknown>): Faults {
    for (const [k, v] of Object.entries(patch)) {
      if (!(k in NO_FAULTS)) throw new Error(`unknown fault knob: ${k}`);
      if (typeof v !== typeof NO_FAULTS[k as keyof Faults])
        throw new Error(`fault knob ${k} must be a ${typeof NO_FAULTS[k as keyof Faults]}`);
    }
    this.state = Object.freeze({ ...this.state, ...(patch as Partial<Faults>) });
    if ('badPriceRate' in patch) this.badFeeds.clear();
    this.onChange(this.get());
    return this.get();
  }

  reset(): void {
    this.state = Object.freeze({ ...NO_FAULTS });
    this.badFeeds.clear();
    this.onChange(this.get());
  }

  /** Whether sockets of this kind are connected but silent. */
  isSilent(kind: string): boolean {
    return (
      this.state.silent !== '' &&
      this.state.silent
        .split(',')
        .map((k) => k.trim())
        .includes(kind)
    );
  }

  /** A malformed frame to send before the real one, if the dice say so. */
  malformed(real: string): string | undefined {
    return this.draw(this.state.malformedRate) ? malformedFrame(real, this.rng.next()) : undefined;
  }

  /** The venue-mode answer for a request (`METHOD /path`), if the engine refuses it now. */
  modeFault(route: string): { status: 425 | 503; error: string } | undefined {
    if (this.state.engineRestart && (ORDER_ENTRY.has(route) || ORDER_CANCEL.has(route)))
      return { status: 425, error: 'Too Early: the matching engine is restarting' };
    if (this.state.cancelOnly && ORDER_ENTRY.has(route))
      return { status: 503, error: 'Service Unavailable: the exchange is in cancel-only mode' };
    return undefined;
  }

  draw(p: number): boolean {
    return p > 0 && this.rng.next() < p;
  }

  /**
   * A published price of a feed, replaced by an implausible one at the `badPriceRate`: the first
   * price of each feed after the knob is set, then one in 1/rate, cycling through 0, negative,
   * 1e12 and a 20 % jump (deterministic, so that every feed gets every kind in a short run).
   */
  price(v: number, feed = ''): number {
    const rate = this.state.badPriceRate;
    if (rate <= 0) return v;
    const f = this.badFeeds.get(feed) ?? { credit: 1, n: 0 };
    this.badFeeds.set(feed, f);
    const corrupt = f.credit >= 1;
    f.credit = (corrupt ? f.credit - 1 : f.credit) + rate;
    return corrupt ? implausiblePrice(v, (f.n++ % 4) / 4) : v;
  }

  /** HTTP status to answer instead of serving, if any. */
  httpFault(): 429 | 500 | undefined {
    if (this.state.http429Burst > 0) {
      this.state = Object.freeze({ ...this.state, http429Burst: this.state.http429Burst - 1 });
      return 429;
    }
    return this.draw(this.state.http5xxRate) ? 500 : undefined;
  }
}
