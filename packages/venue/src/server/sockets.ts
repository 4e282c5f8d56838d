// The venue's WebSockets: CLOB market and user channels, RTDS and PolyBolt. Each connection keeps
// its subscriptions; core events are encoded and fanned out; fault knobs act on outgoing frames.
import type { WebSocket } from 'ws';
import type { VenueCore, VenueEvent, VPriceSource } from '../core/types.js';
import type { CredStore } from './auth.js';
import type { FaultController, Faults } from './faults.js';
import { bookMessage, price as priceText, userOrderMessage, userTradeMessage } from './wire.js';

export type SocketKind = 'market' | 'user' | 'rtds' | 'polybolt';

/**
 * A peer in the same process (the bot's backtest sockets) that takes each message as the value
 * this hub would encode, without the JSON text in between. Frame faults (drop, reorder,
 * duplicate, malformed, delay) need the text, so they still go through `send`.
 */
export interface ValueSocket {
  sendValue(value: unknown): void;
}

const framesFaulty = (f: Faults): boolean =>
  f.dropRate > 0 || f.reorderRate > 0 || f.duplicateRate > 0 || f.malformedRate > 0 || f.delayMs > 0;

interface Conn {
  readonly kind: SocketKind;
  readonly ws: WebSocket;
  assets: Set<string>;
  owner?: string;
  markets?: Set<string>;
  topics: Set<string>;
  authed: boolean;
  seq: Map<string, number>;
  held?: string;
  /** Last best bid|ask sent per token (market channel). */
  best: Map<string, string>;
}

/** RTDS topics: Binance, Chainlink and Chainlink's TWAP (whose frames carry `window_s`). */
const RTDS_TWAP = 'crypto_prices_twap_sixty';
const RTDS_FEEDS: Readonly<
  Record<string, { source: VPriceSource; symbol: string; extra: (windowS: number) => Record<string, unknown> }>
> = {
  crypto_prices: { source: 'binance', symbol: 'btcusdt', extra: () => ({}) },
  crypto_prices_chainlink: { source: 'chainlink', symbol: 'btc/usd', extra: () => ({}) },
  [RTDS_TWAP]: { source: 'chainlink-twap', symbol: 'btc/usd', extra: (w) => ({ window_s: w }) },
};

/**
 * RTDS's TWAP frames carry an E18 fixed-point price (Polymarket's RTDS to PolyBolt migration notes):
 * the value as a JSON number, the exact digits as `full_accuracy_value`. PolyBolt sends decimals.
 */
const e18 = (value: number): { value: number; full_accuracy_value: string } => ({
  value: value * 1e18,
  full_accuracy_value: (BigInt(Math.round(value * 1e8)) * 10n ** 10n).toString(),
});
/** PolyBolt's price fields: the float and the exact decimal string. */
const polyboltValue = (value: number): { value: number; full_accuracy_value: string } => ({
  value,
  full_accuracy_value: value.toFixed(8),
});
/** A price point as RTDS sends it on a topic. */
const rtdsValue = (topic: string, value: number): Record<string, unknown> =>
  topic === RTDS_TWAP ? e18(value) : { value };

const price = (x: number | undefined): string => (x === undefined ? '' : priceText(x));

/** How much price history an RTDS subscription's first frame carries. */
const RTDS_HISTORY_MS = 60_000;

export class SocketHub {
  private readonly conns = new Set<Conn>();
  /** Recent published ticks per source (for the RTDS subscribe frame's short history). */
  private readonly history = new Map<string, Array<{ tsMs: number; value: number }>>();

  constructor(
    private readonly core: VenueCore,
    private readonly creds: CredStore,
    private readonly faults: FaultController,
    private readonly bookHash: (tokenId: string) => string,
    private readonly now: () => number,
    private readonly twapWindowS = 60,
  ) {}

  attach(kind: SocketKind, ws: WebSocket): void {
    const conn: Conn = {
      kind,
      ws,
      assets: new Set(),
      topics: new Set(),
      authed: false,
      seq: new Map(),
      best: new Map(),
    };
    this.conns.add(conn);
    ws.on('message', (data) => this.onMessage(conn, data.toString()));
    ws.on('close', () => this.conns.delete(conn));
    ws.on('error', () => this.conns.delete(conn));
  }

  /** Close every socket of the given kinds (fault knob `drop`). */
  drop(kinds: readonly SocketKind[]): number {
    let n = 0;
    for (const c of this.conns) {
      if (!kinds.includes(c.kind)) continue;
      c.ws.terminate();
      n++;
    }
    return n;
  }

  closeAll(): void {
    this.drop(['market', 'user', 'rtds', 'polybolt']);
  }

