/**
 * `check`: random search of every property on one config, or on every preset.
 */
import { findingVerdict } from '../checker/explore.ts';
import { type RandomResult, searchRandom } from '../checker/random.ts';
import { violationOf } from '../checker/trace.ts';
import { type Basis, type Bounds, isFailure, type Verdict } from '../checker/verdict.ts';
import { PACKED_MAX_MEMBERS } from '../model/packed.ts';
import { ringSymmetries } from '../model/symmetry.ts';
import { describeBounds, exploreScope } from './explore.ts';
import { verifyPacked } from './verify.ts';
import type { ClusterConfig } from '../config/schema.ts';
import type { Action } from '../model/actions.ts';
import { type ClusterProperty, PROPERTIES } from '../properties/index.ts';
import type { Accepted } from './accept.ts';
import { advise, type Recommendation } from './advice.ts';
import { HEAP_LIMIT_VARIABLE, memoryGuard } from './memory.ts';
import { makeTarget, subjectProperty, type Target } from './target.ts';

export interface CheckOptions {
  readonly runs: number;
  readonly seed: number;
  readonly maxLength: number;
  /** fast-check's replay path (with a single property). */
  readonly path?: string;
  readonly properties: readonly string[];
  /**
   * The state budget of the exhaustive exploration `check` tries first (0: random search only). A
   * number of states, not seconds, so that the verdict and its basis are the same on every machine.
   */
  readonly maxStates?: number;
}

export type { Verdict };

/** The states `check` explores per config before it falls back to random search (`--max-states`). */
export const CHECK_STATE_BUDGET = 500_000;

/**
 * The bounds of `check`'s exploration: one key per record kind and one client (they stand for any number:
 * every property is a conjunction over records and clients), no time passing (the properties time
 * decides are left to random search), and traces of any length.
 */
export const CHECK_BOUNDS = { writes: 1, clients: 1, maxDepth: 100_000, hours: [] as number[] } as const;

export interface PropertyResult {
  readonly config: string;
  readonly property: string;
  readonly kind: string;
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
  /** Why the search stopped before its runs (the memory guard, `cli/memory.ts`); `runs` says how many it did. */
  readonly stopped?: string;
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

/**
 * One memory guard per thread: a search near the heap limit stops and reports what it did (`cli/memory.ts`).
 * Made again when its limit variable changes (one thread may serve several runs, as in the tests).
 */
let memory: { readonly limit: string | undefined; readonly guard: () => string | undefined } | undefined;
function guard(): () => string | undefined {
  const limit = process.env[HEAP_LIMIT_VARIABLE];
  if (memory?.limit !== limit || memory === undefined)
    memory = { limit, guard: memoryGuard('(fewer --runs, a smaller --length, or more memory: NODE_OPTIONS=--max-old-space-size=MB)') };
  return memory.guard;
}

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
    stop: guard(),
    runs: task.runs,
    seed: task.seed,
    maxLength: task.maxLength,
    ...(bound.subject === undefined ? {} : { subject: bound.subject.fast as never }),
    ...(task.path === undefined ? {} : { path: task.path }),
  });
  // A search stopped by the memory guard leaves the engine's tables full: let them go, so the next search
  // starts with room again.
  if (result.stopped !== undefined) targets.delete(key);
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
  let subjectSeen: boolean | undefined;
  for (const { result } of outcomes) {
    if (result.subjectSeen !== undefined) subjectSeen = (subjectSeen ?? false) || result.subjectSeen;
    runs += result.runs;
    statesChecked += result.statesChecked;
    if (result.maxRounds !== undefined) maxRounds = Math.max(maxRounds ?? 0, result.maxRounds);
    for (const [type, n] of Object.entries(result.generated)) generated[type] = (generated[type] ?? 0) + n;
  }
  const winner = outcomes.find((o) => o.result.counterexample !== undefined) ?? outcomes[0]!;
  const stopped = outcomes.find((o) => o.result.stopped !== undefined)?.result.stopped;
  return {
    seed: winner.seed,
    result: {
      ...winner.result,
      runs,
      statesChecked,
      generated,
      ...(maxRounds === undefined ? {} : { maxRounds }),
      ...(subjectSeen === undefined ? {} : { subjectSeen }),
      ...(stopped === undefined ? {} : { stopped }),
    },
  };
}

