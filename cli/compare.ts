/**
 * `compare BEFORE AFTER`: a change review. Both configs are checked with the same seed and budget; per
 * property the verdict before and after with what each rests on (its basis), what got better, what got
 * worse, and for each property violated after the change its new shortest trace; and, in the words
 * `check` uses, any exploration that did not finish. Exit 1 when something got worse, 0 otherwise, 2 on
 * bad input.
 */
import { randomInt } from 'node:crypto';
import type { Action } from '../model/actions.ts';
import { describeAction } from '../model/step.ts';
import { applyAcceptances } from '../pgp/accept.ts';
import { intFlag, parseFlags } from './args.ts';
import { CHECK_STATE_BUDGET, type CheckOptions, checkTargets, type PropertyResult } from '../pgp/check.ts';
import type { BasisKind } from '../checker/verdict.ts';
import { holdsCell, table } from '../reports/format.ts';
import { type Io, usageError } from '../io/io.ts';
import { loadConfigFile } from '../pgp/load.ts';
import { defaultWorkers, runTasks } from '../pgp/parallel.ts';
import { progressLine, searchProgress } from './progress.ts';
import { stoppedExplorations, verdictOf } from '../reports/summary.ts';
import { makeTarget } from '../pgp/target.ts';
import { terminalWidth, wrapText } from '../reports/width.ts';
import { TOOL_VERSION } from '../reports/version.ts';

import { type Change, changeOf } from '../checker/change.ts';

export { type Change, changeOf };

export interface PropertyComparison {
  readonly property: string;
  readonly kind: string;
  readonly before: string;
  readonly after: string;
  /** What each verdict rests on (`checker/verdict.ts`); null where the property does not apply. */
  readonly beforeBasis: BasisKind | null;
  readonly afterBasis: BasisKind | null;
  readonly change: Change;
  readonly acceptedAfter: boolean;
  /** The shortest trace found after the change, when the property is violated after it. */
  readonly actions: readonly Action[] | null;
  readonly message: string | null;
}

export function compareResults(before: readonly PropertyResult[], after: readonly PropertyResult[]): PropertyComparison[] {
  return after.map((a) => {
    const b = before.find((r) => r.property === a.property);
    const was = b === undefined ? 'not-applicable' : verdictOf(b);
    const now = verdictOf(a);
    return {
      property: a.property,
      kind: a.kind,
      before: was,
      after: now,
      beforeBasis: b?.basis?.basis ?? null,
      afterBasis: a.basis?.basis ?? null,
      change: changeOf(was, now),
      acceptedAfter: Boolean(a.accepted),
      actions: now === 'violated' ? (a.finding?.actions ?? []) : null,
      message: now === 'violated' ? (a.finding?.message ?? null) : null,
    };
  });
}

function cell(verdict: string): string {
  return verdict === 'not-applicable' ? 'n/a' : verdict;
}

/** A verdict and what it rests on, in the words of `npm start`'s matrix: `verified` (holds, exhaustive), `sampled`, `violated`, `n/a`. */
function based(verdict: string, basis: BasisKind | null): string {
  return verdict === 'holds' || verdict === 'vacuous' ? holdsCell({ verdict, basis: basis === null ? null : { basis } }) : cell(verdict);
}

