/**
 * Random search with fast-check. A trace is generated as a list of choices; each choice picks one of the
 * actions enabled in the current state (first a class of action, then one action of that class), so no
 * run is wasted on an action whose precondition fails. fast-check shrinks the choices; `minimizeTrace`
 * then shrinks the actions themselves.
 */
import fc from 'fast-check';
import { minimizeTrace } from './minimize.ts';
import type { Model, Property, Violation } from './types.ts';

export interface RandomOptions {
  /** Traces to try (fast-check's numRuns). */
  readonly runs: number;
  readonly seed: number;
  /** Longest trace generated. */
  readonly maxLength: number;
  /** fast-check's replay path, to re-run one failing case directly. */
  readonly path?: string;
}

export interface FoundViolation<A> {
  /** The shrunk trace. */
  readonly actions: readonly A[];
  readonly violation: Violation;
  /** Length of the trace as first generated, before any shrinking. */
  readonly originalLength: number;
  /** fast-check's path to the failing case, for `--seed S --path P`. */
  readonly path: string;
}

export interface RandomResult<A> {
  readonly verdict: 'holds' | 'violated';
  /** Traces run (up to and including the first violating one). */
  readonly runs: number;
  readonly seed: number;
  readonly counterexample: FoundViolation<A> | undefined;
  /** The most replication rounds any settling took (eventually properties). */
  readonly maxRounds: number | undefined;
  /** How often each class of action was generated, over all traces run. */
  readonly generated: Readonly<Record<string, number>>;
}

const CHOICE_MAX = 0x7fff;

/** The trace a list of choices stands for: each choice picks among the actions enabled at that point. */
export function interpretChoices<S, A>(model: Model<S, A>, choices: readonly number[], counts?: Record<string, number>): A[] {
  const actions: A[] = [];
  let state = model.initial;
  for (const choice of choices) {
    const action = pickEnabled(model, model.enabled(state), choice);
    if (action === undefined) break;
    if (counts) {
      const cls = model.classify(action);
      counts[cls] = (counts[cls] ?? 0) + 1;
    }
    actions.push(action);
    state = model.step(state, action);
  }
  return actions;
}

/** A class first (uniformly among the classes that have an enabled action), then an action of it. */
export function pickEnabled<S, A>(model: Model<S, A>, enabled: readonly A[], choice: number): A | undefined {
  if (enabled.length === 0) return undefined;
  const classes: A[][] = [];
  const index = new Map<string, number>();
  for (const action of enabled) {
    const cls = model.classify(action);
    let at = index.get(cls);
    if (at === undefined) {
      at = classes.length;
      index.set(cls, at);
      classes.push([]);
    }
    classes[at]!.push(action);
  }
  const group = classes[choice % classes.length]!;
  return group[Math.floor(choice / classes.length) % group.length];
}

export function searchRandom<S, A>(model: Model<S, A>, property: Property<S>, options: RandomOptions): RandomResult<A> {
  const generated: Record<string, number> = {};
  let maxRounds: number | undefined;
  let runs = 0;
  let firstLength: number | undefined;
  let counting = true;
  const predicate = (choices: number[]): boolean => {
    const actions = interpretChoices(model, choices, counting ? generated : undefined);
    let state = model.initial;
    const states = [state];
    for (const action of actions) {
      state = model.step(state, action);
      states.push(state);
    }
    if (counting) runs++;
    const judged = property.kind === 'always' ? states : [state];
    for (const s of judged) {
      const outcome = property.check(s);
      if (outcome.rounds !== undefined) maxRounds = Math.max(maxRounds ?? 0, outcome.rounds);
      if (!outcome.holds) {
        if (counting) {
          // The first failure ends the search; what follows is fast-check's shrinking.
          firstLength = actions.length;
          counting = false;
        }
        return false;
      }
    }
    return true;
  };
  const choices = fc.array(fc.nat({ max: CHOICE_MAX }), { maxLength: options.maxLength, size: 'max' });
  const parameters: fc.Parameters<[number[]]> = {
    seed: options.seed,
    numRuns: options.runs,
    ...(options.path === undefined ? {} : { path: options.path }),
  };
  const details = fc.check(fc.property(choices, predicate), parameters);
  if (!details.failed || details.counterexample === null) {
    return { verdict: 'holds', runs, seed: options.seed, counterexample: undefined, maxRounds, generated };
  }
  const shrunkByFastCheck = interpretChoices(model, details.counterexample[0]);
  const minimal = minimizeTrace(model, property, shrunkByFastCheck);
  if (minimal === undefined) throw new Error(`internal error: the counterexample for ${property.name} did not replay`);
  return {
    verdict: 'violated',
    runs,
    seed: options.seed,
    counterexample: {
      actions: minimal.actions,
      violation: minimal.violation,
      originalLength: firstLength ?? shrunkByFastCheck.length,
      path: details.counterexamplePath ?? '',
    },
    maxRounds,
    generated,
  };
}
