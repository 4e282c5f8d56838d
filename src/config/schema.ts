// The one typed configuration object. Every parameter the spec names lives here with its default.
// zod validates every source at start-up and names the field, the value and what is allowed.
import { z } from 'zod';

const num = z.coerce.number();
const pos = num.positive();
const nonNeg = num.nonnegative();
const int = num.int();
const prob = num.min(0).max(1);
const bool = z.preprocess((v) => (v === 'true' ? true : v === 'false' ? false : v), z.boolean());

/** Valid private keys are 1 … n−1 for the secp256k1 group order n. */
const SECP256K1_ORDER = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;

export const endpointsSchema = z.object({
  gamma: z.string().url().default('https://gamma-api.polymarket.com'),
  clob: z.string().url().default('https://clob.polymarket.com'),
  wsMarket: z.string().url().default('wss://ws-subscriptions-clob.polymarket.com/ws/market'),
  wsUser: z.string().url().default('wss://ws-subscriptions-clob.polymarket.com/ws/user'),
  rtds: z.string().url().default('wss://ws-live-data.polymarket.com'),
  polybolt: z.string().url().default('wss://ws-live-v2.polymarket.com/ws'),
});

export type Endpoints = z.infer<typeof endpointsSchema>;

/** The bot's endpoints out of a venue's URLs (the simulated venue serves every one; other keys dropped). */
export const endpointsOf = (u: Endpoints): Endpoints => ({
  gamma: u.gamma,
  clob: u.clob,
  wsMarket: u.wsMarket,
  wsUser: u.wsUser,
  rtds: u.rtds,
  polybolt: u.polybolt,
});

