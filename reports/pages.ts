/**
 * The two HTML reports: `replay FILE --format html` (one counterexample's explorer) and `check --html FILE`
 * (the check's summary, then an explorer per violation). Both replay the trace on the plain model and take
 * the verdict and its message from the checker's (or the replay's) own judgement.
 */
import type { Finding } from '../checker/judge.ts';
import { type Basis, describeBasis, type Verdict } from '../checker/verdict.ts';
import { advise, type Recommendation } from '../pgp/advice.ts';
import type { CounterexampleReplay } from '../traces/replay.ts';
import { tellTrace } from '../pgp/story.ts';
import { tellSettling } from '../pgp/story-settling.ts';
import { describeConfig } from '../pgp/story-words.ts';
import type { Target } from '../pgp/target.ts';
import type { Action } from '../model/actions.ts';
import { findProperty } from '../properties/index.ts';
import type { ClusterProperty } from '../properties/types.ts';
import { explorerSection } from './explorer.ts';
import { stoppedExplorations } from './summary.ts';
import { html, type ReportSection, renderReport } from './html.ts';
import { type OutputTarget, writeOutput } from '../io/write.ts';
import { oneLine } from '../io/untrusted.ts';

/** What the summary reads of a check result (`PropertyResult`), or of a scenario's verdict. */
export interface SummaryResult {
  readonly config: string;
  readonly property: string;
  readonly kind: string;
  readonly verdict: string;
  /** What the verdict rests on (`checker/verdict.ts`); absent or null when it is not a search (see `basisNote`). */
  readonly basis?: Basis | null;
  /** What was found: the trace an explorer steps through. */
  readonly finding?: Finding<Action> | null;
  /** For a `sometimes` property before verdicts named `reached` / `unreached`. */
  readonly reached?: boolean;
  readonly accepted?: { readonly reason: string } | null;
  readonly explanation?: string;
  readonly counterexample?: string | null;
  readonly recommendation?: Recommendation | null;
  /** What the verdict rests on when it is not a search (a scenario's one trace). */
  readonly basisNote?: string;
}

/** The verdict in the shared vocabulary (`checker/verdict.ts`): a guard's `holds` is `reached`. */
function verdictOf(r: SummaryResult): string {
  if (r.kind === 'sometimes' && r.reached !== undefined && (r.verdict === 'holds' || r.verdict === 'violated')) return r.reached ? 'reached' : 'unreached';
  return r.verdict;
}

/** The bounds an explored verdict rests on, in small print under its basis. */
function boundsNote({ basis }: SummaryResult) {
  if (basis === undefined || basis === null || basis.basis === 'random') return '';
  const entries = Object.entries(basis.bounds);
  if (entries.length === 0) return '';
  return html`<div class="bounds">within ${entries.map(([k, v]) => `${k} ${Array.isArray(v) ? v.join(', ') || 'none' : String(v)}`).join('; ')}${
    basis.basis === 'partial' ? `; complete to depth ${basis.depthComplete}` : ''
  }</div>`;
}

function isViolation(r: SummaryResult): boolean {
  return r.verdict === 'violated' && r.kind !== 'sometimes';
}

function sectionId(r: SummaryResult): string {
  return `violation-${r.config}-${r.property}`;
}

export function summarySection(results: readonly SummaryResult[], heading: string): ReportSection {
  const rows = results.map((r) => {
    const verdict = verdictOf(r);
    const accepted = r.accepted ?? undefined;
    const css = accepted && r.verdict === 'violated' ? 'v-accepted' : `v-${verdict}`;
    return html`<tr><td>${r.config}</td><td>${r.property}</td><td>${r.kind}</td><td class="${css}">${accepted && r.verdict === 'violated' ? 'violated (accepted)' : verdict}</td><td>${r.basisNote ?? describeBasis(verdict as Verdict, r.basis ?? undefined)}${boundsNote(r)}</td><td>${
      isViolation(r) ? html`<a href="#${sectionId(r).replace(/[^A-Za-z0-9-]/g, '-')}">the trace, step by step</a>` : ''
    }${accepted ? html`<div class="v-accepted">accepted risk: ${accepted.reason}</div>` : ''}${r.explanation ? html`<div>${r.explanation}</div>` : ''}</td></tr>`;
  });
  const counts = new Map<string, number>();
  for (const r of results) counts.set(verdictOf(r), (counts.get(verdictOf(r)) ?? 0) + 1);
  const accepted = results.filter((r) => r.accepted && r.verdict === 'violated');
  // An exploration that did not finish, in the words every output uses.
  const stopped = stoppedExplorations(results).map((s) => html`<p><strong class="v-unreached">Not proven.</strong> ${s.message}</p>`);
  const body = html`${stopped}<p>${[...counts].map(([v, n]) => `${n} ${v}`).join(', ')}${accepted.length > 0 ? `; ${accepted.length} violation${accepted.length === 1 ? '' : 's'} accepted` : ''}.</p>
${accepted.length > 0 ? html`<h3>Accepted risks</h3><ul>${accepted.map((r) => html`<li><strong>${r.property}</strong> on ${r.config}: ${r.accepted!.reason}</li>`)}</ul>` : ''}
<div class="scroll"><table class="summary"><thead><tr><th>config</th><th>property</th><th>kind</th><th>verdict</th><th>basis</th><th>notes</th></tr></thead><tbody>${rows}</tbody></table></div>`;
  return { id: 'summary', heading, body };
}

