/**
 * `replay FILE|DIR [--json | --format text|json|mermaid|html]` (README, command line; html: `reports/`).
 *
 * - A counterexample file: re-runs its actions on its recorded config step by step, shows what each step
 *   changed, the settling (`eventually` properties), where and why the property fails, and whether that
 *   is what the file records. Exit 0 when it is, 1 when it is not, 2 when the file is unreadable or invalid.
 * - A scenario file (`{"preset"|"config", "actions"}`): runs the actions, shows each step and the final
 *   state, and reports every property the trace violates. Exit 0 when it ran, 2 when it could not.
 * - A folder: replays every JSON file in it, one line each (what the regression corpus test does).
 */
import { basename } from 'node:path';
import { existsSync, statSync } from 'node:fs';
import { judgeTrace } from '../checker/replay.ts';
import type { Violation } from '../checker/types.ts';
import type { Action } from '../model/actions.ts';
import { parseFlags } from './args.ts';
import { memoryInUse, progressLine } from './progress.ts';
import { type LoadedCounterexample, type LoadedScenario, loadTraceFile, prettyJson } from '../traces/counterexample.ts';
import { type CounterexampleReplay, replayCounterexample } from '../traces/replay.ts';
import { counterexampleFiles } from '../traces/index-file.ts';
import { jsonEntries, skippedWarning } from '../io/read.ts';
import { type Io, UsageError, usageError } from '../io/io.ts';
import { mermaidDiagram } from '../reports/mermaid.ts';
import { riskNeeds } from '../pgp/needs.ts';
import { terminalWidth, wrapText } from '../reports/width.ts';
import { oneLine } from '../io/untrusted.ts';
import { counterexampleReport, scenarioReport } from '../reports/pages.ts';
import { type Story, type StoryStep, tellStates, tellTrace } from '../pgp/story.ts';
import type { SettlingStory } from '../pgp/story-settling.ts';
import { cutLinks, describeMembers, type Snapshot, snapshot } from '../pgp/story-snapshot.ts';
import { describeConfig } from '../pgp/story-words.ts';

type Format = 'text' | 'json' | 'mermaid' | 'html';

const FORMATS: readonly Format[] = ['text', 'json', 'mermaid', 'html'];

export function replayCommand(args: readonly string[], io: Io): number {
  const { values, positionals } = parseFlags('replay', args, { json: { type: 'boolean' }, format: { type: 'string' } }, 1);
  const file = positionals[0];
  if (file === undefined) throw usageError('replay: give a counterexample or scenario file (or a folder of them): replay FILE [--json | --format mermaid]');
  if (values.format !== undefined && !(FORMATS as readonly string[]).includes(values.format))
    throw usageError(`--format: unknown format "${values.format}"; valid: ${FORMATS.join(', ')}`);
  if (values.json && values.format !== undefined && values.format !== 'json') throw usageError('replay: give --json or --format, not both');
  const format: Format = values.json ? 'json' : ((values.format as Format | undefined) ?? 'text');
  if (existsSync(file) && statSync(file).isDirectory()) {
    if (format === 'mermaid' || format === 'html') throw usageError(`--format ${format} draws one file; give a file, not a folder`);
    return replayFolder(file, format, io);
  }
  const loaded = loadTraceFile(file);
  if (loaded.kind === 'scenario') return replayScenario(loaded, format, io);
  const replay = replayCounterexample(loaded);
  if (format === 'json') io.out(prettyJson(counterexampleJson(replay)));
  else if (format === 'html') io.out(counterexampleReport(replay));
  else if (format === 'mermaid') io.out(counterexampleMermaid(replay));
  else io.out(counterexampleTextReport(replay));
  return replay.ok ? 0 : 1;
}

// ---------------------------------------------------------------------------------------------------
// Text.

/** A line of the report wrapped to the terminal's width, its continuation lines indented by `more` beyond `first`. */
function line(text: string, first = '  ', more = 2): string {
  return wrapText(text, terminalWidth(), first, ' '.repeat(first.length + more));
}

