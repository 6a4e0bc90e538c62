/**
 * Judging, for any plug-in: a property's result from what exploration decided, else from its merged
 * random search, or as not applicable; every result says its basis (`checker/verdict.ts`).
 */
import type { Explored, InstanceProperty } from './plugin.ts';
import type { SearchOutcome } from './tasks.ts';
import { violationOf } from './trace.ts';
import type { Model, PropertyKind } from './types.ts';
import { type Basis, type ExplorationStop, stopReason, type Verdict } from './verdict.ts';

/** What a search or an exploration found: the trace to a violation, or to a state a `sometimes` property reaches. */
export interface Finding<A> {
  /** The shrunk (or shortest) trace. */
  readonly actions: readonly A[];
  /** The step (number of actions) at which the property fails, or is reached, and why. */
  readonly step: number;
  readonly message: string;
  /** The trace's length as first generated, before shrinking (an exploration's trace is never shrunk). */
  readonly originalLength: number;
  /** fast-check's replay path of the case (random search), else null. */
  readonly path: string | null;
}

/**
 * A property's result, before a plug-in adds its own words (the PGP advice): its verdict, what that rests
 * on (the `Basis` union, with any stop that made it less than a proof) and what was found (a `Finding`),
 * carried as they are to the reports and flattened only at the JSON edge (`flatCheck`).
 */
export interface PropertyCheck<A> {
  readonly property: string;
  readonly kind: PropertyKind;
  /** The seed the verdict's search ran from (a shard's own seed when it found something). */
  readonly seed: number;
  readonly verdict: Verdict;
  /** What the verdict rests on; null when the property does not apply. */
  readonly basis: Basis | null;
  /** What was found; null when nothing was. */
  readonly finding: Finding<A> | null;
  /** Why the property does not apply to this config. */
  readonly reason: string | null;
  /** The most rounds any settling took (eventually properties): the violation's, or the search's most; `rounds` in JSON. */
  readonly settlingRounds: number | null;
  /** How often each action class was generated (random search). */
  readonly generated: Readonly<Record<string, number>>;
}

/** The message of a guard a random search never reached. */
function notReached(runs: number): string {
  return `not reached in ${runs} traces: the search never reached the states this fault can break`;
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
  const base = { property: property.name, kind: property.kind } as const;
  const reason = property.notApplicable;
  if (reason !== undefined || (outcome === undefined && explored === undefined))
    return { ...base, seed: searchSeed, verdict: 'not-applicable', basis: null, finding: null, reason: reason ?? null, settlingRounds: null, generated: {} };
  if (explored !== undefined) {
    const trace = explored.shortest;
    const violation = trace === null ? undefined : violationOf(model, property.property, trace);
    if (trace !== null && violation === undefined) throw new Error(`internal error: the explored trace for ${property.name} does not show it on the plain model`);
    const basis: Basis =
      explored.basis === 'exhaustive'
        ? { basis: 'exhaustive', states: explored.states, bounds: explored.bounds }
        : {
            basis: 'partial',
            states: explored.states,
            bounds: explored.bounds,
            depthComplete: explored.depthComplete ?? 0,
            stopped: stop === undefined ? 'a bound was hit (--max-states)' : stopReason(stop),
            ...(stop === undefined ? {} : { stop }),
          };
    const finding = trace === null || violation === undefined ? null : { actions: trace, step: violation.step, message: violation.message, originalLength: trace.length, path: null };
    return { ...base, seed: searchSeed, verdict: explored.verdict, basis, finding, reason: null, settlingRounds: violation?.settlingRounds ?? null, generated: {} };
  }
  const { seed, result } = outcome!;
  const found = result.counterexample;
  const basis: Basis = {
    basis: 'random',
    runs: result.runs,
    ...(result.stopped === undefined ? {} : { stopped: result.stopped }),
    ...(stop === undefined ? {} : { fellBack: stop }),
  };
  const finding =
    found === undefined
      ? null
      : { actions: found.actions, step: found.violation.step, message: found.violation.message, originalLength: found.originalLength, path: found.path ?? null };
  const judged = { ...base, seed, basis, finding, reason: null, generated: result.generated };
  if (property.kind === 'sometimes') return { ...judged, verdict: result.verdict === 'reached' ? 'reached' : 'unreached', settlingRounds: null };
  // No state the search judged had the property's subject: nothing was shown either way.
  // (A search stopped before its first trace judged nothing: it stays "holds", reported as stopped.)
  const vacuous = result.verdict !== 'violated' && result.subjectSeen === false && result.runs > 0;
  return {
    ...judged,
    verdict: result.verdict === 'violated' ? 'violated' : vacuous ? 'vacuous' : 'holds',
    settlingRounds: found?.violation.settlingRounds ?? result.maxSettlingRounds ?? null,
  };
}

/** The exploration stop a result owes its basis to: a partial exploration's, or the one that left it to random search. */
export function stopOfBasis(basis: Basis | null): ExplorationStop | undefined {
  return basis?.basis === 'partial' ? basis.stop : basis?.basis === 'random' ? basis.fellBack : undefined;
}

/**
 * A result flattened for JSON (the schema's keys: `basis`, `states`, `bounds`, `depthComplete`, `runs`,
 * `actions`, `step`, `message`, `originalLength`, `path`, and the random search's own `stopped`), in the
 * key order `check --json` has always printed (the search's stop and basis before the seed for a random
 * search or a property that does not apply, after the verdict for an exploration). The exploration's stop
 * is flattened by the caller, which puts its keys last.
 */
export function flatCheck<A>(check: PropertyCheck<A>) {
  const { basis, finding } = check;
  const explored = basis !== null && basis.basis !== 'random';
  const searchStopped = basis?.basis === 'random' && basis.stopped !== undefined ? { stopped: basis.stopped } : {};
  const bases = {
    basis: basis?.basis ?? null,
    states: explored ? basis.states : null,
    bounds: explored ? basis.bounds : null,
    depthComplete: basis?.basis === 'partial' ? basis.depthComplete : null,
  };
  const judged = { seed: check.seed, verdict: check.verdict };
  return {
    ...(explored ? { ...judged, ...bases } : { ...searchStopped, ...bases, ...judged }),
    runs: basis?.basis === 'random' ? basis.runs : 0,
    actions: finding?.actions ?? [],
    step: finding?.step ?? null,
    message: finding?.message ?? (check.verdict === 'unreached' && basis?.basis === 'random' ? notReached(basis.runs) : null),
    reason: check.reason,
    rounds: check.settlingRounds,
    originalLength: finding?.originalLength ?? null,
    path: finding?.path ?? null,
    generated: check.generated,
  };
}
