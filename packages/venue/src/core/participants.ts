// Simulated market participants, all seeded: competing makers (makers.ts), noise takers, and
// informed takers who see the fast feed before the oracle and take on either token when their
// edge beats the fee, arriving after their latency plus the venue's taker delay. They are
// ordinary accounts calling the same engine as any client.
import type { Rng } from './rng.js';
import { fairVolAnnual, type ScenarioParams } from './scenarios.js';
import type { VOrderRequest } from './types.js';
import { fairUp, Maker, makerAddress, MAX_MAKERS, onTick, type ParticipantWorld } from './makers.js';

export { fairUp, makerAddress, type ParticipantWorld } from './makers.js';
/** Every address a competing maker may trade from (the first `makers` of them are used). */
export const MAKERS: readonly string[] = Array.from({ length: MAX_MAKERS }, (_, i) => makerAddress(i));
export const NOISE = '0x00000000000000000000000000000000000000b1';
export const INFORMED = '0x00000000000000000000000000000000000000c1';
export const PARTICIPANT_BALANCE = 10_000_000;

/** Every participant account of a scenario (funded by the venue at start). */
export const participantAccounts = (p: ScenarioParams): string[] => [...makerOwners(p), NOISE, INFORMED];
const makerOwners = (p: ScenarioParams): string[] =>
  Array.from({ length: Math.max(0, Math.min(MAX_MAKERS, Math.round(p.makers))) }, (_, i) => makerAddress(i));

interface Pending {
  readonly dueMs: number;
  readonly req: VOrderRequest;
}

export class Participants {
  private readonly makers: Maker[];
  private nextNoiseMs: number;
  private nextInformedMs: number;
  /** Informed orders on their way: decided on the fast price, matched after latency + taker delay. */
  private pending: Pending[] = [];
  /** The volatility the takers price with: the process's, jumps included. */
  private readonly vol: number;

  constructor(
    private readonly rng: Rng,
    private readonly p: ScenarioParams,
    startMs: number,
  ) {
    this.vol = fairVolAnnual(p);
    this.makers = makerOwners(p).map((owner, i) => new Maker(owner, rng.fork(100 + i), p, startMs));
    this.nextNoiseMs = startMs + 500;
    this.nextInformedMs = startMs + 700;
  }

  private exp(rate: number): number {
    return rate > 0 ? (-Math.log(1 - this.rng.next()) / rate) * 1000 : Infinity;
  }

  act(nowMs: number, w: ParticipantWorld): void {
    for (const maker of this.makers) maker.act(nowMs, w);
    if (this.pending.length > 0) this.arrive(nowMs, w);
    if (nowMs >= this.nextNoiseMs) {
      this.nextNoiseMs = nowMs + this.exp(this.p.noiseRate);
      this.noise(nowMs, w);
    }
    if (nowMs >= this.nextInformedMs) {
      this.nextInformedMs = nowMs + this.exp(this.p.informedRate);
      this.informed(nowMs, w);
    }
  }

  private arrive(nowMs: number, w: ParticipantWorld): void {
    const due = this.pending.filter((o) => o.dueMs <= nowMs);
    if (due.length === 0) return;
    this.pending = this.pending.filter((o) => o.dueMs > nowMs);
    for (const o of due) w.place(o.req);
  }

  /** A marketable order reaches matching at `dueMs` (latency and the taker delay); at once if that is now. */
  private submit(req: VOrderRequest, nowMs: number, dueMs: number, w: ParticipantWorld): void {
    if (dueMs <= nowMs) w.place(req);
    else this.pending.push({ dueMs, req });
  }

  private noise(nowMs: number, w: ParticipantWorld): void {
    const markets = w.openMarkets();
    if (!markets.length) return;
    const m = markets[this.rng.int(0, markets.length - 1)]!;
    const up = this.rng.chance(0.5);
    const tokenId = up ? m.tokenUp : m.tokenDown;
    const fair = fairUp(m, w.fastPrice(), nowMs, this.vol, w.twapSoFar(m, nowMs));
    const fairToken = up ? fair : 1 - fair;
    const size = this.rng.int(this.p.noiseSizeMin, Math.max(this.p.noiseSizeMin, this.p.noiseSizeMax));
    const held = w.shares(NOISE, tokenId);
    const sell = held >= size && this.rng.chance(0.5);
    const price = onTick(sell ? fairToken - 0.08 : fairToken + 0.08);
    this.submit(
      {
        owner: NOISE,
        tokenId,
        side: sell ? 'SELL' : 'BUY',
        price,
        size,
        orderType: 'FAK',
        postOnly: false,
        expirationS: 0,
      },
      nowMs,
      nowMs + Math.max(0, this.p.takerDelayMs),
      w,
    );
  }

  /** Buy Up when it is cheap against the fast price, buy Down when Up is dear (Down cheap). */
  private informed(nowMs: number, w: ParticipantWorld): void {
    const dueMs = nowMs + Math.max(0, this.p.informedLatencyMs) + Math.max(0, this.p.takerDelayMs);
    for (const m of w.openMarkets()) {
      if (m.oracleStart === undefined) continue;
      const fair = fairUp(m, w.fastPrice(), nowMs, this.vol, w.twapSoFar(m, nowMs));
      for (const [tokenId, value] of [
        [m.tokenUp, fair],
        [m.tokenDown, 1 - fair],
      ] as const) {
        const ask = w.book(tokenId)?.asks[0];
        if (!ask) continue;
        const fee = m.feeSchedule.rate * ask.price * (1 - ask.price);
        if (value - ask.price - fee < this.p.informedEdge) continue;
        const limit = onTick(Math.floor((value - fee - this.p.informedEdge / 2) * 100) / 100);
        if (limit < ask.price) continue;
        const req: VOrderRequest = {
          owner: INFORMED,
          tokenId,
          side: 'BUY',
          price: limit,
          size: this.rng.int(this.p.informedSizeMin, Math.max(this.p.informedSizeMin, this.p.informedSizeMax)),
          orderType: 'FAK',
          postOnly: false,
          expirationS: 0,
        };
        this.submit(req, nowMs, dueMs, w);
      }
      const pairs = Math.min(w.shares(INFORMED, m.tokenUp), w.shares(INFORMED, m.tokenDown));
      if (pairs >= 50) w.merge(INFORMED, m.conditionId, Math.floor(pairs));
    }
  }
}
