// Debug taps: stream any operator's values to stdout, one JSON object per line:
// {"tap":"<name>","ts":<ms>,"value":…}. Every tap uses this one format (see README).
import { tap, type MonoTypeOperatorFunction } from 'rxjs';
import type { BotEvent } from '../domain/index.js';

export const TAP_NAMES = [
  'market',
  'book',
  'prices',
  'orders',
  'fills',
  'health',
  'volatility',
  'qUp',
  'regime',
  'caps',
  'quotes',
  'taker',
  'halts',
  'execution',
  'skips',
  'settlement',
] as const;
export type TapName = (typeof TAP_NAMES)[number];

export interface Taps {
  readonly names: ReadonlySet<TapName>;
  readonly write: (line: string) => void;
}

export class TapError extends Error {}

/** `book,prices` or `all` -> tap names; unknown names are an error naming the allowed ones. */
export function parseTaps(spec: string | readonly string[] | undefined): Set<TapName> {
  const list: readonly string[] = typeof spec === 'string' ? [spec] : (spec ?? []);
  const parts = list
    .flatMap((s) => s.split(','))
    .map((s) => s.trim())
    .filter(Boolean);
  if (parts.includes('all')) return new Set(TAP_NAMES);
  const bad = parts.filter((p) => !(TAP_NAMES as readonly string[]).includes(p));
  if (bad.length)
    throw new TapError(
      `unknown tap ${bad.map((b) => JSON.stringify(b)).join(', ')}; allowed: ${TAP_NAMES.join(', ')}, all`,
    );
  return new Set(parts as TapName[]);
}

export function tapLine(name: string, ts: number, value: unknown): string {
  return JSON.stringify({ tap: name, ts, value });
}

const r6 = (x: number): number => Math.round(x * 1e6) / 1e6;

/** The taps an event feeds, with their values. */
export function tapsOf(ev: BotEvent): Array<[TapName, unknown]> {
  switch (ev.kind) {
    case 'market':
      return [['market', ev.market]];
    case 'book':
      return [
        [
          'book',
          {
            market: ev.conditionId,
            token: ev.book.tokenId,
            bids: ev.book.bids.slice(0, 5),
            asks: ev.book.asks.slice(0, 5),
            stale: ev.book.stale,
          },
        ],
      ];
    case 'bestBidAsk':
      return [
        [
          'book',
          {
            market: ev.conditionId,
            token: ev.tokenId,
            bestBid: ev.bestBid ?? null,
            bestAsk: ev.bestAsk ?? null,
            source: 'best_bid_ask',
          },
        ],
      ];
    case 'price':
      return [['prices', ev.tick]];
    case 'order':
      return [['orders', { change: ev.change, ...ev.order }]];
    case 'fill':
      return [['fills', { reversal: ev.reversal, ...ev.fill }]];
    case 'connection':
    case 'stale':
    case 'heartbeat':
      return [['health', ev]];
    case 'skip':
      return [['skips', ev]];
    case 'alpha':
      return [
        [
          'volatility',
          {
            market: ev.conditionId,
            varPerS: ev.varPerS,
            ...(ev.jumpVarPerS !== undefined ? { jumpVarPerS: ev.jumpVarPerS } : {}),
            driftPerS: ev.driftPerS,
            volPerSqrtS: r6(Math.sqrt(ev.varPerS)),
          },
        ],
        ['qUp', { market: ev.conditionId, qUp: r6(ev.qUp), ...(ev.model ? { model: ev.model } : {}) }],
        ['regime', { market: ev.conditionId, regime: ev.regime, reasons: ev.regimeReasons, sizeScalar: ev.sizeScalar }],
        ['caps', { market: ev.conditionId, capUp: ev.capUp, capDown: ev.capDown, targetTotal: ev.targetTotal }],
      ];
    case 'decision':
      return [
        [
          'quotes',
          {
            market: ev.desired.slug,
            ...(ev.desired.reason ? { reason: ev.desired.reason } : {}),
            orders: ev.desired.orders.map((o) => ({ token: o.outcome, level: o.level, price: o.price, size: o.size })),
          },
        ],
      ];
    case 'taker':
      return [['taker', ev.intent]];
    case 'halt':
      return [['halts', { reasons: ev.reasons }]];
    case 'settlement': {
      const { kind: _k, tsMs: _t, slug, conditionId: _c, ...facts } = ev;
      return [['settlement', { market: slug, ...facts }]];
    }
    case 'execution':
      return [['execution', ev]];
    default:
      return [];
  }
}

/** Pass events through; write the asked-for taps' lines. */
export function tapDebug<T extends BotEvent>(taps: Taps | undefined): MonoTypeOperatorFunction<T> {
  if (!taps || taps.names.size === 0) return (source) => source;
  return tap((ev: T) => {
    for (const [name, value] of tapsOf(ev)) if (taps.names.has(name)) taps.write(tapLine(name, ev.tsMs, value));
  });
}

export const stdoutTaps = (names: ReadonlySet<TapName>): Taps => ({
  names,
  write: (line) => process.stdout.write(line + '\n'),
});
