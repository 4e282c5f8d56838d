// Polymarket's weekly matching-engine restart (protocol.md §6b): Tuesdays 07:00 US Eastern, order
// endpoints answer 425 for ~90 s, then ~2 minutes of post-only mode, on the wall clock's schedule
// (StartVenueOptions.weeklyRestart). The fault knobs engineRestart, postOnlyMode and cancelOnly
// force the same answers at any time.
export type EngineMode = 'normal' | 'restarting' | 'postOnly' | 'cancelOnly';

export const ENGINE_MODES: readonly EngineMode[] = ['normal', 'restarting', 'postOnly', 'cancelOnly'];
export const RESTART_MS = 90_000;
export const POST_ONLY_MS = 120_000;

/** Minutes since Tuesday 00:00 in New York at `ms`, and the seconds within the minute. */
function newYorkWeekMs(ms: number): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: 'America/New_York',
    weekday: 'short',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
    hourCycle: 'h23',
  }).formatToParts(new Date(ms));
  const get = (t: string): string => parts.find((p) => p.type === t)?.value ?? '0';
  const day = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'].indexOf(get('weekday'));
  return (
    (((day * 24 + Number(get('hour'))) * 60 + Number(get('minute'))) * 60 + Number(get('second'))) * 1000 + (ms % 1000)
  );
}

/** The scheduled mode at `ms`: restarting from Tuesday 07:00 ET for 90 s, then post-only for 2 min. */
export function weeklyMode(ms: number): EngineMode {
  const sinceRestart = newYorkWeekMs(ms) - (2 * 24 + 7) * 3_600_000;
  if (sinceRestart >= 0 && sinceRestart < RESTART_MS) return 'restarting';
  if (sinceRestart >= RESTART_MS && sinceRestart < RESTART_MS + POST_ONLY_MS) return 'postOnly';
  return 'normal';
}

export interface EngineRefusal {
  readonly status: number;
  readonly error: string;
}

/** What an order or cancel call gets in this mode (undefined: served as usual). */
export function engineRefusal(
  mode: EngineMode,
  call: 'order' | 'cancel',
  postOnly: boolean,
): EngineRefusal | undefined {
  if (mode === 'restarting') return { status: 425, error: 'Too Early: the matching engine is restarting' };
  if (mode === 'cancelOnly' && call === 'order') return { status: 503, error: 'the exchange is in cancel-only mode' };
  if (mode === 'postOnly' && call === 'order' && !postOnly)
    return { status: 425, error: 'the exchange is in post-only mode: only post-only orders are accepted' };
  return undefined;
}
