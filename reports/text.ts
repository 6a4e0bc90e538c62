/**
 * The risk report a person reads for one config. One screen first: the risks found (property, the
 * members its shortest trace involves, that trace's length), the promises that held with what they rest
 * on, what does not apply (one line) and the guards in one line. Then the details: for each property its
 * verdict, one sentence on why (in the terms of this config), and for a violation the shortest trace and
 * what the vendor recommends instead; then the guards under their own heading, reached or not reached.
 * The sentences come from `advice.ts`; this file only lays them out, wrapped to the terminal's width.
 */
import { describeBasis } from '../checker/verdict.ts';
import type { ClusterConfig } from '../config/schema.ts';
import { membersInvolved } from '../pgp/accept.ts';
import type { CheckedChangeJson } from '../pgp/advice-check.ts';
import { byOrigin, originLabel } from '../pgp/patches.ts';
import { list } from '../pgp/advice.ts';
import type { PropertyResult } from '../pgp/check.ts';
import { reproduceCommand } from '../traces/save.ts';
import { describeAction } from '../model/step.ts';
import { stoppedExplorations, verdictOf } from './summary.ts';
import { oneLine } from '../io/untrusted.ts';
import { terminalWidth, wrapCommand, wrapText } from './width.ts';

const LABEL = 13;

/**
 * Words wrapped to the terminal's width (or `width`); the first line after `first`, the others indented
 * to match. A KB number stays on one line with its "KB".
 */