export const configSchema = z.object({
  /** `sim` starts the simulated venue in-process and trades on it; `live` uses `endpoints`. */
  venue: z.enum(['sim', 'live']).default('sim'),
  dryRun: bool.default(false),
  endpoints: endpointsSchema.prefault({}),
  market: z
    .object({
      asset: z.enum(['btc', 'eth', 'sol', 'xrp', 'doge', 'bnb', 'hype', 'zec']).default('btc'),
      interval: z.enum(['1m', '5m', '15m', '1h']).default('15m'),
      /** Gamma poll period while waiting for markets. */
      discoveryPollMs: int.min(250).default(5_000),
      /** Bounded backoff when a slug 404s or is not hydrated yet. */
      discoveryMaxBackoffMs: int.min(250).default(30_000),
      /** A Gamma request with no complete answer by then fails (and is retried): one hung request cannot stall discovery. */
      gammaTimeoutMs: int.min(100).default(5_000),
      /** Market channel silent this long (connected or not): books stale, quoting halts (market_feed_down). The channel is busy. */
      bookStaleMs: int.min(1_000).default(10_000),
      /** A market still unresolved this long after its end is reported (settlement problem "resolution overdue"); never quoted after its cutoff anyway. */
      resolutionOverdueMs: int.min(1_000).max(110_000).default(60_000),
    })
    .prefault({}),
  prices: z
    .object({
      transport: z.enum(['rtds', 'polybolt']).default('rtds'),
      // Pyth (PolyBolt's price.crypto) settles nothing: the markets resolve on Chainlink.
      settlementSource: z
        .enum(['chainlink'], {
          error: () => 'must be "chainlink": the BTC up/down markets settle on Chainlink (Pyth settles nothing)',
        })
        .default('chainlink'),
      fastSource: z.enum(['binance', 'pyth']).default('binance'),
      /** A reference price moving more than this (relative) from its feed's recent price, unconfirmed by the other feed, is rejected. */
      maxJump: pos.default(0.05),
      /** How long a feed's last price judges its next one (ms). */
      jumpMemoryMs: int.min(1).default(60_000),
      /** After a rejected price, no quoting for this long (ms): the feed is suspect. */
      suspectHoldMs: int.min(0).default(10_000),
    })
    .prefault({}),
  resolution: z
    .object({
      /** Venue TWAP and the bot's own average of Chainlink ticks must agree this closely (relative) on a price to beat. */
      twapTolerance: pos.default(0.0005),
      /** A TWAP tick counts as the value at a boundary if stamped within this of it (ms). */
      boundaryToleranceMs: int.min(0).default(500),
      /** Settlement ticks further apart than this mean ticks were missed: the bot's own figure is not trusted (ms). */
      maxTickGapMs: int.min(1).default(3_000),
    })
    .prefault({}),
  ladder: z
    .object({
      levels: int.min(1).max(10).default(3),
      /** Shares at level 0; later levels use `sizeStep` multiples. */
      baseSize: pos.default(10),
      sizeStep: pos.default(1),
      /** Distance between levels, in ticks. */
      spacingTicks: int.min(1).default(1),
    })
    .prefault({}),
  cutoffMs: int.min(0).default(60_000),
  churn: z
    .object({
      minUpdateIntervalMs: int.min(0).default(1_000),
      minPriceChangeTicks: int.min(0).default(2),
      minSizeChange: nonNeg.default(5),
    })
    .prefault({}),
  alpha: z
    .object({
      ewmaHalfLifeS: pos.default(60),
      /** Minimum edge per share the caps demand below fair value. */
      requiredEdge: prob.default(0.02),
      chainlinkStaleMs: int.min(1).default(5_000),
      binanceStaleMs: int.min(1).default(3_000),
      staleBinanceSizeScalar: prob.default(0.5),
      fastMoveWindowMs: int.min(1).default(5_000),
      /** Absolute log return over the window that counts as a fast move. */
      fastMoveThreshold: pos.default(0.002),
      fastMoveSizeScalar: prob.default(0.25),
      /** Under FAST_MOVE, cap the side the move makes stale by q_up from the fast feed (off: sizes only). */
      fastMoveReprice: bool.default(true),
      /** Under FAST_MOVE, quote nothing on the side the move makes stale (a fall: Up; a rise: Down) until it ends. */
      fastMovePull: bool.default(false),
      /** Outside fast moves too, cap each side by q_up with the settlement price moved as the fast feed moved over `oracleLagMs` (issue 12). */
      fastBand: bool.default(false),
      /**
       * How long a resting quote may meet a price move before we can re-price it (seconds: the feed's
       * lag, our cancel's round trip, the takers' lead). Each side is capped by q_up with the
       * settlement price moved one standard deviation of that horizon against it (EWMA volatility), so
       * the edge held grows where q_up is most sensitive (near the money, near the end). 0: off.
       */
      exposureS: nonNeg.default(0),
      /**
       * Also price q_up from the fast feed at the settlement feed's level (the basis, an EWMA over
       * basisHalfLifeS) and cap each side by the less favourable of the two: the oracle lags the fast
       * feed by seconds, and takers price off the fast feed (issue 12).
       */
      fastAnchor: bool.default(false),
      basisHalfLifeS: pos.default(60),
      /** The oracle's usual lag behind the fast feed (Chainlink ~1-4 s behind Binance), for fastBand. */
      oracleLagMs: int.min(0).default(2_500),
      /** Relative disagreement between the two feeds that raises ORACLE_DISAGREE. */
      disagreeThreshold: pos.default(0.002),
      /**
       * Weight of the EWMA drift in q_up (0..1). Off by default: a 60 s drift estimate of BTC is
       * mostly noise, and it predicted worse than none in every scenario measured (issue 12).
       */
      driftWeight: prob.default(0),
      /** Variance per second the estimate starts from (8e-9 is about 50% a year, BTC's usual range). */
      varPriorPerS: nonNeg.default(8e-9),
      /** Floor on the variance per second of log returns (2e-9 is about 25% a year). */
      varFloorPerS: nonNeg.default(2e-9),
      /**
       * Jump-robust volatility (0: off): a settlement return beyond this many standard deviations of
       * the diffusion estimate enters it only up to that size, the excess going to a slow average
       * (jumpHalfLifeS) that is added back, so one jump does not multiply the variance for minutes.
       */
      jumpClipSd: nonNeg.default(4),
      jumpHalfLifeS: pos.default(1_800),
      /** Settlement ticks needed before the volatility estimate is trusted (no quoting before). */
      minVolSamples: int.min(0).default(20),
    })
    .prefault({}),
  targetTotal: z
    .object({
      base: prob.default(0.98),
      min: prob.default(0.9),
      max: prob.default(0.99),
      fastMovePenalty: nonNeg.default(0.03),
      staleBinancePenalty: nonNeg.default(0.01),
      disagreePenalty: nonNeg.default(0.01),
      volPenaltyPerUnit: nonNeg.default(0),
    })
    .prefault({}),
  skew: z
    .object({
      /** Unpaired shares that start reducing the excess side. */
      mildShares: nonNeg.default(20),
      moderateShares: nonNeg.default(50),
      severeShares: nonNeg.default(100),
      mildSizeScalar: prob.default(0.75),
      moderateSizeScalar: prob.default(0.5),
      /** Cap the short side's bids by target total − the excess side's average cost (issue 12: pairs bought apart cost ~1). */
      pairCostCap: bool.default(false),
    })
    .prefault({}),
  taker: z
    .object({
      enabled: bool.default(true),
      orderType: z.enum(['FOK', 'FAK']).default('FOK'),
      // A completed pair must keep alpha.requiredEdge: pair cost + fee <= 1 - edge (TECH_SPEC §7).
      /** Panic allowance: in the last this-many ms before the cutoff, complete even at a loss (0: off). */
      panicWindowMs: int.min(0).default(0),
      /** … of at most this much per pair (pair cost + fee - 1), USDC per share. */
      panicMaxLossPerShare: nonNeg.default(0.03),
      /** Start completing when unpaired shares have waited this long. */
      minWaitMs: int.min(0).default(20_000),
      maxUnpairedShares: pos.default(200),
      /** The completing leg must itself cost at most its fair value (price + fee; the estimate least favourable to it, fast feed included) outside the panic window (issue 12). */
      legAtFair: bool.default(true),
    })
    .prefault({}),
  merge: z
    .object({
      enabled: bool.default(true),
      minSets: pos.default(10),
      maxOpsPerMinute: int.min(0).default(6),
      /** Relayer wallets (PROXY, SAFE, DEPOSIT; gasless): merge from this many full sets. */
      relayerMinSets: pos.default(1),
      /** Relayer wallets: operations the relayer allows per rolling day. */
      relayerDailyCap: int.min(1).default(100),
      /** Relayer wallets: of the daily cap, kept for redemptions (merges pause before). */
      relayerRedeemReserve: int.min(0).default(20),
    })
    .prefault({}),
  /** Where merges and redemptions settle: Polygon's ConditionalTokens and pUSD by default; the simulated venue fills in its dev chain's. */
  chain: z
    .object({
      rpcUrl: z.string().default('https://polygon-rpc.com'),
      chainId: int.default(137),
      ctf: z
        .string()
        .regex(/^0x[0-9a-fA-F]{40}$/, 'must be an address')
        .default('0x4D97DCd97eC945f40cF65F87097ACe5EA0476045'),
      collateral: z
        .string()
        .regex(/^0x[0-9a-fA-F]{40}$/, 'must be an address')
        .default('0xC011a7E12a19f7B1f670d46F03B03f3342E82DFB'),
      /** The oracle that prepared the venue's conditions when they are not the venue's condition ids (the simulated venue fills it in); '': they are (Polymarket). */
      conditionOracle: z
        .string()
        .regex(/^(0x[0-9a-fA-F]{40})?$/, 'must be an address or empty')
        .default(''),
      /** Polymarket's relayer: merges and redemptions of PROXY, SAFE and DEPOSIT wallets (the simulated venue fills in its own). */
      relayerUrl: z.string().default('https://relayer-v2.polymarket.com'),
      /**
       * The builder API credentials the relayer authenticates PROXY / SAFE / DEPOSIT submissions with (secrets:
       * `PMM_BUILDER_API_KEY`, `PMM_BUILDER_SECRET`, `PMM_BUILDER_PASSPHRASE`); required for those
       * wallet modes on the live venue, made up on the simulated one when absent.
       */
      builderApiKey: z.string().optional(),
      builderSecret: z.string().optional(),
      builderPassphrase: z.string().optional(),
      /** Receipt wait per broadcast, and gas limit of a merge or redemption. */
      receiptTimeoutMs: int.min(1).default(60_000),
      gasLimit: int.min(21_000).default(600_000),
    })
    .prefault({}),
  wallet: z
    .object({
      mode: z.enum(['EOA', 'PROXY', 'SAFE', 'DEPOSIT']).default('EOA'),
      // Checked here so a bad key stops at configuration (exit 2), not after the venue started;
      // the messages never include the value.
      privateKey: z
        .string()
        .regex(/^(0x)?[0-9a-fA-F]{64}$/, 'must be a private key: 64 hex digits (32 bytes), optionally 0x-prefixed')
        .refine((k) => {
          if (!/^(0x)?[0-9a-fA-F]{64}$/.test(k)) return true; // reported by the regex (and BigInt would echo it)
          const n = BigInt('0x' + k.replace(/^0x/, ''));
          return n > 0n && n < SECP256K1_ORDER;
        }, 'must be a private key: not zero and below the secp256k1 group order')
        .optional(),
      funder: z.string().optional(),
      apiKey: z.string().optional(),
      apiSecret: z.string().optional(),
      apiPassphrase: z.string().optional(),
      chainId: int.default(137),
    })
    .prefault({}),
  heartbeat: z
    .object({
      intervalMs: int.min(100).default(5_000),
      graceMs: int.min(0).default(10_000),
    })
    .prefault({}),
  risk: z
    .object({
      dailyLossLimitUsdc: pos.default(200),
    })
    .prefault({}),
  presign: z
    .object({
      /** Sign likely next orders in a worker thread ahead of time (takes signing off the critical path). */
      enabled: bool.default(true),
      /** Pre-sign each resting order's price this many ticks up and down. */
      ticks: int.min(1).max(5).default(2),
      /** Discard pre-signed orders older than this. */
      maxAgeMs: int.min(1_000).default(30_000),
    })
    .prefault({}),
  sockets: z
    .object({
      /** Longest wait between reconnect attempts of a WebSocket (the wait doubles from 500 ms while connecting fails, jittered down by up to 20 %); also caps the wait between retries of the user feed's REST reconcile. */
      reconnectMaxMs: int.min(500).max(300_000).default(5_000),
    })
    .prefault({}),
  rest: z
    .object({
      /** A CLOB REST call that has not answered by then fails (its orders are reconciled from the user feed). */
      timeoutMs: int.min(100).default(5_000),
    })
    .prefault({}),
  rateLimit: z
    .object({
      // Polymarket meters each signer with an order bucket and a cancel bucket; its tightest
      // (Standard) tier refills 40 orders/s up to 60, and 80 cancels/s up to 120. Defaults: half.
      /** Orders a second (each order of a batch counts one). */
      ordersPerSecond: pos.default(20),
      /** Orders that may go out at once. */
      orderBurst: int.min(1).default(30),
      /** Cancelled order IDs a second. */
      cancelsPerSecond: pos.default(40),
      /** Order IDs that may be cancelled at once (also the largest cancel batch). */
      cancelBurst: int.min(1).default(60),
    })
    .prefault({}),
  clockSkew: z
    .object({
      /** Our clock off the venue's by more than this at start: refuse to trade (fix the system clock). Smaller offsets are corrected. */
      maxMs: int.min(0).default(2_000),
      /** Re-measure the offset this often while running (GET /time); off by more than maxMs: pause (halt clock_skew) until it is back. 0: only at start. */
      recheckMs: int.min(0).default(30_000),
    })
    .prefault({}),
  shutdown: z
    .object({
      /** Keep retrying the final cancel-all (paced by Retry-After / back-off) this long, then rely on the dead-man switch. */
      cancelDeadlineMs: int.min(0).default(30_000),
    })
    .prefault({}),
  metricsPort: int.min(0).max(65_535).default(9464),
  /** Address /metrics and /healthz listen on; 0.0.0.0 in a container so Prometheus can scrape. The
   * control routes (/status, /halt) answer loopback clients only, whatever this is. */
  metricsHost: z.string().min(1).default('127.0.0.1'),
  logLevel: z.enum(['error', 'warn', 'info', 'debug']).default('info'),
  eventLogDir: z.string().default('var/events'),
  eventLog: z
    .object({
      /** A new segment once the current one holds this many bytes (0: by day only). */
      rotateBytes: int.min(0).default(100_000_000),
      /** Gzip closed segments (replay and stress read them as they are). */
      compress: bool.default(true),
      /** Delete segments last written more than this many days ago (0: keep everything). */
      retentionDays: int.min(0).default(14),
    })
    .prefault({}),
  sim: z
    .object({
      seed: int.default(1),
      scenario: z.enum(['calm', 'trending', 'jumpy', 'flash-crash', 'oracle-stall']).default('calm'),
      interval: z.enum(['1m', '5m', '15m']).default('15m'),
      port: int.min(0).max(65_535).default(0),
      /** How the simulated markets settle: Chainlink's 60 s TWAP (as Polymarket since August 2026) or the retired first tick. */
      resolution: z.enum(['twap', 'first-tick']).default('twap'),
      /** Fault knobs the simulated venue starts with (its control API's knobs; default: no fault), e.g. `--sim.faults.restDelayMs 500`. */
      faults: z
        .object({
          dropRate: prob.default(0),
          duplicateRate: prob.default(0),
          reorderRate: prob.default(0),
          delayMs: int.min(0).default(0),
          http5xxRate: prob.default(0),
          http429Burst: int.min(0).default(0),
          rejectRate: prob.default(0),
          oracleStall: bool.default(false),
          fastStall: bool.default(false),
          geoblock: bool.default(false),
          heartbeatFail: bool.default(false),
          restDelayMs: int.min(0).default(0),
          engineRestart: bool.default(false),
          postOnlyMode: bool.default(false),
          cancelOnly: bool.default(false),
          malformedRate: prob.default(0),
          silent: z
            .string()
            .regex(
              /^((market|user|rtds|polybolt)(,(market|user|rtds|polybolt))*)?$/,
              'a comma-separated list of market, user, rtds, polybolt',
            )
            .default(''),
          tradeFailRate: prob.default(0),
          closedOnly: bool.default(false),
          authReject: bool.default(false),
          resolutionDelayMs: int.min(-1).default(0),
          badPriceRate: prob.default(0),
          clockOffsetMs: int.default(0),
        })
        .strict()
        .prefault({}),
      /** First market opens this long after launch (the schedule follows from it); 0: Polymarket's UTC grid. */
      firstMarketInMs: int.min(0).default(10_000),
      /** Persistent store of the simulated venue (accounts, API keys, orders, balances kept across a restart); '' keeps nothing. `polymm venue` defaults it (README). */
      stateDir: z.string().default(''),
      /** Reproduce Polymarket's weekly engine restart (Tuesdays 07:00 ET: 90 s of 425, then 2 min post-only). */
      weeklyRestart: bool.default(true),
      /** Start the venue's dev chain (real ConditionalTokens; merges and redemptions settle there), ~4-5 s at start. */
      chain: bool.default(true),
      // Scenario parameters (README "The simulated market"): null (the default) takes the scenario's value.
      volAnnual: pos.nullable().default(null),
      volOfVol: nonNeg.nullable().default(null),
      driftPerS: num.nullable().default(null),
      jumpRate: nonNeg.nullable().default(null),
      jumpSize: nonNeg.nullable().default(null),
      flashCrash: nonNeg.nullable().default(null),
      stallS: nonNeg.nullable().default(null),
      stallEveryS: nonNeg.nullable().default(null),
      oracleLagMinMs: nonNeg.nullable().default(null),
      oracleLagMaxMs: nonNeg.nullable().default(null),
      noiseRate: nonNeg.nullable().default(null),
      informedRate: nonNeg.nullable().default(null),
      noiseSizeMin: int.min(5).nullable().default(null),
      noiseSizeMax: int.min(5).nullable().default(null),
      informedSizeMin: int.min(5).nullable().default(null),
      informedSizeMax: int.min(5).nullable().default(null),
      informedEdge: nonNeg.nullable().default(null),
      informedLatencyMs: nonNeg.nullable().default(null),
      takerDelayMs: nonNeg.nullable().default(null),
      makers: int.min(0).max(15).nullable().default(null),
      makerSpread: prob.nullable().default(null),
      makerRequoteMs: int.min(100).nullable().default(null),
      makerLagMs: nonNeg.nullable().default(null),
      makerNoiseBps: nonNeg.nullable().default(null),
      makerVolError: nonNeg.nullable().default(null),
      makerSkewPerShare: nonNeg.nullable().default(null),
      makerFastMoveWiden: prob.nullable().default(null),
      makerLevels: int.min(1).max(10).nullable().default(null),
      makerSizeMin: int.min(5).nullable().default(null),
      makerSizeMax: int.min(5).nullable().default(null),
    })
    .prefault({}),
});

