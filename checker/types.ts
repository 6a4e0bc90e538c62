/**
 * What the checker needs from a model and its properties. The checker knows nothing about PGP: random
 * search, replay, shrinking and reports work for any model that provides these.
 */

export type PropertyKind = 'always' | 'eventually' | 'sometimes';

/**
 * A property's judgement of one state. `settlingRounds`: for a property judged on the state settled (an
 * `eventually` property), the rounds the model's settling took (reported as a result's `rounds`).
 */
export type Outcome =
  | { readonly holds: true; readonly settlingRounds?: number }
  | { readonly holds: false; readonly message: string; readonly settlingRounds?: number };

export interface Model<S, A> {
  readonly initial: S;
  /** The enabled actions of a state, in a fixed order. */
  enabled(state: S): readonly A[];
  /** The next state; the action is assumed enabled. */
  step(state: S, action: A): S;
  /** Why the action is not enabled in this state, or undefined when it is. */
  whyDisabled(state: S, action: A): string | undefined;
  /** One readable line for an action. */
  describe(action: A): string;
  /** A coarse class of an action (its type): random search picks a class first, then one of its actions. */
  classify(action: A): string;
  /**
   * Optional fast path for random search: the action `choice` selects among the enabled ones, the same
   * way `pickEnabled` (in `checker/random.ts`) would, or undefined when none is enabled.
   */
  pick?(state: S, choice: number): A | undefined;
}

export interface Property<S> {
  readonly name: string;
  readonly kind: PropertyKind;
  /** `always`: does this state satisfy it? `eventually`: does this state settle into one that does? */
  check(state: S): Outcome;
}

/** Where a trace breaks a property: after `step` actions (0 = the initial state). */
export interface Violation {
  readonly step: number;
  readonly message: string;
  /** The settling rounds of the judgement that found it (`Outcome.settlingRounds`). */
  readonly settlingRounds?: number;
}
