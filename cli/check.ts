/**
 * `check`: random search of every property on one config, or on every preset.
 */
import { type RandomResult, searchRandom } from '../checker/random.ts';
import { violationOf } from '../checker/trace.ts';
import type { ClusterConfig } from '../config/schema.ts';
import type { Action } from '../model/actions.ts';
import { type ClusterProperty, PROPERTIES } from '../properties/index.ts';
import type { Accepted } from './accept.ts';
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
  /** A violation the config accepts on purpose (its `accept`), with the reason; set by `check` on every result. */
  readonly accepted?: Accepted | null;
}

/** A result before its explanation is added. */
export type JudgedResult = Omit<PropertyResult, 'explanation' | 'recommendation' | 'accepted'>;

/** One random search: a property of a config, from one seed. */
export interface SearchTask {
  readonly config: ClusterConfig;
  readonly property: string;
  readonly runs: number;
  readonly seed: number;
  readonly maxLength: number;
  readonly path?: string;
}

/** A task's result, and the seed it ran from (a shard's own seed). */
export interface SearchOutcome {
  readonly seed: number;
  readonly result: RandomResult<Action>;
}

/**
 * Targets (and their warmed-up component engines) by config, so the searches of one config share one
 * engine. Keyed by the config's JSON: a task sent to a worker thread arrives as a copy.
 */
const targets = new Map<string, Target>();

/** Runs one search task (in this thread; `cli/parallel.ts` runs them in worker threads). */
export function runSearchTask(task: SearchTask): SearchOutcome {
  const key = JSON.stringify(task.config);
  let target = targets.get(key);
  if (!target) {
    target = makeTarget(task.config);
    targets.set(key, target);
  }
  const bound = target.properties.find((p) => p.property.name === task.property)!;
  const result = searchRandom(target.fast, bound.fast, {
    runs: task.runs,
    seed: task.seed,
    maxLength: task.maxLength,
    ...(task.path === undefined ? {} : { path: task.path }),
  });
  const found = result.counterexample;
  if (found === undefined) return { seed: task.seed, result };
  // The engine keeps one state per canonical key, and the canonical key keeps time relative: the state it
  // judged may have reached the same point at other hours. So the violation's words (hours included) come
  // from replaying the shrunk trace on the plain model; the verdict is the same by construction.
  const violation = violationOf(target.model, bound.bound, found.actions);
  if (violation === undefined) throw new Error(`internal error: the shrunk trace for ${task.property} does not violate it on the plain model`);
  return { seed: task.seed, result: { ...result, counterexample: { ...found, violation } } };
}

/**
 * A `sometimes` property guards the others against vacuous passes, and its search stops at the first
 * state that reaches it; so it gets this many times the runs, which costs nothing when it is reached
 * early and keeps a rare guard (a key held past its retention needs three actions in order) from being
 * missed by chance. Measured: `expired-key-held` needed up to 2,728 traces over 100 seeds per preset.
 */
export const SOMETIMES_RUNS_FACTOR = 10;

/** The runs a property's search gets. */
export function runsFor(kind: string, options: CheckOptions): CheckOptions {
  return kind === 'sometimes' ? { ...options, runs: options.runs * SOMETIMES_RUNS_FACTOR } : options;
}

/**
 * How a search of `runs` traces is split over `shards` workers: shard `i` runs from seed `seed + i`, so
 * one shard (`--workers 1`) is exactly the search from `seed`, and a shard's violation is reproduced by
 * `--seed` (its seed) `--workers 1`.
 */
export function shardTasks(config: ClusterConfig, property: string, options: CheckOptions, shards: number): SearchTask[] {
  const count = options.path === undefined ? Math.max(1, Math.min(shards, options.runs)) : 1;
  return Array.from({ length: count }, (_, i) => ({
    config,
    property,
    runs: Math.floor(options.runs / count) + (i < options.runs % count ? 1 : 0),
    seed: (options.seed + i) | 0,
    maxLength: options.maxLength,
    ...(options.path === undefined ? {} : { path: options.path }),
  }));
}

/**
 * One property's shards merged, in shard order (so the outcome depends only on the seed and the number
 * of shards, never on which worker finished first): the first shard that found something wins.
 */
