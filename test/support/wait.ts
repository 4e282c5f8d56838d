// Waiting in integration tests: for a condition (polled), never for a fixed stretch of wall clock
// where a condition can say when.
export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** The first truthy value of `f`, polled every 25 ms; an error naming `what` after `ms`. */
export async function until<T>(
  f: () => T | undefined | false | Promise<T | undefined | false>,
  ms: number,
  what: string,
): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await f();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(25);
  }
}
