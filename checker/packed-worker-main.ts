/**
 * The body of a worker thread of the parallel packed explorer (`checker/packed-parallel.ts`): it builds
 * a space from its recipe (`build`), and takes part in an exploration of it (`join`) until told to finish.
 * Messages come one at a time, in order; a failure is posted on the port and flagged in `status`.
 */
import { type MessagePort, workerData } from 'node:worker_threads';
import type { RowSpace, SpaceRecipe } from './packed.ts';
import { Party, type Shared } from './packed-parallel.ts';
import { hashRow, RowTable } from './visited.ts';

type Message =
  | { readonly type: 'build'; readonly id: number; readonly recipe: SpaceRecipe }
  | { readonly type: 'join'; readonly me: number; readonly shared: Shared; readonly table: Int32Array };

const { port, status } = workerData as { port: MessagePort; status: Int32Array };
let space: RowSpace | undefined;
let queue = Promise.resolve();

function fail(error: unknown): void {
  port.postMessage({ error: String((error as Error | undefined)?.stack ?? error) });
  Atomics.store(status, 1, 1);
  Atomics.notify(status, 0);
}

async function handle(message: Message): Promise<void> {
  if (message.type === 'build') {
    const module = (await import(message.recipe.module)) as { buildSpace?: (data: unknown) => RowSpace };
    if (typeof module.buildSpace !== 'function') throw new Error(`${message.recipe.module} exports no buildSpace(data)`);
    space = module.buildSpace(message.recipe.data);
    Atomics.store(status, 0, message.id);
    Atomics.notify(status, 0);
    return;
  }
  const { shared, me } = message;
  const words = shared.words;
  const table = new RowTable(words, 2 * (message.table.length / words));
  for (let at = 0; at < message.table.length; at += words) table.add(message.table, at, hashRow(message.table, at, words));
  new Party(space!, me, shared, table, (p, index, text) => port.postMessage({ p, index, message: text })).serve();
}

port.on('message', (message: Message) => {
  queue = queue.then(() => handle(message)).catch(fail);
});
