/**
 * A config change checked, never just printed: the patches applied (`pgp/patches.ts`), the changed config
 * checked exactly as `check` checks one (`checkTargets`: explored exhaustively within the state budget
 * first, the rest searched at random from the same seed with the same workers, as `compare` does), and
 * every verdict set against the one before (`checker/change.ts`): what the change fixes, what it leaves
 * violated and what it makes worse.
 *
 * Two uses: the risk report checks each violated property's own advice (and, where it makes something
 * worse, looks for the smallest combination that does not); `repair` searches the combinations of every
 * property's patches for the fewest changes that make the chosen violations hold (`checker/smallest-change.ts`).
 */
import { type Change, changeOf } from '../checker/change.ts';
import { type Judged, smallestChange } from '../checker/smallest-change.ts';
import type { Verdict } from '../checker/verdict.ts';
import type { ClusterConfig } from '../config/schema.ts';
import { findProperty, PROPERTIES } from '../properties/index.ts';
import { type CheckOptions, checkTargets, type PropertyResult } from './check.ts';
import { runTasks } from './parallel.ts';
import { allPatches, changeCount, type ConfigChange, type ConfigPatch, mergeChanges, patchedConfig, patchesOf, patchKey } from './patches.ts';
import { makeTarget } from './target.ts';

/** A property's verdict before and after a change. */
export interface VerdictChange {
  readonly property: string;
  readonly before: Verdict;
  readonly after: Verdict;
  readonly change: Change;
}

export interface CheckedChange {
  readonly patches: readonly ConfigPatch[];
  /** The fields set, each once. */
  readonly changes: readonly ConfigChange[];
  readonly config: ClusterConfig;
  /** The changed config's results, as `check` gives them. */
  readonly results: readonly PropertyResult[];
  /** Of the properties the change is for, those no longer violated, and those still violated. */
  readonly fixed: readonly string[];
  readonly unfixed: readonly string[];
  /** Every property whose verdict got worse, or better. */
  readonly worse: readonly VerdictChange[];
  readonly better: readonly VerdictChange[];
}

/** Checks a config as `check` does; the same config is checked once. */
export type ConfigCheck = (config: ClusterConfig) => Promise<readonly PropertyResult[]>;

/**
 * `check`'s own path for a changed config: the same options, seed and workers (so `compare` gives the
 * same verdicts), for the promises only: a change is judged by what it does to them, and the guards
 * (`sometimes`: states a search must reach, many only by long random search) say nothing of it.
 */
export function configCheck(all: CheckOptions, workers: number, onTasks?: (tasks: number) => void): ConfigCheck {
  const memo = new Map<string, Promise<readonly PropertyResult[]>>();
  const promises = PROPERTIES.filter((p) => p.kind !== 'sometimes' && (all.properties.length === 0 || all.properties.includes(p.name))).map((p) => p.name);
  const options: CheckOptions = { ...all, properties: promises };
  return (config) => {
    const key = JSON.stringify(config);
    let checked = memo.get(key);
    if (checked === undefined) {
      checked = checkTargets([{ target: makeTarget(config) }], options, workers, (tasks) => {
        onTasks?.(tasks.length);
        return runTasks(tasks, workers, () => {});
      }).then((results) => results[0]!);
      memo.set(key, checked);
    }
    return checked;
  };
}

function isViolation(verdict: Verdict): boolean {
  return verdict === 'violated' || verdict === 'unreached';
}

/** Applies `patches` to `config` and checks it against `original`, for the properties in `targets`. */
export async function checkChange(
  config: ClusterConfig,
  original: readonly PropertyResult[],
  patches: readonly ConfigPatch[],
  targets: readonly string[],
  check: ConfigCheck,
): Promise<CheckedChange> {
  const changed = patchedConfig(config, patches);
  const results = await check(changed);
  const comparisons = original.flatMap((before): VerdictChange[] => {
    const after = results.find((r) => r.property === before.property);
    return after === undefined ? [] : [{ property: before.property, before: before.verdict, after: after.verdict, change: changeOf(before.verdict, after.verdict) }];
  });
  const verdictAfter = (name: string) => results.find((r) => r.property === name)?.verdict;
  return {
    patches,
    changes: mergeChanges(patches) ?? [],
    config: changed,
    results,
    fixed: targets.filter((t) => {
      const v = verdictAfter(t);
      return v !== undefined && !isViolation(v);
    }),
    unfixed: targets.filter((t) => {
      const v = verdictAfter(t);
      return v === undefined || isViolation(v);
    }),
    worse: comparisons.filter((c) => c.change === 'worse'),
    better: comparisons.filter((c) => c.change === 'better'),
  };
}

