/**
 * `check`: every property of one config, or of every preset, through the generic orchestration
 * (`checker/run.ts`) with the PGP plug-in (`pgp/plugin.ts`): explored exhaustively first within the
 * state budget, then searched at random. What stays here is PGP's: a result's config name, what a preset
 * expects of it, and the advice (`pgp/advice.ts`).
 */
import type { ExploreProgress } from '../checker/plugin.ts';
import type { PropertyCheck } from '../checker/judge.ts';
import { checkConfig, checkConfigs, type RunOptions } from '../checker/run.ts';
import { runSearchTask as runGenericTask, type SearchOutcome as GenericOutcome, type SearchTask as GenericTask } from '../checker/tasks.ts';
import { isFailure, type Verdict } from '../checker/verdict.ts';
import type { ClusterConfig } from '../config/schema.ts';
import type { Action } from '../model/actions.ts';
import { type ClusterProperty, PROPERTIES } from '../properties/index.ts';
import { advise } from './advice.ts';
import { HEAP_LIMIT_VARIABLE, memoryGuard } from '../checker/memory.ts';
import { CHECK_BOUNDS, CHECK_STATE_BUDGET, pgpInstance, pgpPlugin } from './plugin.ts';
import { makeTarget, type Target } from './target.ts';

/** `check`'s options: the generic ones (`checker/run.ts`). */
export type CheckOptions = RunOptions;

export type { Verdict };

export { CHECK_BOUNDS, CHECK_STATE_BUDGET };
export { mergeShards, runsFor, SOMETIMES_RUNS_FACTOR, shardTasks } from '../checker/tasks.ts';

import type { JudgedResult, PropertyResult } from './result.ts';

export type { JudgedResult, PropertyResult };

/** One random search: a property of a config, from one seed. */
export type SearchTask = GenericTask<ClusterConfig>;

/** A task's result, and the seed it ran from (a shard's own seed). */
export type SearchOutcome = GenericOutcome<Action>;

/**
 * One memory guard per thread: a search near the heap limit stops and reports what it did (`checker/memory.ts`).
 * Made again when its limit variable changes (one thread may serve several runs, as in the tests).
 */
let memory: { readonly limit: string | undefined; readonly guard: () => string | undefined } | undefined;
function guard(): () => string | undefined {
  const limit = process.env[HEAP_LIMIT_VARIABLE];
  if (memory?.limit !== limit || memory === undefined)
    memory = { limit, guard: memoryGuard('(fewer --runs, a smaller --length, or more memory: NODE_OPTIONS=--max-old-space-size=MB)') };
  return memory.guard;
}

/** Runs one search task (in this thread; `pgp/parallel.ts` runs them in worker threads). */
export function runSearchTask(task: SearchTask): SearchOutcome {
  return runGenericTask(pgpPlugin, task, guard());
}

function expectationOf(property: string, expectedViolations?: readonly string[]): PropertyResult['expected'] {
  return expectedViolations === undefined ? null : expectedViolations.includes(property) ? 'violated' : 'holds';
}

/** A generic result as PGP reports it: with its config, what a preset expects, and the advice. */
function pgpResult(
  target: Target,
  check: PropertyCheck<Action>,
  expectedViolations: readonly string[] | undefined,
  declared: ClusterProperty | undefined = target.properties.find((p) => p.property.name === check.property)?.property,
): PropertyResult {
  const judged: JudgedResult = { ...check, config: target.config.name, counterexample: null, expected: expectationOf(check.property, expectedViolations) };
  return { ...judged, ...advise(target.cluster, judged, declared) };
}

/** Checks one config in this thread, one shard per property (the same as `--workers 1`). */
export function checkTarget(target: Target, options: CheckOptions, expectedViolations?: readonly string[]): PropertyResult[] {
  return checkConfig(pgpPlugin, target.config, options, guard(), pgpInstance(target)).map((check) => pgpResult(target, check, expectedViolations));
}

/**
 * Checks several configs (`checker/run.ts` `checkConfigs`): each is explored exhaustively within the
 * state budget first (in this thread); what that leaves undecided is searched at random, spread over
 * `workers` worker threads and merged deterministically.
 */
export async function checkTargets(
  jobs: readonly { readonly target: Target; readonly expectedViolations?: readonly string[] | undefined }[],
  options: CheckOptions,
  workers: number,
  run: (tasks: readonly SearchTask[]) => Promise<SearchOutcome[]>,
  /** Told, config by config, how far its exploration got (for a progress line). */
  onExplore?: (config: number, progress: ExploreProgress) => void,
): Promise<PropertyResult[][]> {
  const configs = jobs.map((j) => j.target.config);
  const checked = await checkConfigs(pgpPlugin, configs, options, workers, run, jobs.map((j) => pgpInstance(j.target, workers)), onExplore);
  return checked.map((results, j) => results.map((check) => pgpResult(jobs[j]!.target, check, jobs[j]!.expectedViolations)));
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