  private send(c: Conn, payload: unknown): void {
    const f = this.faults.get();
    if (this.faults.isSilent(c.kind)) return;
    const inProcess = (c.ws as Partial<ValueSocket>).sendValue;
    if (inProcess && typeof payload !== 'string' && c.held === undefined && !framesFaulty(f)) {
      if (c.ws.readyState === c.ws.OPEN) inProcess.call(c.ws, payload);
      return;
    }
    let text = typeof payload === 'string' ? payload : JSON.stringify(payload);
    if (this.faults.draw(f.dropRate)) return;
    if (this.faults.draw(f.reorderRate) && c.held === undefined) {
      c.held = text;
      return;
    }
    const junk = this.faults.malformed(text);
    const out = junk === undefined ? [text] : [junk, text];
    if (c.held !== undefined) {
      out.push(c.held);
      c.held = undefined;
    }
    if (this.faults.draw(f.duplicateRate)) out.push(text);
    const write = (): void => {
      for (text of out) if (c.ws.readyState === c.ws.OPEN) c.ws.send(text);
    };
    if (f.delayMs > 0) setTimeout(write, f.delayMs);
    else write();
  }

  private onMessage(c: Conn, text: string): void {
    // PolyBolt takes JSON op frames only (its pings are the server's, or `{"op":"ping"}`): a text
    // PING there is a policy violation, closed with 4008 as the live host documents for its limits.
    if (c.kind === 'polybolt' && (text === 'PING' || text === 'ping'))
      return void c.ws.close(4008, 'policy: text frames are not accepted');
    if (text === 'PING' || text === 'ping')
      return void (c.ws.readyState === c.ws.OPEN && !this.faults.isSilent(c.kind) && c.ws.send('PONG'));
    let msg: Record<string, unknown>;
    try {
      msg = JSON.parse(text) as Record<string, unknown>;
    } catch {
      return void this.send(c, { error: 'invalid json' });
    }
    if (c.kind === 'market') this.onMarket(c, msg);
    else if (c.kind === 'user') this.onUser(c, msg);
    else if (c.kind === 'rtds') this.onRtds(c, msg);
    else this.onPolybolt(c, msg);
  }

  private onMarket(c: Conn, msg: Record<string, unknown>): void {
    const ids = Array.isArray(msg.assets_ids) ? (msg.assets_ids as string[]) : [];
    if (msg.operation === 'unsubscribe') return void ids.forEach((id) => (c.assets.delete(id), c.best.delete(id)));
    const fresh = ids.filter((id) => !c.assets.has(id));
    fresh.forEach((id) => c.assets.add(id));
    const books = fresh.flatMap((id) => {
      const b = this.core.book(id);
      return b ? [bookMessage(b, this.bookHash(id))] : [];
    });
    if (books.length) this.send(c, books);
  }

  private onUser(c: Conn, msg: Record<string, unknown>): void {
    const auth = msg.auth as { apiKey?: string; secret?: string; passphrase?: string } | undefined;
    const entry = auth?.apiKey ? this.creds.lookup(auth.apiKey) : undefined;
    if (!c.authed) {
      if (!entry || entry.creds.secret !== auth?.secret || entry.creds.passphrase !== auth?.passphrase)
        return void c.ws.close(4001, 'invalid auth');
      c.owner = entry.address;
      c.authed = true;
    }
    const markets = Array.isArray(msg.markets) ? (msg.markets as string[]) : [];
    if (msg.operation === 'unsubscribe') return void markets.forEach((m) => c.markets?.delete(m));
    c.markets = new Set([...(c.markets ?? []), ...markets]);
  }

  private remember(source: string, tsMs: number, value: number): void {
    const h = this.history.get(source) ?? (this.history.set(source, []), this.history.get(source)!);
    h.push({ tsMs, value });
    while (h.length > 0 && h[0]!.tsMs < tsMs - RTDS_HISTORY_MS) h.shift();
  }

  private onRtds(c: Conn, msg: Record<string, unknown>): void {
    if (msg.action !== 'subscribe' && msg.action !== 'unsubscribe') return;
    // Filters are accepted in both forms ("btcusdt" and {"symbol":"btcusdt"}); one stream per topic.
    for (const s of (msg.subscriptions ?? []) as { topic?: string }[]) {
      const topic = s.topic ?? '';
      const feed = RTDS_FEEDS[topic];
      if (!feed) continue;
      if (msg.action === 'unsubscribe') c.topics.delete(topic);
      else if (!c.topics.has(topic)) {
        c.topics.add(topic);
        const last = this.core.lastPrice(feed.source);
        // As RTDS: the subscription's first frame carries a short history (the last minute here).
        const recent = this.history.get(feed.source) ?? [];
        const data = recent.length
          ? recent.map((h) => ({ timestamp: h.tsMs, ...rtdsValue(topic, h.value) }))
          : last
            ? [{ timestamp: last.tsMs, ...rtdsValue(topic, last.value) }]
            : [];
        this.send(c, {
          topic,
          type: 'subscribe',
          timestamp: this.now(),
          payload: { symbol: feed.symbol, data, ...feed.extra(this.twapWindowS) },
        });
      }
    }
  }