function stepLines(steps: readonly StoryStep[], prefix = ''): string[] {
  const width = Math.max(1, ...steps.map((s) => `${prefix}${s.step}`.length));
  return steps.flatMap((s) => [
    line(oneLine(s.description), `  ${`${prefix}${s.step}`.padStart(width)}. `, 0),
    ...s.lines.map((text) => line(oneLine(text), `  ${' '.repeat(width)}    `)),
  ]);
}

function startLines(state: Story['initial']): string[] {
  return ['  start:', ...describeMembers(snapshot(state)).map((l) => line(oneLine(l), '    '))];
}

function endLines(title: string, members: Snapshot, links: readonly string[]): string[] {
  return [`  ${title}:`, ...describeMembers(members).map((l) => line(oneLine(l), '    ')), ...(links.length > 0 ? [line(`cut links: ${links.join(', ')}`, '    ')] : [])];
}

/** The members the replayed violation's property takes down after replication quiesces (`pgp/needs.ts`): hypothetical failures. */
function hypotheticalDown(replay: CounterexampleReplay): string[] {
  const { loaded, violation } = replay;
  if (violation === undefined) return [];
  const needs = riskNeeds(loaded.document.config, loaded.property, loaded.document.actions, violation.step);
  return [...(needs?.hypothetical ?? [])];
}

function hypotheticalLines(replay: CounterexampleReplay): string[] {
  const down = hypotheticalDown(replay);
  if (down.length === 0) return [];
  const them = down.length === 1 ? 'it' : 'them';
  return [line(`${down.join(', ')} down (hypothetical: the property allows any faults.maxDown members down once replication has quiesced; no action of the trace takes ${them} down)`, '  then: ')];
}

function violationLine(property: string, v: Violation): string {
  const rounds = v.settlingRounds === undefined ? '' : ` (settling: ${v.settlingRounds === 0 ? 'nothing was owed' : `${v.settlingRounds} replication hop${v.settlingRounds === 1 ? '' : 's'} until quiet`})`;
  return line(`${property} is violated after step ${v.step}: ${oneLine(v.message)}${rounds}`, '  ✗ ');
}

function settlingLines(settling: SettlingStory): string[] {
  return [line(`${settling.summary}${settling.steps.length > 0 ? ':' : ''}`), ...stepLines(settling.steps, 's')];
}

/**
 * How a saved violation was found, in words: by exhaustive exploration (a shortest trace: nothing to
 * shrink; such a file records no traces and no path), or by random search from a seed after some traces,
 * shrunk from its first length when it was.
 */
export function foundText(found: LoadedCounterexample['document']['found'], length: number): string {
  const actions = `${length} action${length === 1 ? '' : 's'}`;
  if (found.runs === 0 && found.path === undefined) return `found by exhaustive exploration: a shortest trace, ${actions}`;
  const traces = `found with seed ${found.seed} after ${found.runs} trace${found.runs === 1 ? '' : 's'}`;
  return found.originalLength === length ? `${traces}, ${actions} (nothing to shrink)` : `${traces}, shrunk from ${found.originalLength} to ${actions}`;
}

const OUTCOME_TEXT: Record<CounterexampleReplay['outcome'], string> = {
  reproduced: 'reproduced: the replay shows the violation the file records',
  'still-fixed': 'still fixed: the file documents a fixed risk ("expect": "holds"), and the trace still does not violate the property',
  'no-longer-violated': 'NOT REPRODUCED: the trace no longer violates the property',
  moved: 'NOT REPRODUCED: the property is violated at another step than recorded',
  'violated-again': 'REGRESSION: the file documents a fixed risk, and the trace violates the property again',
  'not-applicable': 'NOT REPRODUCED: the property no longer applies to this config',
};

