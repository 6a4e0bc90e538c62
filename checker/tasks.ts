/**
 * Random search as tasks, for any plug-in (`checker/plugin.ts`): one task is a property of a config from
 * one seed; a property's search is split into shards (`shardTasks`) that may run on worker threads
 * (`checker/threads.ts`) and are merged in shard order (`mergeShards`), so the outcome depends only on
 * the seed and the number of shards.
 */
import type { Instance, InstanceProperty, Plugin } from './plugin.ts';
import { type RandomResult, searchRandom } from './random.ts';
import type { RunOptions } from './run.ts';
import { violationOf } from './trace.ts';
import type { Property } from './types.ts';

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
  let maxSettlingRounds: number | undefined;
  let subjectSeen: boolean | undefined;
  for (const { result } of outcomes) {
    if (result.subjectSeen !== undefined) subjectSeen = (subjectSeen ?? false) || result.subjectSeen;
    runs += result.runs;
    statesChecked += result.statesChecked;
    if (result.maxSettlingRounds !== undefined) maxSettlingRounds = Math.max(maxSettlingRounds ?? 0, result.maxSettlingRounds);
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
      ...(maxSettlingRounds === undefined ? {} : { maxSettlingRounds }),
      ...(subjectSeen === undefined ? {} : { subjectSeen }),
      ...(stopped === undefined ? {} : { stopped }),
    },
  };
}
