// Fault knobs of the simulated venue: set from options or live through POST /control/faults.
import { createRng, type Rng } from '../core/rng.js';
import { ENGINE_MODES } from './engineWindows.js';

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
  /** Trading endpoints answer 403 as for a restricted region. */
  geoblock: boolean;
  /** The heartbeat endpoint answers 500. */
  heartbeatFail: boolean;
  /** The account is in closed-only mode (GET /auth/ban-status/closed-only answers true). */
  closedOnly: boolean;
  /** Matching-engine mode forced now: 'normal' | 'restarting' (425) | 'postOnly' | 'cancelOnly' (503); '' follows the schedule. */
  engineMode: string;
}

export const NO_FAULTS: Faults = {
  dropRate: 0, duplicateRate: 0, reorderRate: 0, delayMs: 0, http5xxRate: 0, http429Burst: 0,
  rejectRate: 0, oracleStall: false, geoblock: false, heartbeatFail: false, closedOnly: false, engineMode: '',
};

export class FaultController {
  private state: Faults;
  private readonly rng: Rng;

  constructor(initial: Partial<Faults> = {}, seed = 1) {
    this.state = { ...NO_FAULTS, ...initial };
    this.rng = createRng(seed ^ 0x5eed);
  }

  get(): Faults {
    return { ...this.state };
  }

  /** Merge knobs; unknown keys or wrong types are an error naming the key. */
  set(patch: Record<string, unknown>): Faults {
    for (const [k, v] of Object.entries(patch)) {
      if (!(k in NO_FAULTS)) throw new Error(`unknown fault knob: ${k}`);
      if (typeof v !== typeof NO_FAULTS[k as keyof Faults]) throw new Error(`fault knob ${k} must be a ${typeof NO_FAULTS[k as keyof Faults]}`);
      if (k === 'engineMode' && !['', ...ENGINE_MODES].includes(v as string)) throw new Error(`fault knob engineMode must be one of '', ${ENGINE_MODES.join(', ')}`);
    }
    this.state = { ...this.state, ...(patch as Partial<Faults>) };
    return this.get();
  }

  reset(): void {
    this.state = { ...NO_FAULTS };
  }

  draw(p: number): boolean {
    return p > 0 && this.rng.next() < p;
  }

  /** HTTP status to answer instead of serving, if any. */
  httpFault(): 429 | 500 | undefined {
    if (this.state.http429Burst > 0) {
      this.state.http429Burst -= 1;
      return 429;
    }
    return this.draw(this.state.http5xxRate) ? 500 : undefined;
  }
}
