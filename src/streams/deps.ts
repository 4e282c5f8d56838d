// What every stream needs from the outside world, injected so tests and replay can drive it.
import type { SchedulerLike } from 'rxjs';
import type { Logger } from '../domain/index.js';
import type { SocketDeps } from './socket.js';

export interface StreamDeps extends SocketDeps {
  readonly scheduler?: SchedulerLike;
  readonly clock: () => number;
  readonly logger: Logger;
  readonly fetch?: typeof fetch;
}
