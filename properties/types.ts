/**
 * What a property of the cluster is: a small declaration (name, kind, source, statement) and a check.
 *
 * Kinds (docs/properties.md):
 * - `always`: checked in every state of a trace;
 * - `eventually`: checked on the state a trace ends in, by settling it (faults stop, replication runs
 *   to quiescence; see `model/settle.ts`) — the check reports the rounds that took;
 * - `sometimes`: a state that must be reachable, so that the other properties do not pass vacuously.
 */
import type { ClusterConfig } from '../config/schema.ts';
import type { CompiledCluster } from '../model/cluster.ts';
import type { RecordKind } from '../model/records.ts';
import { type SettleMode, settle } from '../model/settle.ts';
import type { ClusterState } from '../model/state.ts';
import type { Outcome, PropertyKind } from '../checker/types.ts';

export type { Outcome, PropertyKind } from '../checker/types.ts';

/**
 * Where a property stands in the catalogue: one of the seven `core` properties (docs/properties.md), one about the
 * cluster's later life (`lifecycle`: joining, time, the load balancer's rotation), or a `guard` (a
 * `sometimes` property that keeps the others from passing vacuously).
 */
export type PropertyGroup = 'core' | 'lifecycle' | 'guard';

export interface ClusterProperty {
  readonly name: string;
  readonly kind: PropertyKind;
  readonly group: PropertyGroup;
  /** Where the rule comes from: KB numbers, the seed article, or "modelling choice". */
  readonly source: string;
  /** Precise enough to decide any trace. */
  readonly statement: string;
  /** A reason the property does not apply to this config (docs/properties.md `not-applicable`), or undefined. */
  notApplicable(model: CompiledCluster): string | undefined;
  check(model: CompiledCluster, state: ClusterState): Outcome;
  /**
   * For an `eventually` property judged on a settled state: how the state settles, and the judgement
   * of the settled state. A checker may then settle states its own (memoized) way; `check` is always
   * `judge(settle(state))`. Properties that settle some other way leave these out.
   */
  readonly settles?: SettleMode;
  /** True for a property that only time passing can break (an exploration without time steps cannot). */
  readonly needsTime?: boolean;
  judge?(model: CompiledCluster, settled: SettledView): Outcome;
  /**
   * For an `eventually` property without `judge` whose `check` depends on the state only through
   * `settle(state, mode)`: that mode (an explorer may then memoize its verdict by the settled state).
   */
  readonly settledBy?: SettleMode;
  /**
   * What the property reads, so that an explorer keeps only that (TLC's VIEW) and judges it only where it
   * can fail; leaving a field out says "reads everything of that sort". A test checks each declaration
   * (the equivalence harness, `test/evaluations.ts`: on a component it does not read, the property holds).
   */
  readonly reads?: PropertyReads;
  /**
   * True for a property that holds on every state in which no member owes anything (every
   * `owedAtReturn` empty): an explorer need not judge such states at all (`pgp/verify.ts`; checked on
   * every state the equivalence harness visits, `test/evaluations.ts`). Not inherited by its subject.
   */
  readonly holdsWithoutDebts?: boolean;
  /**
   * What the property is about, as a state in which it occurs (a private key is held, a client is
   * enrolled): a search in which it never occurred shows nothing either way, and a "holds" from it is
   * reported as `vacuous`. It reads what the property reads.
   */
  readonly subject?: {
    readonly description: string;
    occurs(model: CompiledCluster, state: ClusterState): boolean;
  };
  /**
   * What a person reads beside the verdict (the risk report): why, in the terms of the config, and what
   * the vendor recommends. Every property but a guard has it (a test says which lacks it).
   */
  readonly advice?: PropertyAdvice;
}

/**
 * Who gives a piece of advice: the vendor, in the articles `source` names (`vendor`), or this tool, reading
 * those articles (`inference`: the vendor does not say it in so many words). Every recommendation and
 * every config change says which.
 */
export type AdviceOrigin = 'vendor' | 'inference';

/** A recommendation, as an instruction, where it comes from (KB numbers or the seed article), and who gives it. */
export interface Recommendation {
  readonly text: string;
  readonly source: string;
  readonly by: AdviceOrigin;
}

/** One field of a config document set to a value: `undefined` removes it, so that its default applies. */
export interface ConfigChange {
  /** Where, as a path into the config document: `['members', 2, 'services']`. */
  readonly path: readonly (string | number)[];
  readonly value: unknown;
  /** What the field held before (the resolved config's value, defaults applied). */
  readonly was: unknown;
}

/**
 * A recommendation as a change of the config: what it does (an instruction naming the members), the
 * fields it sets, and who gives it. `check` prints one only with the result of checking the changed
 * config; `repair` searches combinations of them.
 */
