// The offset of our clock to the venue's (issue 13 #8). With the bot's clock 8 s behind, every
// settlement tick looked 8 s old and the bot never quoted, saying only "chainlink stale". The venue's
// GET /time answers whole seconds, so one reading is ±0.5 s: we poll it until its second turns over;
// the turn happened during the first request that saw it, which pins the offset to about half a
// round trip plus half the polling step.

import {
  catchError,
  EMPTY,
  exhaustMap,
  interval,
  map,
  mergeMap,
  of,
  scan,
  take,
  type Observable,
  type SchedulerLike,
} from 'rxjs';
import type { StaleEvent } from '../domain/index.js';

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
  return skewOfSample(samples.at(-1)!);
}

/** One reading of whole seconds: the offset to within half a second plus half the round trip. */
export function skewOfSample(s: SkewSample): ClockSkew {
  return {
    offsetMs: Math.round(s.venueS * 1_000 + 500 - (s.sentMs + s.receivedMs) / 2),
    errorMs: 500 + Math.ceil((s.receivedMs - s.sentMs) / 2),
  };
}

export interface SkewWatchDeps {
  /** The bot's clock (already corrected by the offset measured at start). */
  readonly clock: () => number;
  readonly scheduler: SchedulerLike;
  /** GET /time: the venue's time in whole seconds (one answer, or an error). */
  readonly venueTime$: () => Observable<number>;
}

/**
 * The clock offset re-measured every `recheckMs` (one reading each time, on the injected scheduler):
 * the `clock` feed turns stale while the bot's clock is off the venue's by more than `maxMs` beyond
 * the reading's uncertainty (the bot pauses: halt `clock_skew`), fresh again once it is within. A
 * failed reading changes nothing (the REST and socket feeds report a venue that does not answer).
 */
export function clockSkewWatch$(
  deps: SkewWatchDeps,
  p: { readonly recheckMs: number; readonly maxMs: number },
): Observable<StaleEvent> {
  return interval(p.recheckMs, deps.scheduler).pipe(
    exhaustMap(() => {
      const sentMs = deps.clock();
      return deps.venueTime$().pipe(
        take(1),
        map((venueS) => skewOfSample({ sentMs, receivedMs: deps.clock(), venueS })),
        catchError(() => EMPTY),
      );
    }),
    scan(
      (acc: { skewed: boolean; out?: StaleEvent }, skew): { skewed: boolean; out?: StaleEvent } => {
        const skewed = Math.abs(skew.offsetMs) - skew.errorMs > p.maxMs;
        if (skewed === acc.skewed) return { skewed };
        const detail = `the venue's clock is ${Math.abs(skew.offsetMs)} ms ${skew.offsetMs >= 0 ? 'ahead of' : 'behind'} ours (±${skew.errorMs} ms; limit clockSkew.maxMs = ${p.maxMs} ms)`;
        return { skewed, out: { kind: 'stale', tsMs: deps.clock(), feed: 'clock', stale: skewed, detail } };
      },
      { skewed: false },
    ),
    mergeMap((acc) => (acc.out ? of(acc.out) : EMPTY)),
  );
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