export function counterexampleTextReport(replay: CounterexampleReplay): string {
  const { loaded, story, violation, settling } = replay;
  const { document, property, file } = loaded;
  const found = document.found;
  const out: string[] = [
    line(`replay ${oneLine(file)}`, ''),
    line(`${property.name} (${property.kind}): ${property.statement}`, '  property: ', 0),
    line(`${oneLine(document.config.name)}: ${describeConfig(document.config)}`, '  config:   ', 0),
    line(`${document.expect === 'violated' ? `violated after step ${document.violation.step}` : 'holds (a fixed risk)'}; ${foundText(found, document.actions.length)}`, '  recorded: ', 0),
    ...(document.note ? [line(oneLine(document.note), '  note:     ', 0)] : []),
    '',
    ...startLines(story.initial),
  ];
  if (violation?.step === 0) out.push(violationLine(property.name, violation));
  for (const step of story.steps) {
    out.push(...stepLines([step]));
    // An `eventually` property is judged by settling each step's state; the settling shown is the last one's.
    const atEnd = property.kind === 'eventually' && violation?.step === story.steps.length;
    if (violation !== undefined && violation.step === step.step && !atEnd) out.push(violationLine(property.name, violation));
  }
  if (settling) out.push(...settlingLines(settling));
  if (violation !== undefined && property.kind === 'eventually' && violation.step === story.steps.length) out.push(...hypotheticalLines(replay), violationLine(property.name, violation));
  if (violation === undefined) out.push(line(`${property.name} is not violated by this trace`, '  ✓ '));
  out.push('', ...endLines('members at the end of the trace', snapshot(story.final), cutLinks(story.final)));
  if (settling && settling.steps.length > 0) {
    const last = settling.steps[settling.steps.length - 1]!;
    out.push(...endLines('members after settling', last.members, cutLinks(last.state)));
  }
  out.push('', line(`${OUTCOME_TEXT[replay.outcome]} (exit ${replay.ok ? 0 : 1})`, 'verdict: '));
  for (const note of replay.notes) out.push(line(oneLine(note), '  note: '));
  for (const text of replay.explanation) {
    // A line laid out as `label:   text` keeps its label's column, and wraps under its text.
    const labelled = /^(\S[^:]*:\s{2,})(.*)$/.exec(oneLine(text));
    out.push(labelled ? line(labelled[2]!, `  ${labelled[1]!}`, 0) : line(oneLine(text)));
  }
  return out.join('\n');
}

// ---------------------------------------------------------------------------------------------------
// JSON (README, command line: {"steps": [{"action", "members"}], "violation"}; more keys welcome).

function stepJson(s: StoryStep) {
  return { step: s.step, action: s.action, description: s.description, changes: s.lines, members: s.members, cutLinks: cutLinks(s.state) };
}

function violationJson(property: string, v: Violation | undefined) {
  return v === undefined ? null : { property, step: v.step, message: v.message, ...(v.settlingRounds === undefined ? {} : { rounds: v.settlingRounds }) };
}

export function counterexampleJson(replay: CounterexampleReplay) {
  const { loaded, story, violation, settling } = replay;
  const { document, property } = loaded;
  return {
    file: loaded.file,
    kind: 'counterexample',
    config: document.config.name,
    property: property.name,
    propertyKind: property.kind,
    expect: document.expect,
    initial: snapshot(story.initial),
    steps: story.steps.map(stepJson),
    settling:
      settling === undefined
        ? null
        : { mode: settling.mode, summary: settling.summary, rounds: settling.rounds, quiescent: settling.quiescent, actions: settling.actions, steps: settling.steps.map(stepJson) },
    violation: violationJson(property.name, violation),
    /** Members the property takes down hypothetically after replication quiesces (no action of the trace). */
    hypothetical: hypotheticalDown(replay),
    recorded: document.violation,
    outcome: replay.outcome,
    ok: replay.ok,
    divergence: replay.divergence ?? null,
    notes: replay.notes,
    explanation: replay.explanation,
  };
}

// ---------------------------------------------------------------------------------------------------
// Mermaid.

export function counterexampleMermaid(replay: CounterexampleReplay): string {
  const { loaded, story, violation, settling } = replay;
  const { document, property } = loaded;
  return mermaidDiagram({
    title: `${document.config.name}: ${property.name}`,
    source: basename(loaded.file),
    config: document.config,
    cluster: loaded.target.cluster,
    initial: story.initial,
    steps: story.steps,
    settling,
    violations:
      violation === undefined
        ? []
        : [{ property: property.name, step: violation.step, message: violation.message, hypothetical: hypotheticalDown(replay) }],
    verdictWhenNone: `${property.name} is not violated by this trace`,
  });
}

// ---------------------------------------------------------------------------------------------------
// Scenarios.

