/**
 * What a property of the cluster is: a small declaration (name, kind, source, statement) and a check.
 *
 * Kinds (SPEC §5):
 * - `always`: checked in every state of a trace;
 * - `eventually`: checked on the state a trace ends in, by settling it (faults stop, replication runs
 *   to quiescence; see `model/settle.ts`) — the check reports the rounds that took;
 * - `sometimes`: a state that must be reachable, so that the other properties do not pass vacuously.
 */
import type { ClusterModel } from '../model/cluster.ts';
import type { ClusterState } from '../model/state.ts';

export type PropertyKind = 'always' | 'eventually' | 'sometimes';

export type Outcome =
  | { readonly holds: true; readonly rounds?: number }
  | { readonly holds: false; readonly message: string; readonly rounds?: number };

export interface ClusterProperty {
  readonly name: string;
  readonly kind: PropertyKind;
  /** Where the rule comes from: KB numbers, the seed article, or "modelling choice". */
  readonly source: string;
  /** Precise enough to decide any trace. */
  readonly statement: string;
  /** A reason the property does not apply to this config (SPEC §5 `not-applicable`), or undefined. */
  notApplicable(model: ClusterModel): string | undefined;
  check(model: ClusterModel, state: ClusterState): Outcome;
}

export const HOLDS: Outcome = { holds: true };

export function violated(message: string, rounds?: number): Outcome {
  return rounds === undefined ? { holds: false, message } : { holds: false, message, rounds };
}

export function holds(rounds?: number): Outcome {
  return rounds === undefined ? HOLDS : { holds: true, rounds };
}