function expectationOf(property: string, expectedViolations?: readonly string[]): PropertyResult['expected'] {
  return expectedViolations === undefined ? null : expectedViolations.includes(property) ? 'violated' : 'holds';
}

/** What exhaustive exploration decided about one property. */
export interface Explored {
  readonly verdict: 'holds' | 'violated' | 'reached' | 'unreached' | 'vacuous';
  readonly basis: 'exhaustive' | 'partial';
  readonly states: number;
  readonly bounds: Bounds;
  readonly depthComplete: number | null;
  /** The shortest trace to the finding (a violation, or a state that reaches a `sometimes` property). */
  readonly shortest: readonly Action[] | null;
}

/**
 * A property's result: from exploration when that decided it, else from its (merged) random search, or
 * as not applicable.
 */
export function judgeResult(
  target: Target,
  property: ClusterProperty,
  outcome: SearchOutcome | undefined,
  expectedViolations: readonly string[] | undefined,
  searchSeed: number,
  explored?: Explored,
): PropertyResult {
  const base = {
    config: target.config.name,
    property: property.name,
    kind: property.kind,
    counterexample: null,
    expected: expectationOf(property.name, expectedViolations),
  } as const;
  const none = { basis: null, states: null, bounds: null, depthComplete: null } as const;
  const judged = ((): JudgedResult => {
    const reason = property.notApplicable(target.cluster);
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
      const violation = trace === null ? undefined : violationOf(target.model, target.properties.find((p) => p.property.name === property.name)!.bound, trace);
      if (trace !== null && violation === undefined)
        throw new Error(`internal error: the explored trace for ${property.name} does not show it on the plain model`);
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
      };
    }
    const { seed, result } = outcome!;
    const found = result.counterexample;
    const stopped = result.stopped === undefined ? {} : { stopped: result.stopped };
    const random = { basis: 'random', states: null, bounds: null, depthComplete: null } as const;
    if (property.kind === 'sometimes') {
      const reached = result.verdict === 'reached';
      return {
        ...base,
        ...stopped,
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
      };
    }
    // No state the search judged had the property's subject: nothing was shown either way.
    const vacuous = result.verdict !== 'violated' && result.subjectSeen === false;
    return {
      ...base,
      ...stopped,
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
    };
  })();
  return { ...judged, ...advise(target.cluster, judged, property) };
}

function selectedProperties(target: Target, options: CheckOptions) {
  return target.properties.filter((p) => options.properties.length === 0 || options.properties.includes(p.property.name));
}

/**
 * Exhaustive exploration of a target's properties within `CHECK_BOUNDS` and the state budget, on the
 * packed evaluation (`cli/verify.ts`). Returns what it decided, by property name: every property it
 * explored when it finished (basis `exhaustive`), or only the findings (each a real trace, basis
 * `partial`) when the budget ran out first. Properties only time can break are not explored here.
 */
