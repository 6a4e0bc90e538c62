/**
 * Judging, for any plug-in: a property's result from what exploration decided, else from its merged
 * random search, or as not applicable; every result says its basis (`checker/verdict.ts`).
 */
import type { Explored, InstanceProperty } from './plugin.ts';
import type { SearchOutcome } from './tasks.ts';
import { violationOf } from './trace.ts';
import type { Model } from './types.ts';
import type { Basis, Bounds, ExplorationStop, Verdict } from './verdict.ts';

/** A property's result, before a plug-in adds its own words (the PGP advice). */
export interface PropertyCheck<A> {
  readonly property: string;
  readonly kind: string;
  readonly seed: number;
  readonly verdict: Verdict;
  /** What the verdict rests on: every reachable state within `bounds`, an exploration cut short, or `runs` random traces. */
  readonly basis: Basis['basis'] | null;
  /** States explored (exhaustive or partial basis), else null. */
  readonly states: number | null;
  /** The bounds an exploration's verdict rests on, else null. */
  readonly bounds: Bounds | null;
  /** For a partial exploration: every level up to this depth was complete. */
  readonly depthComplete: number | null;
  /** Random traces run (0 when the verdict rests on exploration). */
  readonly runs: number;
  /** The shrunk (or shortest) trace, empty unless something was found. */
  readonly actions: readonly A[];
  /** The step (number of actions) at which the property fails, and why. */
  readonly step: number | null;
  readonly message: string | null;
  /** Why the property does not apply to this config. */
  readonly reason: string | null;
  /** The most rounds any settling took (eventually properties). */
  readonly rounds: number | null;
  /** Length of the violating trace as first generated, before shrinking. */
  readonly originalLength: number | null;
  /** fast-check's replay path of the violating case. */
  readonly path: string | null;
  /** How often each action class was generated. */
  readonly generated: Readonly<Record<string, number>>;
  /** Why the random search stopped before its runs; `runs` says how many it did. */
  readonly stopped?: string;
  /**
   * The exploration that stopped before it decided this property (its state budget ran out, or the
   * memory guard stopped it): the verdict is `partial`, or fell back to random search. Not a proof.
   */
  readonly explorationStop?: ExplorationStop;
}

/**
 * A property's result: from exploration when that decided it, else from its (merged) random search, or
 * as not applicable.
 */
export function judgeProperty<S, A>(
  model: Model<S, A>,
  property: InstanceProperty<S>,
  outcome: SearchOutcome<A> | undefined,
  searchSeed: number,
  explored?: Explored<A>,
  /** The exploration's stop this verdict owes to (`stopOf` in `checker/explore-first.ts`). */
  stop?: ExplorationStop,
): PropertyCheck<A> {
  const stopped = stop === undefined ? {} : { explorationStop: stop };
  const base = { property: property.name, kind: property.kind } as const;
  const none = { basis: null, states: null, bounds: null, depthComplete: null } as const;
  const reason = property.notApplicable;
  if (reason !== undefined || (outcome === undefined && explored === undefined)) {
    return {
      ...base,
      ...none,
      seed: searchSeed,
      verdict: 'not-applicable',
      runs: 0,
      actions: [],
      step: null,
      message: null,
      reason: reason ?? null,
      rounds: null,
      originalLength: null,
      path: null,
      generated: {},
    };
  }
  if (explored !== undefined) {
    const trace = explored.shortest;
    const violation = trace === null ? undefined : violationOf(model, property.property, trace);
    if (trace !== null && violation === undefined) throw new Error(`internal error: the explored trace for ${property.name} does not show it on the plain model`);
    return {
      ...base,
      seed: searchSeed,
      verdict: explored.verdict,
      basis: explored.basis,
      states: explored.states,
      bounds: explored.bounds,
      depthComplete: explored.depthComplete,
      runs: 0,
      actions: trace ?? [],
      step: violation?.step ?? null,
      message: violation?.message ?? null,
      reason: null,
      rounds: violation?.rounds ?? null,
      originalLength: trace?.length ?? null,
      path: null,
      generated: {},
      ...stopped,
    };
  }
  const { seed, result } = outcome!;
  const found = result.counterexample;
  const searchStopped = result.stopped === undefined ? {} : { stopped: result.stopped };
  const random = { basis: 'random', states: null, bounds: null, depthComplete: null } as const;
  if (property.kind === 'sometimes') {
    const reached = result.verdict === 'reached';
    return {
      ...base,
      ...searchStopped,
      ...random,
      seed,
      verdict: reached ? 'reached' : 'unreached',
      runs: result.runs,
      actions: found?.actions ?? [],
      step: found?.violation.step ?? null,
      message: reached ? (found?.violation.message ?? null) : `not reached in ${result.runs} traces: the search never reached the states this fault can break`,
      reason: null,
      rounds: null,
      originalLength: found?.originalLength ?? null,
      path: found?.path ?? null,
      generated: result.generated,
      ...stopped,
    };
  }
  // No state the search judged had the property's subject: nothing was shown either way.
  // (A search stopped before its first trace judged nothing: it stays "holds", reported as stopped.)
  const vacuous = result.verdict !== 'violated' && result.subjectSeen === false && result.runs > 0;
  return {
    ...base,
    ...searchStopped,
    ...random,
    seed,
    verdict: result.verdict === 'violated' ? 'violated' : vacuous ? 'vacuous' : 'holds',
    runs: result.runs,
    actions: found?.actions ?? [],
    step: found?.violation.step ?? null,
    message: found?.violation.message ?? null,
    reason: null,
    rounds: found?.violation.rounds ?? result.maxRounds ?? null,
    originalLength: found?.originalLength ?? null,
    path: found?.path ?? null,
    generated: result.generated,
    ...stopped,
  };
}
