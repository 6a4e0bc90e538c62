/** Running a fixed list of actions and judging it against one property. */
import type { Model, Outcome, Property, Violation } from './types.ts';

export type TraceRun<S> =
  | { readonly kind: 'ran'; readonly states: readonly S[]; readonly violation: Violation | undefined }
  | { readonly kind: 'disabled'; readonly step: number; readonly why: string };

/**
 * Whether a state is a finding for a property: for `always` and `eventually` a state that breaks it,
 * for `sometimes` a state that reaches it (a witness).
 */
export function isFinding<S>(property: Property<S>, outcome: Outcome): boolean {
  return property.kind === 'sometimes' ? outcome.holds : !outcome.holds;
}

/**
 * Replays `actions` from the initial state, judging every state it passes through: `always` properties
 * as they are, `eventually` properties by settling that state, `sometimes` properties (the first state
 * that reaches one is its finding). The first finding is the violation, with its step. A disabled action
 * ends the run (`disabled`, with its 1-based step).
 */
export function runTrace<S, A>(model: Model<S, A>, property: Property<S>, actions: readonly A[]): TraceRun<S> {
  const states: S[] = [model.initial];
  let state = model.initial;
  let violation: Violation | undefined;
  const judge = (s: S, step: number) => {
    if (violation !== undefined) return;
    const outcome = property.check(s);
    if (!isFinding(property, outcome)) return;
    const message = outcome.holds ? `${property.name} is reached` : outcome.message;
    violation = { step, message, ...(outcome.settlingRounds === undefined ? {} : { settlingRounds: outcome.settlingRounds }) };
  };
  // Every prefix of a trace is a trace of its own, judged where it ends (an `eventually` property by
  // settling that state), exactly as random search and exploration judge: so replay and search give the
  // same verdict and the same violating step for any trace.
  judge(state, 0);
  for (let i = 0; i < actions.length; i++) {
    const action = actions[i]!;
    const why = model.whyDisabled(state, action);
    if (why !== undefined) return { kind: 'disabled', step: i + 1, why };
    state = model.step(state, action);
    states.push(state);
    judge(state, i + 1);
  }
  return { kind: 'ran', states, violation };
}

/** The violation a trace shows, or undefined when it shows none or is not a valid trace. */
export function violationOf<S, A>(model: Model<S, A>, property: Property<S>, actions: readonly A[]): Violation | undefined {
  const run = runTrace(model, property, actions);
  return run.kind === 'ran' ? run.violation : undefined;
}
