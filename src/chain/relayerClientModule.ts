// Polymarket's relayer client (and the builder signing SDK it authenticates with), loaded with a
// private console. The client writes its progress and the requests it signs with console.log /
// console.error; replacing the process's console while its calls run would also swallow (or, with
// two calls overlapping, permanently keep) every other module's output. Instead these packages'
// CommonJS files are compiled here with `console` as one more parameter of the module wrapper: in
// them `console` is the one given, nothing global changes. Their other dependencies (viem, axios,
// ethers, tslib) load through Node's require as usual, shared with the rest of the process.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, sep } from 'node:path';
import { format } from 'node:util';
import { compileFunction } from 'node:vm';

export type RelayerClientModule = typeof import('@polymarket/builder-relayer-client');
export type BuilderSigningModule = typeof import('@polymarket/builder-signing-sdk');

/** The packages that get the private console: those that write to it. */
const PRIVATE_PACKAGES = ['@polymarket/builder-relayer-client', '@polymarket/builder-signing-sdk'] as const;

// The signing SDK is the relayer client's own dependency: resolved from there.
const relayerEntry = createRequire(import.meta.url).resolve(PRIVATE_PACKAGES[0]);
const signingEntry = createRequire(relayerEntry).resolve(PRIVATE_PACKAGES[1]);
const packageRoot = (entry: string, name: string): string =>
  entry.slice(0, entry.lastIndexOf(name.split('/').join(sep)) + name.length) + sep;
const roots = [packageRoot(relayerEntry, PRIVATE_PACKAGES[0]), packageRoot(signingEntry, PRIVATE_PACKAGES[1])];
/** A file of one of those packages, not of a dependency nested in its own node_modules. */
const isPrivate = (file: string): boolean =>
  roots.some((r) => file.startsWith(r) && !file.slice(r.length).includes(`node_modules${sep}`));

const WRAPPER_PARAMS = ['exports', 'require', 'module', '__filename', '__dirname', 'console'];

/** A console whose every line goes to `write` (formatted as console.log formats it). */
export function privateConsole(write: (line: string) => void): Console {
  const line = (...a: unknown[]): void => write(format(...a));
  const noop = (): void => undefined;
  return {
    ...globalThis.console,
    log: line,
    info: line,
    warn: line,
    error: line,
    debug: line,
    trace: line,
    dir: (x: unknown) => line(x),
    table: (x: unknown) => line(x),
    group: line,
    groupCollapsed: line,
    groupEnd: noop,
    time: noop,
    timeEnd: noop,
    timeLog: noop,
    count: noop,
    countReset: noop,
    assert: (ok?: unknown, ...a: unknown[]) => void (ok ? undefined : line('Assertion failed:', ...a)),
  } as Console;
}

/**
 * A fresh instance of the relayer client and the builder signing SDK whose console writes to `write`.
 * Each call compiles their files anew (a few dozen small files): two sinks never share a console.
 */
export function loadRelayerClient(write: (line: string) => void): {
  readonly relayer: RelayerClientModule;
  readonly signing: BuilderSigningModule;
} {
  const console = privateConsole(write);
  const cache = new Map<string, { exports: unknown }>();
  const load = (file: string): unknown => {
    const hit = cache.get(file);
    if (hit) return hit.exports;
    const module: { exports: unknown } = { exports: {} };
    cache.set(file, module);
    if (file.endsWith('.json')) {
      module.exports = JSON.parse(readFileSync(file, 'utf8')) as unknown;
      return module.exports;
    }
    const fileRequire = createRequire(file);
    const require = (id: string): unknown => {
      const resolved = fileRequire.resolve(id);
      return isPrivate(resolved) ? load(resolved) : fileRequire(id);
    };
    const wrapper = compileFunction(readFileSync(file, 'utf8'), WRAPPER_PARAMS, { filename: file });
    wrapper.call(module.exports, module.exports, require, module, file, dirname(file), console);
    return module.exports;
  };
  return {
    relayer: load(relayerEntry) as RelayerClientModule,
    signing: load(signingEntry) as BuilderSigningModule,
  };
}