/** The `sim.*` settings that are scenario parameters (the rest pick the venue: seed, scenario, …). */
export const SIM_SCENARIO_KEYS = [
  'volAnnual',
  'volOfVol',
  'driftPerS',
  'jumpRate',
  'jumpSize',
  'flashCrash',
  'stallS',
  'stallEveryS',
  'oracleLagMinMs',
  'oracleLagMaxMs',
  'noiseRate',
  'informedRate',
  'noiseSizeMin',
  'noiseSizeMax',
  'informedSizeMin',
  'informedSizeMax',
  'informedEdge',
  'informedLatencyMs',
  'takerDelayMs',
  'makers',
  'makerSpread',
  'makerRequoteMs',
  'makerLagMs',
  'makerNoiseBps',
  'makerVolError',
  'makerSkewPerShare',
  'makerFastMoveWiden',
  'makerLevels',
  'makerSizeMin',
  'makerSizeMax',
] as const;

/** The scenario parameters set in `sim` (unset ones are left to the scenario). */
export function simScenarioOverrides(sim: Config['sim']): Partial<Record<(typeof SIM_SCENARIO_KEYS)[number], number>> {
  const out: Partial<Record<(typeof SIM_SCENARIO_KEYS)[number], number>> = {};
  for (const k of SIM_SCENARIO_KEYS) {
    const v = sim[k];
    if (v !== null && v !== undefined) out[k] = v;
  }
  return out;
}

