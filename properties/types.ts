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
import { type SettleMode, settle } from '../model/settle.ts';
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
  /**
   * For an `eventually` property judged on a settled state: how the state settles, and the judgement
   * of the settled state. A checker may then settle states its own (memoized) way; `check` is always
   * `judge(settle(state))`. Properties that settle some other way leave these out.
   */
  readonly settles?: SettleMode;
  /** True for a property that only time passing can break (an exploration without time steps cannot). */
  readonly needsTime?: boolean;
  judge?(model: ClusterModel, settled: SettledView): Outcome;
}

/** What a settled state's judgement reads: the settled state, the rounds it took, and whether it went quiet. */
export interface SettledView {
  readonly state: ClusterState;
  readonly rounds: number;
  readonly quiescent: boolean;
}

/** An `eventually` property judged on the settled state: `check` settles, then judges. */
export function judgedAfterSettling(
  spec: Omit<ClusterProperty, 'kind' | 'check' | 'settles' | 'judge'> & {
    readonly settles: SettleMode;
    judge(model: ClusterModel, settled: SettledView): Outcome;
  },
): ClusterProperty {
  return { ...spec, kind: 'eventually', check: (model, state) => spec.judge(model, settle(model, state, spec.settles)) };
}

export const HOLDS: Outcome = { holds: true };

export function violated(message: string, rounds?: number): Outcome {
  return rounds === undefined ? { holds: false, message } : { holds: false, message, rounds };
}

export function holds(rounds?: number): Outcome {
  return rounds === undefined ? HOLDS : { holds: true, rounds };
}
