// A worker thread of the parallel packed explorer (`checker/packed-parallel.ts`; TypeScript through tsx).
// A failure to start is reported as any other: on the port, and in the shared status the coordinator reads.
import { workerData } from 'node:worker_threads';

try {
  const { register } = await import('tsx/esm/api');
  register();
  await import('./packed-worker-main.ts');
} catch (error) {
  workerData.port.postMessage({ error: String(error?.stack ?? error) });
  Atomics.store(workerData.status, 1, 1);
  Atomics.notify(workerData.status, 0);
}
