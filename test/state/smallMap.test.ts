import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SmallMap } from '../../src/state/smallMap.js';

type Op = { kind: 'with'; key: string; value: number } | { kind: 'filter'; below: number };

const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant('with' as const), key: fc.constantFrom('a', 'b', 'c', 'd', 'e'), value: fc.nat(9) }),
  fc.record({ kind: fc.constant('filter' as const), below: fc.nat(10) }),
);

describe('SmallMap', () => {
  it('holds what a Map holds after the same updates, in the same order, and leaves the map it came from as it was', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 40 }), (ops) => {
        let model = new Map<string, number>();
        let small = SmallMap.empty<number>();
        for (const o of ops) {
          const before = [...small];
          const prev = small;
          if (o.kind === 'with') {
            model = new Map(model).set(o.key, o.value);
            small = small.with(o.key, o.value);
          } else {
            model = new Map([...model].filter(([, v]) => v < o.below));
            small = small.filter((v) => v < o.below);
          }
          expect([...prev]).toEqual(before);
          expect([...small]).toEqual([...model]);
          expect(small.size).toBe(model.size);
          for (const k of ['a', 'b', 'c', 'd', 'e', 'z']) {
            expect(small.get(k)).toBe(model.get(k));
            expect(small.has(k)).toBe(model.has(k));
          }
          expect([...small.keys()]).toEqual([...model.keys()]);
          expect([...small.values()]).toEqual([...model.values()]);
          const seen: [string, number][] = [];
          small.forEach((v, k) => seen.push([k, v]));
          expect(seen).toEqual([...model]);
          for (let i = 0; i < small.size; i++) expect([small.keyAt(i), small.valueAt(i)]).toEqual([...model][i]);
          expect(small.sameKeys(prev)).toBe(JSON.stringify([...small.keys()]) === JSON.stringify([...prev.keys()]));
        }
      }),
      { numRuns: 500 },
    );
  });

  it('returns itself when an update changes nothing', () => {
    const m = SmallMap.empty<number>().with('a', 1).with('b', 2);
    expect(m.with('a', 1)).toBe(m);
    expect(m.filter(() => true)).toBe(m);
    expect(SmallMap.of(m)).toBe(m);
    expect([...SmallMap.of(new Map([['x', 1]]))]).toEqual([['x', 1]]);
  });
});
