/**
 * Random search with fast-check. A trace is generated as a list of choices; each choice picks one of the
 * actions enabled in the current state (first a class of action, then one action of that class), so no
 * run is wasted on an action whose precondition fails. fast-check shrinks the choices; `minimizeTrace`
 * then shrinks the actions themselves.
 */
import fc from 'fast-check';
import { minimizeTrace } from './minimize.ts';
import { isFinding } from './trace.ts';
import type { Model, Property, Violation } from './types.ts';

export interface RandomOptions {
  /** Traces to try (fast-check's numRuns). */
  readonly runs: number;
  readonly seed: number;
  /** Longest trace generated. */
  readonly maxLength: number;
  /** fast-check's replay path, to re-run one failing case directly. */
  readonly path?: string;
  /**
   * Walks of varied lengths: `lengths[k]` is the weight of a walk of `k` actions (k up to `maxLength`).
   * Without it every walk is `maxLength` long. The length is drawn with the walk, so a failing case still
   * replays from its path. (The benchmark uses it to compare traces of equal lengths.)
   */
  readonly lengths?: readonly number[];
  /**
   * The property's subject, as a property that holds in a state where it occurs: the search reports
   * whether any state it judged had it (`subjectSeen`).
   */
  readonly subject?: Property<unknown>;
  /** Asked before each trace whether to stop early (a memory limit): the reason, or undefined to go on. */
  readonly stop?: () => string | undefined;
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
  /**
   * Whether the search found something: a violation (`violated`), or for a `sometimes` property a state
   * that reaches it (`reached`); `holds` and `unreached` when it did not.
   */
  readonly verdict: 'holds' | 'violated' | 'reached' | 'unreached';
  /** Random walks run (up to and including the first violating one). */
  readonly runs: number;
  /**
   * States judged during the search: every prefix of a walk is a trace of its own and is judged where
   * it ends, so a violation is found at the first point it can be seen.
   */
  readonly statesChecked: number;
  readonly seed: number;
  readonly counterexample: FoundViolation<A> | undefined;
  /** The most settling rounds any outcome reported (`Outcome.settlingRounds`: how long an `eventually` property's settling took). */
  readonly maxSettlingRounds: number | undefined;
  /** How often each class of action was generated, over all traces run. */
  readonly generated: Readonly<Record<string, number>>;
  /** Seconds from the start of the search to the first finding (before shrinking); undefined without one. */
  readonly foundAfterSeconds?: number;
  /** With `subject`: whether some state the search judged had it. */
  readonly subjectSeen?: boolean;
  /** Why the search stopped before its `runs` (`stop` said so); `runs` says how many it did. */
  readonly stopped?: string;
}

const CHOICE_MAX = 0x7fff;

