import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  actionFinished,
  actionNotSent,
  EMPTY_MEMORY,
  inventoryTick,
  type ChainPosition,
  type InventoryAction,
  type InventoryLimits,
  type InventoryMemory,
  type WalletMode,
} from '../../src/inventory/engine.js';

const L: InventoryLimits = {
  enabled: true,
  minSets: 10,
  maxOpsPerMinute: 2,
  relayerMinSets: 1,
  relayerDailyCap: 5,
  relayerRedeemReserve: 2,
};
const T = 1_000_000_000;
const pos = (id: string, up: number, down: number, o: Partial<ChainPosition> = {}): ChainPosition => ({
  conditionId: id,
  up,
  down,
  endMs: T + 60_000,
  resolved: false,
  ...o,
});
const kinds = (as: readonly InventoryAction[]) =>
  as.map((a) =>
    a.kind === 'merge' ? `merge ${a.conditionId} ${a.sets}` : a.kind === 'redeem' ? `redeem ${a.conditionId}` : `pause`,
  );

describe('InventoryEngine thresholds', () => {
  it('an EOA merges from minSets before the end, any full set after it; a relayer wallet from relayerMinSets', () => {
    const ps = [pos('a', 9.5, 20), pos('b', 12.3456789, 15)];
    expect(kinds(inventoryTick(T, ps, 'EOA', L, EMPTY_MEMORY).actions)).toEqual(['merge b 12.345678']);
    expect(kinds(inventoryTick(T + 60_000, [pos('a', 9.5, 20)], 'EOA', L, EMPTY_MEMORY).actions)).toEqual([
      'merge a 9.5',
    ]);
    expect(kinds(inventoryTick(T, [pos('a', 1.5, 3)], 'PROXY', L, EMPTY_MEMORY).actions)).toEqual(['merge a 1.5']);
    expect(kinds(inventoryTick(T, [pos('a', 0.5, 3)], 'SAFE', L, EMPTY_MEMORY).actions)).toEqual([]);
  });

  it('redeems a resolved market once, first, and never merges it', () => {
    const ps = [pos('m', 20, 20), pos('r', 30, 20, { resolved: true })];
    const r1 = inventoryTick(T, ps, 'EOA', L, EMPTY_MEMORY);
    expect(kinds(r1.actions)).toEqual(['redeem r', 'merge m 20']);
    const r2 = inventoryTick(T + 1, ps, 'EOA', L, actionFinished(r1.memory, 'redeem:r', true));
    expect(kinds(r2.actions)).toEqual([]); // r done; m still in flight
    expect(kinds(inventoryTick(T, [pos('z', 0, 0, { resolved: true })], 'EOA', L, EMPTY_MEMORY).actions)).toEqual([]);
  });

  it('merge.enabled=false: no merges, one pause (redemptions go on)', () => {
    const off = { ...L, enabled: false };
    const r1 = inventoryTick(T, [pos('a', 50, 50), pos('r', 1, 0, { resolved: true })], 'EOA', off, EMPTY_MEMORY);
    expect(r1.actions).toEqual([
      { kind: 'redeem', id: 'redeem:r', conditionId: 'r' },
      { kind: 'pauseMerges', reason: 'merges disabled (merge.enabled=false)' },
    ]);
    expect(inventoryTick(T + 1, [pos('a', 50, 50)], 'EOA', off, r1.memory).actions).toEqual([]);
  });
});

describe('InventoryEngine rate caps', () => {
  it('EOA: at most maxOpsPerMinute, then one pause; the next minute goes on', () => {
    const ps = ['a', 'b', 'c', 'd'].map((id, i) => pos(id, 20, 20, { endMs: T + i }));
    const r1 = inventoryTick(T, ps, 'EOA', L, EMPTY_MEMORY);
    expect(kinds(r1.actions)).toEqual(['merge a 20', 'merge b 20', 'pause']);
    const done = ['merge:a:0', 'merge:b:0'].reduce((m, id) => actionFinished(m, id, true), r1.memory);
    expect(inventoryTick(T + 30_000, ps.slice(2), 'EOA', L, done).actions).toEqual([]); // paused already said
    expect(kinds(inventoryTick(T + 60_000, ps.slice(2), 'EOA', L, done).actions)).toEqual(['merge c 20', 'merge d 20']);
  });

  it('relayer: merges stop at the daily cap less the redemption reserve; redemptions use the reserve', () => {
    let mem: InventoryMemory = EMPTY_MEMORY;
    const got: string[] = [];
    for (let i = 0; i < 6; i++) {
      const r = inventoryTick(T + i * 1000, [pos(`m${i}`, 5, 5)], 'PROXY', L, mem);
      got.push(...kinds(r.actions));
      mem = r.actions.reduce((m, a) => (a.kind === 'merge' ? actionFinished(m, a.id, true) : m), r.memory);
    }
    expect(got.filter((k) => k.startsWith('merge')).length).toBe(3);
    expect(got.filter((k) => k === 'pause').length).toBe(1);
    const redeem = inventoryTick(
      T + 7000,
      [pos('x', 5, 0, { resolved: true }), pos('y', 0, 5, { resolved: true }), pos('z', 1, 0, { resolved: true })],
      'PROXY',
      L,
      mem,
    );
    expect(kinds(redeem.actions)).toEqual(['redeem x', 'redeem y']);
    expect(
      kinds(
        inventoryTick(T + 86_400_000 + 7000, [pos('z', 1, 0, { resolved: true })], 'PROXY', L, redeem.memory).actions,
      ),
    ).toEqual(['redeem z']);
  });
});

