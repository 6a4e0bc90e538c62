/**
 * `check`'s orchestration for any plug-in (`checker/plugin.ts`): each property of a config is explored
 * exhaustively first within a state budget (the instance's own engine, or the generic breadth-first
 * `checker/explore.ts`); what that leaves undecided is searched at random (`searchRandom`), split into
 * shards (one seed each) that may run on worker threads and are merged in shard order; and every result
 * says its basis (`checker/verdict.ts`): `exhaustive` or `partial` with its states, or `random` with its runs.
 */
import { explore, findingVerdict } from './explore.ts';
import type { Explored, ExploreProgress, Instance, InstanceProperty, Plugin } from './plugin.ts';
import { type RandomResult, searchRandom } from './random.ts';
import { violationOf } from './trace.ts';
import type { Model, Property } from './types.ts';
import type { Basis, Bounds, Verdict } from './verdict.ts';

export interface RunOptions {
  readonly runs: number;
  readonly seed: number;
  readonly maxLength: number;
  /** fast-check's replay path (with a single property). */
  readonly path?: string;
  /** Property names to check (empty: all). */
  readonly properties: readonly string[];
  /**
   * The state budget of the exhaustive exploration tried first (0: random search only). A number of
   * states, not seconds, so that the verdict and its basis are the same on every machine.
   */
  readonly maxStates?: number;
}

/** The states explored per config before falling back to random search, when the options give no budget. */
export const DEFAULT_STATE_BUDGET = 8_000_000;

/** The bounds of the generic exploration when an instance names none. */
export const ANY_LENGTH: Bounds = { 'trace length': 'any' };

/**
 * A `sometimes` property guards the others against vacuous passes, and its search stops at the first
 * state that reaches it; so it gets this many times the runs, which costs nothing when it is reached
 * early and keeps a rare guard (a key held past its retention needs three actions in order) from being
 * missed by chance. Measured: `expired-key-held` needed up to 2,728 traces over 100 seeds per preset.
 */
export const SOMETIMES_RUNS_FACTOR = 10;

/** The runs a property's search gets. */
export function runsFor<O extends RunOptions>(kind: string, options: O): O {
  return kind === 'sometimes' ? { ...options, runs: options.runs * SOMETIMES_RUNS_FACTOR } : options;
}

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
  /** Why the search stopped before its runs; `runs` says how many it did. */
  readonly stopped?: string;
}

// ---------------------------------------------------------------------------------------------------
// Random search: tasks, shards, merging.

/** One random search: a property of a config, from one seed. */
export interface SearchTask<C> {
  readonly config: C;
  readonly property: string;
  readonly runs: number;
  readonly seed: number;
  readonly maxLength: number;
  readonly path?: string;
}

/** A task's result, and the seed it ran from (a shard's own seed). */
export interface SearchOutcome<A> {
  readonly seed: number;
  readonly result: RandomResult<A>;
}

/**
 * Instances by plug-in and config, so the searches of one config share one (warmed-up) instance. Keyed
 * by the config's JSON: a task sent to a worker thread arrives as a copy.
 */
const instances = new WeakMap<object, Map<string, unknown>>();

/** The instance of a config, made once per thread. */
export function instanceOf<C, S, A, I extends Instance<S, A>>(plugin: Plugin<C, S, A, I>, config: C): I {
  let mine = instances.get(plugin);
  if (mine === undefined) {
    mine = new Map();
    instances.set(plugin, mine);
  }
  const key = JSON.stringify(config);
  let instance = mine.get(key) as I | undefined;
  if (instance === undefined) {
    instance = plugin.instantiate(config);
    mine.set(key, instance);
  }
  return instance;
}

function forget(plugin: object, config: unknown): void {
  instances.get(plugin)?.delete(JSON.stringify(config));
}

function propertyOf<S>(instance: Instance<S, unknown>, name: string): InstanceProperty<S> {
  const found = instance.properties.find((p) => p.name === name);
  if (found === undefined) throw new Error(`internal error: no property ${name}`);
  return found;
}

