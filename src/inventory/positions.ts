// What we hold on chain per market, as a pure fold over the bot's events: CONFIRMED fills only (a
// pending or FAILED trade moved no tokens), less the sets merged and the markets redeemed by our own
// settlement operations. The InventoryEngine decides on this, never on the quoting inventory (which
// counts pending buys, and which the state clears at resolution).
import type { BotEvent, Fill, InventoryOpEvent } from '../domain/index.js';
import { without } from '../domain/maps.js';
import type { ChainPosition } from './engine.js';

interface Held {
  readonly up: number;
  readonly down: number;
  readonly endMs: number;
  readonly resolved: boolean;
  /** Fills counted as settled, by `${tradeId}:${orderId}`: a duplicate or a later status counts once. */
  readonly counted: ReadonlySet<string>;
}

export type ChainPositions = ReadonlyMap<string, Held>;
export const NO_POSITIONS: ChainPositions = new Map();

const EMPTY_HELD: Held = { up: 0, down: 0, endMs: Number.MAX_SAFE_INTEGER, resolved: false, counted: new Set() };
/** Shares count in micro-units on chain: sums are kept on that grid so they stay exact. */
const micro = (x: number): number => Math.round(x * 1e6) / 1e6;

function settle(h: Held, f: Fill): Held {
  const key = `${f.tradeId}:${f.orderId}`;
  if (h.counted.has(key) || !f.outcome) return h;
  const signed = f.side === 'BUY' ? f.size : -f.size;
  const counted = new Set(h.counted).add(key);
  return f.outcome === 'up'
    ? { ...h, up: micro(h.up + signed), counted }
    : { ...h, down: micro(h.down + signed), counted };
}

/**
 * How long after its end a resolved market that holds nothing is remembered, with the fills it
 * counted (a trade's later status repeated hours afterwards, e.g. after a CLOB halt, must not count
 * again). Forgotten markets keep the map, and the fills remembered, to about a day's markets.
 */
export const POSITIONS_AFTER_END_MS = 86_400_000;

const isSettled = (h: Held, nowMs: number): boolean =>
  h.resolved && h.endMs + POSITIONS_AFTER_END_MS < nowMs && Math.abs(h.up) < 1e-6 && Math.abs(h.down) < 1e-6;

/** The positions without the markets settled long ago (the same map when there are none). */
function forgetSettled(ps: ChainPositions, nowMs: number): ChainPositions {
  const settled = [...ps].filter(([, h]) => isSettled(h, nowMs)).map(([id]) => id);
  return without(ps, settled);
}

/** A completed merge: the one settlement event the strategy takes as input (live and in replay). */
export const isMergeDone = (ev: BotEvent): ev is InventoryOpEvent =>
  ev.kind === 'inventoryOp' && ev.action === 'merge' && ev.phase === 'done';

/** One event into the positions (unchanged map when the event is not about them). */
export function foldPositions(ps: ChainPositions, ev: BotEvent): ChainPositions {
  const put = (id: string, f: (h: Held) => Held): ChainPositions => {
    const before = ps.get(id) ?? EMPTY_HELD;
    const after = f(before);
    return after === before ? ps : new Map(ps).set(id, after);
  };
  switch (ev.kind) {
    case 'market':
      // A new market: the time to forget the ones settled long ago.
      if (!ps.has(ev.market.conditionId)) ps = forgetSettled(ps, ev.tsMs);
      return put(ev.market.conditionId, (h) =>
        h.endMs === ev.market.endMs && h.resolved === (h.resolved || ev.market.winner !== undefined)
          ? h
          : { ...h, endMs: ev.market.endMs, resolved: h.resolved || ev.market.winner !== undefined },
      );
    case 'marketResolved':
      return put(ev.conditionId, (h) => (h.resolved ? h : { ...h, resolved: true }));
    case 'fill':
      return !ev.reversal && ev.fill.status === 'CONFIRMED' ? put(ev.fill.conditionId, (h) => settle(h, ev.fill)) : ps;
    case 'tradeStatus':
      return ev.fill.status === 'CONFIRMED' ? put(ev.fill.conditionId, (h) => settle(h, ev.fill)) : ps;
    case 'inventoryOp':
      if (ev.phase !== 'done') return ps;
      if (ev.action === 'redeem') return put(ev.conditionId, (h) => ({ ...h, up: 0, down: 0 }));
      return put(ev.conditionId, (h) => ({
        ...h,
        up: micro(h.up - (ev.sets ?? 0)),
        down: micro(h.down - (ev.sets ?? 0)),
      }));
    default:
      return ps;
  }
}

/** The engine's input: markets known (end time seen) with something held. */
export function positionsForEngine(ps: ChainPositions): ChainPosition[] {
  const out: ChainPosition[] = [];
  for (const [conditionId, h] of ps)
    if (h.endMs !== EMPTY_HELD.endMs && (h.up > 0 || h.down > 0))
      out.push({ conditionId, up: Math.max(0, h.up), down: Math.max(0, h.down), endMs: h.endMs, resolved: h.resolved });
  return out;
}
