// Human durations for CLI flags: "500ms", "30s", "10m", "1h", or a bare number of seconds.
import { ConfigError } from '../config/load.js';

const UNITS: Readonly<Record<string, number>> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 };

export function parseDuration(text: string): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(text.trim());
  if (!match) throw new ConfigError(`duration "${text}": expected a number with ms, s, m or h (e.g. 30s)`);
  return Math.round(Number(match[1]) * UNITS[match[2] ?? 's']!);
}