/**
 * Runs one search task in this thread (worker threads run the same function). `stop` is asked before
 * each trace whether to stop early (a memory guard).
 */
export function runSearchTask<C, S, A, I extends Instance<S, A>>(
  plugin: Plugin<C, S, A, I>,
  task: SearchTask<C>,
  stop?: () => string | undefined,
): SearchOutcome<A> {
  const instance = instanceOf(plugin, task.config);
  const bound = propertyOf(instance, task.property);
  const options = {
    runs: task.runs,
    seed: task.seed,
    maxLength: task.maxLength,
    ...(stop === undefined ? {} : { stop }),
    ...(task.path === undefined ? {} : { path: task.path }),
  };
  const result: RandomResult<A> = instance.search
    ? instance.search(task.property, options)
    : searchRandom(instance.model, bound.property, { ...options, ...(bound.subject === undefined ? {} : { subject: bound.subject as Property<unknown> }) });
  // A search stopped early leaves the instance's tables full: let them go, so the next search starts with room again.
  if (result.stopped !== undefined) {
    instance.release?.();
    forget(plugin, task.config);
  }
  const found = result.counterexample;
  if (found === undefined) return { seed: task.seed, result };
  // A fast engine may judge a canonical state that reached the same point another way: the violation's
  // words come from replaying the shrunk trace on the plain model; the verdict is the same by construction.
  const violation = violationOf(instance.model, bound.property, found.actions);
  if (violation === undefined) throw new Error(`internal error: the shrunk trace for ${task.property} does not violate it on the plain model`);
  return { seed: task.seed, result: { ...result, counterexample: { ...found, violation } } };
}

/**
 * How a search of `runs` traces is split over `shards` workers: shard `i` runs from seed `seed + i`, so
 * one shard (`--workers 1`) is exactly the search from `seed`, and a shard's violation is reproduced by
 * `--seed` (its seed) `--workers 1`.
 */