/** A violation's explorer from a check result: its shrunk trace replayed on the plain model. */
export function resultExplorer(target: Target, r: SummaryResult, provenance: readonly string[]): ReportSection {
  const property = findProperty(r.property);
  if (property === undefined) throw new Error(`internal error: unknown property ${r.property}`);
  const story = tellTrace(target, r.finding?.actions ?? []);
  if (story.kind !== 'ran') throw new Error(`internal error: the trace of ${r.property} stops at step ${story.step}: ${story.why}`);
  return explorerSection({
    id: sectionId(r),
    heading: `${r.property} on ${r.config}: the trace step by step`,
    target,
    property,
    initial: story.initial,
    steps: story.steps,
    settling: tellSettling(target, property, story.final),
    violation: r.finding == null ? undefined : { step: r.finding.step, message: r.finding.message },
    explanation: r.explanation,
    recommendation: r.recommendation ?? null,
    provenance,
  });
}

/**
 * `check --html`: the summary, then one explorer per violation. `extra` sections come last (a later
 * command's plot, say). `targetOf` gives the target a result's config was checked on.
 */
export function checkReport<R extends SummaryResult>(
  results: readonly R[],
  targetOf: (r: R) => Target,
  options: { readonly title: string; readonly subtitle: string; readonly provenance?: (r: R) => readonly string[]; readonly extra?: readonly ReportSection[] },
): string {
  const sections = [
    summarySection(results, 'Summary'),
    ...results.filter(isViolation).map((r) => resultExplorer(targetOf(r), r, options.provenance?.(r) ?? [])),
    ...(options.extra ?? []),
  ];
  return renderReport({ title: options.title, subtitle: options.subtitle, sections });
}

const OUTCOME: Record<CounterexampleReplay['outcome'], string> = {
  reproduced: 'reproduced: the replay shows the violation the file records',
  'still-fixed': 'still fixed: the trace still does not violate the property',
  'no-longer-violated': 'NOT REPRODUCED: the trace no longer violates the property',
  moved: 'NOT REPRODUCED: the property is violated at another step than recorded',
  'violated-again': 'REGRESSION: the file documents a fixed risk, and the trace violates it again',
  'not-applicable': 'NOT REPRODUCED: the property no longer applies to this config',
};

/** The advice for a replayed trace, from `advise` on the replay's own judgement. */
function adviceFor(
  target: Target,
  property: Pick<ClusterProperty, 'name' | 'kind'>,
  actions: readonly Action[],
  violation: { readonly step: number; readonly message: string; readonly settlingRounds?: number | undefined } | undefined,
  found: { readonly runs: number },
) {
  // A replay is neither a search nor an exploration: the advice reads its trace, and speaks of the search that found it.
  return advise(target.cluster, {
    property: property.name,
    kind: property.kind,
    verdict: violation === undefined ? 'holds' : 'violated',
    basis: { basis: 'random', runs: found.runs },
    finding: violation === undefined ? null : { actions, step: violation.step, message: violation.message, originalLength: actions.length, path: null },
    reason: null,
  });
}

/** `replay FILE --format html`: one counterexample's explorer. */
export function counterexampleReport(replay: CounterexampleReplay, extra: readonly ReportSection[] = []): string {
  const { loaded, story, violation, settling } = replay;
  const { document, property, target } = loaded;
  const advice = adviceFor(target, property, document.actions, violation, { runs: document.found.runs });
  const explorer = explorerSection({
    id: 'trace',
    heading: `${property.name} on ${document.config.name}: the trace step by step`,
    target,
    property,
    initial: story.initial,
    steps: story.steps,
    settling,
    violation,
    explanation: violation === undefined ? undefined : advice.explanation,
    recommendation: advice.recommendation,
    provenance: [
      `file: ${loaded.file}`,
      `config: ${describeConfig(document.config)}`,
      `replay: ${OUTCOME[replay.outcome]}`,
      ...(document.found.command ? [`found by: ${document.found.command}`] : []),
    ],
  });
  return renderReport({
    title: `${document.config.name}: ${property.name}`,
    subtitle: `pgp-cluster-check replay of ${loaded.file}`,
    sections: [explorer, ...extra],
  });
}