  private onPolybolt(c: Conn, msg: Record<string, unknown>): void {
    if (msg.op === 'ping') return void (!this.faults.isSilent(c.kind) && this.send(c, { op: 'pong' }));
    if (msg.op === 'auth') {
      const auth = msg.auth as { apiKey?: string; secret?: string; passphrase?: string } | undefined;
      const entry = auth?.apiKey ? this.creds.lookup(auth.apiKey) : undefined;
      if (!entry || entry.creds.secret !== auth?.secret || entry.creds.passphrase !== auth?.passphrase)
        return void c.ws.close(4001, 'auth failed');
      c.authed = true;
      return void this.send(c, { op: 'authed', rid: msg.rid });
    }
    if (msg.op !== 'subscribe' || !c.authed) return;
    for (const s of (msg.subscriptions ?? []) as { channel?: string }[]) {
      if (s.channel !== 'price.crypto' && s.channel !== 'price.crypto.twap') continue;
      c.topics.add(s.channel);
      // price.crypto is Pyth; price.crypto.twap relays the Chainlink TWAP the markets settle on. Each
      // subscription gets one snapshot frame: the recent points (the last minute here), maybe none.
      const source = s.channel === 'price.crypto' ? 'pyth' : 'chainlink-twap';
      const recent = this.history.get(source) ?? [];
      const seq = this.nextSeq(c, s.channel);
      this.send(c, {
        v: 1,
        channel: s.channel,
        seq,
        ts: this.now(),
        snapshot: true,
        payload: {
          symbol: 'btcusd',
          data: recent.map((h) => ({ symbol: 'btcusd', ...polyboltValue(h.value), timestamp: h.tsMs })),
          ...this.windowOf(s.channel),
        },
      });
    }
  }

  private nextSeq(c: Conn, channel: string): number {
    const seq = (c.seq.get(channel) ?? 0) + 1;
    c.seq.set(channel, seq);
    return seq;
  }

  private windowOf(channel: string): Record<string, number> {
    return channel === 'price.crypto.twap' ? { window_seconds: this.twapWindowS } : {};
  }

  private polyboltFrame(c: Conn, channel: string, value: number, tsMs: number): void {
    const payload = { symbol: 'btcusd', ...polyboltValue(value), timestamp: tsMs, ...this.windowOf(channel) };
    this.send(c, { v: 1, channel, seq: this.nextSeq(c, channel), ts: tsMs, payload });
  }

  /** Fan one batch of core events out to the sockets. */
  publish(events: readonly VenueEvent[]): void {
    const f = this.faults.get();
    for (const ev of events)
      if (
        ev.type === 'price' &&
        !(ev.source === 'chainlink' && f.oracleStall) &&
        !(ev.source === 'binance' && f.fastStall)
      )
        this.remember(ev.source, ev.tsMs, ev.value);
    if (!this.conns.size) return;
    for (const c of this.conns) {
      const batch: unknown[] = [];
      for (const ev of events) this.encode(c, ev, batch);
      if (!batch.length) continue;
      if (c.kind === 'market') this.send(c, batch.length === 1 ? batch[0] : batch);
      else for (const m of batch) this.send(c, m);
    }
  }

