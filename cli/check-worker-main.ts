/** The body of a `check` worker thread: one search task per message, its outcome posted back. */
import { parentPort } from 'node:worker_threads';
import { runSearchTask, type SearchTask } from './check.ts';

parentPort!.on('message', ({ index, task }: { index: number; task: SearchTask }) => {
  parentPort!.postMessage({ index, outcome: runSearchTask(task) });
});