export interface ConfigPatch {
  readonly summary: string;
  readonly changes: readonly ConfigChange[];
  readonly by: AdviceOrigin;
  readonly source: string;
}

/**
 * A config change declared as data: the patch for this config, or undefined when it already has it or
 * cannot use it; or, where the same change applies to several members (one per DMZ member, say), one
 * patch each, so that a search can take some of them.
 */
export type PatchRule = (context: AdviceContext) => ConfigPatch | readonly ConfigPatch[] | undefined;

/** What advice reads: the compiled config, and what the verdict rests on in words (`500 random traces`). */
export interface AdviceContext {
  readonly model: CompiledCluster;
  readonly config: ClusterConfig;
  readonly searched: string;
  /**
   * Whether the verdict is a proof: every reachable state within the bounds was explored (basis
   * `exhaustive`). Only then may advice use the words of a proof (`argued` in `./explain.ts`).
   */
  readonly proven: boolean;
}

export interface ViolationContext extends AdviceContext {
  /** The state in which the shortest trace violates the property. */
  readonly state: ClusterState;
}

/**
 * A property's advice. It reads the config and, for a violation, the state its shortest trace ends in; it
 * never re-decides the verdict, which stays the checker's. A sentence for a holding property says what in
 * the config makes it hold, or, where nothing in the config guarantees it, only what the search showed.
 */
export interface PropertyAdvice {
  /** The vendor's advice in general; `recommend` fits it to a config. */
  readonly recommendation: Recommendation;
  /**
   * The advice for this config, where the general one would recommend what the config already does or
   * cannot use (a DMZ member without private keys, a balancer setting without a balancer).
   */
  recommend?(context: AdviceContext): Recommendation;
  /** Why it is violated here, naming this config's members and settings; undefined: the checker's message says it best. */
  violated(context: ViolationContext): string | undefined;
  /** Why it holds for this config; drawn as a conclusion only when `context.proven` (`argued` in `./explain.ts`). */
  holds(context: AdviceContext): string;
  /** Why it does not apply, when there is more to say than the property's own reason. */
  notApplicable?(context: AdviceContext): string;
  /**
   * The recommendation as config changes, where it is one (a service, a setting, a zone): each rule gives
   * the patch for this config, or undefined where the config already has it or cannot use it. Advice that
   * is no config change (an operational step, asking Support) has none, and is reported as such.
   */
  readonly patches?: readonly PatchRule[];
  /**
   * For a property judged "with any maxDown members down" after replication quiesces: the members it
   * takes down (ring positions), the smallest choice that defeats it in the state a violation ends in; a
   * report shows them as hypothetical failures. Undefined where no choice does.
   */
  outage?(model: CompiledCluster, state: ClusterState): readonly number[] | undefined;
  /**
   * For a property judged also "with any maxSiteSplits sites split off": the sites it splits off (indexes
   * into the model's `sites`) in the smallest choice that defeats it; a report shows them as hypothetical.
   */
  splitOff?(model: CompiledCluster, state: ClusterState): readonly number[] | undefined;
}

export interface PropertyReads {
  /** The record kinds it reads (every kind when absent); its verdict on a state holding none of them is "holds" (or, for `sometimes`, not reached). */
  readonly kinds?: readonly RecordKind[];
  /** Whether it reads desktop clients (a client's component). */
  readonly clients?: boolean;
  /**
   * Whether it reads what a returning member owes (the load balancer's rotation), or, as a function of the
   * config, where it does: a config in which that cannot change its verdict need not keep it.
   */
  readonly rotation?: boolean | ((model: CompiledCluster) => boolean);
  /** Whether it reads the acknowledged version of each record. */
  readonly acknowledged?: boolean;
  /** Whether it reads which records' acknowledged version was superseded unseen (`ClusterState.overwritten`). */
  readonly overwritten?: boolean;
}

/** What a settled state's judgement reads: the settled state, the rounds it took, and whether it went quiet. */
export interface SettledView {
  readonly state: ClusterState;
  readonly rounds: number;
  readonly quiescent: boolean;
}

/** An `eventually` property judged on the settled state: `check` settles, then judges. */
export function judgedAfterSettling(
  spec: Omit<ClusterProperty, 'kind' | 'check' | 'settles' | 'judge' | 'settledBy'> & {
    readonly settles: SettleMode;
    judge(model: CompiledCluster, settled: SettledView): Outcome;
  },
): ClusterProperty {
  return { ...spec, kind: 'eventually', check: (model, state) => spec.judge(model, settle(model, state, spec.settles)) };
}

export const HOLDS: Outcome = { holds: true };

export function violated(message: string, rounds?: number): Outcome {
  return rounds === undefined ? { holds: false, message } : { holds: false, message, settlingRounds: rounds };
}

export function holds(rounds?: number): Outcome {
  return rounds === undefined ? HOLDS : { holds: true, settlingRounds: rounds };
}
