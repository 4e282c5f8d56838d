// The structured logger (winston, JSON lines on stderr). Secrets are scrubbed from every record.
import winston from 'winston';

export type Logger = winston.Logger;

const SECRET_KEYS = /^(privateKey|private_key|secret|apiSecret|passphrase|apiPassphrase|POLY_SIGNATURE|POLY_PASSPHRASE|signature|auth)$/i;

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

export function createLogger(level = 'info', stream: NodeJS.WritableStream = process.stderr): Logger {
  return winston.createLogger({
    level,
    format: winston.format.combine(scrubFormat(), winston.format.timestamp(), winston.format.json()),
    transports: [new winston.transports.Stream({ stream })],
  });
}

/** A logger that drops everything, for tests. */
export function silentLogger(): Logger {
  return winston.createLogger({ silent: true, transports: [new winston.transports.Console({ silent: true })] });
}
