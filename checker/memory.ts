/**
 * Memory guards: a search (random or exhaustive) asks one now and then, and stops with a report of what
 * it did when its memory nears a limit, instead of dying of V8's "heap out of memory".
 *
 * The JavaScript heap is measured against Node's heap limit, less a headroom: at small heaps a fraction
 * alone leaves too little room for the next allocation (a table doubling), so the guard trips at the
 * lower of 85% of the limit and the limit less 96 MB, but never below half of it. The whole process
 * (typed arrays live outside the heap) is measured against the machine's memory, or the container's.
 * `PGP_CLUSTER_CHECK_HEAP_LIMIT_MB` sets a lower heap limit of its own (the tests use it).
 */
import { totalmem } from 'node:os';
import { getHeapStatistics } from 'node:v8';

export const HEAP_LIMIT_VARIABLE = 'PGP_CLUSTER_CHECK_HEAP_LIMIT_MB';
const HEADROOM = 96 * 2 ** 20;

const mb = (n: number) => `${Math.round(n / 2 ** 20).toLocaleString('en-US')} MB`;

/** Where the guard trips for a heap limit of `limit` bytes. */
export function heapThreshold(limit: number, fraction = 0.85): number {
  return Math.max(limit / 2, Math.min(limit * fraction, limit - HEADROOM));
}

/** A guard: the reason to stop, or undefined to go on. `advice` says how to give the search more room. */
export function memoryGuard(advice: string, fraction = 0.85): () => string | undefined {
  const set = Number(process.env[HEAP_LIMIT_VARIABLE]);
  const own = Number.isFinite(set) && set > 0 ? set * 2 ** 20 : undefined;
  const heapLimit = getHeapStatistics().heap_size_limit;
  const heapAt = own ?? heapThreshold(heapLimit, fraction);
  const constrained = typeof process.constrainedMemory === 'function' ? (process.constrainedMemory() ?? 0) : 0;
  const machine = constrained > 0 ? Math.min(constrained, totalmem()) : totalmem();
  // The heap is read at every call (no system call); the process's resident size, which costs one (reading
  // /proc), at every 64th, and no more than ten times a second (a random search asks thousands of times a second).
  let calls = 0;
  let nextRss = 0;
  return () => {
    const heapUsed = getHeapStatistics().used_heap_size;
    if (heapUsed >= heapAt)
      return own !== undefined
        ? `the heap reached ${mb(heapUsed)}, past the ${mb(own)} that ${HEAP_LIMIT_VARIABLE} allows ${advice}`
        : `the heap reached ${mb(heapUsed)} of its ${mb(heapLimit)} limit ${advice}`;
    if (calls++ % 64 !== 0) return undefined;
    const now = performance.now();
    if (now < nextRss) return undefined;
    nextRss = now + 100;
    const rss = process.memoryUsage.rss();
    if (rss >= machine * fraction) return `the process reached ${mb(rss)} of the machine's ${mb(machine)} ${advice}`;
    return undefined;
  };
}
