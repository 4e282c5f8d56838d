// The fault matrix's outputs: a table for people (stderr) and the {"faults":[…]} contract line (stdout).
import type { FaultResult } from './run.js';

const COLUMNS: readonly [keyof FaultResult, string][] = [
  ['fault', 'fault'],
  ['paused_ms', 'paused ms'],
  ['live_while_blind', 'live blind'],
  ['posted_after_cutoff', 'after cutoff'],
  ['posted_after_stop', 'after stop'],
  ['events_lost', 'lost'],
  ['reconciled', 'reconciled'],
  ['resumed_ms', 'resumed ms'],
  ['live_at_injection', 'live at inject'],
  ['ok', 'ok'],
];

const cell = (v: FaultResult[keyof FaultResult]): string =>
  v === null ? '-' : typeof v === 'boolean' ? (v ? 'yes' : 'NO') : String(v);

/** A Markdown table (it reads as well in a terminal as in the README). */
export function faultTable(results: readonly FaultResult[]): string {
  const rows = results.map((r) => COLUMNS.map(([k]) => cell(r[k])));
  const widths = COLUMNS.map(([, h], i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: readonly string[]): string => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  return [line(COLUMNS.map(([, h]) => h)), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

export const faultsLine = (results: readonly FaultResult[]): string => JSON.stringify({ faults: results });
