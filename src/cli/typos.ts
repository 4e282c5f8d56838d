// Typos are usage errors, never a silently different run (issue 13 #2): `polymm strat` must not start
// the bot, and `--dryrun` on a live venue must not trade. Pure helpers: the nearest valid name, the
// message for yargs' unknown-argument report, and the check of `--<config.path>` flags.
import { ConfigError } from '../config/load.js';

/** Levenshtein distance (small strings: command and option names). */
export function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++)
      row.push(Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1)));
    prev = row;
  }
  return prev[b.length]!;
}

/** The candidate closest to `name` when it is plausibly a typo of it (case-insensitive). */
export function nearest(name: string, candidates: readonly string[]): string | undefined {
  const n = name.toLowerCase();
  let best: { c: string; d: number } | undefined;
  for (const c of candidates) {
    const lc = c.toLowerCase();
    const d = lc.startsWith(n) && n.length >= 3 ? 0.5 : editDistance(n, lc);
    if (!best || d < best.d) best = { c, d };
  }
  return best && best.d <= Math.max(2, Math.floor(n.length / 3)) ? best.c : undefined;
}

export interface KnownNames {
  readonly commands: readonly string[];
  /** Option names without dashes (as declared, kebab-case where declared so). */
  readonly options: readonly string[];
  /** The raw arguments, to tell a stray word from an option. */
  readonly tokens: readonly string[];
}

const hint = (s: string | undefined, prefix = ''): string => (s ? `; did you mean "${prefix}${s}"?` : '');

/** yargs' "Unknown argument(s): a, b" as one line per argument, with the nearest valid name. */
export function unknownArgsMessage(msg: string, known: KnownNames): string | undefined {
  const m = /^Unknown arguments?: (.*)$/.exec(msg.trim());
  if (!m) return undefined;
  const words = m[1]!
    .split(', ')
    .map((w) => w.trim())
    .filter(Boolean);
  const firstWord = known.tokens.find((t) => !t.startsWith('-'));
  return words
    .map((w) => {
      const asOption = known.tokens.some((t) => t.replace(/^-+/, '').split('=')[0] === w && t.startsWith('-'));
      if (!asOption && w === firstWord)
        return `polymm: unknown command "${w}"${hint(nearest(w, known.commands))} (commands: ${known.commands.join(', ')})`;
      if (!asOption) return `polymm: unexpected argument "${w}"`;
      return `polymm: unknown option "--${w}"${hint(nearest(w, known.options), '--')}`;
    })
    .join('\n');
}

type Tree = Record<string, unknown>;
const isTree = (v: unknown): v is Tree => typeof v === 'object' && v !== null && !Array.isArray(v);

/** `--<path> value` flags must name a config field: throws naming the nearest one. */
export function checkConfigFlags(argv: Readonly<Record<string, unknown>>, paths: readonly string[]): void {
  const roots = new Set(paths.map((p) => p.split('.')[0]!));
  const walk = (node: unknown, path: string): void => {
    if (paths.includes(path)) return;
    if (isTree(node) && paths.some((p) => p.startsWith(path + '.'))) {
      for (const [k, v] of Object.entries(node)) walk(v, `${path}.${k}`);
      return;
    }
    throw new ConfigError(`polymm: unknown option "--${path}"${hint(nearest(path, paths), '--')}`);
  };
  for (const [key, value] of Object.entries(argv)) if (roots.has(key) && !paths.includes(key)) walk(value, key);
}
