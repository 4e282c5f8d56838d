// Builds the effective config: defaults <- config file (JSON or YAML) <- environment (PMM_...) <- CLI flags.
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import type { z } from 'zod';
import { BUILDER_CRED_PATHS, configSchema, ENV_ALIASES, SECRET_PATHS, type Config } from './schema.js';

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

type Tree = Record<string, unknown>;

const isTree = (v: unknown): v is Tree => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Leaf paths of the config, e.g. `churn.minUpdateIntervalMs`, taken from the defaults. */
export function configPaths(): string[] {
  const out: string[] = [];
  const walk = (node: unknown, prefix: string): void => {
    if (isTree(node)) for (const [k, v] of Object.entries(node)) walk(v, prefix ? `${prefix}.${k}` : k);
    else out.push(prefix);
  };
  walk(configSchema.parse({}), '');
  for (const p of SECRET_PATHS) if (!out.includes(p)) out.push(p);
  if (!out.includes('wallet.funder')) out.push('wallet.funder');
  return out;
}

/** `churn.minUpdateIntervalMs` -> `PMM_CHURN_MIN_UPDATE_INTERVAL_MS`. */
export function envNameOf(path: string): string {
  return (
    'PMM_' +
    path
      .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
      .replace(/\./g, '_')
      .toUpperCase()
  );
}

export function setPath(tree: Tree, path: string, value: unknown): void {
  const keys = path.split('.');
  let node = tree;
  for (const key of keys.slice(0, -1)) {
    if (!isTree(node[key])) node[key] = {};
    node = node[key] as Tree;
  }
  node[keys[keys.length - 1]!] = value;
}

function getPath(tree: unknown, path: string): unknown {
  let node = tree;
  for (const key of path.split('.')) node = isTree(node) ? node[key] : undefined;
  return node;
}

function deepMerge(base: Tree, over: Tree): Tree {
  const out: Tree = { ...base };
  for (const [k, v] of Object.entries(over)) {
    if (v === undefined) continue;
    out[k] = isTree(v) && isTree(out[k]) ? deepMerge(out[k] as Tree, v) : v;
  }
  return out;
}

export function readConfigFile(file: string): Tree {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new ConfigError(`config file ${file}: cannot read (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  let parsed: unknown;
  try {
    parsed = /\.ya?ml$/i.test(file) ? parseYaml(text) : JSON.parse(text);
  } catch (err) {
    throw new ConfigError(
      `config file ${file}: not valid ${/\.ya?ml$/i.test(file) ? 'YAML' : 'JSON'}: ${(err as Error).message}`,
    );
  }
  if (parsed == null) return {};
  if (!isTree(parsed)) throw new ConfigError(`config file ${file}: must hold an object at the top level`);
  return parsed;
}

/** Reads a secret file (Docker secrets, systemd credentials); errors name the variable, never the content. */
function readSecretFile(name: string, file: string): string {
  try {
    return readFileSync(file, 'utf8').trim();
  } catch (err) {
    throw new ConfigError(
      `environment ${name}: cannot read ${file} (${(err as NodeJS.ErrnoException).code ?? 'error'})`,
    );
  }
}

/**
 * `PMM_PRIVATE_KEY_FILE` and the like (any secret alias + `_FILE`): the secret is the file's content.
 * `PMM_API_CREDENTIALS_FILE`: the JSON file `polymm keys` writes. True when `name` was one of them.
 */
function secretFromFile(tree: Tree, name: string, file: string): boolean {
  // An empty file means "not set" (compose mounts one when the simulated venue needs no secret).
  if (name === 'PMM_API_CREDENTIALS_FILE') {
    const text = readSecretFile(name, file);
    if (!text) return true;
    let creds: Record<string, unknown>;
    try {
      creds = JSON.parse(text) as Record<string, unknown>;
    } catch (err) {
      throw err instanceof ConfigError
        ? err
        : new ConfigError(`environment ${name}: ${file} is not the JSON file \`polymm keys\` writes`);
    }
    for (const [key, path] of [
      ['apiKey', 'wallet.apiKey'],
      ['secret', 'wallet.apiSecret'],
      ['passphrase', 'wallet.apiPassphrase'],
    ] as const) {
      if (typeof creds[key] !== 'string') throw new ConfigError(`environment ${name}: ${file} has no ${key}`);
      setPath(tree, path, creds[key]);
    }
    return true;
  }
  const path = name.endsWith('_FILE') ? ENV_ALIASES[name.slice(0, -'_FILE'.length)] : undefined;
  if (!path) return false;
  const value = readSecretFile(name, file);
  if (value) setPath(tree, path, value);
  return true;
}

