/**
 * Running search tasks on worker threads. Tasks are dealt out by config (a worker warms each config's
 * component engine once), and their outcomes put back in task order, so the merged result never
 * depends on which worker finished first, nor on whether threads were used at all.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { ClusterConfig } from '../config/schema.ts';
import { runSearchTask, type SearchOutcome, type SearchTask } from './check.ts';

export function defaultWorkers(): number {
  return availableParallelism();
}

/**
 * Below this many model steps in all (traces times their length), starting threads costs more than it
 * saves, and the tasks run in this thread: the same tasks, so the same results.
 */
export const THREAD_THRESHOLD = 2_000_000;

/** Runs the tasks on up to `workers` threads; in this thread when that is 1 or the job is small. */
export async function runTasks(
  tasks: readonly SearchTask[],
  workers: number,
  /** After each task: how many are done, and the traces that one ran. */
  onDone?: (done: number, traces: number) => void,
  threshold = THREAD_THRESHOLD,
): Promise<SearchOutcome[]> {
  let done = 0;
  const steps = tasks.reduce((sum, t) => sum + t.runs * t.maxLength, 0);
  if (workers <= 1 || tasks.length <= 1 || steps < threshold)
    return tasks.map((task) => {
      const outcome = runSearchTask(task);
      onDone?.(++done, outcome.result.runs);
      return outcome;
    });
  const configs: ClusterConfig[] = [];
  for (const task of tasks) if (!configs.includes(task.config)) configs.push(task.config);
  const threads = Math.min(workers, tasks.length);
  // By config when there are enough configs to go round; otherwise task by task.
  const assign = (index: number) => (configs.length >= threads ? configs.indexOf(tasks[index]!.config) % threads : index % threads);
  const queues = Array.from({ length: threads }, () => [] as number[]);
  for (let index = 0; index < tasks.length; index++) queues[assign(index)]!.push(index);
  const outcomes: SearchOutcome[] = new Array(tasks.length);
  await Promise.all(
    queues.map(
      (queue) =>
        new Promise<void>((resolve, reject) => {
          if (queue.length === 0) return resolve();
          const worker = new Worker(new URL('./check-worker.mjs', import.meta.url));
          let at = 0;
          const feed = () => {
            if (at >= queue.length) {
              void worker.terminate().then(() => resolve());
              return;
            }
            const index = queue[at++]!;
            worker.postMessage({ index, task: tasks[index] });
          };
          worker.on('message', (message: { index: number; outcome: SearchOutcome }) => {
            outcomes[message.index] = message.outcome;
            onDone?.(++done, message.outcome.result.runs);
            feed();
          });
          worker.on('error', reject);
          worker.once('online', feed);
        }),
    ),
  );
  return outcomes;
}
