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
      results[i] = fc.run ? await fc.run({ durationScale }) : await runFault(fc, { durationScale });
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
