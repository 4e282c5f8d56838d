// The fault matrix, short: a few faults of each kind (a blinding one, a refusing one, a disordering
// one), each injected while the whole bot trades on the simulated venue. `polymm faults` runs them all.
import { describe, expect, it } from 'vitest';
import { runMatrix } from '../../src/cli/faults.js';
import { FAULT_CASES, selectCases } from '../../src/cli/faults/cases.js';
import { faultsLine, faultTable } from '../../src/cli/faults/report.js';
import type { FaultResult } from '../../src/cli/faults/run.js';

/** Nothing after the cutoff or stop, nothing lost, reconciled, and the case's own checks held. */
function expectSafe(r: FaultResult): void {
  expect(r, `${r.fault}${r.problem ? `: ${r.problem}` : ''}`).toMatchObject({
    posted_after_cutoff: 0,
    posted_after_stop: 0,
    events_lost: 0,
    reconciled: true,
    ok: true,
  });
}

describe('fault matrix (short)', () => {
  it('knows every fault by name and refuses an unknown one, naming the known ones', () => {
    expect(selectCases(undefined).length).toBe(FAULT_CASES.length);
    expect(() => selectCases(['nope'])).toThrow(/unknown fault "nope"; known: market-ws-dropped/);
  });

  it(
    'chainlink silence, heartbeat failures, a 429 burst and disordered messages: nothing live while blind, after the cutoff or after stop; nothing lost; reconciled',
    { timeout: 150_000 },
    async () => {
      const results = await runMatrix(selectCases(['chainlink-silent', 'heartbeat-fail', 'rest-429', 'ws-disorder']), {
        parallel: 4,
        short: true,
      });
      process.stderr.write(`${faultTable(results)}\n`);
      for (const r of results) {
        expectSafe(r);
        if (r.live_while_blind !== null) expect(r.live_while_blind, r.fault).toBe(0);
      }
      // The blinding faults pause quoting, and quoting comes back after them.
      for (const name of ['chainlink-silent', 'heartbeat-fail']) {
        const r = results.find((x) => x.fault === name)!;
        expect(r.paused_ms, name).not.toBeNull();
        expect(r.resumed_ms, name).not.toBeNull();
      }
      expect(JSON.parse(faultsLine(results))).toEqual({ faults: results });
    },
  );

  it('implausible prices and the venue clock jumping: paused, skipped, reconciled', { timeout: 300_000 }, async () => {
    const results = await runMatrix(selectCases(['implausible-prices', 'venue-clock-jump']), {
      parallel: 3,
      short: true,
    });
    process.stderr.write(`${faultTable(results)}\n`);
    for (const r of results) {
      expectSafe(r);
      expect(r.paused_ms, r.fault).not.toBeNull();
      expect(r.problem, r.fault).toBeUndefined();
    }
  });

  // Alone: it starts two venue processes (through tsx, seconds of CPU each). Beside the cases above,
  // in one full `npm test` on 2026-12-01, implausible-prices had 2 orders accepted after the cutoff.
  it(
    "the venue process SIGKILLed and restored from its store with its chain: paused, reconciled (orders and positions equal the venue's and the chain's), quoting again",
    { timeout: 150_000 },
    async () => {
      const [r] = await runMatrix(selectCases(['venue-restart']), { parallel: 1, short: true });
      process.stderr.write(`${faultTable([r!])}\n${JSON.stringify(r)}\n`);
      expectSafe(r!);
      // With the venue's dev chain: after the restart the chain holds what the bot and the venue hold.
      expect(r!.chain_reconciled).toBe(true);
      expect(r!.paused_ms).not.toBeNull();
      expect(r!.resumed_ms).not.toBeNull();
      expect(r!.problem).toBeUndefined();
    },
  );
});
