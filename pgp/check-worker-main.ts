/** The body of a `check` worker thread: the PGP search tasks (`pgp/check.ts`), served by `checker/threads.ts`. */
import { serveTasks } from '../checker/threads.ts';
import { runSearchTask } from './check.ts';

serveTasks(runSearchTask);
