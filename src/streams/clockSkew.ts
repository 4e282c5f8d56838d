// The offset of our clock to the venue's (issue 13 #8). With the bot's clock 8 s behind, every
// settlement tick looked 8 s old and the bot never quoted, saying only "chainlink stale". The venue's
// GET /time answers whole seconds, so one reading is ±0.5 s: we poll it until its second turns over;
// the turn happened during the first request that saw it, which pins the offset to about half a
// round trip plus half the polling step.

export interface SkewSample {
  /** Our clock when the request left and when its answer arrived. */
  readonly sentMs: number;
  readonly receivedMs: number;
  /** The venue's time, whole seconds. */
  readonly venueS: number;
}

export interface ClockSkew {
  /** Add to our clock to get the venue's. */
  readonly offsetMs: number;
  /** Uncertainty of the estimate (± ms). */
  readonly errorMs: number;
}

/** Offset from samples spanning a turn of the venue's second (pure); undefined without a turn. */
export function skewFromSamples(samples: readonly SkewSample[]): ClockSkew | undefined {
  for (let i = 1; i < samples.length; i++) {
    const before = samples[i - 1]!;
    const after = samples[i]!;
    if (after.venueS <= before.venueS) continue;
    // The turn (after.venueS * 1000 on the venue's clock) fell between the previous request's
    // arrival at the venue and this one's: bound both ends by our send/receive times.
    const earliest = before.sentMs;
    const latest = after.receivedMs;
    const turnMs = after.venueS * 1_000;
    return { offsetMs: Math.round(turnMs - (earliest + latest) / 2), errorMs: Math.ceil((latest - earliest) / 2) };
  }
  return undefined;
}

export interface SkewDeps {
  readonly clock: () => number;
  readonly sleep: (ms: number) => Promise<void>;
  /** GET /time: the venue's time in whole seconds. */
  readonly venueTimeS: () => Promise<number>;
  /** Polling step (default 50 ms); at most ~1.2 s of polling. */
  readonly stepMs?: number;
}

export async function measureClockSkew(deps: SkewDeps): Promise<ClockSkew> {
  const step = deps.stepMs ?? 50;
  const samples: SkewSample[] = [];
  for (let i = 0; i < Math.ceil(1_200 / step) + 2; i++) {
    const sentMs = deps.clock();
    const venueS = await deps.venueTimeS();
    samples.push({ sentMs, receivedMs: deps.clock(), venueS });
    const skew = skewFromSamples(samples.slice(-2));
    if (skew) return skew;
    await deps.sleep(step);
  }
  // The second never turned (a frozen or coarse clock): the best single reading, ±0.5 s more.
  const last = samples.at(-1)!;
  return { offsetMs: Math.round(last.venueS * 1_000 + 500 - (last.sentMs + last.receivedMs) / 2), errorMs: 500 + Math.ceil((last.receivedMs - last.sentMs) / 2) };
}

/** GET <clob>/time through fetch, bounded by `timeoutMs`. */
export function venueTimeFrom(clobUrl: string, timeoutMs: number): () => Promise<number> {
  return async () => {
    const res = await fetch(`${clobUrl}/time`, { signal: AbortSignal.timeout(timeoutMs) });
    if (!res.ok) throw new Error(`GET /time: HTTP ${res.status}`);
    const body = (await res.json()) as unknown;
    const s = Number(body);
    if (!Number.isFinite(s) || s <= 0) throw new Error(`GET /time: not a time: ${JSON.stringify(body)?.slice(0, 80)}`);
    return s;
  };
}
