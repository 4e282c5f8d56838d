// `polymm status` and `polymm cancel-all`: talk to a running bot on its local port (metricsPort,
// 127.0.0.1), and for cancel-all also to the venue directly with the configured wallet, so the
// panic button works with or without a running bot.
import type { Config } from '../config/schema.js';
import { connectExchange } from '../sinks/execution/exchange.js';
import type { StatusSnapshot } from '../sinks/statusView.js';
import { countdown } from './status.js';

const botUrl = (cfg: Config, path: string): string => `http://127.0.0.1:${cfg.metricsPort}${path}`;
const message = (err: unknown): string => (err instanceof Error ? err.message : String(err));

async function askBot(
  cfg: Config,
  method: 'GET' | 'POST',
  path: string,
  timeoutMs: number,
): Promise<{ status: number; body: unknown }> {
  const res = await fetch(botUrl(cfg, path), { method, signal: AbortSignal.timeout(timeoutMs) });
  return { status: res.status, body: (await res.json()) as unknown };
}

export async function runStatusCommand(
  cfg: Config,
  json: boolean,
  out: (line: string) => void = console.log,
): Promise<number> {
  let snap: StatusSnapshot;
  try {
    snap = (await askBot(cfg, 'GET', '/status', 5_000)).body as StatusSnapshot;
  } catch (err) {
    process.stderr.write(
      `polymm status: no running bot answers on 127.0.0.1:${cfg.metricsPort} (${message(err)}); start one, or pass its --metricsPort\n`,
    );
    return 1;
  }
  if (json) out(JSON.stringify({ status: snap }));
  else for (const line of statusTable(snap)) out(line);
  return 0;
}

/** The human table of `polymm status`. */
export function statusTable(s: StatusSnapshot): string[] {
  const n = (x: number | null, d = 2): string => (x === null ? '-' : x.toFixed(d));
  const lines = [
    `halts: ${s.halts.length ? s.halts.join(', ') : 'none'}   pnl: ${n(s.pnlUsdc)} USDC`,
    `feeds: ${
      Object.entries(s.feeds)
        .map(([f, st]) => `${f} ${st}`)
        .join(', ') || '-'
    }`,
    `heartbeat: ${s.heartbeat.ok === null ? 'none yet' : s.heartbeat.ok ? 'ok' : 'FAILING'}${s.heartbeat.ageMs === null ? '' : `, last ack ${(s.heartbeat.ageMs / 1000).toFixed(1)} s ago`}, failures ${s.heartbeat.failures}`,
    '',
    `${'market'.padEnd(30)}${'window'.padEnd(12)}${'regime'.padEnd(16)}${'qUp'.padEnd(7)}${'quotes up / down'.padEnd(34)}inventory up / down (unpaired)`,
  ];
  for (const m of s.markets) {
    const top = (o: string): string => {
      const q = m.quotes.filter((x) => x.outcome === o).sort((a, b) => a.level - b.level)[0];
      return q ? `${q.price.toFixed(2)}x${q.size}` : '-';
    };
    const window =
      s.tsMs < m.startMs
        ? `in ${countdown(m.startMs - s.tsMs)}`
        : s.tsMs < m.endMs
          ? `${countdown(m.endMs - s.tsMs)} left`
          : 'ended';
    const quotes = m.quotes.length ? `${top('up')} / ${top('down')}` : `none (${m.quoteReason ?? '-'})`;
    const cell = (text: string, width: number): string => `${text} `.padEnd(width);
    lines.push(
      `${cell(m.slug, 30)}${cell(window, 12)}${cell(m.regime ?? '-', 16)}${cell(n(m.qUp, 3), 7)}${cell(quotes, 34)}${n(m.inventory.up)} / ${n(m.inventory.down)} (${n(m.inventory.unpaired)})`,
    );
  }
  lines.push(
    '',
    `open orders: ${s.openOrders === null ? `unknown (${s.openOrdersError ?? 'not read'})` : s.openOrders.length}`,
  );
  for (const o of s.openOrders ?? [])
    lines.push(
      `  ${o.orderId.slice(0, 12)}… ${o.side} ${o.size - o.sizeMatched}@${o.price.toFixed(2)} token ${o.tokenId.slice(0, 10)}…`,
    );
  return lines;
}

export interface CancelAllReport {
  readonly bot: string;
  readonly venue: string;
  readonly open_orders: number | null;
}

/** Halt a running bot (it cancels and confirms), and cancel directly on the venue when a wallet is configured. */
export async function runCancelAllCommand(cfg: Config, out: (line: string) => void = console.log): Promise<number> {
  let bot = 'not running';
  let open: number | null = null;
  try {
    const r = await askBot(cfg, 'POST', '/halt?reason=cancel_all', 15_000);
    const body = r.body as { openOrders?: number | null; error?: string };
    bot = r.status === 200 ? 'halted' : `halted, cancel not confirmed (${body.error ?? `HTTP ${r.status}`})`;
    if (typeof body.openOrders === 'number' && body.openOrders >= 0) open = body.openOrders;
  } catch (err) {
    const code = (err as { cause?: { code?: string } }).cause?.code;
    if (code !== 'ECONNREFUSED') bot = `not reachable (${code ?? message(err)})`;
  }
  let venue = 'skipped (no wallet.privateKey for a live venue)';
  if (cfg.venue === 'live' && cfg.wallet.privateKey) {
    try {
      const ex = await connectExchange(
        { ...cfg, presign: { ...cfg.presign, enabled: false } },
        { randomKeyIfMissing: false },
      );
      try {
        await ex.cancelAll();
        open = (await ex.openOrders()).length;
        venue = 'cancelled';
      } finally {
        await ex.close();
      }
    } catch (err) {
      venue = `failed: ${message(err)}`;
    }
  }
  out(JSON.stringify({ cancelAll: { bot, venue, open_orders: open } satisfies CancelAllReport }));
  return open === 0 ? 0 : 1;
}