export function exploreTarget(target: Target, options: CheckOptions): Map<string, Explored> {
  const decided = new Map<string, Explored>();
  const budget = options.maxStates ?? CHECK_STATE_BUDGET;
  const cluster = target.cluster;
  if (budget === 0 || options.path !== undefined || cluster.size > PACKED_MAX_MEMBERS) return decided;
  const properties = selectedProperties(target, options)
    .filter(({ notApplicable, property }) => notApplicable === undefined && property.needsTime !== true)
    .map((p) => p.property);
  if (properties.length === 0) return decided;
  const bounds = { ...CHECK_BOUNDS, maxStates: budget };
  const result = verifyPacked(cluster, exploreScope(bounds), properties, ringSymmetries(cluster), { maxDepth: bounds.maxDepth, maxStates: budget });
  const described = describeBounds(target.config, bounds);
  properties.forEach((property, p) => {
    const finding = result.findings[p]!;
    const found = finding.shortest !== null;
    // Every component this property reads explored to the end: its verdict is exhaustive, whatever the
    // budget did to the others'; otherwise only a finding counts (a real trace), and the rest is left to
    // random search.
    const complete = finding.coverage === 'complete';
    if (!found && !complete) return;
    const verdict = findingVerdict(property.kind, found);
    decided.set(property.name, {
      verdict,
      basis: complete ? 'exhaustive' : 'partial',
      states: finding.states,
      bounds: described,
      depthComplete: complete ? null : result.depthComplete,
      shortest: finding.shortest,
    });
  });
  // A property that holds in every reachable state, yet whose subject occurs in none, is vacuous.
  const holding = properties.filter((p) => decided.get(p.name)?.verdict === 'holds' && decided.get(p.name)?.basis === 'exhaustive');
  const subjects = holding.flatMap((p) => {
    const subject = subjectProperty(p);
    return subject === undefined ? [] : [{ property: p, subject }];
  });
  if (subjects.length > 0) {
    const left = Math.max(1, budget - result.states);
    const found = verifyPacked(cluster, exploreScope(bounds), subjects.map((s) => s.subject), ringSymmetries(cluster), { maxDepth: bounds.maxDepth, maxStates: left });
    subjects.forEach(({ property }, i) => {
      const finding = found.findings[i]!;
      if (finding.shortest === null && finding.coverage === 'complete') decided.set(property.name, { ...decided.get(property.name)!, verdict: 'vacuous' });
    });
  }
  return decided;
}

/** Checks one config in this thread, one shard per property (the same as `--workers 1`). */
export function checkTarget(target: Target, options: CheckOptions, expectedViolations?: readonly string[]): PropertyResult[] {
  const explored = exploreTarget(target, options);
  return selectedProperties(target, options).map(({ property, notApplicable }) => {
    const decided = explored.get(property.name);
    const outcome =
      notApplicable === undefined && decided === undefined
        ? runSearchTask(shardTasks(target.config, property.name, runsFor(property.kind, options), 1)[0]!)
        : undefined;
    return judgeResult(target, property, outcome, expectedViolations, options.seed, decided);
  });
}

/**
 * Checks several configs: each is explored exhaustively within the state budget first (in this thread);
 * what that leaves undecided is searched at random, spread over `workers` worker threads and merged
 * deterministically.
 */
export async function checkTargets(
  jobs: readonly { readonly target: Target; readonly expectedViolations?: readonly string[] | undefined }[],
  options: CheckOptions,
  workers: number,
  run: (tasks: readonly SearchTask[]) => Promise<SearchOutcome[]>,
): Promise<PropertyResult[][]> {
  const explored = jobs.map(({ target }) => exploreTarget(target, options));
  const plan = jobs.map(({ target }, j) =>
    selectedProperties(target, options).map(({ property, notApplicable }) =>
      notApplicable === undefined && !explored[j]!.has(property.name)
        ? shardTasks(target.config, property.name, runsFor(property.kind, options), workers)
        : [],
    ),
  );
  const outcomes = await run(plan.flat(2));
  let next = 0;
  return jobs.map(({ target, expectedViolations }, j) =>
    selectedProperties(target, options).map(({ property }, p) => {
      const tasks = plan[j]![p]!;
      const mine = outcomes.slice(next, next + tasks.length);
      next += tasks.length;
      return judgeResult(
        target,
        property,
        tasks.length === 0 ? undefined : mergeShards(mine),
        expectedViolations,
        options.seed,
        explored[j]!.get(property.name),
      );
    }),
  );
}

/**
 * Whether a preset's result is what the preset documents: a documented violation is violated; every
 * other property holds, is not applicable, or (a `sometimes` guard) is reached.
 */
export function meetsExpectation(result: PropertyResult): boolean {
  if (result.expected === null) return true;
  return result.expected === 'violated' ? result.verdict === 'violated' : !isFailure(result.verdict);
}

export { makeTarget, PROPERTIES };