export function wrap(text: string, first: string, indent = ' '.repeat(first.length), width = terminalWidth()): string {
  return wrapText(text, width, first, indent);
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** `holds (no violation in 500 random traces)`, `holds (verified: every reachable state, 1,234 states)`. */
function holdsText({ basis }: PropertyResult): string {
  return basis === null || basis.basis === 'random' ? `holds (no violation in ${plural(basis?.runs ?? 0, 'random trace')})` : describeBasis('holds', basis);
}

function labelled(label: string, text: string, width: number): string {
  return wrap(text, label === '' ? ' '.repeat(LABEL) : `  ${`${label}:`.padEnd(LABEL - 2)}`, ' '.repeat(LABEL), width);
}

function heading(r: PropertyResult): string {
  if (r.verdict === 'not-applicable') return `${r.property}: not applicable`;
  if (r.verdict === 'holds') return `${r.property}: ${holdsText(r)}`;
  if (r.verdict !== 'violated') return `${r.property}: ${describeBasis(r.verdict, r.basis ?? undefined)}`;
  const { basis } = r;
  const found = basis?.basis === 'random' ? `found after ${plural(basis.runs, 'trace')}` : `a shortest trace, from ${(basis?.states ?? 0).toLocaleString('en-US')} states explored`;
  if (r.accepted) return `${r.property}: violated, accepted (${found}): ${r.accepted.reason}`;
  const expected = r.expected === 'violated' ? ', as this preset documents' : '';
  return `${r.property}: VIOLATED${expected} (${found})`;
}

/** "Replication hops until quiet", the most any settling of the search took; 0 means nothing was owed. */
export function settlingText(rounds: number): string {
  return rounds === 0 ? 'nothing owed: replication had nothing to deliver' : `up to ${plural(rounds, 'replication hop')} until quiet`;
}

/** One property's block. `source` is how to name the config on a command line (`--config FILE`). */
export function propertyReport(r: PropertyResult, source: string, width = terminalWidth()): string {
  const lines = [wrap(heading(r), '', '    ', width), labelled('why', oneLine(r.explanation), width)];
  if (r.verdict === 'holds' && r.settlingRounds !== null) lines.push(labelled('settling', settlingText(r.settlingRounds), width));
  if (r.verdict === 'violated') {
    const actions = r.finding?.actions ?? [];
    const length = actions.length;
    const shrunk = r.finding !== null && r.finding.originalLength !== length ? `, shrunk from ${r.finding.originalLength}` : '';
    lines.push(labelled('trace', `the shortest found, ${plural(length, 'action')}${shrunk}:`, width));
    const digits = String(length).length;
    for (const [i, a] of actions.entries()) lines.push(wrap(describeAction(a), `${' '.repeat(LABEL)}${String(i + 1).padStart(digits)}. `, undefined, width));
    if (length === 0) lines.push(`${' '.repeat(LABEL)}(no actions: the initial state)`);
    const hypothetical = hypotheticalLine(r);
    if (hypothetical !== undefined) lines.push(wrap(hypothetical, `${' '.repeat(LABEL)}${' '.repeat(digits)}  `, undefined, width));
    lines.push(wrap(`=> ${oneLine(r.finding?.message ?? '')}`, ' '.repeat(LABEL), ' '.repeat(LABEL + 3), width));
    if (r.recommendation) lines.push(labelled('instead', `${originLabel(r.recommendation.by, r.recommendation.source)}: ${r.recommendation.text}`, width));
    lines.push(...adviceLines(r, width));
    lines.push(wrapCommand(reproduceCommand(source, r), width, '  reproduce: ', ' '.repeat(LABEL + 2)));
    if (r.counterexample) {
      const already =
        r.saved === 'unchanged' ? ' (already there: the same violation was saved before)' : r.saved === 'known' ? ' (already there: another trace of this violation; this one is not saved again)' : '';
      lines.push(wrap(`${oneLine(r.counterexample)}${already}`, '  saved:     ', undefined, width));
      lines.push(wrapCommand(`npx pgp-cluster-check replay ${r.counterexample}`, width, '  replay:    ', ' '.repeat(LABEL + 2)));
    }
  }
  return lines.join('\n');
}

/**
 * The members a violation's property takes down after replication quiesces ("with any maxDown members
 * down"): failures no action of the trace shows, marked as hypothetical.
 */
export function hypotheticalLine(r: PropertyResult): string | undefined {
  const down = r.needs?.hypothetical ?? [];
  const split = r.needs?.hypotheticalSplit ?? [];
  if (down.length === 0 && split.length === 0) return undefined;
  const what = [...(split.length === 0 ? [] : [`site ${list(split)} split off`]), ...(down.length === 0 ? [] : [`${list(down)} down`])];
  const allows = [...(split.length === 0 ? [] : ['any faults.maxSiteSplits sites split off']), ...(down.length === 0 ? [] : ['any faults.maxDown members down'])];
  const none =
    split.length === 0
      ? `takes ${down.length === 1 ? 'it' : 'them'} down`
      : down.length === 0
        ? `splits ${split.length === 1 ? 'it' : 'them'} off`
        : 'does either';
  return `then, hypothetically: ${what.join(' and ')} (the property allows ${allows.join(' and ')} once replication has quiesced; no action of the trace ${none})`;
}

/** What a risk needs, for the summary: the members its trace names, what it has down or cut, and the hypothetical outage. */
export function needsText(config: ClusterConfig, r: PropertyResult): string {
  const needs = r.needs;
  if (needs === undefined || needs === null) {
    const members = membersInvolved(config, r.finding?.actions ?? []);
    return members.length === 0 ? 'no member in particular' : list(members);
  }
  const named = needs.named.length === 0 ? 'no member in particular' : list(needs.named);
  const down = [...needs.down, ...needs.hypothetical.filter((m) => !needs.down.includes(m))];
  // Which of them only the property takes down (hypothetically), and which came back before it failed.
  const notes = [
    ...(needs.hypothetical.length === 0 ? [] : [needs.hypothetical.length === down.length ? 'hypothetically' : `${list(needs.hypothetical)} hypothetically`]),
    ...(needs.back.length === 0 ? [] : [`${needs.back.length === down.length ? '' : `${list(needs.back)} `}then back`]),
  ];
  const failures = [
    ...(down.length === 0 ? [] : [`${list(down)} down${notes.length === 0 ? '' : ` (${notes.join('; ')})`}`]),
    ...(needs.cut.length === 0 ? [] : [`${needs.cut.length === 1 ? 'link' : 'links'} ${list(needs.cut)} cut`]),
    ...(needs.split.length === 0 ? [] : [`site ${list(needs.split)} split off`]),
    ...(needs.hypotheticalSplit.length === 0 ? [] : [`site ${list(needs.hypotheticalSplit)} split off (hypothetically)`]),
  ];
  return failures.length === 0 ? `${named}; needs no failure` : `${named}; needs ${list(failures)}`;
}

/** A checked change in lines: who gives it, the fields it sets, and what checking the changed config showed. */
function changeLines(label: string, change: CheckedChangeJson, property: string, width: number, both: boolean): string[] {
  const lines = byOrigin(change.patches).map((text, i) => labelled(i === 0 ? label : '', text, width));
  for (const c of change.changes) lines.push(wrap(c.text, ' '.repeat(LABEL + 2), ' '.repeat(LABEL + 4), width));
  const withIt = both ? 'with both' : 'with this change';
  const outcome =
    change.unfixed.length > 0
      ? `${withIt}, ${property} is still violated; npx pgp-cluster-check repair searches combinations`
      : change.worse.length > 0
        ? `${withIt}, ${property} holds, but ${list(change.worse.map((w) => `${w.property} gets worse (${w.before} -> ${w.after})`))}`
        : `${withIt}, ${property} holds and nothing else gets worse`;
  lines.push(labelled('checked', `${outcome} (${change.basis})`, width));
  return lines;
}

/** A violation's advice as a config change, with what checking it showed; or that the advice is no config change. */
function adviceLines(r: PropertyResult, width: number): string[] {
  const advice = r.checkedAdvice;
  if (advice === undefined || advice === null) return [];
  if (advice.change === null) return [labelled('change', 'none: the advice above is an operational step, not a change of the config', width)];
  const lines = changeLines('change', advice.change, r.property, width, false);
  if (advice.combination !== null) {
    const extra = { ...advice.combination, patches: advice.combination.patches.filter((p) => !advice.change!.patches.some((q) => q.summary === p.summary)) };
    const fields = new Set(advice.change.changes.map((c) => c.field + (c.member ?? '')));
    lines.push(...changeLines('with also', { ...extra, changes: extra.changes.filter((c) => !fields.has(c.field + (c.member ?? ''))) }, r.property, width, true));
  } else if (advice.change.worse.length > 0 && advice.change.unfixed.length === 0)
    lines.push(labelled('', 'no combination with the other properties\' advice was found that makes nothing worse; npx pgp-cluster-check repair searches further', width));
  return lines;
}

/** Two columns, the second wrapped under itself: `  name  text`. */
function rows(entries: readonly (readonly [string, string])[], width: number): string[] {
  const column = Math.min(Math.max(0, ...entries.map(([name]) => name.length)), Math.floor(width / 2));
  return entries.map(([name, text]) =>
    name.length > column ? wrap(text, `  ${name}  `, ' '.repeat(column + 4), width) : wrap(text, `  ${name.padEnd(column)}  `, undefined, width),
  );
}

export interface ReportOptions {
  /** How to name the config on a command line (`--config FILE`). */
  readonly source: string;
  /** The config, to name the members a trace involves. */
  readonly config: ClusterConfig;
  readonly width?: number;
  /** Stale acceptances, one line each. */
  readonly stale?: readonly string[];
}

/** The one-screen summary: risks, promises that held, not applicable, guards, stale acceptances. */
export function summaryScreen(results: readonly PropertyResult[], options: ReportOptions): string {
  const width = options.width ?? terminalWidth();
  const promises = results.filter((r) => r.kind !== 'sometimes');
  const guards = results.filter((r) => r.kind === 'sometimes' && r.verdict !== 'not-applicable');
  const risks = promises.filter((r) => r.verdict === 'violated');
  const held = promises.filter((r) => r.verdict !== 'violated' && r.verdict !== 'not-applicable');
  const notApplicable = results.filter((r) => r.verdict === 'not-applicable');
  const accepted = risks.filter((r) => r.accepted).length;
  const out: string[] = [];
  // First, what is not a proof because an exploration did not finish (the words every output uses).
  for (const stopped of stoppedExplorations(results)) out.push(wrap(stopped.message, '', '  ', width));
  out.push(risks.length === 0 ? 'Risks: none found' : `Risks: ${risks.length} found${accepted > 0 ? `, ${accepted} accepted` : ''}`);
  out.push(
    ...rows(
      risks.map((r) => {
        const accept = r.accepted ? `; accepted: ${r.accepted.reason}` : '';
        return [r.property, `${needsText(options.config, r)}; shortest trace ${plural(r.finding?.actions.length ?? 0, 'action')}${accept}`] as const;
      }),
      width,
    ),
  );
  if (held.length > 0) {
    out.push(`Promises kept: ${held.length}`);
    out.push(...rows(held.map((r) => [r.property, r.verdict === 'holds' ? holdsText(r).replace(/^holds \((.*)\)$/, '$1') : describeBasis(verdictOf(r), r.basis ?? undefined)] as const), width));
  }
  if (notApplicable.length > 0) out.push(wrap(notApplicable.map((r) => r.property).join(', '), `Not applicable (${notApplicable.length}): `, '  ', width));
  if (guards.length > 0) {
    const missed = guards.filter((r) => verdictOf(r) === 'unreached');
    const reached = guards.length - missed.length;
    const which = missed.length === 0 ? '' : `; NOT REACHED: ${missed.map((r) => r.property).join(', ')} (the properties they guard may pass vacuously)`;
    out.push(wrap(`${reached} reached, ${missed.length} not reached${which}`, 'Guards: ', '  ', width));
  }
  for (const line of options.stale ?? []) out.push(wrap(line, 'Stale: ', '  ', width));
  return out.join('\n');
}

/** Summary first; then every promise (violations first, in catalogue order within each verdict); then the guards. */
export function riskReport(results: readonly PropertyResult[], options: ReportOptions): string {
  const width = options.width ?? terminalWidth();
  const order: Record<string, number> = { violated: 0, vacuous: 1, holds: 2, 'not-applicable': 3 };
  const promises = results.filter((r) => r.kind !== 'sometimes');
  const guards = results.filter((r) => r.kind === 'sometimes');
  const sorted = [...promises].sort((a, b) => (order[a.verdict] ?? 2) - (order[b.verdict] ?? 2));
  const sections = [summaryScreen(results, { ...options, width }), '— Details —', ...sorted.filter((r) => r.verdict !== 'not-applicable').map((r) => propertyReport(r, options.source, width))];
  const notApplicable = results.filter((r) => r.verdict === 'not-applicable');
  if (notApplicable.length > 0) sections.push(['Not applicable:', ...rows(notApplicable.map((r) => [r.property, r.explanation] as const), width)].join('\n'));
  const searched = guards.filter((r) => r.verdict !== 'not-applicable');
  if (searched.length > 0) {
    const lines = [wrap('Guards (states the search must reach, else other verdicts are vacuous):', '', '  ', width)];
    for (const r of searched) {
      const reached = verdictOf(r) === 'reached';
      lines.push(wrap(r.explanation.replace(/^(Reached|Not reached) /, ''), `  ${r.property}: ${reached ? 'reached' : 'NOT REACHED'} `, '      ', width));
    }
    sections.push(lines.join('\n'));
  }
  return sections.join('\n\n');
}
