/**
 * Replaying a trace step by step against any `Model`: every intermediate state, what each action changed
 * (as a structural diff), and where a disabled action stops the replay. Rendering the steps for people is
 * the caller's business; this file knows nothing about PGP.
 */
import { diffStates, type StateChange } from './diff.ts';
import { runTrace } from './trace.ts';
import type { Model, Property, Violation } from './types.ts';

export interface ReplayedStep<S, A> {
  /** 1-based: step n is the n-th action. */
  readonly step: number;
  readonly action: A;
  readonly before: S;
  readonly after: S;
  readonly changes: readonly StateChange[];
}

export type StepReplay<S, A> =
  | { readonly kind: 'ran'; readonly initial: S; readonly steps: readonly ReplayedStep<S, A>[]; readonly final: S }
  | {
      readonly kind: 'disabled';
      readonly initial: S;
      /** The steps that ran before the disabled one. */
      readonly steps: readonly ReplayedStep<S, A>[];
      /** 1-based step of the action that is not enabled. */
      readonly step: number;
      readonly action: A;
      readonly why: string;
    };

/** Runs `actions` from `from` (the model's initial state by default), recording each step and its changes. */
export function replaySteps<S, A>(model: Model<S, A>, actions: readonly A[], from: S = model.initial): StepReplay<S, A> {
  const steps: ReplayedStep<S, A>[] = [];
  let state = from;
  for (let i = 0; i < actions.length; i++) {
    const action = actions[i]!;
    const why = model.whyDisabled(state, action);
    if (why !== undefined) return { kind: 'disabled', initial: from, steps, step: i + 1, action, why };
    const after = model.step(state, action);
    steps.push({ step: i + 1, action, before: state, after, changes: diffStates(state, after) });
    state = after;
  }
  return { kind: 'ran', initial: from, steps, final: state };
}

/**
 * The violation a trace shows for one property, judged exactly as the random search judges it (`runTrace`:
 * every prefix judged where it ends), so a replay and a search never disagree.
 */
export function judgeTrace<S, A>(model: Model<S, A>, property: Property<S>, actions: readonly A[]): Violation | undefined {
  const run = runTrace(model, property, actions);
  return run.kind === 'ran' ? run.violation : undefined;
}

/**
 * The first step whose snapshot differs from a recorded one, with what differs, comparing `recorded[i]` to
 * `actual[i]` (snapshots after step i + 1). Snapshots are any plain data the caller takes of a state.
 * Undefined when every recorded snapshot matches (or none was recorded).
 */
export function firstDivergentStep(
  recorded: readonly unknown[],
  actual: readonly unknown[],
): { readonly step: number; readonly changes: readonly StateChange[] } | undefined {
  for (let i = 0; i < Math.min(recorded.length, actual.length); i++) {
    const changes = diffStates(recorded[i], actual[i]);
    if (changes.length > 0) return { step: i + 1, changes };
  }
  return undefined;
}
