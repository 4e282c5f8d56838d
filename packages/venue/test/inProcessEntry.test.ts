// `@polymm/venue/in-process` (the backtest's entry) must stay light: nothing it reaches imports an
// Ethereum library, the CLOB client or an HTTP server. Follows the relative imports from its source.
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = resolve(import.meta.dirname, '../src');
const HEAVY = /^(ethers|viem|@polymarket\/|node:https?$|ws$)/;

/** Every module reached from `entry` by value imports (type-only imports are erased), with its package imports. */
function reach(entry: string): Map<string, string[]> {
  const seen = new Map<string, string[]>();
  const visit = (file: string): void => {
    if (seen.has(file)) return;
    const text = readFileSync(file, 'utf8');
    const specs = [...text.matchAll(/^(?:import|export)\s+(?!type\b)[^;]*?from\s+'([^']+)'/gms)].map((m) => m[1]!);
    seen.set(
      file,
      specs.filter((s) => !s.startsWith('.')),
    );
    for (const s of specs.filter((x) => x.startsWith('.'))) visit(resolve(dirname(file), s.replace(/\.js$/, '.ts')));
  };
  visit(entry);
  return seen;
}

describe('@polymm/venue/in-process', () => {
  it('reaches the core and the socket hub, and no Ethereum library, CLOB client or HTTP server', () => {
    const graph = reach(resolve(SRC, 'inProcess.ts'));
    const files = [...graph.keys()].map((f) => f.slice(SRC.length + 1));
    expect(files).toEqual(expect.arrayContaining(['core/venue.ts', 'server/sockets.ts', 'server/creds.ts']));
    expect(files).not.toContain('server/auth.ts');
    const heavy = [...graph].flatMap(([f, pkgs]) => pkgs.filter((p) => HEAVY.test(p)).map((p) => `${f}: ${p}`));
    expect(heavy).toEqual([]);
  });

  it('the full entry does reach them (the check can see an import)', () => {
    const graph = reach(resolve(SRC, 'index.ts'));
    expect([...graph.values()].flat()).toEqual(expect.arrayContaining(['ethers', '@polymarket/clob-client-v2']));
  });
});