export async function compareCommand(args: readonly string[], io: Io): Promise<number> {
  const { values, positionals } = parseFlags(
    'compare',
    args,
    { runs: { type: 'string' }, seed: { type: 'string' }, json: { type: 'boolean' }, workers: { type: 'string' }, 'max-states': { type: 'string' } },
    2,
  );
  if (positionals.length !== 2) throw usageError('compare: give two config files, BEFORE.json AFTER.json; see pgp-cluster-check compare --help');
  const [beforeFile, afterFile] = positionals as [string, string];
  const loaded = [loadConfigFile(beforeFile), loadConfigFile(afterFile)];
  for (const { warnings } of loaded) for (const w of warnings) io.err(w);
  const options: CheckOptions = {
    runs: intFlag('runs', values.runs, 500, 1, 10_000_000),
    seed: intFlag('seed', values.seed, randomInt(2 ** 31 - 1), -(2 ** 31), 2 ** 31 - 1),
    maxLength: 12,
    properties: [],
    maxStates: intFlag('max-states', values['max-states'], CHECK_STATE_BUDGET, 0, 200_000_000),
  };
  const workers = intFlag('workers', values.workers, defaultWorkers(), 1, 256);
  const jobs = loaded.map(({ config }) => ({ target: makeTarget(config) }));
  const progress = progressLine(io, !values.json);
  const started = performance.now();
  let shown: ReturnType<typeof searchProgress> | undefined;
  const judged = await checkTargets(jobs, options, workers, (tasks) => {
    shown = searchProgress(progress, 'comparing', tasks.length, `cap ${options.runs} traces per property`);
    return runTasks(tasks, workers, (done, traces) => shown!.searched(done, traces));
  });
  shown?.stop();
  const [before, after] = judged.map((results, j) => applyAcceptances(loaded[j]!.config, loaded[j]!.accept, results).results) as [PropertyResult[], PropertyResult[]];
  const comparison = compareResults(before, after);
  // Each side's exploration that did not finish, in check's words.
  const stopped = stoppedExplorations([...before, ...after]);
  const worse = comparison.filter((c) => c.change === 'worse');
  const better = comparison.filter((c) => c.change === 'better');
  const status = worse.length > 0 ? 1 : 0;
  if (values.json) {
    const summary = { ok: status === 0, worse: worse.length, better: better.length, version: TOOL_VERSION, stopped };
    io.out(
      JSON.stringify(
        { summary, seed: options.seed, runs: options.runs, before: { file: beforeFile, config: loaded[0]!.config.name }, after: { file: afterFile, config: loaded[1]!.config.name }, properties: comparison },
        null,
        2,
      ),
    );
    return status;
  }
  const width = terminalWidth();
  const out: string[] = [
    wrapText(
      `pgp-cluster-check compare: "${loaded[0]!.config.name}" (${beforeFile}) -> "${loaded[1]!.config.name}" (${afterFile}), each checked as check does: every reachable state where it fits ${(options.maxStates ?? CHECK_STATE_BUDGET).toLocaleString('en-US')} states, otherwise random search from seed ${options.seed} (up to ${options.runs} traces per property)`,
      width,
      '',
      '  ',
    ),
  ];
  for (const s of stopped) out.push(wrapText(s.message, width, '', '  '));
  const promises = comparison.filter((c) => c.kind !== 'sometimes');
  const rows = [
    ['property', 'before', 'after', 'change'],
    ...promises.map((c) => [
      c.property,
      based(c.before, c.beforeBasis),
      based(c.after, c.afterBasis) + (c.acceptedAfter ? ' (accepted)' : ''),
      c.change === 'same' ? '' : c.change === 'worse' ? 'WORSE' : c.change,
    ]),
  ];
  out.push(table(rows, '  '));
  // The legend names only the words the table uses.
  const sampled = rows.slice(1).some((r) => /sampled/.test(`${r[1]} ${r[2]}`));
  out.push(
    wrapText(
      `verified: holds in every reachable state within the bounds;${sampled ? ' sampled: no violation in the random traces searched;' : ''} the basis of each side is in --json`,
      width,
      '  ',
      '  ',
    ),
  );
  const guards = comparison.filter((c) => c.kind === 'sometimes' && c.change !== 'same');
  out.push(wrapText(guards.length === 0 ? 'unchanged' : guards.map((c) => `${c.property} ${cell(c.before)} -> ${cell(c.after)}`).join(', '), width, 'Guards: ', '  '));
  for (const c of worse) {
    out.push('');
    out.push(wrapText(`${c.property} got worse: ${cell(c.before)} -> ${cell(c.after)}${c.actions ? `; the new shortest trace, ${c.actions.length} action${c.actions.length === 1 ? '' : 's'}:` : ''}`, width, '', '  '));
    for (const [i, a] of (c.actions ?? []).entries()) out.push(wrapText(describeAction(a), width, `    ${i + 1}. `));
    if (c.message) out.push(wrapText(`=> ${c.message}`, width, '    ', '       '));
  }
  out.push('');
  const say = (list: readonly PropertyComparison[]) => list.map((c) => c.property).join(', ');
  out.push(
    wrapText(
      `${worse.length === 0 ? 'Nothing got worse' : `Worse: ${say(worse)}`}; ${better.length === 0 ? 'nothing got better' : `better: ${say(better)}`} (${((performance.now() - started) / 1000).toFixed(1)} s).`,
      width,
    ),
  );
  io.out(out.join('\n'));
  return status;
}
