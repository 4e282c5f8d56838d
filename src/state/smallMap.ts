// An immutable map of a few string keys (the markets in play: a handful), copied on write as two
// short arrays. The state replaces one market on most inputs; copying a `Map` for that cost more
// than the rest of the update (profile of `polymm stress`), copying two arrays of five does not.

export class SmallMap<V> implements ReadonlyMap<string, V> {
  private constructor(
    private readonly ks: readonly string[],
    private readonly vs: readonly V[],
  ) {}

  static empty<V>(): SmallMap<V> {
    return new SmallMap<V>([], []);
  }

  /** The same entries, in the same order (`m` itself when it is one already). */
  static of<V>(m: ReadonlyMap<string, V>): SmallMap<V> {
    return m instanceof SmallMap ? (m as SmallMap<V>) : new SmallMap([...m.keys()], [...m.values()]);
  }

  get size(): number {
    return this.ks.length;
  }

  private indexOf(key: string): number {
    const ks = this.ks;
    for (let i = 0; i < ks.length; i++) if (ks[i] === key) return i;
    return -1;
  }

  /** The key and value at position `i` (insertion order), for loops that allocate nothing. */
  keyAt(i: number): string {
    return this.ks[i]!;
  }

  valueAt(i: number): V {
    return this.vs[i]!;
  }

  /** The same keys in the same order as `other` (known without comparing them when one was made from the other by `with`). */
  sameKeys(other: SmallMap<unknown>): boolean {
    if (this.ks === other.ks) return true;
    if (this.ks.length !== other.ks.length) return false;
    for (let i = 0; i < this.ks.length; i++) if (this.ks[i] !== other.ks[i]) return false;
    return true;
  }

  get(key: string): V | undefined {
    const i = this.indexOf(key);
    return i < 0 ? undefined : this.vs[i];
  }

  has(key: string): boolean {
    return this.indexOf(key) >= 0;
  }

  /** With `key` set to `value` (a new key goes last, as in a `Map`); this map if it already was. */
  with(key: string, value: V): SmallMap<V> {
    const i = this.indexOf(key);
    if (i >= 0 && this.vs[i] === value) return this;
    const vs = this.vs.slice();
    if (i >= 0) {
      vs[i] = value;
      return new SmallMap(this.ks, vs);
    }
    vs.push(value);
    return new SmallMap([...this.ks, key], vs);
  }

  /** The entries `keep` accepts; this map if it accepts all. */
  filter(keep: (value: V, key: string) => boolean): SmallMap<V> {
    const ks: string[] = [];
    const vs: V[] = [];
    for (let i = 0; i < this.ks.length; i++) {
      if (!keep(this.vs[i]!, this.ks[i]!)) continue;
      ks.push(this.ks[i]!);
      vs.push(this.vs[i]!);
    }
    return ks.length === this.ks.length ? this : new SmallMap(ks, vs);
  }

  forEach(f: (value: V, key: string, map: ReadonlyMap<string, V>) => void): void {
    for (let i = 0; i < this.ks.length; i++) f(this.vs[i]!, this.ks[i]!, this);
  }

  keys(): MapIterator<string> {
    return this.ks[Symbol.iterator]();
  }

  values(): MapIterator<V> {
    return this.vs[Symbol.iterator]();
  }

  entries(): MapIterator<[string, V]> {
    return this.ks.map((k, i): [string, V] => [k, this.vs[i]!])[Symbol.iterator]();
  }

  [Symbol.iterator](): MapIterator<[string, V]> {
    return this.entries();
  }
}
