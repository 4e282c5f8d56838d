// `polymm stress`: the strategy step over an event log's inputs, streamed line by line (a day-long
// log never sits in memory), as fast as possible or paced at N× the log's own speed. Reports
// throughput beside JSON.parse of the same lines (timed on the same chunks), decision latency
// percentiles, the backlog when paced, and the process's memory over the run. Time, sleep and
// memory readings are injected.
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import type { BotEvent } from '../domain/index.js';
import type { EventLogHeader } from '../sinks/eventLog.js';
import { runSegments } from '../sinks/eventLogFiles.js';
import { initialStrategy, stateParams, strategyStep, type StrategyState } from '../strategy/step.js';
import { configOf, isInput } from './replay.js';
import { LatencyHistogram } from './latency.js';

export interface StressOptions {
  readonly repeat: number;
  /** Replay at this many times the log's speed (inputs waited for by their timestamps); absent: as fast as possible. */
  readonly speed?: number;
  readonly now: () => number;
  readonly sleep: (ms: number) => Promise<void>;
  /** Resident memory in bytes (process.memoryUsage.rss). */
  readonly rss: () => number;
  /** CPU time of the process in ms (process.cpuUsage): on a loaded machine wall time also counts time descheduled. */
  readonly cpuMs?: () => number;
  /** Lines parsed and stepped together (the backlog is counted within such a look-ahead). */
  readonly chunkLines?: number;
}

export interface StressResult {
  readonly inputs: number;
  readonly lines: number;
  /** Seconds spent in the strategy step, and in JSON.parse of the same lines. */
  readonly stepSeconds: number;
  readonly parseSeconds: number;
  /** The same in CPU time, per chunk (absent without `cpuMs`). */
  readonly stepCpuSeconds?: number;
  readonly parseCpuSeconds?: number;
  readonly latencyP50Us: number;
  readonly latencyP99Us: number;
  readonly latencyMaxUs: number;
  /** Paced runs: the most inputs due but not yet decided, and how late an input was decided (p99). */
  readonly queueMax: number | null;
  readonly lagP99Ms: number | null;
  /** RSS samples, one per chunk. */
  readonly rssMb: readonly number[];
}

function lineSource(path: string): AsyncIterable<string> {
  async function* lines(): AsyncGenerator<string> {
    for (const seg of runSegments(path)) {
      const raw: Readable = createReadStream(seg.path);
      const input = seg.gzip ? raw.pipe(createGunzip()) : raw;
      for await (const line of createInterface({ input, crlfDelay: Infinity })) yield line;
    }
  }
  return lines();
}

/** One pass per `repeat` over the run `path` belongs to (its header already checked by the caller). */
export async function stressLog(path: string, o: StressOptions): Promise<StressResult> {
  // Small chunks: parsed lines held for a 5 000-line chunk outlived scavenges and filled old space.
  const chunkLines = o.chunkLines ?? 500;
  const latency = new LatencyHistogram();
  const lag = new LatencyHistogram();
  const rssMb: number[] = [];
  let inputs = 0;
  let lines = 0;
  let stepMs = 0;
  let parseMs = 0;
  let stepCpuMs = 0;
  let parseCpuMs = 0;
  const cpu = o.cpuMs ?? (() => 0);
  let queueMax = 0;
  for (let k = 0; k < o.repeat; k++) {
    let state: StrategyState | undefined;
    let header: EventLogHeader | undefined;
    let params: ReturnType<typeof stateParams> | undefined;
    let cfg: ReturnType<typeof configOf> | undefined;
    let firstTs: number | undefined;
    let wall0 = 0;
    const run = async (chunk: string[]): Promise<void> => {
      const c0 = cpu();
      const t0 = o.now();
      const parsed: unknown[] = [];
      for (const l of chunk) {
        try {
          parsed.push(JSON.parse(l));
        } catch {
          // unreadable line: not an input (replay counts these)
        }
      }
      parseMs += o.now() - t0;
      parseCpuMs += cpu() - c0;
      lines += chunk.length;
      const evs: BotEvent[] = [];
      for (const p of parsed) {
        const ev = p as BotEvent | EventLogHeader | null;
        if (typeof ev !== 'object' || ev === null || typeof ev.kind !== 'string' || typeof ev.tsMs !== 'number')
          continue;
        if (ev.kind === 'header') {
          if (!header) {
            header = ev;
            cfg = configOf(header);
            params = stateParams(cfg);
            state = initialStrategy(header.requiredFeeds);
          }
        } else if (isInput(ev)) evs.push(ev);
      }
      if (!state || !cfg || !params) return;
      const due = (ev: BotEvent): number => wall0 + (ev.tsMs - firstTs!) / o.speed!;
      let ahead = 0;
      const c1 = cpu();
      for (let i = 0; i < evs.length; i++) {
        const ev = evs[i]!;
        if (o.speed !== undefined) {
          if (firstTs === undefined) [firstTs, wall0] = [ev.tsMs, o.now()];
          const wait = due(ev) - o.now();
          if (wait > 0) await o.sleep(wait);
          const now = o.now();
          lag.add(Math.max(0, now - due(ev)) * 1000);
          ahead = Math.max(ahead, i + 1);
          while (ahead < evs.length && due(evs[ahead]!) <= now) ahead += 1;
          queueMax = Math.max(queueMax, ahead - i - 1);
        }
        const s0 = o.now();
        state = strategyStep(state, ev as Parameters<typeof strategyStep>[1], cfg, params).state;
        const dt = o.now() - s0;
        stepMs += dt;
        latency.add(dt * 1000);
      }
      // Paced runs sleep between inputs (no CPU): the chunk's CPU time is the steps'.
      stepCpuMs += cpu() - c1;
      inputs += evs.length;
      rssMb.push(o.rss() / 2 ** 20);
    };
    let chunk: string[] = [];
    for await (const line of lineSource(path)) {
      if (line.trim() === '') continue;
      chunk.push(line);
      if (chunk.length >= chunkLines) {
        await run(chunk);
        chunk = [];
      }
    }
    await run(chunk);
  }
  return {
    inputs,
    lines,
    stepSeconds: stepMs / 1000,
    parseSeconds: parseMs / 1000,
    ...(o.cpuMs ? { stepCpuSeconds: stepCpuMs / 1000, parseCpuSeconds: parseCpuMs / 1000 } : {}),
    latencyP50Us: latency.quantile(0.5),
    latencyP99Us: latency.quantile(0.99),
    latencyMaxUs: latency.max,
    queueMax: o.speed !== undefined ? queueMax : null,
    lagP99Ms: o.speed !== undefined ? lag.quantile(0.99) / 1000 : null,
    rssMb,
  };
}

/** Peak RSS of the first and last quarter of the samples, and the growth between them (%). */
export function memoryOf(rssMb: readonly number[]): { peak: number; first: number; last: number; growthPct: number } {
  const q = Math.max(1, Math.floor(rssMb.length / 4));
  const peakOf = (xs: readonly number[]): number => (xs.length ? Math.max(...xs) : 0);
  const first = peakOf(rssMb.slice(0, q));
  const last = peakOf(rssMb.slice(-q));
  return { peak: peakOf(rssMb), first, last, growthPct: first > 0 ? ((last - first) / first) * 100 : 0 };
}
