// The structured logger (winston, JSON lines on stderr). Secrets are scrubbed from every record.
import winston from 'winston';

import type { Logger } from '../domain/index.js';

export type { Logger };

const SECRET_KEYS =
  /^(privateKey|private_key|secret|apiSecret|passphrase|apiPassphrase|POLY_SIGNATURE|POLY_PASSPHRASE|signature|auth)$/i;

/** Replace values of secret-looking keys, at any depth, with `<redacted>`. */
export function scrub(value: unknown, depth = 0): unknown {
  if (depth > 6 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => scrub(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = SECRET_KEYS.test(k) ? '<redacted>' : scrub(v, depth + 1);
  return out;
}

const scrubFormat = winston.format((info) => {
  for (const key of Object.keys(info)) {
    info[key] = SECRET_KEYS.test(key) ? '<redacted>' : scrub(info[key]);
  }
  return info;
});

/**
 * Identical records (level, message and fields) repeated within `windowMs` are dropped and counted; the
 * first one after the window carries `repeated: n`. A failure retried for minutes (a venue that
 * refuses us) is then a line every `windowMs`, not dozens a second.
 */
export function dedupeFormat(windowMs = 10_000, clock: () => number = Date.now): winston.Logform.Format {
  const seen = new Map<string, { atMs: number; dropped: number }>();
  return winston.format((info) => {
    let key: string;
    try {
      key = JSON.stringify(info); // level, message and every field (timestamps come later)
    } catch {
      return info; // not serializable: never dropped
    }
    const now = clock();
    const last = seen.get(key);
    if (last && now - last.atMs < windowMs) {
      last.dropped += 1;
      return false;
    }
    if (seen.size > 1_000) seen.clear();
    seen.set(key, { atMs: now, dropped: 0 });
    if (last?.dropped) info.repeated = last.dropped;
    return info;
  })();
}

export function createLogger(
  level = 'info',
  stream: NodeJS.WritableStream = process.stderr,
  dedupeWindowMs = 10_000,
): Logger {
  return winston.createLogger({
    level,
    format: winston.format.combine(
      dedupeFormat(dedupeWindowMs),
      scrubFormat(),
      winston.format.timestamp(),
      winston.format.json(),
    ),
    transports: [new winston.transports.Stream({ stream })],
  });
}

/** A logger that drops everything, for tests. */
export function silentLogger(): Logger {
  return winston.createLogger({ silent: true, transports: [new winston.transports.Console({ silent: true })] });
}
