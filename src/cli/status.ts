// Human-readable status lines for `polymm start` (stderr): what the bot sees and does.
// stdout stays machine-readable (taps, the venue line, the summary line).
import type { BotEvent, Inventory, MarketIdentity } from '../domain/index.js';
import { EMPTY_INVENTORY, haltCancelsAll, haltLabel, type GlobalHalt } from '../domain/index.js';
import { isMergeDone } from '../inventory/positions.js';
import { applyFill, applyMerge, unpairedShares } from '../quant/index.js';

const fmt = (x: number, d = 2): string => x.toFixed(d);
const clock = (ms: number): string => new Date(ms).toISOString().slice(11, 19);

export interface StatusOptions {
  readonly write: (line: string) => void;
  /** Minimum time between two quote lines of one market. */
  readonly quoteEveryMs?: number;
  /** Period of the inventory line. */
  readonly inventoryEveryMs?: number;
  /** Period of the "waiting for …" line while nothing is quoted. */
  readonly waitEveryMs?: number;
}

/** 75_000 -> "1:15". */
export const countdown = (ms: number): string => {
  const s = Math.max(0, Math.ceil(ms / 1000));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
};

export function statusReporter(opts: StatusOptions): (ev: BotEvent) => void {
  const quoteEveryMs = opts.quoteEveryMs ?? 5_000;
  const inventoryEveryMs = opts.inventoryEveryMs ?? 30_000;
  const waitEveryMs = opts.waitEveryMs ?? 5_000;
  /** Latest desired set per market: quoted or not, and why not. */
  const latest = new Map<string, { quoted: boolean; reason: string }>();
  let lastWaitMs = -Infinity;
  const markets = new Map<string, MarketIdentity>();
  const lastQuote = new Map<string, { tsMs: number; key: string }>();
  const regimes = new Map<string, string>();
  // Held per market by the strategy's own inventory rule (fills, reversals, completed merges).
  const shares = new Map<string, Inventory>();
  let lastHalt: readonly GlobalHalt[] = [];
  const feeds = new Map<string, string>();
  const lateNoted = new Set<string>();
  /** False until every feed was up once: halts before that are the start-up wait, not a fault. */
  let started = false;
  let lastInventoryMs = 0;
  const say = (tsMs: number, text: string): void => opts.write(`${clock(tsMs)} ${text}`);
  const slugOf = (conditionId: string): string => markets.get(conditionId)?.slug ?? conditionId.slice(0, 10);

  /** What the bot waits for while no live market is quoted (undefined when one is). */
  const waitingFor = (now: number): string | undefined => {
    const live = [...markets.values()].filter((m) => m.startMs <= now && now < m.endMs && !m.winner);
    if (live.some((m) => latest.get(m.conditionId)?.quoted)) return undefined;
    const next = [...markets.values()].filter((m) => m.startMs > now).sort((a, b) => a.startMs - b.startMs)[0];
    const nextText = next
      ? `market ${next.slug} opens in ${countdown(next.startMs - now)} (${clock(next.startMs)})`
      : 'the next market from Gamma';
    if (lastHalt.length) return `${lastHalt.map(haltLabel).join(',')}; ${nextText}`;
    const notQuoted = live.map(
      (m) => `${m.slug} not quoted (${latest.get(m.conditionId)?.reason ?? 'no decision yet'})`,
    );
    return [...notQuoted, nextText].join('; ');
  };

  return (ev) => {
    switch (ev.kind) {
      case 'market':
        if (!markets.has(ev.market.conditionId)) {
          const r = ev.market.resolution;
          const rule = !r
            ? ''
            : r.rule === 'twap'
              ? ` settles on the ${r.lookbackS} s TWAP`
              : r.rule === 'firstTick'
                ? ' settles on the first tick'
                : ` rule UNKNOWN (${r.reason}): not quoted`;
          say(
            ev.tsMs,
            `market ${ev.market.slug} ${clock(ev.market.startMs)}-${clock(ev.market.endMs)} tick ${ev.market.tickSize} min ${ev.market.minSize}${rule}`,
          );
        }
        if (ev.market.winner && markets.get(ev.market.conditionId)?.winner === undefined) {
          say(ev.tsMs, `resolved ${ev.market.slug}: ${ev.market.winner.toUpperCase()}`);
        }
        markets.set(ev.market.conditionId, ev.market);
        break;
      case 'settlement': {
        // One line per new fact: rule and price to beat, then the final price and winner.
        const rule =
          ev.rule === 'twap' ? `TWAP ${ev.lookbackS ?? ''}s` : ev.rule === 'firstTick' ? 'first tick' : 'UNKNOWN rule';
        const ptb =
          ev.priceToBeat !== undefined
            ? `price to beat ${fmt(ev.priceToBeat)} (${ev.priceToBeatSource})`
            : 'price to beat unknown';
        const signed = (x: number): string => `${x >= 0 ? '+' : ''}${fmt(x)}`;
        const gamma = ev.gammaDiff !== undefined ? `, Gamma ${signed(ev.gammaDiff)}` : '';
        const gammaEnd = ev.gammaFinalDiff !== undefined ? `, Gamma ${signed(ev.gammaFinalDiff)}` : '';
        const end =
          ev.finalPrice !== undefined
            ? `, final ${fmt(ev.finalPrice)}${gammaEnd}${ev.winner ? ` → ${ev.winner.toUpperCase()}` : ''}`
            : '';
        say(
          ev.tsMs,
          `settlement ${ev.slug}: ${rule}, ${ptb}${gamma}${end}${ev.problem ? ` — not quoted: ${ev.problem}` : ''}`,
        );
        break;
      }
      case 'alpha': {
        const regime = `${ev.regime}${ev.regimeReasons.length ? ` (${ev.regimeReasons.join('; ')})` : ''}`;
        if (regimes.get(ev.conditionId) !== ev.regime) {
          say(
            ev.tsMs,
            `regime ${slugOf(ev.conditionId)} ${regime} qUp ${fmt(ev.qUp, 3)} target ${fmt(ev.targetTotal)}`,
          );
          regimes.set(ev.conditionId, ev.regime);
        }
        break;
      }
      case 'decision': {
        const d = ev.desired;
        latest.set(d.conditionId, { quoted: d.orders.length > 0, reason: d.reason ?? 'no orders' });
        if (d.reason?.includes('no_s0_joined_late') && !lateNoted.has(d.conditionId)) {
          lateNoted.add(d.conditionId);
          const m = markets.get(d.conditionId);
          say(
            ev.tsMs,
            `not quoting ${d.slug}: joined after its start, so the price to beat is unknown until Gamma publishes it${m ? `; the next market starts at ${clock(m.endMs)}` : ''}`,
          );
        }
        const top = (o: 'up' | 'down'): string => {
          const level0 = d.orders.find((x) => x.outcome === o && x.level === 0);
          return level0 ? `${fmt(level0.price)}x${level0.size}` : '-';
        };
        const key = d.orders.length ? `${top('up')} ${top('down')}` : `none (${d.reason ?? 'no reason'})`;
        const last = lastQuote.get(d.conditionId);
        if (last?.key !== key && (!last || ev.tsMs - last.tsMs >= quoteEveryMs || d.orders.length === 0)) {
          say(
            ev.tsMs,
            `quotes ${d.slug} up ${top('up')} down ${top('down')} (${d.orders.length} orders)${d.orders.length ? '' : ` — ${d.reason ?? ''}`}`,
          );
          lastQuote.set(d.conditionId, { tsMs: ev.tsMs, key });
        }
        break;
      }
      case 'fill': {
        const f = ev.fill;
        const m = markets.get(f.conditionId);
        const outcome = f.outcome ?? (m && f.tokenId === m.tokenDown ? 'down' : 'up');
        const inv = applyFill(shares.get(f.conditionId) ?? EMPTY_INVENTORY, { ...f, outcome }, Boolean(ev.reversal));
        shares.set(f.conditionId, inv);
        say(
          ev.tsMs,
          `${ev.reversal ? 'fill REVERSED' : 'fill'} ${slugOf(f.conditionId)} ${f.role} ${f.side} ${outcome} ${f.size}@${fmt(f.price)} → up ${fmt(inv.up.shares)} down ${fmt(inv.down.shares)}`,
        );
        break;
      }
      case 'inventoryOp': {
        const inv = shares.get(ev.conditionId);
        if (inv && isMergeDone(ev)) shares.set(ev.conditionId, applyMerge(inv, ev.sets ?? 0));
        break;
      }
      case 'connection': {
        const key = `${ev.state}`;
        if (feeds.get(ev.feed) !== key) say(ev.tsMs, `feed ${ev.feed} ${ev.state}${ev.reason ? `: ${ev.reason}` : ''}`);
        feeds.set(ev.feed, key);
        break;
      }
      case 'halt': {
        const text = ev.reasons.join(',');
        if (text !== lastHalt.join(',')) {
          if (!started)
            say(ev.tsMs, text ? `starting: waiting for ${ev.reasons.map(haltLabel).join(',')}` : 'all feeds up');
          else if (!text) say(ev.tsMs, 'resumed: all feeds healthy');
          else
            say(
              ev.tsMs,
              haltCancelsAll(ev.reasons)
                ? `HALT: ${text} (orders cancelled, quoting off)`
                : `FROZEN: ${text} (no new orders; resting orders kept)`,
            );
        }
        if (!text) started = true;
        lastHalt = ev.reasons;
        break;
      }
      case 'execution':
        // A cancel of an order that just filled is a normal race, not a failure worth a line.
        if (!ev.ok && !(ev.action === 'cancel' && /not found|already/i.test(ev.error ?? '')))
          say(ev.tsMs, `${ev.action} failed ${slugOf(ev.conditionId)}: ${ev.error ?? ''}`);
        else if (ev.action === 'taker' || ev.action === 'merge' || ev.action === 'redeem') {
          say(ev.tsMs, `${ev.action} ${slugOf(ev.conditionId)} ${ev.size ?? ''}${ev.price ? `@${fmt(ev.price)}` : ''}`);
        }
        break;
      case 'clock':
        if (ev.tsMs - lastWaitMs >= waitEveryMs) {
          const waiting = waitingFor(ev.tsMs);
          if (waiting) {
            lastWaitMs = ev.tsMs;
            say(ev.tsMs, `waiting: ${waiting}`);
          }
        }
        if (ev.tsMs - lastInventoryMs >= inventoryEveryMs && shares.size > 0) {
          lastInventoryMs = ev.tsMs;
          for (const [id, inv] of shares) {
            say(
              ev.tsMs,
              `inventory ${slugOf(id)} up ${fmt(inv.up.shares)} down ${fmt(inv.down.shares)} cost ${fmt(inv.up.notional + inv.down.notional)} unpaired ${fmt(unpairedShares(inv))}`,
            );
          }
        }
        break;
      default:
        break;
    }
  };
}
