/** Text rendering of check results: tables a person reads. */
import type { Action } from '../model/actions.ts';
import { describeAction } from '../model/step.ts';
import type { Basis } from '../checker/verdict.ts';
import type { PropertyResult } from '../pgp/check.ts';
import { meetsExpectation } from '../pgp/check.ts';
import { oneLine, shellCommand } from '../io/untrusted.ts';
import { reproduceCommand } from '../traces/save.ts';
import { widest, wrapCommand, wrapText } from './width.ts';

export function table(rows: readonly (readonly string[])[], indent = ''): string {
  const widths: number[] = [];
  for (const row of rows)
    for (const [i, cell] of row.entries()) widths[i] = Math.max(widths[i] ?? 0, cell.length);
  return rows
    .map((row) => indent + row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i]!))).join('  ').trimEnd())
    .join('\n');
}

/**
 * A table that fits `width` columns: when its rows are wider, its columns are split into blocks, one
 * under the other, each repeating the first `keep` columns (the row's name) and each as wide as fits.
 * `right(i)` says which columns are right-aligned (numbers). A single column wider than the width is
 * left whole (an unbreakable cell).
 */
export function fittedTable(
  rows: readonly (readonly string[])[],
  width: number,
  { indent = '', keep = 1, right = () => false }: { indent?: string; keep?: number; right?: (column: number) => boolean } = {},
): string {
  const columns = Math.max(0, ...rows.map((r) => r.length));
  const widths = Array.from({ length: columns }, (_, i) => Math.max(0, ...rows.map((r) => (r[i] ?? '').length)));
  const kept = Array.from({ length: Math.min(keep, columns) }, (_, i) => i);
  const base = indent.length + kept.reduce((sum, i) => sum + widths[i]! + 2, 0);
  const blocks: number[][] = [];
  let block: number[] = [];
  let used = base;
  for (let i = kept.length; i < columns; i++) {
    if (block.length > 0 && used + widths[i]! > width) {
      blocks.push(block);
      block = [];
      used = base;
    }
    block.push(i);
    used += widths[i]! + 2;
  }
  if (block.length > 0 || blocks.length === 0) blocks.push(block);
  const render = (cells: readonly number[]) =>
    rows
      .map(
        (row) =>
          indent +
          cells
            .map((i, at) => {
              const cell = row[i] ?? '';
              return right(i) ? cell.padStart(widths[i]!) : at === cells.length - 1 ? cell : cell.padEnd(widths[i]!);
            })
            .join('  ')
            .trimEnd(),
      )
      .join('\n');
  return blocks.map((b) => render([...kept, ...b])).join('\n\n');
}

export function numberedTrace(actions: readonly Action[], indent = '    '): string {
  if (actions.length === 0) return `${indent}(no actions: the initial state)`;
  const width = String(actions.length).length;
  return actions.map((a, i) => `${indent}${String(i + 1).padStart(width)}. ${oneLine(describeAction(a))}`).join('\n');
}

function verdictCell(result: PropertyResult): string {
  if (result.verdict === 'not-applicable') return 'n/a';
  if (result.verdict === 'reached') return 'reached';
  if (result.verdict === 'unreached') return 'NOT REACHED';
  if (result.verdict === 'violated') return result.accepted ? 'accepted' : result.expected === 'violated' ? 'violated (expected)' : 'VIOLATED';
  const cell = holdsCell(result);
  return result.expected === 'violated' ? `${cell} (expected a violation!)` : cell;
}

/** A holding verdict never bare: `verified` (every reachable state explored) or `sampled` (random traces, or an exploration cut short). */
export function holdsCell(result: { readonly verdict: string; readonly basis: Pick<Basis, 'basis'> | null }): string {
  if (result.verdict === 'vacuous') return 'vacuous';
  return result.basis?.basis === 'exhaustive' ? 'verified' : 'sampled';
}

/** What a verdict rests on, for a table: `exhaustive 12,345 states`, `500 traces`. */
export function basisCell(result: PropertyResult): string {
  const { basis } = result;
  if (result.verdict === 'not-applicable' || basis === null) return '-';
  if (basis.basis === 'random') return `${basis.runs.toLocaleString('en-US')} traces`;
  return `${basis.basis} ${basis.states.toLocaleString('en-US')} states`;
}

/** How often each action type was generated, over every search in `results`: `crash 1203, recover 980, …`. */
export function generatedSummary(results: readonly PropertyResult[]): string {
  const totals: Record<string, number> = {};
  for (const r of results) for (const [type, n] of Object.entries(r.generated)) totals[type] = (totals[type] ?? 0) + n;
  const entries = Object.entries(totals).sort((a, b) => b[1] - a[1]);
  return entries.length === 0 ? 'none (no random search generated an action)' : entries.map(([type, n]) => `${type} ${n}`).join(', ');
}

export function violationReport(result: PropertyResult, source: string, width = Number.POSITIVE_INFINITY): string {
  const { basis } = result;
  const actions = result.finding?.actions ?? [];
  const plural = `${actions.length} action${actions.length === 1 ? '' : 's'}`;
  const how =
    basis?.basis === 'random'
      ? `found after ${basis.runs} trace${basis.runs === 1 ? '' : 's'}, shrunk from ${result.finding?.originalLength ?? null} to ${plural}`
      : `a shortest trace (${plural}), found by exploring ${(basis?.states ?? 0).toLocaleString('en-US')} states`;
  const lines = [
    wrapText(`${oneLine(result.config)}: ${result.property} is violated${result.expected === 'violated' ? ' (as this preset documents)' : ''}; ${how}:`, width, '', '  '),
    numberedTrace(actions),
    wrapText(`=> ${oneLine(result.finding?.message ?? '')}`, width, '    ', '       '),
    wrapCommand(`${reproduceCommand(source, result)}`, width, '  reproduce: ', '               '),
  ];
  for (const line of savedLines(result)) lines.push(line.startsWith('  replay:') ? wrapCommand(line.trim().replace(/^replay: +/, ''), width, '  replay:    ', '               ') : wrapText(line.trim().replace(/^saved: +/, ''), width, '  saved:     '));
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
  return [`  saved:     ${oneLine(result.counterexample)}${already}`, `  replay:    ${shellCommand(['npx', 'pgp-cluster-check', 'replay', result.counterexample])}`];
}

/** One config: a row per property. */
export function resultTable(results: readonly PropertyResult[]): string {
  // `rounds` counts replication hops until the cluster went quiet; 0 means nothing was owed.
  const rows = [['property', 'kind', 'verdict', 'basis', 'hops until quiet']];
  for (const r of results) {
    rows.push([r.property, r.kind, verdictCell(r), basisCell(r), r.settlingRounds === null ? '-' : r.settlingRounds === 0 ? 'nothing owed' : String(r.settlingRounds)]);
  }
  return table(rows, '  ');
}

/** Every preset: properties down, presets across, as many presets to a block as fit `width` columns. */
export function presetMatrix(presets: readonly string[], results: readonly PropertyResult[], width = Number.POSITIVE_INFINITY): string {
  const blocks: string[] = [];
  let start = 0;
  while (start < presets.length) {
    // At least one preset a block; then more while the widest line fits.
    let end = start + 1;
    while (end < presets.length && widest(matrixBlock(presets.slice(start, end + 1), results)) <= width) end++;
    blocks.push(matrixBlock(presets.slice(start, end), results));
    start = end;
  }
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
