// The closed-id set against its definition: a version remembers exactly the last CLOSED_KEPT ids it
// closed, whatever other versions of the same shared log did later (states are kept and branched:
// replay, a step that throws and keeps the state before it, the strategy's markets and the sink
// all starting from EMPTY).
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { CLOSED_KEPT, ClosedOrders } from '../../src/execution/closedOrders.js';

/** The definition: every id a version closed, in order; it knows the last CLOSED_KEPT of them. */
const knows = (closed: readonly string[]): Set<string> => new Set(closed.slice(-CLOSED_KEPT));

describe('ClosedOrders', () => {
  it('answers as the definition for every version, branches and re-closed forgotten ids included', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.nat(), fc.nat(CLOSED_KEPT + 150)), {
          minLength: 600,
          maxLength: 1_500,
        }),
        (ops) => {
          const versions: { set: ClosedOrders; closed: string[] }[] = [{ set: ClosedOrders.EMPTY, closed: [] }];
          for (const [roll, pick, n] of ops) {
            // Mostly the newest version (appends in place), sometimes an older one (a branch).
            const from = roll < 0.85 ? versions[versions.length - 1]! : versions[pick % versions.length]!;
            const id = `id${n}`;
            const set = from.set.add(id);
            const known = knows(from.closed).has(id);
            expect(set === from.set).toBe(known);
            versions.push({ set, closed: known ? from.closed : [...from.closed, id] });
          }
          const ids = Array.from({ length: CLOSED_KEPT + 151 }, (_, n) => `id${n}`);
          for (const v of versions) {
            const want = knows(v.closed);
            expect(v.set.size).toBe(want.size);
            const wrong = ids.filter((id) => v.set.has(id) !== want.has(id));
            expect(wrong).toEqual([]);
          }
        },
      ),
      { numRuns: 10 },
    );
  });

  it('keeps its log bounded on a long straight run', () => {
    let c = ClosedOrders.EMPTY;
    for (let i = 0; i < 20 * CLOSED_KEPT; i++) c = c.add(`x${i}`);
    const log = (c as unknown as { log: { seq: Map<string, number> } }).log;
    expect(log.seq.size).toBeLessThanOrEqual(2 * CLOSED_KEPT);
    expect(c.size).toBe(CLOSED_KEPT);
    expect(c.has(`x${20 * CLOSED_KEPT - CLOSED_KEPT}`)).toBe(true);
    expect(c.has(`x${20 * CLOSED_KEPT - CLOSED_KEPT - 1}`)).toBe(false);
  });
});