export function fromEnv(env: NodeJS.ProcessEnv): Tree {
  const tree: Tree = {};
  const known = new Map(configPaths().map((p) => [envNameOf(p), p]));
  for (const [name, path] of Object.entries(ENV_ALIASES)) known.set(name, path);
  for (const [name, value] of Object.entries(env)) {
    if (!name.startsWith('PMM_') || value === undefined || name === 'PMM_CONFIG') continue;
    if (secretFromFile(tree, name, value)) continue;
    const path = known.get(name);
    if (!path) throw new ConfigError(`environment ${name}: unknown setting (see \`polymm config print\` for names)`);
    setPath(tree, path, value);
  }
  return tree;
}

function describeIssue(issue: z.core.$ZodIssue, input: unknown): string {
  const path = issue.path.join('.');
  const value = (SECRET_PATHS as readonly string[]).includes(path)
    ? '<redacted>'
    : JSON.stringify(getPath(input, path));
  return `config ${path || '(root)'} = ${value ?? 'undefined'}: ${issue.message}`;
}

function rejectUnknownKeys(tree: Tree): void {
  const known = configPaths();
  const walk = (node: Tree, prefix: string): void => {
    for (const [k, v] of Object.entries(node)) {
      const path = prefix ? `${prefix}.${k}` : k;
      if (known.includes(path)) continue;
      if (isTree(v) && known.some((p) => p.startsWith(path + '.'))) walk(v, path);
      else throw new ConfigError(`config ${path}: unknown setting (see \`polymm config print\` for names)`);
    }
  };
  walk(tree, '');
}

export interface ConfigSources {
  file?: string;
  env?: NodeJS.ProcessEnv;
  /** Flag overrides as a nested object (yargs dot-notation), applied last. */
  flags?: Tree;
}

/** Merge every source and validate; throws ConfigError naming each bad field. */
export function loadConfig(sources: ConfigSources = {}): Config {
  const fileName = sources.file ?? sources.env?.PMM_CONFIG;
  const layers = [fileName ? readConfigFile(fileName) : {}, fromEnv(sources.env ?? {}), sources.flags ?? {}];
  const merged = layers.reduce((acc, layer) => deepMerge(acc, layer), {} as Tree);
  rejectUnknownKeys(merged);
  const result = configSchema.safeParse(merged);
  if (!result.success) {
    throw new ConfigError(result.error.issues.map((i) => describeIssue(i, merged)).join('\n'));
  }
  const cfg = result.data;
  const tt = cfg.targetTotal;
  if (!(tt.min <= tt.base && tt.base <= tt.max && tt.max < 1)) {
    throw new ConfigError(
      `config targetTotal = ${JSON.stringify({ min: tt.min, base: tt.base, max: tt.max })}: need min <= base <= max < 1`,
    );
  }
  checkBuilderCreds(cfg);
  return cfg;
}

/**
 * PROXY, SAFE and DEPOSIT wallets merge and redeem through Polymarket's relayer, which takes submissions only
 * with builder credentials: all three are needed on the live venue (the simulated venue makes up its
 * own when none are given); a partial set is an error anywhere. Messages name the settings, never values.
 */
function checkBuilderCreds(cfg: Config): void {
  const missing = BUILDER_CRED_PATHS.filter((p) => !(getPath(cfg, p) as string | undefined)?.trim());
  const aliases = (paths: readonly string[]): string =>
    paths
      .map((p) => `${p} (${Object.entries(ENV_ALIASES).find(([, to]) => to === p)?.[0] ?? envNameOf(p)})`)
      .join(', ');
  if (missing.length === 0 || missing.length === BUILDER_CRED_PATHS.length) {
    const relayer = cfg.wallet.mode !== 'EOA';
    if (missing.length === 0 || !relayer || cfg.venue === 'sim') return;
    throw new ConfigError(
      `config wallet.mode ${cfg.wallet.mode}: merges and redemptions go through Polymarket's relayer, which needs builder API credentials: set ${aliases(BUILDER_CRED_PATHS)}`,
    );
  }
  throw new ConfigError(`config chain.builder*: the builder API credentials go together; missing ${aliases(missing)}`);
}

/**
 * A redacted config (an event log's header) as settings again: its `<redacted>` secrets left out,
 * so that it loads (a replay needs no secret; the placeholder is no valid key).
 */
export function unredactedFlags(redacted: Record<string, unknown>): Record<string, unknown> {
  const copy = structuredClone(redacted) as Tree;
  for (const path of SECRET_PATHS) {
    if (getPath(copy, path) !== '<redacted>') continue;
    const parts = path.split('.');
    const parent = getPath(copy, parts.slice(0, -1).join('.'));
    if (isTree(parent)) delete parent[parts.at(-1)!];
  }
  return copy;
}

/** A deep copy with every secret replaced by `<redacted>` (or left absent). */
export function redactConfig(cfg: Config): Config {
  const copy = structuredClone(cfg) as unknown as Tree;
  for (const path of SECRET_PATHS) if (getPath(copy, path) !== undefined) setPath(copy, path, '<redacted>');
  return copy as unknown as Config;
}
