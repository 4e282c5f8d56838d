// Polymarket's per-signer trading limits: an order bucket (POST /order 1 token, POST /orders one
// per order, the batch admitted all-or-nothing) and a cancel bucket (DELETE /order 1, DELETE
// /orders one per ID; cancel-all and cancel-market-orders need a token and are charged 1 + what
// they cancelled afterwards, so the balance may go negative). Tokens refill continuously at the
// tier's rate up to its burst. Responses carry Poly-RateLimit-Remaining / -Reset / -Tier; a
// rejection is a 429 with Retry-After.

export type LimitBucket = 'order' | 'cancel';

interface TierLimits {
  readonly orderPerS: number;
  readonly orderBurst: number;
  readonly cancelPerS: number;
  readonly cancelBurst: number;
}

/** The published tiers the simulated venue knows (every account starts at Standard, the tightest). */
export const TIERS: Readonly<Record<string, TierLimits>> = {
  standard: { orderPerS: 40, orderBurst: 60, cancelPerS: 80, cancelBurst: 120 },
  copper: { orderPerS: 60, orderBurst: 90, cancelPerS: 120, cancelBurst: 180 },
  bronze: { orderPerS: 80, orderBurst: 120, cancelPerS: 160, cancelBurst: 240 },
  silver: { orderPerS: 200, orderBurst: 300, cancelPerS: 400, cancelBurst: 600 },
};

export interface Admission {
  readonly ok: boolean;
  readonly headers: Record<string, string>;
  readonly error?: string;
}

interface Level {
  tokens: number;
  atMs: number;
}

export class SignerLimits {
  private readonly levels = new Map<string, Level>();

  constructor(private readonly tier: keyof typeof TIERS = 'standard') {}

  private params(bucket: LimitBucket): { perS: number; burst: number } {
    const t = TIERS[this.tier]!;
    return bucket === 'order'
      ? { perS: t.orderPerS, burst: t.orderBurst }
      : { perS: t.cancelPerS, burst: t.cancelBurst };
  }

  private level(owner: string, bucket: LimitBucket, nowMs: number): Level {
    const key = `${owner}|${bucket}`;
    const { perS, burst } = this.params(bucket);
    const l = this.levels.get(key) ?? { tokens: burst, atMs: nowMs };
    l.tokens = Math.min(burst, l.tokens + (Math.max(0, nowMs - l.atMs) * perS) / 1_000);
    l.atMs = Math.max(l.atMs, nowMs);
    this.levels.set(key, l);
    return l;
  }

  private headers(l: Level, bucket: LimitBucket, nowMs: number, shortBy = 0): Record<string, string> {
    const { perS } = this.params(bucket);
    const waitS = Math.max(0, shortBy) / perS;
    return {
      'poly-ratelimit-remaining': String(Math.floor(l.tokens)),
      'poly-ratelimit-reset': String(Math.ceil(nowMs / 1_000 + waitS)),
      'poly-ratelimit-tier': this.tier,
    };
  }

  /** Admit a request of known cost (all-or-nothing) and charge it. */
  admit(owner: string, bucket: LimitBucket, cost: number, nowMs: number): Admission {
    const { burst, perS } = this.params(bucket);
    const l = this.level(owner, bucket, nowMs);
    if (cost > burst)
      return {
        ok: false,
        headers: this.headers(l, bucket, nowMs),
        error: `request costs ${cost} ${bucket} tokens, more than the ${this.tier} tier's burst of ${burst}: split it`,
      };
    if (l.tokens < cost) {
      const short = cost - l.tokens;
      return {
        ok: false,
        headers: {
          ...this.headers(l, bucket, nowMs, short),
          'retry-after': String(Math.max(1, Math.ceil(short / perS))),
        },
        error: `rate limited: ${bucket} bucket`,
      };
    }
    l.tokens -= cost;
    return { ok: true, headers: this.headers(l, bucket, nowMs) };
  }

  /** Admit a request whose cost is known only afterwards (cancel-all): it needs one token. */
  admitThenCharge(
    owner: string,
    bucket: LimitBucket,
    nowMs: number,
  ): Admission & { charge(cost: number): Record<string, string> } {
    const a = this.admit(owner, bucket, 1, nowMs);
    const l = this.level(owner, bucket, nowMs);
    return { ...a, charge: (cost: number) => ((l.tokens -= Math.max(0, cost - 1)), this.headers(l, bucket, nowMs)) };
  }
}
