// Generators shared by the fuzz tests: values that break careless parsers, and a mutation of a real
// JSON tree (one node replaced by such a value, or a field dropped).
import fc from 'fast-check';

/** Values that break careless parsers. */
export const nasty = fc.oneof(
  fc.constantFrom(
    'NaN',
    'Infinity',
    '-Infinity',
    '1e309',
    '-1',
    '0',
    '',
    ' ',
    'null',
    '[]',
    '{}',
    '0x10',
    '1e12',
    '\u0000',
    'BUY',
    'SELL',
    'MATCHED',
    'FAILED',
  ),
  fc.constantFrom(NaN, Infinity, -Infinity, 1e308, -1e308, -0, 2 ** 53 + 1, 1e12, -1, 0, 1, 0.5),
  fc.constantFrom(null, true, false, [], {}),
  fc.double(),
  fc.string({ maxLength: 20 }),
);

export type Json = unknown;
/** Replace one randomly chosen node of a JSON tree (by a path of indices) with a nasty value. */
export function mutate(tree: Json, path: readonly number[], value: Json): Json {
  if (path.length === 0 || tree === null || typeof tree !== 'object') return value;
  const [head, ...rest] = path as [number, ...number[]];
  if (Array.isArray(tree)) {
    if (tree.length === 0) return value;
    const i = head % tree.length;
    return tree.map((v, j) => (j === i ? mutate(v, rest, value) : v));
  }
  const keys = Object.keys(tree);
  if (keys.length === 0) return value;
  const key = keys[head % keys.length]!;
  if (rest.length === 0 && head % 7 === 0) {
    const { [key]: _dropped, ...without } = tree as Record<string, unknown>;
    return without; // a missing field
  }
  return { ...(tree as Record<string, unknown>), [key]: mutate((tree as Record<string, unknown>)[key], rest, value) };
}
