/**
 * The one seam between the checker and a model: a `Plugin`. The commands (`check`, `explore`, `replay`,
 * saved counterexamples) are written against it (`checker/run.ts`, `checker/trace-file.ts`); the PGP
 * cluster (`pgp/plugin.ts`) is one plug-in, and a two-phase commit (`test/two-phase-commit.ts`)
 * another, in the test suite.
 *
 * A plug-in gives:
 * - its configs: `parseConfig` (a document to a config, or located problems), `presets`, `configName`;
 * - `instantiate(config)`: the checkable model of a config (an `Instance`): a `Model`, its properties,
 *   and optionally faster engines for the same model (a random search, an exhaustive exploration);
 * - an action codec: `parseAction` (untrusted JSON to an action, or problems naming the field),
 *   `encodeAction` and `describeAction`.
 */
import type { RandomOptions, RandomResult } from './random.ts';
import type { Model, Property, PropertyKind } from './types.ts';
import type { Bounds, ExplorationStop } from './verdict.ts';

/** A property bound to one config's model. */
export interface InstanceProperty<S> {
  readonly name: string;
  readonly kind: PropertyKind;
  /** Why the property does not apply to this config (verdict `not-applicable`), or undefined. */
  readonly notApplicable: string | undefined;
  /** The property judged on the plain model (replay, the words of a violation). */
  readonly property: Property<S>;
  /**
   * What the property is about, as a property that holds in a state where it occurs: a search in which
   * it never occurred reports a "holds" as `vacuous`.
   */
  readonly subject?: Property<S>;
  /** Why exhaustive exploration within the instance's bounds cannot decide it (left to random search), or undefined. */
  readonly unexplorable?: string;
}

/** What exhaustive exploration decided about one property. */
export interface Explored<A> {
  readonly verdict: 'holds' | 'violated' | 'reached' | 'unreached' | 'vacuous';
  readonly basis: 'exhaustive' | 'partial';
  readonly states: number;
  readonly bounds: Bounds;
  readonly depthComplete: number | null;
  /** The shortest trace to the finding (a violation, or a state that reaches a `sometimes` property). */
  readonly shortest: readonly A[] | null;
}

/** What an exhaustive exploration decided, by property name, and why it did not finish (null: it did). */
export interface ExploredFirst<A> {
  readonly decided: ReadonlyMap<string, Explored<A>>;
  readonly stop: ExplorationStop | null;
}

/** One config made checkable. */
export interface Instance<S, A> {
  /** The plain model: replay, reports, the words of every violation. */
  readonly model: Model<S, A>;
  readonly properties: readonly InstanceProperty<S>[];
  /**
   * The canonical key of a state for the generic exhaustive exploration (`checker/explore.ts`): states
   * with equal keys are one. Without it (and without `exploreFirst`), `check` goes straight to random search.
   */
  key?(state: S): string | number;
  /** The bounds the generic exploration rests on, in words (default: traces of any length). */
  readonly bounds?: Bounds;
  /**
   * The plain model within the bounds `exploreFirst` rests on (one key of each sort, no time passing, say),
   * when they are narrower than `model`'s: the cross-check of an exhaustive verdict searches it at random
   * (`checker/cross-check.ts`). Default: `model`.
   */
  readonly exploredModel?: Model<S, A>;
  /**
   * Where one property's exhaustive verdict rests on other bounds than `exploredModel`'s (PGP's
   * time-decided properties: one component at a time, each with its own time steps), the plain model
   * within each of them: the cross-check walks every one. Default: `exploredModel`.
   */
  exploredModelsOf?(property: string): readonly Model<S, A>[];
  /**
   * A faster random search of one property on an engine of the same model (the PGP component engine): it
   * must return what `searchRandom(model, property, options)` would decide, its trace of plain actions.
   */
  search?(property: string, options: RandomOptions): RandomResult<A>;
  /** Forget what `search` memoized (after a search stopped near the memory limit). */
  release?(): void;
  /**
   * A faster exhaustive exploration (the PGP packed engine) of the named properties within `maxStates`:
   * what it decided, by name (every property when it finished; only real findings when it stopped), and
   * why it stopped.
   */
  exploreFirst?(properties: readonly string[], maxStates: number, onProgress?: (progress: ExploreProgress) => void): ExploredFirst<A>;
}

/** How far an exploration got, for a progress line: states visited so far, and the seconds it took. */
export interface ExploreProgress {
  readonly states: number;
  readonly seconds: number;
  /** Set on the last report of an exploration that did not finish: why, and the properties it leaves to random search. */
  readonly stopped?: { readonly stop: ExplorationStop; readonly random: readonly string[] };
}

export interface Preset<C> {
  readonly name: string;
  readonly config: C;
  /** The properties this preset documents as violated (every other one holds, or does not apply). */
  readonly expectedViolations: readonly string[];
}

export type Parsed<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly problems: readonly string[] };

export interface Plugin<C, S, A, I extends Instance<S, A> = Instance<S, A>> {
  readonly name: string;
  /** A config document (untrusted JSON) to a config, or one problem per fault, each naming its field under `at`. */
  parseConfig(document: unknown, at: string): Parsed<C>;
  readonly presets: readonly Preset<C>[];
  configName(config: C): string;
  instantiate(config: C): I;
  /** Every property name the plug-in knows (a trace file naming another is invalid). */
  readonly propertyNames: readonly string[];
  /** An action from untrusted JSON, or the problems with it, each naming its field under `at` (`actions[3]`). */
  parseAction(json: unknown, at: string, instance: I): Parsed<A>;
  encodeAction(action: A): unknown;
  describeAction(action: A): string;
}