export function mergeShards(outcomes: readonly SearchOutcome[]): SearchOutcome {
  const generated: Record<string, number> = {};
  let runs = 0;
  let statesChecked = 0;
  let maxRounds: number | undefined;
  for (const { result } of outcomes) {
    runs += result.runs;
    statesChecked += result.statesChecked;
    if (result.maxRounds !== undefined) maxRounds = Math.max(maxRounds ?? 0, result.maxRounds);
    for (const [type, n] of Object.entries(result.generated)) generated[type] = (generated[type] ?? 0) + n;
  }
  const winner = outcomes.find((o) => o.result.counterexample !== undefined) ?? outcomes[0]!;
  return { seed: winner.seed, result: { ...winner.result, runs, statesChecked, generated, ...(maxRounds === undefined ? {} : { maxRounds }) } };
}

function expectationOf(property: string, expectedViolations?: readonly string[]): PropertyResult['expected'] {
  return expectedViolations === undefined ? null : expectedViolations.includes(property) ? 'violated' : 'holds';
}

/** A property's result from its (merged) search, or as not applicable. */
export function judgeResult(
  target: Target,
  property: ClusterProperty,
  outcome: SearchOutcome | undefined,
  expectedViolations: readonly string[] | undefined,
  searchSeed: number,
): PropertyResult {
  const base = {
    config: target.config.name,
    property: property.name,
    kind: property.kind,
    counterexample: null,
    expected: expectationOf(property.name, expectedViolations),
  } as const;
  const judged = ((): JudgedResult => {
    if (outcome === undefined) {
      return {
        ...base,
        seed: searchSeed,
        verdict: 'not-applicable',
        runs: 0,
        actions: [],
        step: null,
        message: null,
        reason: property.notApplicable(target.cluster) ?? null,
        rounds: null,
        originalLength: null,
        path: null,
        generated: {},
      };
    }
    const { seed, result } = outcome;
    const found = result.counterexample;
    if (property.kind === 'sometimes') {
      // A `sometimes` property holds when the search reaches it; its trace is the witness.
      const reached = result.verdict === 'reached';
      return {
        ...base,
        seed,
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
      seed,
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
  })();
  return { ...judged, ...advise(target.cluster, judged) };
}

function selectedProperties(target: Target, options: CheckOptions) {
  return target.properties.filter((p) => options.properties.length === 0 || options.properties.includes(p.property.name));
}

/** Checks one config in this thread, one shard per property (the same as `--workers 1`). */
export function checkTarget(target: Target, options: CheckOptions, expectedViolations?: readonly string[]): PropertyResult[] {
  return selectedProperties(target, options).map(({ property, notApplicable }) => {
    const outcome =
      notApplicable === undefined ? runSearchTask(shardTasks(target.config, property.name, runsFor(property.kind, options), 1)[0]!) : undefined;
    return judgeResult(target, property, outcome, expectedViolations, options.seed);
  });
}

/** Checks several configs with the searches spread over `workers` worker threads, merged deterministically. */
export async function checkTargets(
  jobs: readonly { readonly target: Target; readonly expectedViolations?: readonly string[] | undefined }[],
  options: CheckOptions,
  workers: number,
  run: (tasks: readonly SearchTask[]) => Promise<SearchOutcome[]>,
): Promise<PropertyResult[][]> {
  const plan = jobs.map(({ target }) =>
    selectedProperties(target, options).map(({ property, notApplicable }) =>
      notApplicable === undefined ? shardTasks(target.config, property.name, runsFor(property.kind, options), workers) : [],
    ),
  );
  const outcomes = await run(plan.flat(2));
  let next = 0;
  return jobs.map(({ target, expectedViolations }, j) =>
    selectedProperties(target, options).map(({ property }, p) => {
      const tasks = plan[j]![p]!;
      const mine = outcomes.slice(next, next + tasks.length);
      next += tasks.length;
      return judgeResult(target, property, tasks.length === 0 ? undefined : mergeShards(mine), expectedViolations, options.seed);
    }),
  );
}

/** Whether a preset's result is what the preset documents (a not-applicable property counts as holding). */
export function meetsExpectation(result: PropertyResult): boolean {
  if (result.expected === null) return true;
  return result.expected === 'violated' ? result.verdict === 'violated' : result.verdict !== 'violated';
}

export { makeTarget, PROPERTIES };
