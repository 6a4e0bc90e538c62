/**
 * `check`'s orchestration for any plug-in (`checker/plugin.ts`): each property of a config is explored
 * exhaustively first within a state budget (`checker/explore-first.ts`); what that leaves undecided is
 * searched at random in shards (`checker/tasks.ts`), which may run on worker threads and are merged in
 * shard order; what the exploration calls verified is cross-checked by a short random search on the plain
 * model (`checker/cross-check.ts`: a disagreement is an internal error, and no verdict is given); and
 * every result says its basis (`checker/judge.ts`): `exhaustive` or `partial` with its states, or `random`
 * with its runs.
 */
import { CrossCheckError, claimsOf, crossCheck } from './cross-check.ts';
import { exploreFirst, type FirstExploration, selectedProperties, stopOf } from './explore-first.ts';
import { judgeProperty, type PropertyCheck } from './judge.ts';
import type { ExploreProgress, Instance, Plugin } from './plugin.ts';
import { instanceOf, mergeShards, runSearchTask, runsFor, type SearchOutcome, type SearchTask, shardTasks } from './tasks.ts';

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
  const searched = selectedProperties(instance, options).map((property) =>
    property.notApplicable === undefined && !explored.decided.has(property.name)
      ? runSearchTask(plugin, shardTasks(config, property.name, runsFor(property.kind, options), 1)[0]!, stop)
      : undefined,
  );
  crossCheckExploration(plugin, config, instance, explored, options.seed);
  return selectedProperties(instance, options).map((property, p) =>
    judgeProperty(instance.model, property, searched[p], options.seed, explored.decided.get(property.name), stopOf(explored, property.name)),
  );
}

/**
 * Checks several configs: each is explored exhaustively within the state budget first (in this thread);
 * what that leaves undecided is searched at random, spread over `workers` shards that `run` runs (on
 * worker threads, or here), and merged deterministically; then each exploration's verdicts are
 * cross-checked (in this thread), and a disagreement is thrown before any result is judged.
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
      property.notApplicable === undefined && !explored[j]!.decided.has(property.name)
        ? shardTasks(configs[j]!, property.name, runsFor(property.kind, options), workers)
        : [],
    ),
  );
  const outcomes = await run(plan.flat(2));
  // After the searches, whose steps on the plain model have warmed up what the cross-check runs.
  for (const [j, instance] of mine.entries()) crossCheckExploration(plugin, configs[j]!, instance, explored[j]!, options.seed);
  let next = 0;
  return mine.map((instance, j) =>
    selectedProperties(instance, options).map((property, p) => {
      const tasks = plan[j]![p]!;
      const taken = outcomes.slice(next, next + tasks.length);
      next += tasks.length;
      const first = explored[j]!;
      return judgeProperty(instance.model, property, tasks.length === 0 ? undefined : mergeShards(taken), options.seed, first.decided.get(property.name), stopOf(first, property.name));
    }),
  );
}

/**
 * Cross-checks what an exploration called verified with a short random search on the plain model, from the
 * run's seed (`crossCheck`): a `CrossCheckError` naming the property and the trace when it disagrees.
 */
function crossCheckExploration<C, S, A, I extends Instance<S, A>>(plugin: Plugin<C, S, A, I>, config: C, instance: I, first: FirstExploration<A>, seed: number): void {
  const disagreement = crossCheck(instance, claimsOf(first), seed);
  if (disagreement === undefined) return;
  throw new CrossCheckError(
    plugin.configName(config),
    disagreement,
    disagreement.actions.map((a) => plugin.describeAction(a)),
  );
}
