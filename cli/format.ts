/** Text rendering of check results: tables a person reads. */
import type { Action } from '../model/actions.ts';
import { describeAction } from '../model/actions.ts';
import type { PropertyResult } from './check.ts';
import { meetsExpectation } from './check.ts';

export function table(rows: readonly (readonly string[])[], indent = ''): string {
  const widths: number[] = [];
  for (const row of rows)
    for (const [i, cell] of row.entries()) widths[i] = Math.max(widths[i] ?? 0, cell.length);
  return rows
    .map((row) => indent + row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i]!))).join('  ').trimEnd())
    .join('\n');
}

export function numberedTrace(actions: readonly Action[], indent = '    '): string {
  if (actions.length === 0) return `${indent}(no actions: the initial state)`;
  const width = String(actions.length).length;
  return actions.map((a, i) => `${indent}${String(i + 1).padStart(width)}. ${describeAction(a)}`).join('\n');
}

function verdictCell(result: PropertyResult): string {
  if (result.verdict === 'not-applicable') return 'n/a';
  if (result.verdict === 'reached') return 'reached';
  if (result.verdict === 'unreached') return 'NOT REACHED';
  if (result.verdict === 'violated') return result.expected === 'violated' ? 'violated (expected)' : 'VIOLATED';
  const cell = holdsCell(result);
  return result.expected === 'violated' ? `${cell} (expected a violation!)` : cell;
}

/** A holding verdict never bare: `verified` (every reachable state explored) or `sampled` (random traces, or an exploration cut short). */
export function holdsCell(result: PropertyResult): string {
  if (result.verdict === 'vacuous') return 'vacuous';
  return result.basis === 'exhaustive' ? 'verified' : 'sampled';
}

/** What a verdict rests on, for a table: `exhaustive 12,345 states`, `500 traces`. */
export function basisCell(result: PropertyResult): string {
  if (result.verdict === 'not-applicable' || result.basis === null) return '-';
  if (result.basis === 'random') return `${result.runs.toLocaleString('en-US')} traces`;
  return `${result.basis} ${(result.states ?? 0).toLocaleString('en-US')} states`;
}

/** How often each action type was generated, over every search in `results`: `crash 1203, recover 980, …`. */
export function generatedSummary(results: readonly PropertyResult[]): string {
  const totals: Record<string, number> = {};
  for (const r of results) for (const [type, n] of Object.entries(r.generated)) totals[type] = (totals[type] ?? 0) + n;
  const entries = Object.entries(totals).sort((a, b) => b[1] - a[1]);
  return entries.length === 0 ? 'no actions generated' : entries.map(([type, n]) => `${type} ${n}`).join(', ');
}

/** The reproduce line for a violation: the same search, from the same seed, straight to the failing case. */
export function reproduceCommand(source: string, result: PropertyResult): string {
  // An exploration is deterministic: the same command finds the same shortest trace, with no seed.
  if (result.basis !== 'random') return `npx pgp-cluster-check check ${source} --property ${result.property}`;
  const path = result.path ? ` --path "${result.path}"` : '';
  return `npx pgp-cluster-check check ${source} --property ${result.property} --seed ${result.seed}${path}`;
}

export function violationReport(result: PropertyResult, source: string): string {
  const how =
    result.basis === 'random'
      ? `found after ${result.runs} trace${result.runs === 1 ? '' : 's'}, shrunk from ${result.originalLength} to ${result.actions.length} action${result.actions.length === 1 ? '' : 's'}`
      : `a shortest trace (${result.actions.length} action${result.actions.length === 1 ? '' : 's'}), found by exploring ${(result.states ?? 0).toLocaleString('en-US')} states`;
  const lines = [
    `${result.config}: ${result.property} is violated${result.expected === 'violated' ? ' (as this preset documents)' : ''}; ${how}:`,
    numberedTrace(result.actions),
    `    => ${result.message}`,
    `  reproduce: ${reproduceCommand(source, result)}`,
  ];
  lines.push(...savedLines(result));
  return lines.join('\n');
}

/** Where a violation was saved, and how to replay it (nothing when it was not saved). */
export function savedLines(result: PropertyResult): string[] {
  if (!result.counterexample) return [];
  const already =
    result.saved === 'unchanged'
      ? ' (already there: the same violation was saved before)'
      : result.saved === 'known'
        ? ' (already there: another trace of this violation on this config; this one is not saved again)'
        : '';
  return [`  saved:     ${result.counterexample}${already}`, `  replay:    npx pgp-cluster-check replay ${result.counterexample}`];
}

/** One config: a row per property. */
export function resultTable(results: readonly PropertyResult[]): string {
  const rows = [['property', 'kind', 'verdict', 'basis', 'resync rounds']];
  for (const r of results) {
    rows.push([r.property, r.kind, verdictCell(r), basisCell(r), r.rounds === null ? '-' : String(r.rounds)]);
  }
  return table(rows, '  ');
}

/** Every preset: properties down, presets across, at most six presets to a block so it fits a terminal. */
export function presetMatrix(presets: readonly string[], results: readonly PropertyResult[]): string {
  const blocks: string[] = [];
  for (let start = 0; start < presets.length; start += 6) blocks.push(matrixBlock(presets.slice(start, start + 6), results));
  return blocks.join('\n\n');
}

function matrixBlock(presets: readonly string[], results: readonly PropertyResult[]): string {
  const properties = [...new Set(results.map((r) => r.property))];
  const rows = [['property', ...presets]];
  for (const property of properties) {
    rows.push([
      property,
      ...presets.map((preset) => {
        const r = results.find((x) => x.config === preset && x.property === property);
        if (!r) return '';
        const cell = r.verdict === 'not-applicable' ? 'n/a' : r.verdict === 'holds' || r.verdict === 'vacuous' ? holdsCell(r) : r.verdict;
        return meetsExpectation(r) ? cell : `${cell.toUpperCase()}!`;
      }),
    ]);
  }
  return table(rows, '  ');
}

export { verdictCell };