/** Whether a checked change does what it is for: every target holds (or no longer applies), and nothing got worse. */
export function succeeds(checked: CheckedChange): boolean {
  return checked.unfixed.length === 0 && checked.worse.length === 0;
}

export interface ChangeSearch {
  /** The cheapest change found that makes every target hold with nothing worse, or undefined. */
  readonly found: CheckedChange | undefined;
  /** Every change checked, in order. */
  readonly checked: readonly CheckedChange[];
  /** Every combination within the size bound was checked: "none found" is a proof over the declared patches. */
  readonly exhausted: boolean;
  /** The best that was not enough: the most targets fixed, then the fewest made worse, then the fewest changes. */
  readonly best: CheckedChange | undefined;
}

export interface ChangeSearchOptions {
  /** Patches every combination includes (a property's own advice, when asking what must go with it). */
  readonly base?: readonly ConfigPatch[];
  /** Candidates (default: every property's patches for the config). */
  readonly candidates?: readonly ConfigPatch[];
  readonly maxSize: number;
  readonly maxChecks: number;
  onChecked?(checked: CheckedChange, count: number): void;
}

/** The best of changes that were not enough. */
function better(a: CheckedChange | undefined, b: CheckedChange): CheckedChange {
  if (a === undefined) return b;
  if (b.fixed.length !== a.fixed.length) return b.fixed.length > a.fixed.length ? b : a;
  if (b.worse.length !== a.worse.length) return b.worse.length < a.worse.length ? b : a;
  return b.changes.length < a.changes.length ? b : a;
}

/**
 * The fewest config changes (fields set) from the declared patches that make every target hold with
 * nothing worse: combinations tried cheapest first, each checked as `check` checks a config; a
 * combination that makes a property worse suggests that property's own patches for the changed config.
 */
export async function searchChange(
  config: ClusterConfig,
  original: readonly PropertyResult[],
  targets: readonly string[],
  check: ConfigCheck,
  options: ChangeSearchOptions,
): Promise<ChangeSearch> {
  const checked: CheckedChange[] = [];
  const search = await smallestChange<ConfigPatch, CheckedChange>({
    base: options.base ?? [],
    candidates: options.candidates ?? allPatches(config),
    key: patchKey,
    cost: changeCount,
    judge: async (set) => {
      const result = await checkChange(config, original, set, targets, check);
      checked.push(result);
      return result;
    },
    passes: succeeds,
    // What a change made worse, its own advice may mend: that property's patches for the changed config.
    more: (_set, result) => result.worse.flatMap((w) => {
      const property = findProperty(w.property);
      return property === undefined ? [] : patchesOf(property, result.config).map((p) => rebase(p, config));
    }),
    maxSize: options.maxSize,
    maxEvaluations: options.maxChecks,
    ...(options.onChecked ? { onJudged: (j: Judged<ConfigPatch, CheckedChange>, n: number) => options.onChecked!(j.result, n) } : {}),
  });
  return {
    found: search.found?.result,
    checked,
    exhausted: search.exhausted,
    best: checked.reduce<CheckedChange | undefined>((a, b) => better(a, b), undefined),
  };
}

/**
 * A patch made for a changed config, stated against the original: each change's `was` is the original's
 * value (the field may already differ after other patches; applied together they merge).
 */
function rebase(patch: ConfigPatch, config: ClusterConfig): ConfigPatch {
  return {
    ...patch,
    changes: patch.changes.map((c) => ({
      ...c,
      was: c.path.reduce<unknown>((at, key) => (at === undefined || at === null ? undefined : (at as Record<string | number, unknown>)[key]), config),
    })),
  };
}
