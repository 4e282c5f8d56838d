// A command line that cannot be run as given (a bad option value, an unknown name): exit 2 with the
// message, like a bad setting.
export class UsageError extends Error {
  override readonly name = 'UsageError';
}
