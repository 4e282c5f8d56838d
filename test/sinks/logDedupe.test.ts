// Identical log records are folded (issue 13 #5: a refused key made ~26 lines a second).
import { describe, expect, it } from 'vitest';
import { Writable } from 'node:stream';
import winston from 'winston';
import { dedupeFormat } from '../../src/sinks/logger.js';

describe('dedupeFormat', () => {
  it('drops repeats within the window, and the next record after it says how many', () => {
    let now = 0;
    const lines: Array<Record<string, unknown>> = [];
    const logger = winston.createLogger({
      format: winston.format.combine(
        dedupeFormat(10_000, () => now),
        winston.format.json(),
      ),
      transports: [
        new winston.transports.Stream({
          stream: new Writable({
            write: (c: Buffer, _e, done) => (lines.push(JSON.parse(c.toString()) as Record<string, unknown>), done()),
          }),
        }),
      ],
    });
    for (let i = 0; i < 50; i++, now += 100) logger.error('cancel-all failed; retrying', { error: 'HTTP 401' });
    logger.error('cancel-all failed; retrying', { error: 'HTTP 429' }); // a different record passes
    now = 10_000;
    logger.error('cancel-all failed; retrying', { error: 'HTTP 401' });
    expect(lines.map((l) => [l.error, l.repeated])).toEqual([
      ['HTTP 401', undefined],
      ['HTTP 429', undefined],
      ['HTTP 401', 49],
    ]);
  });
});