export function shardTasks<C>(config: C, property: string, options: RunOptions, shards: number): SearchTask<C>[] {
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
export function mergeShards<A>(outcomes: readonly SearchOutcome<A>[]): SearchOutcome<A> {
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

// ---------------------------------------------------------------------------------------------------
// Exhaustive exploration first.

export function selectedProperties<S>(instance: Instance<S, unknown>, options: Pick<RunOptions, 'properties'>): readonly InstanceProperty<S>[] {
  return instance.properties.filter((p) => options.properties.length === 0 || options.properties.includes(p.name));
}

/**
 * Exhaustive exploration of a config's properties within the state budget: the instance's own engine
 * (`exploreFirst`), else the generic breadth-first search on its `key`. Returns what it decided, by
 * property name: every property it explored when it finished (basis `exhaustive`), or only the findings
 * (each a real trace, basis `partial`) when the budget ran out first.
 */
export function exploreFirst<S, A>(instance: Instance<S, A>, options: RunOptions, onProgress?: (progress: ExploreProgress) => void): Map<string, Explored<A>> {
  const budget = options.maxStates ?? DEFAULT_STATE_BUDGET;
  if (budget === 0 || options.path !== undefined) return new Map();
  const properties = selectedProperties(instance, options).filter((p) => p.notApplicable === undefined && p.unexplorable === undefined);
  if (properties.length === 0) return new Map();
  if (instance.exploreFirst) return instance.exploreFirst(properties.map((p) => p.name), budget, onProgress);
  const key = instance.key?.bind(instance);
  if (key === undefined) return new Map();
  // The subjects are looked for in the same search, as `sometimes` properties.
  const subjects = properties.flatMap((p) => (p.subject === undefined ? [] : [{ name: p.name, subject: { ...p.subject, kind: 'sometimes' as const } }]));
  const result = explore(instance.model, [...properties.map((p) => p.property), ...subjects.map((s) => s.subject)], {
    maxDepth: Number.POSITIVE_INFINITY,
    maxStates: budget,
    key,
  });
  const bounds = instance.bounds ?? ANY_LENGTH;
  const decided = new Map<string, Explored<A>>();
  properties.forEach((property, p) => {
    const finding = result.results[p]!;
    const found = finding.shortest !== null;
    if (!found && !result.exhausted) return;
    const subject = subjects.findIndex((s) => s.name === property.name);
    const vacuous = result.exhausted && !found && subject !== -1 && result.results[properties.length + subject]!.shortest === null && property.kind !== 'sometimes';
    decided.set(property.name, {
      verdict: vacuous ? 'vacuous' : findingVerdict(property.kind, found),
      basis: result.exhausted ? 'exhaustive' : 'partial',
      states: result.states,
      bounds,
      depthComplete: result.exhausted ? null : Math.max(0, result.depth - 1),
      shortest: finding.shortest,
    });
  });
  return decided;
}

// ---------------------------------------------------------------------------------------------------
// Judging.

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
): PropertyCheck<A> {
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
      ...(explored.stopped === undefined ? {} : { stopped: explored.stopped }),
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
  // (A search stopped before its first trace judged nothing: it stays "holds", reported as stopped.)
  const vacuous = result.verdict !== 'violated' && result.subjectSeen === false && result.runs > 0;
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
}

// ---------------------------------------------------------------------------------------------------
// Checking.

/** Checks one config in this thread, one shard per property (the same as `--workers 1`). */
export function checkConfig<C, S, A, I extends Instance<S, A>>(
  plugin: Plugin<C, S, A, I>,
  config: C,
  options: RunOptions,
  stop?: () => string | undefined,
  /** An instance the caller has made already (default: `instanceOf`). */
  made?: I,
): PropertyCheck<A>[] {
  const instance = made ?? instanceOf(plugin, config);
  const explored = exploreFirst(instance, options);
  return selectedProperties(instance, options).map((property) => {
    const decided = explored.get(property.name);
    const outcome =
      property.notApplicable === undefined && decided === undefined
        ? runSearchTask(plugin, shardTasks(config, property.name, runsFor(property.kind, options), 1)[0]!, stop)
        : undefined;
    return judgeProperty(instance.model, property, outcome, options.seed, decided);
  });
}

/**
 * Checks several configs: each is explored exhaustively within the state budget first (in this thread);
 * what that leaves undecided is searched at random, spread over `workers` shards that `run` runs (on
 * worker threads, or here), and merged deterministically.
 */
export async function checkConfigs<C, S, A, I extends Instance<S, A>>(
  plugin: Plugin<C, S, A, I>,
  configs: readonly C[],
  options: RunOptions,
  workers: number,
  run: (tasks: readonly SearchTask<C>[]) => Promise<SearchOutcome<A>[]>,
  /** Instances the caller has made already, config by config (default: `instanceOf`). */
  made?: readonly I[],
  /** Told, config by config, how far its exploration got (for a progress line). */
  onExplore?: (config: number, progress: ExploreProgress) => void,
): Promise<PropertyCheck<A>[][]> {
  const mine = configs.map((config, j) => made?.[j] ?? instanceOf(plugin, config));
  const explored = mine.map((instance, j) => exploreFirst(instance, options, onExplore && ((p) => onExplore(j, p))));
  const plan = mine.map((instance, j) =>
    selectedProperties(instance, options).map((property) =>
      property.notApplicable === undefined && !explored[j]!.has(property.name)
        ? shardTasks(configs[j]!, property.name, runsFor(property.kind, options), workers)
        : [],
    ),
  );
  const outcomes = await run(plan.flat(2));
  let next = 0;
  return mine.map((instance, j) =>
    selectedProperties(instance, options).map((property, p) => {
      const tasks = plan[j]![p]!;
      const taken = outcomes.slice(next, next + tasks.length);
      next += tasks.length;
      return judgeProperty(instance.model, property, tasks.length === 0 ? undefined : mergeShards(taken), options.seed, explored[j]!.get(property.name));
    }),
  );
}
