// `polymm faults`: the fault matrix. Each fault the live venue produces is injected into the
// simulated venue while the whole bot trades on it; prints a table (stderr) and {"faults":[…]}
// (stdout); exit 1 when any run breaks a hard check.
import { selectCases, type FaultCase } from './faults/cases.js';
import { faultsLine, faultTable } from './faults/report.js';
import { runFault, type FaultResult } from './faults/run.js';

export interface FaultsOptions {
  readonly only?: readonly string[];
  /** Runs at once (faults that cannot interfere: each run has its own venue and bot). */
  readonly parallel: number;
  /** Shorter faults (CI). */
  readonly short: boolean;
}

function failedRun(fault: string, e: unknown): FaultResult {
  return {
    fault,
    paused_ms: null,
    live_while_blind: null,
    posted_after_cutoff: 0,
    posted_after_stop: 0,
    events_lost: 0,
    reconciled: false,
    resumed_ms: null,
    live_at_injection: 0,
    ok: false,
    problem: `the run failed: ${e instanceof Error ? e.message : String(e)}`,
  };
}

/** Run the cases, `parallel` at a time, in their listed order of results. */
export async function runMatrix(
  cases: readonly FaultCase[],
  opts: Pick<FaultsOptions, 'parallel' | 'short'>,
  onResult: (r: FaultResult) => void = () => undefined,
): Promise<FaultResult[]> {
  const results: FaultResult[] = new Array<FaultResult>(cases.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    for (let i = next++; i < cases.length; i = next++) {
      const fc = cases[i]!;
      const durationScale = opts.short ? 0.5 : 1;
      // A run that cannot even start (a bot or venue not up in time) is a failed row, not the end of the matrix.
      results[i] = await (fc.run ? fc.run({ durationScale }) : runFault(fc, { durationScale })).catch(
        (e: unknown): FaultResult => failedRun(fc.name, e),
      );
      onResult(results[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(opts.parallel, cases.length)) }, worker));
  return results;
}

export async function runFaultsCommand(opts: FaultsOptions): Promise<number> {
  const cases = selectCases(opts.only);
  const t0 = Date.now();
  process.stderr.write(
    `fault matrix: ${cases.length} faults, ${opts.parallel} at a time${opts.short ? ' (short)' : ''}\n`,
  );
  const results = await runMatrix(cases, opts, (r) =>
    process.stderr.write(`  ${r.fault}: ${r.ok ? 'ok' : 'FAILED'}${r.problem ? ` (${r.problem})` : ''}\n`),
  );
  process.stderr.write(`${faultTable(results)}\n(${Math.round((Date.now() - t0) / 1000)} s)\n`);
  console.log(faultsLine(results));
  return results.every((r) => r.ok) ? 0 : 1;
}
