/**
 * `check`'s search tasks on worker threads: the generic pool (`checker/threads.ts`) with the PGP task
 * runner, and `pgp/check-worker.mjs` as the worker's module.
 */
import { availableParallelism } from 'node:os';
import { runOnThreads, THREAD_THRESHOLD } from '../checker/threads.ts';
import { runSearchTask, type SearchOutcome, type SearchTask } from './check.ts';

export { THREAD_THRESHOLD };

export function defaultWorkers(): number {
  return availableParallelism();
}

/** Runs the tasks on up to `workers` threads; in this thread when that is 1 or the job is small. */
export function runTasks(
  tasks: readonly SearchTask[],
  workers: number,
  /** After each task: how many are done, and the traces that one ran. */
  onDone?: (done: number, traces: number) => void,
  threshold = THREAD_THRESHOLD,
): Promise<SearchOutcome[]> {
  return runOnThreads(tasks, workers, runSearchTask, new URL('./check-worker.mjs', import.meta.url), onDone, threshold);
}
