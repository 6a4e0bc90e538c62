/**
 * The risk report a person reads for one config: for each property its verdict, one sentence on why
 * (in the terms of this config), and for a violation the shortest trace and what the vendor recommends
 * instead. The sentences come from `advice.ts`; this file only lays them out.
 */
import { type Basis, describeBasis } from '../checker/verdict.ts';
import type { PropertyResult } from './check.ts';
import { numberedTrace, reproduceCommand, savedLines } from './format.ts';

const WIDTH = 100;
const LABEL = 13;

/**
 * Words wrapped to `WIDTH` columns; the first line after `first`, the others indented to match. A KB
 * number stays on one line with its "KB".
 */
export function wrap(text: string, first: string, indent = ' '.repeat(first.length)): string {
  const lines: string[] = [];
  let line = first;
  let empty = true;
  const words = text.replace(/\bKB (?=\d)/g, 'KB\u00a0').split(/[ \t\n]+/);
  for (const word of words.filter((w) => w !== '').map((w) => w.replace('\u00a0', ' '))) {
    if (!empty && line.length + 1 + word.length > WIDTH) {
      lines.push(line);
      line = indent + word;
    } else {
      line += empty ? word : ` ${word}`;
    }
    empty = false;
  }
  lines.push(line);
  return lines.join('\n');
}

function labelled(label: string, text: string): string {
  return wrap(text, `  ${`${label}:`.padEnd(LABEL - 2)}`, ' '.repeat(LABEL));
}

function heading(r: PropertyResult): string {
  if (r.verdict === 'not-applicable') return `${r.property}: not applicable`;
  const basis = basisOf(r);
  if (r.verdict !== 'violated') return `${r.property}: ${describeBasis(r.verdict, basis)}`;
  const expected = r.expected === 'violated' ? ', as this preset documents' : '';
  return `${r.property}: VIOLATED${expected} (${r.basis === 'random' ? `found after ${r.runs} trace${r.runs === 1 ? '' : 's'}` : `a shortest trace, from ${(r.states ?? 0).toLocaleString('en-US')} states explored`})`;
}

/** The result's basis as `checker/verdict.ts` describes it. */
export function basisOf(r: PropertyResult): Basis | undefined {
  if (r.basis === 'random') return { basis: 'random', runs: r.runs };
  if (r.basis === 'exhaustive') return { basis: 'exhaustive', states: r.states ?? 0, bounds: r.bounds ?? {} };
  if (r.basis === 'partial')
    return { basis: 'partial', states: r.states ?? 0, depthComplete: r.depthComplete ?? 0, bounds: r.bounds ?? {}, stopped: 'the state budget (--max-states)' };
  return undefined;
}

/** One property's block. `source` is how to name the config on a command line (`--config FILE`). */
export function propertyReport(r: PropertyResult, source: string): string {
  const lines = [heading(r), labelled('why', r.explanation)];
  if (r.verdict === 'violated') {
    const length = r.actions.length;
    const shrunk = r.originalLength !== null && r.originalLength !== length ? `, shrunk from ${r.originalLength}` : '';
    lines.push(`  trace:     the shortest found, ${length} action${length === 1 ? '' : 's'}${shrunk}:`);
    lines.push(numberedTrace(r.actions, ' '.repeat(LABEL)));
    lines.push(wrap(`=> ${r.message}`, ' '.repeat(LABEL), ' '.repeat(LABEL + 3)));
    if (r.recommendation) lines.push(labelled('instead', `${r.recommendation.text.replace(/\.$/, '')} (${r.recommendation.source}).`));
    lines.push(`  reproduce: ${reproduceCommand(source, r)}`);
    lines.push(...savedLines(r));
  }
  return lines.join('\n');
}

/** Every property of one config, violations first, in catalogue order within each verdict. */
export function riskReport(results: readonly PropertyResult[], source: string): string {
  const order = { violated: 0, unreached: 1, vacuous: 2, holds: 3, reached: 4, 'not-applicable': 5 } as const;
  const sorted = [...results].sort((a, b) => order[a.verdict] - order[b.verdict]);
  return sorted.map((r) => propertyReport(r, source)).join('\n\n');
}
