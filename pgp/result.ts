/**
 * A property's result as `check` reports it for the cluster: the checker's generic result (its verdict,
 * its `Basis` and its `Finding`, carried as they are) and PGP's own fields (the saved file, the preset's
 * expectation, the advice, an accepted risk). The reports read it; `--json` flattens it (`resultJson` in
 * `reports/summary.ts`).
 */
import type { PropertyCheck } from '../checker/judge.ts';
import type { Action } from '../model/actions.ts';
import type { Recommendation } from '../properties/types.ts';
import type { Accepted } from './accept.ts';
import type { CheckedAdvice } from './advice-check.ts';
import type { RiskNeeds } from './needs.ts';

/** A property's result as `check` reports it: the generic result (`checker/judge.ts`) and PGP's own fields. */
export interface PropertyResult extends PropertyCheck<Action> {
  readonly config: string;
  /** Path of the saved counterexample file, when one was saved. */
  readonly counterexample: string | null;
  /** How saving went (`--no-save`: absent): a new file, the same file already there, or another file already showing it. */
  readonly saved?: 'written' | 'unchanged' | 'known';
  /** For presets: what the preset documents; null for a user's config. */
  readonly expected: 'holds' | 'violated' | null;
  /** One sentence on why, in the terms of this config and trace (`pgp/advice.ts`). */
  readonly explanation: string;
  /** What the vendor recommends instead, with its KB number; null when the property does not apply. */
  readonly recommendation: Recommendation | null;
  /** A violation the config accepts on purpose (its `accept`), with the reason; set by `check` on every result. */
  readonly accepted?: Accepted | null;
  /** For a violation: the members and links its shortest trace has down or cut, and those the property takes down hypothetically (`pgp/needs.ts`). */
  readonly needs?: RiskNeeds | null;
  /** For a violation on one config: its advice as a config change, checked (`pgp/advice-check.ts`); null when not checked. */
  readonly checkedAdvice?: CheckedAdvice | null;
}

/** A result before its explanation is added. */
export type JudgedResult = Omit<PropertyResult, 'explanation' | 'recommendation' | 'accepted' | 'needs' | 'checkedAdvice'>;

/** What advice reads of a result (`pgp/advice.ts`): the verdict, what it rests on, and what was found. */
export type Judgement = Pick<PropertyCheck<Action>, 'property' | 'kind' | 'verdict' | 'basis' | 'finding' | 'reason'>;
