/**
 * Replaying a counterexample file and deciding whether it still shows what it records: the verdict that
 * `replay` turns into its exit status and that the regression corpus test asserts.
 *
 * What a file records is its property's verdict on its trace: `"expect": "violated"` with the violation at
 * `violation.step`, or `"expect": "holds"` (a documented risk that was fixed). The violation's message is
 * not part of it: a reworded message is reported as a note, not as a failure, so that improving a
 * property's wording does not break the corpus.
 */
import { firstDivergentStep } from '../checker/replay.ts';
import { type ReplayOutcome, replayTrace } from '../checker/trace-file.ts';
import { runTrace } from '../checker/trace.ts';
import type { Violation } from '../checker/types.ts';
import { PRESETS } from '../config/presets.ts';
import { describeAction } from '../model/step.ts';
import { canonicalJson, type LoadedCounterexample } from './counterexample.ts';
import { oneLine, shellCommand } from '../io/untrusted.ts';
import { instanceProperty } from '../pgp/target.ts';
import { type Story, tellStates } from '../pgp/story.ts';
import { type SettlingStory, tellSettling } from '../pgp/story-settling.ts';
import type { Snapshot } from '../pgp/story-snapshot.ts';

export type { ReplayOutcome };

export interface CounterexampleReplay {
  readonly loaded: LoadedCounterexample;
  readonly story: Extract<Story, { kind: 'ran' }>;
  /** The violation the trace shows now, if any. */
  readonly violation: Violation | undefined;
  readonly settling: SettlingStory | undefined;
  readonly outcome: ReplayOutcome;
  /** Whether the replay shows what the file records. */
  readonly ok: boolean;
  /** The first step whose members differ from the recorded `states`, in words. */
  readonly divergence: { readonly step: number; readonly lines: readonly string[] } | undefined;
  /** Notes for an ok replay (a reworded message, a step that differs but still violates). */
  readonly notes: readonly string[];
  /** For a replay that is not ok: what differs and what to do, one line each. */
  readonly explanation: readonly string[];
}

/** The differences between a recorded snapshot and the one the model gives now, one line per member. */
export function describeSnapshotDifference(recorded: Snapshot, now: Snapshot): string[] {
  const lines: string[] = [];
  for (const id of [...new Set([...Object.keys(recorded), ...Object.keys(now)])]) {
    const was = recorded[id];
    const is = now[id];
    if (was === undefined || is === undefined) {
      lines.push(was === undefined ? `${id}: not in the recording` : `${id}: recorded, but no longer a member`);
      continue;
    }
    const parts: string[] = [];
    if (was.status !== is.status) parts.push(`recorded ${was.status}, now ${is.status}`);
    const missing = was.records.filter((r) => !is.records.includes(r));
    const extra = is.records.filter((r) => !was.records.includes(r));
    if (missing.length > 0) parts.push(`no longer holds ${missing.join(', ')}`);
    if (extra.length > 0) parts.push(`now also holds ${extra.join(', ')}`);
    if (parts.length > 0) lines.push(`${id}: ${parts.join('; ')}`);
  }
  return lines;
}

function violationText(v: { readonly step: number; readonly message: string }): string {
  return `violated after step ${v.step}: ${oneLine(v.message)}`;
}

/**
 * The command that searches this file's config and property afresh. Built from the file's validated
 * fields (a preset's name, a known property, a whole number), never from its `found.command`: a file is
 * untrusted input, and a command taken from it is what someone would paste into a shell.
 */
export function freshSearchCommand(loaded: LoadedCounterexample): string {
  const { config, property, found } = loaded.document;
  const preset = PRESETS.find((p) => p.name === config.name && canonicalJson(p.config) === canonicalJson(config));
  const length = found.maxLength === undefined ? [] : ['--length', String(found.maxLength)];
  if (preset) return shellCommand(['npx', 'pgp-cluster-check', 'check', '--preset', preset.name, '--property', property, ...length]);
  return shellCommand(['npx', 'pgp-cluster-check', 'check', '--config', 'CONFIG.json', '--property', property, ...length]);
}

/** What `freshSearchCommand` needs besides itself: for a config that is not a preset, where CONFIG.json comes from. */
function freshSearchNote(loaded: LoadedCounterexample): string {
  return freshSearchCommand(loaded).includes('--config CONFIG.json') ? ' (with this file\'s "config" saved as CONFIG.json)' : '';
}

/** Replays a loaded counterexample file and judges whether it still shows what it records. */
export function replayCounterexample(loaded: LoadedCounterexample): CounterexampleReplay {
  const { document, target, property, file } = loaded;
  const bound = target.properties.find((p) => p.property.name === property.name)!;
  // The loader ran the trace once, judging the property at every step: the story and the verdict are read
  // off that run (a file built in memory, not loaded, is run here once).
  const run = loaded.run ?? runTrace(target.model, bound.onModel, document.actions);
  if (!('states' in run)) throw new Error(`internal error: ${file} step ${run.step} is not enabled: ${run.why}`);
  const story = tellStates(target, document.actions, run.states);
  const { violation, outcome, ok } = replayTrace({ document, property: instanceProperty(target.cluster, property), run });
  const settling = bound.notApplicable === undefined ? tellSettling(target, property, story.final) : undefined;
  const recorded = document.violation;
  const divergent = document.states ? firstDivergentStep(document.states, story.steps.map((s) => s.members)) : undefined;
  const divergence =
    divergent === undefined
      ? undefined
      : { step: divergent.step, lines: describeSnapshotDifference(document.states![divergent.step - 1]!, story.steps[divergent.step - 1]!.members) };
  const stepName = (n: number) => `step ${n} (${describeAction(document.actions[n - 1]!)})`;
  const notes: string[] = [];
  const explanation: string[] = [];
  if (ok) {
    if (violation !== undefined && violation.message !== recorded.message) notes.push(`the message now reads: ${oneLine(violation.message)}`);
    if (divergence) notes.push(`${stepName(divergence.step)} now reaches another state than recorded (${divergence.lines.join('; ')}), yet the verdict is the same`);
  } else {
    const now =
      outcome === 'not-applicable'
        ? `${property.name} does not apply to this config any more: ${bound.notApplicable}`
        : violation === undefined
          ? `${property.name} holds on this trace`
          : `${property.name} ${violationText(violation)}`;
    explanation.push(
      document.expect === 'holds'
        ? `recorded: fixed ("expect": "holds"): ${property.name} must not be violated by this trace (it once was: ${violationText(recorded)})`
        : `recorded: ${property.name} ${violationText(recorded)}`,
    );
    explanation.push(`now:      ${now}`);
    if (divergence) explanation.push(`first step that differs from the recording: ${stepName(divergence.step)}: ${divergence.lines.join('; ')}`);
    else if (document.states)
      explanation.push(
        `every step reaches the state it recorded; what changed is ${property.kind === 'eventually' ? "the settling after the last step or the property's check" : "the property's check"}`,
      );
    if (document.expect === 'holds') {
      explanation.push(
        'what to do: this file documents a fixed risk, and the trace breaks the property again: fix the regression, or, if the risk is accepted again, set "expect": "violated" in the file',
      );
    } else {
      explanation.push(
        `what to do: if the change to the model fixed this risk on purpose, mark the file fixed: set "expect": "holds" (and say why in "note"), so that it guards the fix from now on; otherwise the risk shows another way now, or the change broke something: re-run \`${freshSearchCommand(loaded)}\`${freshSearchNote(loaded)} to save a fresh counterexample, check it, then delete this file`,
      );
    }
  }
  return { loaded, story, violation, settling, outcome, ok, divergence, notes, explanation };
}