  private encode(c: Conn, ev: VenueEvent, out: unknown[]): void {
    const { oracleStall: stall, fastStall } = this.faults.get();
    switch (c.kind) {
      case 'market':
        if (ev.type === 'priceChange') {
          const changes = ev.changes.filter((ch) => c.assets.has(ch.tokenId));
          if (changes.length) {
            out.push({
              event_type: 'price_change',
              market: ev.conditionId,
              timestamp: String(ev.tsMs),
              price_changes: changes.map((ch) => ({
                asset_id: ch.tokenId,
                price: price(ch.price),
                size: ch.size.toFixed(2),
                side: ch.side,
                hash: this.bookHash(ch.tokenId),
                best_bid: price(ch.bestBid),
                best_ask: price(ch.bestAsk),
              })),
            });
            // As live (best_bid_ask is a small fraction of price_change there): only when a token's
            // best bid or ask moved since this connection last heard, from the token's last change.
            const last = new Map(changes.map((ch) => [ch.tokenId, ch]));
            for (const ch of last.values()) {
              const best = `${price(ch.bestBid)}|${price(ch.bestAsk)}`;
              if (c.best.get(ch.tokenId) === best) continue;
              c.best.set(ch.tokenId, best);
              out.push({
                event_type: 'best_bid_ask',
                market: ev.conditionId,
                asset_id: ch.tokenId,
                best_bid: price(ch.bestBid),
                best_ask: price(ch.bestAsk),
                spread: ch.bestBid !== undefined && ch.bestAsk !== undefined ? price(ch.bestAsk - ch.bestBid) : '',
                timestamp: String(ev.tsMs),
              });
            }
          }
        } else if (ev.type === 'book' && c.assets.has(ev.book.tokenId))
          out.push(bookMessage(ev.book, this.bookHash(ev.book.tokenId)));
        else if (ev.type === 'lastTrade' && c.assets.has(ev.tokenId)) {
          out.push({
            event_type: 'last_trade_price',
            market: ev.conditionId,
            asset_id: ev.tokenId,
            fee_rate_bps: String(ev.feeRateBps),
            price: price(ev.price),
            side: ev.side,
            size: ev.size.toFixed(2),
            timestamp: String(ev.tsMs),
          });
        } else if (ev.type === 'tickSize' && c.assets.has(ev.tokenId)) {
          out.push({
            event_type: 'tick_size_change',
            market: ev.conditionId,
            asset_id: ev.tokenId,
            old_tick_size: String(ev.oldTick),
            new_tick_size: String(ev.newTick),
            timestamp: String(ev.tsMs),
          });
        } else if (
          ev.type === 'marketResolved' &&
          (c.assets.has(ev.market.tokenUp) || c.assets.has(ev.market.tokenDown))
        ) {
          const m = ev.market;
          out.push({
            event_type: 'market_resolved',
            id: String(Math.floor(m.startMs / 1000)),
            market: m.conditionId,
            assets_ids: [m.tokenUp, m.tokenDown],
            winning_asset_id: m.winner === 'Up' ? m.tokenUp : m.tokenDown,
            winning_outcome: m.winner,
            timestamp: String(ev.tsMs),
            tags: ['crypto'],
          });
        } else if (ev.type === 'marketCreated') {
          const m = ev.market;
          out.push({
            event_type: 'new_market',
            id: String(Math.floor(m.startMs / 1000)),
            question: m.question,
            market: m.conditionId,
            slug: m.slug,
            description: m.question,
            assets_ids: [m.tokenUp, m.tokenDown],
            outcomes: ['Up', 'Down'],
            timestamp: String(ev.tsMs),
            tags: ['crypto'],
            condition_id: m.conditionId,
            active: true,
            clob_token_ids: [m.tokenUp, m.tokenDown],
          });
        }
        return;
      case 'user':
        if (!c.owner) return;
        if (
          ev.type === 'order' &&
          ev.order.owner === c.owner &&
          (!c.markets?.size || c.markets.has(ev.order.conditionId))
        ) {
          out.push(userOrderMessage(ev.order, ev.change, this.creds.keyOf, ev.tsMs, ev.reason));
        } else if (
          ev.type === 'trade' &&
          (!c.markets?.size || c.markets.has(ev.trade.conditionId)) &&
          (ev.trade.takerOwner === c.owner || ev.trade.makers.some((m) => m.owner === c.owner))
        ) {
          out.push(userTradeMessage(ev.trade, c.owner, this.creds.keyOf));
        }
        return;
      case 'rtds':
        if (ev.type !== 'price') return;
        if (ev.source === 'binance' && c.topics.has('crypto_prices') && !fastStall) {
          out.push({
            topic: 'crypto_prices',
            type: 'update',
            timestamp: ev.tsMs,
            payload: {
              symbol: 'btcusdt',
              timestamp: ev.tsMs,
              value: ev.value,
              full_accuracy_value: ev.value.toFixed(8),
            },
          });
        } else if (ev.source === 'chainlink' && c.topics.has('crypto_prices_chainlink') && !stall) {
          out.push({
            topic: 'crypto_prices_chainlink',
            type: 'update',
            timestamp: ev.tsMs,
            payload: {
              symbol: 'btc/usd',
              timestamp: ev.tsMs,
              value: ev.value,
              full_accuracy_value: ev.value.toFixed(8),
            },
          });
        } else if (ev.source === 'chainlink-twap' && c.topics.has(RTDS_TWAP) && !stall) {
          out.push({
            topic: RTDS_TWAP,
            type: 'update',
            timestamp: ev.tsMs,
            payload: { symbol: 'btc/usd', timestamp: ev.tsMs, ...e18(ev.value), window_s: this.twapWindowS },
          });
        }
        return;
      case 'polybolt':
        if (ev.type !== 'price') return;
        if (ev.source === 'pyth' && c.topics.has('price.crypto') && !fastStall)
          this.polyboltFrame(c, 'price.crypto', ev.value, ev.tsMs);
        else if (ev.source === 'chainlink-twap' && c.topics.has('price.crypto.twap') && !stall)
          this.polyboltFrame(c, 'price.crypto.twap', ev.value, ev.tsMs);
        return;
    }
  }
}
