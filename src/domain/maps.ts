// Maps as values, for the folds that never mutate their state: a change makes a new map, and an
// unchanged one stays the same object (so a fold can tell that nothing changed).

/** The map with `key` set to `value` (a copy). */
export const withEntry = <K, V>(map: ReadonlyMap<K, V>, key: K, value: V): Map<K, V> => new Map(map).set(key, value);

/** The map without `keys` (a copy, or the same map when it holds none of them). */
export function without<K, V>(map: ReadonlyMap<K, V>, keys: readonly K[]): ReadonlyMap<K, V> {
  if (!keys.some((k) => map.has(k))) return map;
  const next = new Map(map);
  for (const k of keys) next.delete(k);
  return next;
}