/** The trace a list of choices stands for: each choice picks among the actions enabled at that point. */
export function interpretChoices<S, A>(model: Model<S, A>, choices: readonly number[], counts?: Record<string, number>): A[] {
  const actions: A[] = [];
  let state = model.initial;
  for (const choice of choices) {
    const action = model.pick ? model.pick(state, choice) : pickEnabled(model, model.enabled(state), choice);
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
  const classes: string[] = [];
  const sizes: number[] = [];
  for (const action of enabled) {
    const cls = model.classify(action);
    const at = classes.indexOf(cls);
    if (at === -1) {
      classes.push(cls);
      sizes.push(1);
    } else sizes[at]!++;
  }
  const chosen = choice % classes.length;
  let nth = Math.floor(choice / classes.length) % sizes[chosen]!;
  for (const action of enabled) {
    if (model.classify(action) === classes[chosen] && nth-- === 0) return action;
  }
  return undefined;
}

export function searchRandom<S, A>(model: Model<S, A>, property: Property<S>, options: RandomOptions): RandomResult<A> {
  const generated: Record<string, number> = {};
  let maxSettlingRounds: number | undefined;
  let runs = 0;
  let statesChecked = 0;
  let firstLength: number | undefined;
  let searching = true;
  const started = performance.now();
  let foundAfterSeconds: number | undefined;
  /**
   * Whether a state is not (yet) a finding: every prefix of a walk is a trace, judged where it ends. A
   * finding is a violation, or for a `sometimes` property a state that reaches it.
   */
  const subject = options.subject as Property<S> | undefined;
  let subjectSeen = false;
  const fine = (state: S): boolean => {
    const outcome = property.check(state);
    if (searching) statesChecked++;
    if (subject !== undefined && !subjectSeen && searching && subject.check(state).holds) subjectSeen = true;
    if (outcome.settlingRounds !== undefined) maxSettlingRounds = Math.max(maxSettlingRounds ?? 0, outcome.settlingRounds);
    return !isFinding(property, outcome);
  };
  let stopped: string | undefined;
  const predicate = (choices: readonly number[]): boolean => {
    // Once stopped, the remaining runs (or shrinking candidates) pass without walking: fast-check has no
    // early exit, and a candidate that passes ends its shrinking branch, leaving the smallest failure so far.
    if (stopped !== undefined) return true;
    if (options.stop !== undefined) {
      stopped = options.stop();
      if (stopped !== undefined) return true;
    }
    if (searching) runs++;
    let state = model.initial;
    let length = 0;
    let ok = fine(state);
    for (let i = 0; ok && i < choices.length; i++) {
      const action = model.pick ? model.pick(state, choices[i]!) : pickEnabled(model, model.enabled(state), choices[i]!);
      if (action === undefined) break;
      if (searching) {
        const cls = model.classify(action);
        generated[cls] = (generated[cls] ?? 0) + 1;
      }
      state = model.step(state, action);
      length++;
      ok = fine(state);
    }
    if (!ok && searching) {
      // The first failure ends the search; what follows is fast-check's shrinking.
      firstLength = length;
      searching = false;
      foundAfterSeconds = (performance.now() - started) / 1000;
    }
    return ok;
  };
  // Every walk is as long as allowed: each of its prefixes is judged as a trace of its own, so a longer
  // walk is more traces for little more work. Shrinking then works on the trace itself (`minimizeTrace`).
  const choices = fc.array(fc.nat({ max: CHOICE_MAX }), { minLength: options.maxLength, maxLength: options.maxLength });
  const walks = options.lengths === undefined ? choices : variedWalks(choices, options.lengths, options.maxLength);
  const parameters: fc.Parameters<[readonly number[]]> = {
    seed: options.seed,
    numRuns: options.runs,
    ...(options.path === undefined ? {} : { path: options.path }),
  };
  const details = fc.check(fc.property(walks, predicate), parameters);
  if (!details.failed || details.counterexample === null) {
    const verdict = property.kind === 'sometimes' ? 'unreached' : 'holds';
    return {
      verdict,
      runs,
      statesChecked,
      seed: options.seed,
      counterexample: undefined,
      maxSettlingRounds,
      generated,
      ...(subject === undefined ? {} : { subjectSeen }),
      ...(stopped === undefined ? {} : { stopped }),
    };
  }
  const walk = interpretChoices(model, details.counterexample[0]);
  const minimal = minimizeTrace(model, property, cutAtFirstViolation(model, property, walk));
  if (minimal === undefined) throw new Error(`internal error: the counterexample for ${property.name} did not replay`);
  return {
    verdict: property.kind === 'sometimes' ? 'reached' : 'violated',
    runs,
    statesChecked,
    seed: options.seed,
    counterexample: {
      actions: minimal.actions,
      violation: minimal.violation,
      originalLength: firstLength ?? walk.length,
      path: details.counterexamplePath ?? '',
    },
    maxSettlingRounds,
    generated,
    ...(foundAfterSeconds === undefined ? {} : { foundAfterSeconds }),
    ...(stopped === undefined ? {} : { stopped: `shrinking stopped early: ${stopped}` }),
  };
}

/** Choices cut to a length drawn by `weights` (see `RandomOptions.lengths`). */
function variedWalks(choices: fc.Arbitrary<number[]>, weights: readonly number[], maxLength: number): fc.Arbitrary<readonly number[]> {
  if (weights.length === 0 || weights.length > maxLength + 1 || weights.some((w) => !Number.isInteger(w) || w < 0) || !weights.some((w) => w > 0))
    throw new Error(`lengths: between 1 and ${maxLength + 1} non-negative integer weights, not all zero`);
  const upTo: number[] = [];
  let total = 0;
  for (const w of weights) {
    total += w;
    upTo.push(total);
  }
  // Unbiased: fast-check's default bias would draw small numbers (length 0) and the largest far too often.
  return fc.tuple(fc.noBias(fc.nat({ max: total - 1 })), choices).map(([draw, all]) => all.slice(0, upTo.findIndex((t) => draw < t)));
}

/** The shortest prefix of a walk that violates the property where it ends (or the whole walk). */
function cutAtFirstViolation<S, A>(model: Model<S, A>, property: Property<S>, actions: readonly A[]): A[] {
  let state = model.initial;
  if (isFinding(property, property.check(state))) return [];
  for (let i = 0; i < actions.length; i++) {
    state = model.step(state, actions[i]!);
    if (isFinding(property, property.check(state))) return actions.slice(0, i + 1);
  }
  return [...actions];
}