/** `check --html FILE`: the page for a check's results. `source(r)` names the config on a command line. */
export function checkHtml<R extends SummaryResult>(
  results: readonly R[],
  targetOf: (config: string) => Target,
  options: { readonly header: string; readonly source: (r: R) => string; readonly extra?: readonly ReportSection[] },
): string {
  const configs = [...new Set(results.map((r) => r.config))];
  return checkReport(results, (r) => targetOf(r.config), {
    title: configs.length === 1 ? `pgp-cluster-check: ${configs[0]}` : `pgp-cluster-check: ${configs.length} configs`,
    subtitle: options.header,
    provenance: (r) => [
      `config: ${describeConfig(targetOf(r.config).config)}`,
      ...(r.counterexample ? [`saved: ${r.counterexample}`] : []),
      `replay: npx pgp-cluster-check replay ${r.counterexample ?? '(not saved)'}${r.counterexample ? ' --format html' : ''}`,
      `check: npx pgp-cluster-check check ${options.source(r)} --property ${r.property}`,
    ],
    ...(options.extra ? { extra: options.extra } : {}),
  });
}

/** What `replay` judged of a scenario, one entry per property (`judgeScenario`). */
export interface ScenarioVerdictLike {
  readonly property: string;
  readonly verdict: string;
  readonly violation: { readonly step: number; readonly message: string; readonly settlingRounds?: number | undefined } | undefined;
  readonly reason: string | undefined;
}

/** `replay SCENARIO --format html`: every property's verdict on the scenario, then an explorer per violated one. */
export function scenarioReport(
  scenario: { readonly file: string; readonly name: string; readonly description: string | undefined; readonly target: Target; readonly actions: readonly Action[] },
  verdicts: readonly ScenarioVerdictLike[],
): string {
  const { target } = scenario;
  const story = tellTrace(target, scenario.actions);
  if (story.kind !== 'ran') throw new Error(`internal error: ${scenario.file} step ${story.step} is not enabled: ${story.why}`);
  const rows: SummaryResult[] = verdicts.map((v) => {
    const property = findProperty(v.property)!;
    return {
      config: target.config.name,
      property: v.property,
      kind: property.kind,
      verdict: v.verdict,
      actions: scenario.actions,
      step: v.violation?.step ?? null,
      message: v.violation?.message ?? null,
      basisNote: v.verdict === 'not-applicable' ? 'not-applicable' : 'this one trace',
      explanation: v.reason ?? (v.violation ? `${v.verdict === 'reached' ? 'reached' : 'violated'} after step ${v.violation.step}: ${v.violation.message}` : undefined),
    };
  });
  const explorers = verdicts
    .filter((v) => v.verdict === 'violated' && v.violation !== undefined)
    .map((v) => {
      const property = findProperty(v.property)!;
      const violation = v.violation!;
      // An `eventually` property is judged by settling the state of the step where it fails: show the
      // trace up to that step, then that settling (the rest of the scenario is in the summary).
      const upTo = property.kind === 'eventually' ? violation.step : story.steps.length;
      const steps = story.steps.slice(0, upTo);
      const last = steps.length === 0 ? story.initial : steps[steps.length - 1]!.state;
      const advice = adviceFor(target, property, scenario.actions.slice(0, upTo), violation, { runs: 1 });
      return explorerSection({
        id: sectionId({ config: target.config.name, property: v.property } as SummaryResult),
        heading: `${v.property}: the scenario step by step`,
        target,
        property,
        initial: story.initial,
        steps,
        settling: tellSettling(target, property, last),
        violation,
        explanation: advice.explanation,
        recommendation: advice.recommendation,
        provenance: [
          `file: ${scenario.file}`,
          `config: ${describeConfig(target.config)}`,
          ...(upTo < story.steps.length ? [`shown: the first ${upTo} of ${story.steps.length} steps, where ${v.property} first fails, then the settling of that state`] : []),
        ],
      });
    });
  return renderReport({
    title: `scenario ${scenario.name}`,
    subtitle: `${scenario.description ?? ''}${scenario.description ? ' · ' : ''}pgp-cluster-check replay of ${scenario.file}`,
    sections: [summarySection(rows, 'What this scenario does to each property'), ...explorers],
  });
}

/** `check --html FILE`: writes the page atomically and returns the line to print. */
export function writeCheckHtml<R extends SummaryResult>(
  file: OutputTarget,
  results: readonly R[],
  targets: readonly Target[],
  options: { readonly seed: number; readonly runs: number; readonly maxLength: number },
  source: (r: R) => string,
): string {
  const byName = new Map(targets.map((t) => [t.config.name, t]));
  const header = `seed ${options.seed}; up to ${options.runs} traces of up to ${options.maxLength} actions per property`;
  writeOutput(file, checkHtml(results, (name) => byName.get(name)!, { header, source }));
  return `wrote ${oneLine(file.path)}`;
}
