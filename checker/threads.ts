/**
 * Running search tasks (`checker/tasks.ts`) on worker threads, for any plug-in. Tasks are dealt out by
 * config (a worker warms each config's instance once), and their outcomes put back in task order, so the
 * merged result never depends on which worker finished first, nor on whether threads were used at all.
 * A worker thread's module calls `serveTasks` with the plug-in's task runner.
 */
import { parentPort, Worker } from 'node:worker_threads';
import type { SearchOutcome, SearchTask } from './tasks.ts';

/**
 * Below this many model steps in all (traces times their length), starting threads costs more than it
 * saves, and the tasks run in this thread: the same tasks, so the same results.
 */
export const THREAD_THRESHOLD = 2_000_000;

/** Runs the tasks on up to `workers` threads; in this thread when that is 1 or the job is small. */
export async function runOnThreads<C, A>(
  tasks: readonly SearchTask<C>[],
  workers: number,
  /** Runs one task in this thread. */
  here: (task: SearchTask<C>) => SearchOutcome<A>,
  /** The worker thread's module: it serves tasks with `serveTasks`. */
  worker: URL,
  /** After each task: how many are done, and the traces that one ran. */
  onDone?: (done: number, traces: number) => void,
  threshold = THREAD_THRESHOLD,
): Promise<SearchOutcome<A>[]> {
  let done = 0;
  const steps = tasks.reduce((sum, t) => sum + t.runs * t.maxLength, 0);
  if (workers <= 1 || tasks.length <= 1 || steps < threshold)
    return tasks.map((task) => {
      const outcome = here(task);
      onDone?.(++done, outcome.result.runs);
      return outcome;
    });
  const configs: C[] = [];
  for (const task of tasks) if (!configs.includes(task.config)) configs.push(task.config);
  const threads = Math.min(workers, tasks.length);
  // By config when there are enough configs to go round; otherwise task by task.
  const assign = (index: number) => (configs.length >= threads ? configs.indexOf(tasks[index]!.config) % threads : index % threads);
  const queues = Array.from({ length: threads }, () => [] as number[]);
  for (let index = 0; index < tasks.length; index++) queues[assign(index)]!.push(index);
  const outcomes: SearchOutcome<A>[] = new Array(tasks.length);
  await Promise.all(
    queues.map(
      (queue) =>
        new Promise<void>((resolve, reject) => {
          if (queue.length === 0) return resolve();
          const thread = new Worker(worker);
          let at = 0;
          const feed = () => {
            if (at >= queue.length) {
              void thread.terminate().then(() => resolve());
              return;
            }
            const index = queue[at++]!;
            thread.postMessage({ index, task: tasks[index] });
          };
          thread.on('message', (message: { index: number; outcome: SearchOutcome<A> }) => {
            outcomes[message.index] = message.outcome;
            onDone?.(++done, message.outcome.result.runs);
            feed();
          });
          thread.on('error', reject);
          thread.once('online', feed);
        }),
    ),
  );
  return outcomes;
}

/** The body of a worker thread: one search task per message, its outcome posted back. */
export function serveTasks<C, A>(run: (task: SearchTask<C>) => SearchOutcome<A>): void {
  parentPort!.on('message', ({ index, task }: { index: number; task: SearchTask<C> }) => {
    parentPort!.postMessage({ index, outcome: run(task) });
  });
}