describe('InventoryEngine properties', () => {
  const position = fc.record({
    conditionId: fc.constantFrom('a', 'b', 'c', 'd', 'e'),
    up: fc.double({ min: 0, max: 500, noNaN: true }),
    down: fc.double({ min: 0, max: 500, noNaN: true }),
    endMs: fc.integer({ min: T, max: T + 600_000 }),
    resolved: fc.boolean(),
  });
  const step = fc.record({
    dt: fc.integer({ min: 0, max: 40_000 }),
    positions: fc.uniqueArray(position, { selector: (p) => p.conditionId, maxLength: 5 }),
    finish: fc.array(fc.boolean(), { maxLength: 5 }),
  });
  const modes: WalletMode[] = ['EOA', 'PROXY', 'SAFE', 'DEPOSIT'];

  it('caps hold in every rolling window, merges never exceed what is held, and no id is issued while in flight or after done', () => {
    fc.assert(
      fc.property(fc.constantFrom(...modes), fc.array(step, { maxLength: 30 }), (mode, steps) => {
        let now = T;
        let mem = EMPTY_MEMORY;
        const issued: { id: string; at: number }[] = [];
        const done = new Set<string>();
        for (const s of steps) {
          now += s.dt;
          const r = inventoryTick(now, s.positions, mode, L, mem);
          for (const a of r.actions) {
            if (a.kind === 'pauseMerges') continue;
            expect(mem.inFlight.has(a.id)).toBe(false);
            expect(done.has(a.id)).toBe(false);
            issued.push({ id: a.id, at: now });
            const p = s.positions.find((x) => x.conditionId === a.conditionId)!;
            if (a.kind === 'merge') {
              expect(p.resolved).toBe(false);
              expect(a.sets).toBeGreaterThan(0);
              expect(a.sets).toBeLessThanOrEqual(Math.min(p.up, p.down));
            } else expect(p.resolved).toBe(true);
          }
          mem = r.memory;
          [...mem.inFlight.keys()].forEach((id, i) => {
            if (s.finish[i] === undefined) return;
            if (s.finish[i]) done.add(id);
            mem = actionFinished(mem, id, s.finish[i]!);
          });
        }
        const window = mode === 'EOA' ? 60_000 : 86_400_000;
        const cap = mode === 'EOA' ? L.maxOpsPerMinute : L.relayerDailyCap;
        for (const a of issued)
          expect(issued.filter((b) => b.at >= a.at && b.at - a.at < window).length).toBeLessThanOrEqual(cap);
      }),
      { numRuns: 300 },
    );
  });

  it('is deterministic: the same inputs give the same actions and ids', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...modes),
        fc.uniqueArray(position, { selector: (p) => p.conditionId, maxLength: 5 }),
        (mode, ps) => {
          expect(inventoryTick(T, ps, mode, L, EMPTY_MEMORY)).toEqual(
            inventoryTick(T, [...ps].reverse(), mode, L, EMPTY_MEMORY),
          );
        },
      ),
    );
  });
});

describe('operations dropped unsent', () => {
  it('give their slot back: a merge wanted before the chain shows the tokens does not eat the daily cap', () => {
    let mem: InventoryMemory = EMPTY_MEMORY;
    // 50 rounds of a merge the sink found nothing on chain for yet (cap 5 a day, 2 kept for redemptions).
    for (let i = 0; i < 50; i++) {
      const r = inventoryTick(T + i * 1000, [pos('a', 3, 3)], 'PROXY', L, mem);
      expect(kinds(r.actions)).toEqual(['merge a 3']);
      mem = actionNotSent(r.memory, (r.actions[0] as { id: string }).id);
    }
    expect(mem.opsMs).toEqual([]);
    expect(mem.inFlight.size).toBe(0);
    expect(mem.issuedMs?.size).toBe(0);
  });

  it('while one that was sent and failed still counts', () => {
    let mem: InventoryMemory = EMPTY_MEMORY;
    const seen: string[] = [];
    for (let i = 0; i < 5; i++) {
      const r = inventoryTick(T + i * 1000, [pos('a', 3, 3)], 'PROXY', L, mem);
      seen.push(...kinds(r.actions));
      const merge = r.actions.find((a) => a.kind === 'merge');
      mem = merge ? actionFinished(r.memory, merge.id, false) : r.memory;
    }
    expect(seen.filter((k) => k.startsWith('merge'))).toHaveLength(3);
    expect(seen).toContain('pause');
  });
});
