/**
 * `check`: random search of every property on one config, or on every preset.
 */
import { searchRandom } from '../checker/random.ts';
import type { Action } from '../model/actions.ts';
import { PROPERTIES } from '../properties/index.ts';
import { advise, type Recommendation } from './advice.ts';
import { makeTarget, type Target } from './target.ts';

export interface CheckOptions {
  readonly runs: number;
  readonly seed: number;
  readonly maxLength: number;
  /** fast-check's replay path (with a single property). */
  readonly path?: string;
  readonly properties: readonly string[];
}

export type Verdict = 'holds' | 'violated' | 'not-applicable';

export interface PropertyResult {
  readonly config: string;
  readonly property: string;
  readonly kind: string;
  readonly verdict: Verdict;
  readonly runs: number;
  readonly seed: number;
  /** Path of the saved counterexample file, when one was saved. */
  readonly counterexample: string | null;
  /** How saving went (`--no-save`: absent): a new file, the same file already there, or another file already showing it. */
  readonly saved?: 'written' | 'unchanged' | 'known';
  /** The shrunk trace, empty unless violated. */
  readonly actions: readonly Action[];
  /** The step (number of actions) at which the property fails, and why. */
  readonly step: number | null;
  readonly message: string | null;
  /** Why the property does not apply to this config. */
  readonly reason: string | null;
  /** The most replication rounds any settling took (eventually properties): the model's resync time. */
  readonly rounds: number | null;
  /** Length of the violating trace as first generated, before shrinking. */
  readonly originalLength: number | null;
  /** fast-check's replay path of the violating case. */
  readonly path: string | null;
  /** For presets: what the preset documents; null for a user's config. */
  readonly expected: 'holds' | 'violated' | null;
  /** How often each action type was generated. */
  readonly generated: Readonly<Record<string, number>>;
  /** For a `sometimes` property: whether the search reached it (its verdict then holds) and the witness trace is `actions`. */
  readonly reached?: boolean;
  /** One sentence on why, in the terms of this config and trace (`cli/advice.ts`). */
  readonly explanation: string;
  /** What the vendor recommends instead, with its KB number; null when the property does not apply. */
  readonly recommendation: Recommendation | null;
}

/** A result before its explanation is added. */
export type JudgedResult = Omit<PropertyResult, 'explanation' | 'recommendation'>;

export function checkTarget(
  target: Target,
  options: CheckOptions,
  expectedViolations?: readonly string[],
): PropertyResult[] {
  const selected = target.properties.filter((p) => options.properties.length === 0 || options.properties.includes(p.property.name));
  const judged = selected.map(({ property, notApplicable, fast }): JudgedResult => {
    const expected: PropertyResult['expected'] = expectedViolations === undefined ? null : expectedViolations.includes(property.name) ? 'violated' : 'holds';
    const base = {
      config: target.config.name,
      property: property.name,
      kind: property.kind,
      seed: options.seed,
      counterexample: null,
      expected,
    } as const;
    if (notApplicable !== undefined) {
      return {
        ...base,
        verdict: 'not-applicable',
        runs: 0,
        actions: [],
        step: null,
        message: null,
        reason: notApplicable,
        rounds: null,
        originalLength: null,
        path: null,
        generated: {},
      };
    }
    const result = searchRandom(target.fast, fast, {
      runs: options.runs,
      seed: options.seed,
      maxLength: options.maxLength,
      ...(options.path === undefined ? {} : { path: options.path }),
    });
    const found = result.counterexample;
    if (property.kind === 'sometimes') {
      // A `sometimes` property holds when the search reaches it; its trace is the witness.
      const reached = result.verdict === 'reached';
      return {
        ...base,
        verdict: reached ? 'holds' : 'violated',
        reached,
        runs: result.runs,
        actions: found?.actions ?? [],
        step: found?.violation.step ?? null,
        message: reached ? (found?.violation.message ?? null) : `not reached in ${result.runs} traces: the search never reached the states this fault can break`,
        reason: null,
        rounds: null,
        originalLength: found?.originalLength ?? null,
        path: found?.path ?? null,
        generated: result.generated,
      };
    }
    return {
      ...base,
      verdict: result.verdict === 'violated' ? 'violated' : 'holds',
      runs: result.runs,
      actions: found?.actions ?? [],
      step: found?.violation.step ?? null,
      message: found?.violation.message ?? null,
      reason: null,
      rounds: found?.violation.rounds ?? result.maxRounds ?? null,
      originalLength: found?.originalLength ?? null,
      path: found?.path ?? null,
      generated: result.generated,
    };
  });
  return judged.map((r) => ({ ...r, ...advise(target.cluster, r) }));
}

/** Whether a preset's result is what the preset documents (a not-applicable property counts as holding). */
export function meetsExpectation(result: PropertyResult): boolean {
  if (result.expected === null) return true;
  return result.expected === 'violated' ? result.verdict === 'violated' : result.verdict !== 'violated';
}

export { makeTarget, PROPERTIES };
