// Simulated market participants, all seeded: competing makers quoting around fair value, noise
// takers, and informed takers who see the fast feed before the oracle and take when their edge
// beats the fee. They are ordinary accounts calling the same engine as any client.
import type { Rng } from './rng.js';
import { volPerSqrtS, type ScenarioParams } from './scenarios.js';
import type { VBook, VMarket, VOrderRequest } from './types.js';

export interface ParticipantWorld {
  openMarkets(): readonly VMarket[];
  fastPrice(): number;
  book(tokenId: string): VBook | undefined;
  place(req: VOrderRequest): void;
  cancelMarket(owner: string, conditionId: string): void;
  shares(owner: string, tokenId: string): number;
  merge(owner: string, conditionId: string, sets: number): void;
}

export const MAKERS = ['0x00000000000000000000000000000000000000a1', '0x00000000000000000000000000000000000000a2'];
export const NOISE = '0x00000000000000000000000000000000000000b1';
export const INFORMED = '0x00000000000000000000000000000000000000c1';
export const PARTICIPANT_BALANCE = 10_000_000;

/** Abramowitz-Stegun 7.1.26 (|error| < 1.5e-7): enough for simulated traders. */
function phi(x: number): number {
  const t = 1 / (1 + 0.3275911 * (Math.abs(x) / Math.SQRT2));
  const y = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-(x * x) / 2);
  return x >= 0 ? (1 + y) / 2 : (1 - y) / 2;
}

const onTick = (p: number): number => Math.min(0.99, Math.max(0.01, Math.round(p * 100) / 100));

export function fairUp(m: VMarket, price: number, nowMs: number, volAnnual: number): number {
  const s0 = m.oracleStart ?? price;
  const tau = Math.max(1, (m.endMs - nowMs) / 1000);
  return phi(Math.log(price / s0) / (volPerSqrtS(volAnnual) * Math.sqrt(tau)));
}

export class Participants {
  private nextMakerMs: number[];
  private nextNoiseMs: number;
  private nextInformedMs: number;

  constructor(private readonly rng: Rng, private readonly p: ScenarioParams, startMs: number) {
    this.nextMakerMs = MAKERS.map((_, i) => startMs + 200 * i);
    this.nextNoiseMs = startMs + 500;
    this.nextInformedMs = startMs + 700;
  }

  private exp(rate: number): number {
    return rate > 0 ? (-Math.log(1 - this.rng.next()) / rate) * 1000 : Infinity;
  }

  act(nowMs: number, w: ParticipantWorld): void {
    MAKERS.forEach((owner, i) => {
      if (nowMs < this.nextMakerMs[i]!) return;
      this.nextMakerMs[i] = nowMs + this.rng.int(1000, 2000);
      for (const m of w.openMarkets()) this.quote(owner, m, nowMs, w);
    });
    if (nowMs >= this.nextNoiseMs) {
      this.nextNoiseMs = nowMs + this.exp(this.p.noiseRate);
      this.noise(nowMs, w);
    }
    if (nowMs >= this.nextInformedMs) {
      this.nextInformedMs = nowMs + this.exp(this.p.informedRate);
      this.informed(nowMs, w);
    }
  }

  private quote(owner: string, m: VMarket, nowMs: number, w: ParticipantWorld): void {
    w.cancelMarket(owner, m.conditionId);
    if (m.endMs - nowMs < 20_000) return;
    const fair = fairUp(m, w.fastPrice(), nowMs, this.p.volAnnual);
    const spread = this.p.makerSpread + this.rng.int(0, 2) / 100;
    const pairs = Math.min(w.shares(owner, m.tokenUp), w.shares(owner, m.tokenDown));
    if (pairs >= 200) w.merge(owner, m.conditionId, Math.floor(pairs));
    for (let level = 0; level < 2; level++) {
      const size = this.rng.int(20, 60);
      const up = onTick(fair - spread - level * 0.01);
      const down = onTick(1 - fair - spread - level * 0.01);
      if (up > 0.01) w.place({ owner, tokenId: m.tokenUp, side: 'BUY', price: up, size, orderType: 'GTC', postOnly: true, expirationS: 0 });
      if (down > 0.01) w.place({ owner, tokenId: m.tokenDown, side: 'BUY', price: down, size, orderType: 'GTC', postOnly: true, expirationS: 0 });
    }
  }

  private noise(nowMs: number, w: ParticipantWorld): void {
    const markets = w.openMarkets();
    if (!markets.length) return;
    const m = markets[this.rng.int(0, markets.length - 1)]!;
    const up = this.rng.chance(0.5);
    const tokenId = up ? m.tokenUp : m.tokenDown;
    const fair = fairUp(m, w.fastPrice(), nowMs, this.p.volAnnual);
    const fairToken = up ? fair : 1 - fair;
    const size = this.rng.int(5, 30);
    const held = w.shares(NOISE, tokenId);
    if (held >= size && this.rng.chance(0.5)) {
      w.place({ owner: NOISE, tokenId, side: 'SELL', price: onTick(fairToken - 0.08), size, orderType: 'FAK', postOnly: false, expirationS: 0 });
    } else {
      w.place({ owner: NOISE, tokenId, side: 'BUY', price: onTick(fairToken + 0.08), size, orderType: 'FAK', postOnly: false, expirationS: 0 });
    }
  }

  private informed(nowMs: number, w: ParticipantWorld): void {
    for (const m of w.openMarkets()) {
      if (m.oracleStart === undefined) continue;
      const fair = fairUp(m, w.fastPrice(), nowMs, this.p.volAnnual);
      for (const [tokenId, value] of [[m.tokenUp, fair], [m.tokenDown, 1 - fair]] as const) {
        const ask = w.book(tokenId)?.asks[0];
        if (!ask) continue;
        const fee = m.feeSchedule.rate * ask.price * (1 - ask.price);
        if (value - ask.price - fee < this.p.informedEdge) continue;
        const limit = onTick(Math.floor((value - fee - this.p.informedEdge / 2) * 100) / 100);
        if (limit < ask.price) continue;
        w.place({ owner: INFORMED, tokenId, side: 'BUY', price: limit, size: this.rng.int(10, 60), orderType: 'FAK', postOnly: false, expirationS: 0 });
      }
      const pairs = Math.min(w.shares(INFORMED, m.tokenUp), w.shares(INFORMED, m.tokenDown));
      if (pairs >= 50) w.merge(INFORMED, m.conditionId, Math.floor(pairs));
    }
  }
}