export interface ScenarioVerdict {
  readonly property: string;
  /** `reached` / `unreached` for the `sometimes` properties (the trace reaches the state they describe, or not). */
  readonly verdict: 'holds' | 'violated' | 'not-applicable' | 'reached' | 'unreached';
  /** Where the property is violated, or for a `sometimes` property where it is first reached. */
  readonly violation: Violation | undefined;
  readonly reason: string | undefined;
}

/** Every property's verdict on a scenario's trace. */
export function judgeScenario(loaded: LoadedScenario): ScenarioVerdict[] {
  return loaded.target.properties.map(({ property, notApplicable, onModel }) => {
    if (notApplicable !== undefined) return { property: property.name, verdict: 'not-applicable', violation: undefined, reason: notApplicable };
    const violation = judgeTrace(loaded.target.model, onModel, loaded.actions as Action[]);
    if (property.kind === 'sometimes')
      return { property: property.name, verdict: violation === undefined ? 'unreached' : 'reached', violation, reason: undefined };
    return { property: property.name, verdict: violation === undefined ? 'holds' : 'violated', violation, reason: undefined };
  });
}

function replayScenario(loaded: LoadedScenario, format: Format, io: Io): number {
  // The loader ran the actions once (to check each is enabled): the story is told from those states.
  const story = loaded.states === undefined ? tellTrace(loaded.target, loaded.actions) : tellStates(loaded.target, loaded.actions, loaded.states);
  if (story.kind !== 'ran') throw new Error(`internal error: ${loaded.file} step ${story.step} is not enabled: ${story.why}`);
  const verdicts = judgeScenario(loaded);
  const violated = verdicts.filter((v) => v.verdict === 'violated');
  if (format === 'json') {
    io.out(
      prettyJson(
        {
          file: loaded.file,
          kind: 'scenario',
          name: loaded.name,
          config: loaded.target.config.name,
          initial: snapshot(story.initial),
          steps: story.steps.map(stepJson),
          final: { members: snapshot(story.final), cutLinks: cutLinks(story.final) },
          violation: violated.length === 0 ? null : violationJson(violated[0]!.property, violated[0]!.violation),
          violations: violated.map((v) => violationJson(v.property, v.violation)),
          properties: verdicts.map((v) => ({
            property: v.property,
            verdict: v.verdict,
            ...(v.violation ? { step: v.violation.step, message: v.violation.message } : {}),
            ...(v.reason ? { reason: v.reason } : {}),
          })),
        },
      ),
    );
    return 0;
  }
  if (format === 'html') {
    io.out(scenarioReport(loaded, verdicts));
    return 0;
  }
  if (format === 'mermaid') {
    io.out(
      mermaidDiagram({
        title: `scenario ${loaded.name}`,
        source: basename(loaded.file),
        config: loaded.target.config,
        cluster: loaded.target.cluster,
        initial: story.initial,
        steps: story.steps,
        violations: violated.map((v) => ({ property: v.property, step: v.violation!.step, message: v.violation!.message })),
        verdictWhenNone: 'no property is violated by this scenario',
      }),
    );
    return 0;
  }
  const width = Math.max(...verdicts.map((v) => v.property.length));
  const out = [
    line(`replay scenario ${oneLine(loaded.file)}${loaded.name ? ` (${oneLine(loaded.name)})` : ''}`, ''),
    ...(loaded.description ? [line(oneLine(loaded.description))] : []),
    line(`${oneLine(loaded.target.config.name)}: ${describeConfig(loaded.target.config)}`, '  config: ', 0),
    '',
    ...startLines(story.initial),
    ...stepLines(story.steps),
    '',
    ...endLines('members at the end', snapshot(story.final), cutLinks(story.final)),
    '',
    line("properties (judged at every step, as search judges; an eventually property by settling that step's state):"),
    ...verdicts.map((v) => {
      const name = `    ${v.property.padEnd(width)}  `;
      const text =
        v.verdict === 'not-applicable'
          ? `n/a: ${v.reason}`
          : v.verdict === 'reached'
            ? `reached at step ${v.violation!.step}`
            : v.verdict === 'unreached'
              ? 'not reached'
              : v.violation === undefined
                ? 'holds'
                : `VIOLATED after step ${v.violation.step}: ${oneLine(v.violation.message)}`;
      // A name too wide for a hanging indent: the text goes under it.
      return name.length > terminalWidth() / 2 ? `${name.trimEnd()}\n${line(text, '      ')}` : line(text, name, 0);
    }),
    '',
    line(
      violated.length === 0
        ? 'No property is violated by this scenario.'
        : `${violated.length} propert${violated.length === 1 ? 'y is' : 'ies are'} violated by this scenario: ${violated.map((v) => v.property).join(', ')}.`,
      '',
    ),
  ];
  io.out(out.join('\n'));
  return 0;
}

