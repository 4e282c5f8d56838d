// The local book's level update: one pass in place of filter + sort, the same levels for any
// sequence of changes on any sorted side.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { BookLevel } from '../../src/domain/index.js';
import { setLevel } from '../../src/streams/book.js';

/** The former rule, as the reference: drop the level, add it back if non-empty, sort the side. */
const reference = (levels: readonly BookLevel[], price: number, size: number, desc: boolean): BookLevel[] => {
  const out = levels.filter((l) => Math.abs(l.price - price) > 1e-9);
  if (size > 0) out.push({ price, size });
  return out.sort((a, b) => (desc ? b.price - a.price : a.price - b.price));
};

describe('setLevel', () => {
  it('inserts, replaces and removes in order, on both sides', () => {
    const bids = [
      { price: 0.5, size: 10 },
      { price: 0.48, size: 5 },
    ];
    expect(setLevel(bids, 0.49, 7, true).map((l) => l.price)).toEqual([0.5, 0.49, 0.48]);
    expect(setLevel(bids, 0.51, 7, true).map((l) => l.price)).toEqual([0.51, 0.5, 0.48]);
    expect(setLevel(bids, 0.47, 7, true).map((l) => l.price)).toEqual([0.5, 0.48, 0.47]);
    expect(setLevel(bids, 0.5, 3, true)).toEqual([
      { price: 0.5, size: 3 },
      { price: 0.48, size: 5 },
    ]);
    expect(setLevel(bids, 0.48, 0, true)).toEqual([{ price: 0.5, size: 10 }]);
    expect(setLevel([], 0.3, 0, false)).toEqual([]);
    expect(setLevel([{ price: 0.52, size: 1 }], 0.51, 2, false).map((l) => l.price)).toEqual([0.51, 0.52]);
    expect(bids).toHaveLength(2); // the input is not changed
  });

  it('gives the levels the sorting rule gives, for any sequence of changes (removals among them)', () => {
    const change = fc.record({
      price: fc.integer({ min: 1, max: 999 }).map((n) => n / 1000),
      size: fc.oneof(
        fc.constant(0),
        fc.integer({ min: 1, max: 10_000 }).map((n) => n / 100),
      ),
    });
    fc.assert(
      fc.property(fc.boolean(), fc.array(change, { maxLength: 120 }), (desc, changes) => {
        let a: BookLevel[] = [];
        let b: BookLevel[] = [];
        for (const c of changes) {
          a = setLevel(a, c.price, c.size, desc);
          b = reference(b, c.price, c.size, desc);
          expect(a).toEqual(b);
        }
      }),
      { numRuns: 300 },
    );
  });
});