export type Config = z.infer<typeof configSchema>;
export type ConfigInput = z.input<typeof configSchema>;

/** Paths of secret fields: never logged, never printed unredacted. */
export const SECRET_PATHS = [
  'wallet.privateKey',
  'wallet.apiKey',
  'wallet.apiSecret',
  'wallet.apiPassphrase',
  'chain.builderApiKey',
  'chain.builderSecret',
  'chain.builderPassphrase',
] as const;

/** The relayer's builder credentials (all three or none). */
export const BUILDER_CRED_PATHS = ['chain.builderApiKey', 'chain.builderSecret', 'chain.builderPassphrase'] as const;

/** Env var names that map onto secrets, accepted as documented aliases. */
export const ENV_ALIASES: Readonly<Record<string, string>> = {
  PMM_PRIVATE_KEY: 'wallet.privateKey',
  PMM_API_KEY: 'wallet.apiKey',
  PMM_API_SECRET: 'wallet.apiSecret',
  PMM_API_PASSPHRASE: 'wallet.apiPassphrase',
  PMM_FUNDER: 'wallet.funder',
  PMM_BUILDER_API_KEY: 'chain.builderApiKey',
  PMM_BUILDER_SECRET: 'chain.builderSecret',
  PMM_BUILDER_PASSPHRASE: 'chain.builderPassphrase',
};
