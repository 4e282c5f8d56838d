// One segment of a split backtest on a worker thread (src/backtest/segments.ts): runs it, posting its
// progress as it goes and its outcome (plain data) at the end. A failure ends the worker with the error.
import { parentPort, workerData } from 'node:worker_threads';
import { createLogger, silentLogger } from '../sinks/logger.js';
import { runBacktest } from './run.js';
import { outcomeOf, type SegmentJob, type SegmentMessage } from './segments.js';
import { threadTime, threadTimeSince } from './threadTime.js';

const job = workerData as SegmentJob;
const post = (m: SegmentMessage): void => parentPort!.postMessage(m);
const { logLevel, ...options } = job;
const started = threadTime();
const r = await runBacktest({
  ...options,
  logger: logLevel === 'silent' ? silentLogger() : createLogger(logLevel),
  onProgress: (done) => post({ progress: done }),
});
post({ outcome: outcomeOf(r, threadTimeSince(started)) });