// ---------------------------------------------------------------------------------------------------
// A folder.

export interface FolderEntry {
  readonly file: string;
  readonly status: 'ok' | 'failed' | 'invalid' | 'scenario';
  readonly summary: string;
  readonly details: readonly string[];
}

/** Replays one file of a folder of counterexamples: what the regression corpus test asserts of each. */
export function replayEntry(file: string): FolderEntry {
  let loaded: LoadedCounterexample | LoadedScenario;
  try {
    loaded = loadTraceFile(file);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    return {
      file,
      status: 'invalid',
      summary: 'invalid file',
      details: [
        ...error.problems,
        'what to do: if the file was edited by hand, correct the field named above; if a change to the model or to the config format made it invalid (a step no longer enabled, a renamed property), re-run `check` on its config and property to save a fresh counterexample, then delete this file',
      ],
    };
  }
  if (loaded.kind === 'scenario') return { file, status: 'scenario', summary: `scenario with ${loaded.actions.length} actions (ran)`, details: [] };
  const replay = replayCounterexample(loaded);
  const summary = `${loaded.property.name} on ${loaded.document.config.name}: ${OUTCOME_TEXT[replay.outcome]}`;
  return { file, status: replay.ok ? 'ok' : 'failed', summary, details: replay.ok ? replay.notes : replay.explanation };
}

/** Replays every JSON file of a folder: the regression corpus check. */
export function replayFolderEntries(dir: string): FolderEntry[] {
  return counterexampleFiles(dir).map(replayEntry);
}

/** The failure message of the corpus test for an entry that does not show what it records, else undefined. */
export function corpusFailure(entry: FolderEntry): string | undefined {
  if (entry.status === 'ok') return undefined;
  if (entry.status === 'scenario') return `${entry.file}: a scenario file; the counterexamples folder holds counterexample files only (move it elsewhere)`;
  return [`${entry.file} does not show what it records: ${entry.summary}`, ...entry.details.map((d) => `  ${d}`)].join('\n');
}

function replayFolder(dir: string, format: Format, io: Io): number {
  const { skipped } = jsonEntries(dir);
  for (const entry of skipped) io.err(oneLine(skippedWarning(entry)));
  // A large folder takes a while: a progress line on a terminal, file by file.
  const progress = progressLine(io, format !== 'json');
  const files = counterexampleFiles(dir);
  const entries = files.map((file, i) => {
    progress.update(`replaying ${oneLine(dir)}: ${i}/${files.length} files, ${memoryInUse()}`);
    return replayEntry(file);
  });
  progress.done();
  const status = entries.some((e) => e.status === 'invalid') ? 2 : entries.some((e) => e.status === 'failed') ? 1 : 0;
  if (format === 'json') {
    io.out(prettyJson({ folder: dir, files: entries, skipped }));
    return status;
  }
  for (const e of entries) {
    const mark = e.status === 'ok' || e.status === 'scenario' ? 'ok  ' : e.status === 'failed' ? 'FAIL' : 'BAD ';
    io.out(line(`${oneLine(e.file)}: ${oneLine(e.summary)}`, `${mark} `, 3));
    for (const d of e.details) io.out(line(oneLine(d), '       '));
  }
  const failed = entries.filter((e) => e.status === 'failed').length;
  const invalid = entries.filter((e) => e.status === 'invalid').length;
  io.out(
    line(
      entries.length === 0
        ? `No counterexample files in ${oneLine(dir)}.`
        : `${entries.length} file${entries.length === 1 ? '' : 's'}: ${entries.length - failed - invalid} as recorded, ${failed} not reproduced, ${invalid} invalid.`,
      '',
    ),
  );
  return status;
}
