/** The body of a worker thread for the two-phase commit: its search tasks, served by `checker/threads.ts`. */
import { runSearchTask, type SearchTask } from '../checker/tasks.ts';
import { serveTasks } from '../checker/threads.ts';
import { type TwoPhaseConfig, twoPhasePlugin } from './two-phase-commit.ts';

serveTasks((task: SearchTask<TwoPhaseConfig>) => runSearchTask(twoPhasePlugin, task));
