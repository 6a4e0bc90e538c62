/**
 * `explore`'s judgement for any plug-in: an exhaustive exploration's findings turned into one verdict per
 * property, each with its basis (`checker/verdict.ts`): `exhaustive` when every reachable state within
 * the bounds was visited (or a real trace was found), `partial` (states visited, levels complete, why it
 * stopped) otherwise; `not-applicable` and `not-explored` with their reason. The words of a violation come
 * from replaying its shortest trace on the plain model.
 *
 * `exploreInstance` runs the generic breadth-first search (`checker/explore.ts`) on an instance's `key`;
 * a plug-in with engines of its own (the PGP packed and component engines) runs those and judges their
 * result here (`judgeExploration`).
 */
import { type ExploreProgress, explore, type Finding } from './explore.ts';
import type { Instance, InstanceProperty } from './plugin.ts';
import { ANY_LENGTH } from './explore-first.ts';
import { violationOf } from './trace.ts';
import type { Model } from './types.ts';
import type { Basis, Bounds } from './verdict.ts';

/** `not-explored`: a property the exploration could not decide in these bounds (only time can break it, say). */
export type ExploreVerdict = 'holds' | 'violated' | 'reached' | 'unreached' | 'not-applicable' | 'not-explored';

export interface ExploredProperty<A> {
  readonly property: string;
  readonly kind: string;
  readonly verdict: ExploreVerdict;
  /** The shortest trace to a violation (for `sometimes`: to the first state that reaches it). */
  readonly shortest: readonly A[] | null;
  readonly message: string | null;
  readonly reason: string | null;
  /** What the verdict rests on (absent for `not-applicable` and `not-explored`). */
  readonly basis?: Basis;
}

/** What an explorer found, engine by engine the same shape. */
export interface Exploration<A> {
  readonly states: number;
  readonly depth: number;
  /** Every level up to this depth was complete (the explorer's own count, when it keeps one). */
  readonly depthComplete?: number;
  readonly exhausted: boolean;
  readonly stopped?: string;
  /** One finding per explored property, in the order given. */
  readonly results: readonly {
    readonly verdict: Finding;
    readonly shortest: readonly A[] | null;
    readonly message: string | null;
    /** For an engine that explores component by component: whether it reached this property's components at all. */
    readonly coverage?: 'complete' | 'partial' | 'none';
  }[];
}

/** Every level up to this depth was explored completely. */
export function depthCompleteOf(result: Exploration<unknown>): number {
  return result.depthComplete ?? (result.exhausted ? result.depth : Math.max(0, result.depth - 1));
}

/**
 * One verdict per property from an exploration of `explored` (those of `properties` that apply and can
 * be explored, in that order).
 */
export function judgeExploration<S, A>(
  model: Model<S, A>,
  properties: readonly InstanceProperty<S>[],
  explored: readonly InstanceProperty<S>[],
  result: Exploration<A>,
  bounds: Bounds,
): ExploredProperty<A>[] {
  const depthComplete = depthCompleteOf(result);
  const basis = (verdict: string): Basis =>
    result.exhausted || (verdict !== 'holds' && verdict !== 'unreached')
      ? { basis: 'exhaustive', states: result.states, bounds }
      : { basis: 'partial', states: result.states, depthComplete, bounds, stopped: result.stopped ?? 'a bound was hit (--depth or --max-states)' };
  return properties.map((property): ExploredProperty<A> => {
    // A verdict with no trace: not applicable, or not explored, and why.
    const undecided = (verdict: 'not-applicable' | 'not-explored', reason: string): ExploredProperty<A> => ({
      property: property.name,
      kind: property.kind,
      verdict,
      shortest: null,
      message: null,
      reason,
    });
    if (property.notApplicable !== undefined) return undecided('not-applicable', property.notApplicable);
    if (property.unexplorable !== undefined) return undecided('not-explored', property.unexplorable);
    const finding = result.results[explored.indexOf(property)]!;
    if (finding.coverage === 'none' && finding.shortest === null)
      return undecided('not-explored', `the search stopped (${result.stopped ?? 'a bound'}) before it reached the components this property reads`);
    // An explorer may keep one state per canonical key: the words of a violation come from the plain model.
    const message =
      finding.verdict === 'violated' && finding.shortest !== null ? (violationOf(model, property.property, finding.shortest)?.message ?? finding.message) : finding.message;
    return { property: property.name, kind: property.kind, verdict: finding.verdict, shortest: finding.shortest, message, reason: null, basis: basis(finding.verdict) };
  });
}

export interface ExploreInstanceOptions {
  readonly maxDepth: number;
  readonly maxStates: number;
  /** Property names to explore (empty: all). */
  readonly properties: readonly string[];
  readonly onProgress?: (progress: ExploreProgress) => void;
  readonly stop?: () => string | undefined;
}

export interface InstanceExploration<A> {
  readonly states: number;
  readonly transitions: number;
  readonly depth: number;
  readonly depthComplete: number;
  readonly exhausted: boolean;
  readonly stopped: string | null;
  readonly seconds: number;
  readonly bounds: Bounds;
  readonly results: readonly ExploredProperty<A>[];
}

/** `explore` on the generic breadth-first search: every reachable state of the instance within the bounds. */
export function exploreInstance<S, A>(instance: Instance<S, A>, options: ExploreInstanceOptions): InstanceExploration<A> {
  const key = instance.key?.bind(instance);
  if (key === undefined) throw new Error('this model gives no canonical key of a state, so it cannot be explored exhaustively');
  const selected = instance.properties.filter((p) => options.properties.length === 0 || options.properties.includes(p.name));
  const explored = selected.filter((p) => p.notApplicable === undefined && p.unexplorable === undefined);
  const result = explore(
    instance.model,
    explored.map((p) => p.property),
    {
      maxDepth: options.maxDepth,
      maxStates: options.maxStates,
      key,
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
      ...(options.stop ? { stop: options.stop } : {}),
    },
  );
  const bounds = { ...(instance.bounds ?? ANY_LENGTH), ...(Number.isFinite(options.maxDepth) ? { 'trace length': `up to ${options.maxDepth} actions` } : {}) };
  return {
    states: result.states,
    transitions: result.transitions,
    depth: result.depth,
    depthComplete: depthCompleteOf(result),
    exhausted: result.exhausted,
    stopped: result.stopped ?? null,
    seconds: result.seconds,
    bounds,
    results: judgeExploration(instance.model, selected, explored, result, bounds),
  };
}
