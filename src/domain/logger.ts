// Where every layer writes its log lines, as a port: streams, operators and sinks take a Logger,
// and only the logging sink (sinks/logger.ts, winston) knows how lines are written.

type LogMethod = (message: string, meta?: Record<string, unknown>) => unknown;

export interface Logger {
  readonly error: LogMethod;
  readonly warn: LogMethod;
  readonly info: LogMethod;
  readonly debug: LogMethod;
}
