/**
 * One breadth-first exploration over several threads (`checker/packed.ts`, `parallel`), giving exactly
 * the result of one thread: the same states, transitions, findings and traces.
 *
 * The visited set is partitioned by hash: each thread (this one is party 0) keeps the visited rows whose
 * hash falls to it. The rows of the current level and of the next are shared, in the order of their
 * numbers. The exploration goes level by level as in one thread, each level in chunks of consecutive
 * states (by number), and a chunk in three phases separated by barriers on shared memory:
 *
 * 1. expand: the parties claim blocks of the chunk's states in turn (whoever is free takes the next, so
 *    a thread slowed by the machine's other work holds nobody up), compute their successors, and send
 *    each to the successor's owner: (parent, ordinal among the parent's successors, candidate, hash, row);
 * 2. insert: each party takes what was sent to it in (parent, ordinal) order, the order one thread would
 *    have met those successors in, and adds the rows to its visited set: a successor is new exactly
 *    when one thread would have found it new there, and its first finding is the one one thread makes;
 * 3. number: the new states of all parties, ordered by (parent, ordinal), are numbered from the chunk's
 *    first free number (each party counts the others' keys below its own): the numbers one thread would
 *    have given them. Each party writes its new rows into the next level's, at their numbers, and judges
 *    them for the properties still open.
 *
 * This thread then records the new states' parents and candidates in the trace links, the transitions,
 * and the least-numbered finding of each property; it replays the stops of one thread (the state cap
 * before a state is expanded, every property found after it) state by state, so that a stop within a
 * chunk counts what one thread would have counted. Traces are rebuilt from the same links as in one
 * thread. Nothing here depends on timing but when the memory guard is asked and what is printed as
 * progress.
 *
 * Each worker thread builds its own space from the space's recipe (`SpaceRecipe`: a module and its
 * data), once per exploration, while this thread goes on alone; the threads take over at the first level
 * with `fromLevel` states once they are ready. The threads are kept for the next exploration (and let
 * the process end when nothing else runs).
 */
import { MessageChannel, type MessagePort, receiveMessageOnPort, Worker } from 'node:worker_threads';
import type { RowSpace, ParallelOptions, SpaceRecipe } from './packed.ts';
import type { Search } from './packed-search.ts';
import { hashRow, type RowTable, Rows } from './visited.ts';

/** The threads take over from the first level of at least this many states (smaller spaces do not pay for them). */
export const PARALLEL_LEVEL = 1 << 14;
/** States expanded per chunk: between two exchanges of successors. */
export const PARALLEL_CHUNK = 1 << 16;

// The control words (shared Int32Array): a barrier's generation and count, the chunk's command, its
// range of states to expand [A, B), the number of its first new state (BASE), the numbers of the first
// states of the current level and of the next (LEVEL, NEXT), which of the two shared level buffers holds
// the current level (CURRENT), the next block of the chunk to claim (CLAIM), then per party: what it
// sent to each party (OUT, parties × parties), its new states (NEWS), a heartbeat (BEAT), and at the end
// its visited set's bytes (in KiB).
const GEN = 0;
const COUNT = 1;
const COMMAND = 2;
const A = 3;
const B = 4;
const BASE = 5;
const LEVEL = 6;
const NEXT = 7;
const CURRENT = 8;
const CLAIM = 9;
const HEADER = 12;
const EXPAND = 1;
const FINISH = 2;

/** Words of a successor sent to its owner, before its row: parent, ordinal, candidate, hash. */
const SENT = 4;
/** Words of a new state's record: parent, ordinal, candidate, number. */
const NEW = 4;
/** Successors touched ahead of the one being added (their cache lines fetched meanwhile). */
const AHEAD = 8;
/** States claimed at a time in phase 1. */
const BLOCK = 32;
/** Turns a waiting party spins before it sleeps (a barrier is often reached within microseconds). */
const SPIN = 2000;
/** Grown shared buffers reserve this much address space (not memory). */
const MAX_BYTES = 2 ** 32;
/** A party that neither finishes its phase nor beats for this long is taken for dead. */
const STALL_MS = 120_000;

interface Layout {
  readonly OUT: number;
  readonly NEWS: number;
  readonly BEAT: number;
  readonly TABLE_KB: number;
  readonly size: number;
}

function layout(parties: number): Layout {
  const OUT = HEADER;
  const NEWS = OUT + parties * parties;
  const BEAT = NEWS + parties;
  const TABLE_KB = BEAT + parties;
  return { OUT, NEWS, BEAT, TABLE_KB, size: TABLE_KB + parties };
}

/** The shared memory of one parallel exploration (sent to every worker thread). */
export interface Shared {
  readonly parties: number;
  readonly words: number;
  readonly properties: number;
  readonly chunk: number;
  readonly ctl: SharedArrayBuffer;
  /** What party `s` sends party `d`: `outboxes[s * parties + d]`. */
  readonly outboxes: Growable[];
  /** Each party's new states of the chunk. */
  readonly news: Growable[];
  /** The rows of two levels, each at its number less its level's first (`CURRENT` says which is current). */
  readonly levels: Growable[];
  /** Successors emitted by each state of the chunk (index: state - A). */
  readonly emitted: SharedArrayBuffer;
  /** Per property, 1 while it is open. */
  readonly open: SharedArrayBuffer;
  /** Per party and property, the least number of a state of the chunk that is a finding, or -1. */
  readonly found: SharedArrayBuffer;
}

/** A shared buffer that grows in place (ES2024; Node 20 has it, this project's TypeScript library not yet). */
type Growable = SharedArrayBuffer & { grow(bytes: number): void };
const GrowableBuffer = SharedArrayBuffer as unknown as new (bytes: number, options: { maxByteLength: number }) => Growable;

function growable(bytes: number): Growable {
  return new GrowableBuffer(bytes, { maxByteLength: MAX_BYTES });
}

function allocate(parties: number, words: number, properties: number, chunk: number): Shared {
  return {
    parties,
    words,
    properties,
    chunk,
    ctl: new SharedArrayBuffer(layout(parties).size * 4),
    outboxes: Array.from({ length: parties * parties }, () => growable(1 << 16)),
    news: Array.from({ length: parties }, () => growable(1 << 16)),
    levels: [growable(1 << 16), growable(1 << 16)],
    emitted: new SharedArrayBuffer(chunk * 4),
    open: new SharedArrayBuffer(Math.max(1, properties) * 4),
    found: new SharedArrayBuffer(Math.max(1, parties * properties) * 4),
  };
}

/** A view of a shared buffer as it is now (refreshed after it grows). */
function view(buffer: SharedArrayBuffer): Int32Array {
  return new Int32Array(buffer, 0, buffer.byteLength >>> 2);
}

/**
 * Grows a shared buffer to hold at least `words` words (to the least power of two that does, so that
 * parties growing one buffer at once agree on its size); its new view.
 */
function grow(buffer: Growable, words: number): Int32Array {
  let bytes = 1 << 16;
  while (bytes < words * 4) bytes *= 2;
  if (bytes > MAX_BYTES) throw new Error(`a parallel exploration's shared buffer would pass ${MAX_BYTES / 2 ** 30} GB`);
  if (buffer.byteLength < bytes) buffer.grow(bytes);
  return view(buffer);
}

/**
 * The party a row belongs to: by the hash's low 16 bits (the table's slot is chosen by its high bits),
 * in integer arithmetic (a modulo of an unsigned 32-bit hash is a floating-point one).
 */
export function ownerOf(hash: number, parties: number): number {
  return ((hash & 0xffff) * parties) >>> 16;
}

/** Waits at a barrier of all parties; `watch` (this thread's) is called while it waits, and may throw. */
function arrive(ctl: Int32Array, parties: number, watch?: () => void): void {
  const generation = Atomics.load(ctl, GEN);
  if (Atomics.add(ctl, COUNT, 1) === parties - 1) {
    Atomics.store(ctl, COUNT, 0);
    Atomics.add(ctl, GEN, 1);
    Atomics.notify(ctl, GEN);
    return;
  }
  for (let spin = 0; spin < SPIN; spin++) if (Atomics.load(ctl, GEN) !== generation) return;
  while (Atomics.load(ctl, GEN) === generation) {
    Atomics.wait(ctl, GEN, generation, watch === undefined ? Number.POSITIVE_INFINITY : 100);
    watch?.();
  }
}

/** One party's part of a parallel exploration: its visited rows and its phases. */
export class Party {
  private readonly ctl: Int32Array;
  private readonly at: Layout;
  private readonly words: number;
  private readonly parties: number;
  private readonly stride: number;
  /** Rows of this chunk's new states, in order. */
  private readonly pending = new Rows();
  private out: Int32Array[];
  private readonly outCount: Int32Array;
  private mine: Int32Array;
  private newCount = 0;
  private readonly emitted: Int32Array;
  private readonly open: Int32Array;
  private readonly found: Int32Array;
  private readonly row: Int32Array;
  private parent = 0;
  private ordinal = 0;
  private sink = 0;

  constructor(
    private readonly space: RowSpace,
    private readonly me: number,
    private readonly shared: Shared,
    readonly table: RowTable,
    /** Sends a finding (property, number, message) to this thread. */
    private readonly report: (p: number, index: number, message: string) => void,
  ) {
    this.ctl = new Int32Array(shared.ctl);
    this.at = layout(shared.parties);
    this.words = shared.words;
    this.parties = shared.parties;
    this.stride = SENT + shared.words;
    this.out = Array.from({ length: shared.parties }, (_, d) => view(shared.outboxes[me * shared.parties + d]!));
    this.outCount = new Int32Array(shared.parties);
    this.mine = view(shared.news[me]!);
    this.emitted = new Int32Array(shared.emitted);
    this.open = new Int32Array(shared.open);
    this.found = new Int32Array(shared.found);
    this.row = new Int32Array(shared.words);
  }

  private readonly emit = (candidate: number) => {
    const words = this.words;
    const row = this.row;
    const hash = hashRow(row, 0, words);
    const d = ownerOf(hash, this.parties);
    let out = this.out[d]!;
    const at = this.outCount[d]! * this.stride;
    if (at + this.stride > out.length) {
      out = grow(this.shared.outboxes[this.me * this.parties + d]!, at + this.stride);
      this.out[d] = out;
    }
    out[at] = this.parent;
    out[at + 1] = this.ordinal++;
    out[at + 2] = candidate;
    out[at + 3] = hash;
    for (let i = 0; i < words; i++) out[at + SENT + i] = row[i]!;
    this.outCount[d]!++;
  };

  /** Phase 1: the successors of the states numbered [a, b), claimed a block at a time, each sent to its owner. */
  expand(a: number, b: number): void {
    this.outCount.fill(0);
    const ctl = this.ctl;
    const words = this.words;
    const level = view(this.shared.levels[Atomics.load(ctl, CURRENT)]!);
    const first = Atomics.load(ctl, LEVEL);
    for (;;) {
      const from = a + Atomics.add(ctl, CLAIM, 1) * BLOCK;
      if (from >= b) break;
      const to = Math.min(b, from + BLOCK);
      for (let state = from; state < to; state++) {
        this.parent = state;
        this.ordinal = 0;
        this.space.successors(level, (state - first) * words, this.row, this.emit);
        this.emitted[state - a] = this.ordinal;
      }
      Atomics.add(ctl, this.at.BEAT + this.me, 1);
    }
    for (let d = 0; d < this.parties; d++) Atomics.store(ctl, this.at.OUT + this.me * this.parties + d, this.outCount[d]!);
  }

  /** Phase 2: what was sent to this party, in (parent, ordinal) order, added to its visited set. */
  insert(): void {
    const parties = this.parties;
    const stride = this.stride;
    const table = this.table;
    const inbox: Int32Array[] = [];
    const counts: number[] = [];
    const next: number[] = [];
    for (let s = 0; s < parties; s++) {
      inbox.push(view(this.shared.outboxes[s * parties + this.me]!));
      counts.push(Atomics.load(this.ctl, this.at.OUT + s * parties + this.me));
      next.push(0);
      for (let k = 0; k < AHEAD && k < counts[s]!; k++) this.sink ^= table.touch(inbox[s]![k * stride + 3]!);
    }
    this.newCount = 0;
    this.pending.length = 0;
    for (;;) {
      // The least (parent, ordinal) among the sources' next successors.
      let s = -1;
      for (let t = 0; t < parties; t++) {
        if (next[t]! >= counts[t]!) continue;
        if (s === -1) {
          s = t;
          continue;
        }
        const x = inbox[t]!;
        const y = inbox[s]!;
        const i = next[t]! * stride;
        const j = next[s]! * stride;
        if (x[i]! < y[j]! || (x[i] === y[j] && x[i + 1]! < y[j + 1]!)) s = t;
      }
      if (s === -1) break;
      const source = inbox[s]!;
      const k = next[s]!++;
      if (k + AHEAD < counts[s]!) this.sink ^= table.touch(source[(k + AHEAD) * stride + 3]!);
      const at = k * stride;
      if (!table.add(source, at + SENT, source[at + 3]!)) continue;
      let mine = this.mine;
      const to = this.newCount * NEW;
      if (to + NEW > mine.length) {
        mine = grow(this.shared.news[this.me]!, to + NEW);
        this.mine = mine;
      }
      mine[to] = source[at]!;
      mine[to + 1] = source[at + 1]!;
      mine[to + 2] = source[at + 2]!;
      mine[to + 3] = -1;
      this.pending.push(source, at + SENT, this.words);
      this.newCount++;
      if ((this.newCount & 4095) === 0) Atomics.add(this.ctl, this.at.BEAT + this.me, 1);
    }
    Atomics.store(this.ctl, this.at.NEWS + this.me, this.newCount);
  }

  /** Phase 3: this party's new states numbered among all parties' (from `base`), written into the next level, and judged. */
  number(base: number): void {
    const ctl = this.ctl;
    const parties = this.parties;
    const others: Int32Array[] = [];
    const counts: number[] = [];
    const below: number[] = [];
    let total = 0;
    for (let s = 0; s < parties; s++) {
      others.push(view(this.shared.news[s]!));
      counts.push(Atomics.load(ctl, this.at.NEWS + s));
      below.push(0);
      total += counts[s]!;
    }
    const words = this.words;
    const first = Atomics.load(ctl, NEXT);
    const level = grow(this.shared.levels[1 - Atomics.load(ctl, CURRENT)]!, (base + total - first) * words);
    const properties = this.shared.properties;
    const found = this.found;
    const offset = this.me * properties;
    for (let p = 0; p < properties; p++) found[offset + p] = -1;
    const mine = this.mine;
    const pending = this.pending.data;
    for (let i = 0; i < this.newCount; i++) {
      const parent = mine[i * NEW]!;
      const ordinal = mine[i * NEW + 1]!;
      let rank = i;
      for (let s = 0; s < parties; s++) {
        if (s === this.me) continue;
        const other = others[s]!;
        let q = below[s]!;
        while (q < counts[s]! && (other[q * NEW]! < parent || (other[q * NEW] === parent && other[q * NEW + 1]! < ordinal))) q++;
        below[s] = q;
        rank += q;
      }
      const index = base + rank;
      mine[i * NEW + 3] = index;
      const at = (index - first) * words;
      for (let w = 0; w < words; w++) level[at + w] = pending[i * words + w]!;
      for (let p = 0; p < properties; p++) {
        if (this.open[p] !== 1 || found[offset + p] !== -1) continue;
        const message = this.space.judge(p, level, at);
        if (message === undefined) continue;
        found[offset + p] = index;
        this.report(p, index, message);
      }
    }
  }

  /** A worker thread's part: phases on the coordinator's commands until it finishes. */
  serve(): void {
    const ctl = this.ctl;
    const parties = this.parties;
    for (;;) {
      arrive(ctl, parties);
      if (Atomics.load(ctl, COMMAND) === FINISH) {
        Atomics.store(ctl, this.at.TABLE_KB + this.me, Math.ceil(this.table.bytes / 1024));
        arrive(ctl, parties);
        return;
      }
      this.expand(Atomics.load(ctl, A), Atomics.load(ctl, B));
      arrive(ctl, parties);
      this.insert();
      arrive(ctl, parties);
      this.number(Atomics.load(ctl, BASE));
      arrive(ctl, parties);
    }
  }
}

/** A worker thread of the pool: its messages' port (this side), and its status (built recipe's id; failure). */
interface Thread {
  readonly worker: Worker;
  readonly port: MessagePort;
  readonly status: Int32Array;
}

const pool: Thread[] = [];
let recipes = 0;
let handovers = 0;

/** How many explorations the threads have taken over in this process (for tests and benchmarks). */
export function parallelHandovers(): number {
  return handovers;
}

function spawn(): Thread {
  const { port1, port2 } = new MessageChannel();
  const status = new Int32Array(new SharedArrayBuffer(8));
  const worker = new Worker(new URL('./packed-worker.mjs', import.meta.url), { workerData: { port: port2, status }, transferList: [port2] });
  worker.unref();
  // A failure is reported through `status` and the port (this thread may be waiting, not listening).
  worker.on('error', () => {});
  return { worker, port: port1, status };
}

/** Ends every thread of the pool (after a failure: they may be stuck at a barrier). */
function resetPool(): void {
  for (const thread of pool.splice(0)) void thread.worker.terminate();
}

/** The error a thread reported, if any. */
function failureOf(thread: Thread): string | undefined {
  if (Atomics.load(thread.status, 1) === 0) return undefined;
  for (let message = receiveMessageOnPort(thread.port); message !== undefined; message = receiveMessageOnPort(thread.port)) {
    const body = message.message as { error?: string };
    if (body.error !== undefined) return body.error;
  }
  return 'a worker thread of the parallel exploration failed';
}

export interface Parallel {
  /** Whether the threads take the search over at a level of this many states (and readies them, ahead). */
  ready(levelSize: number): boolean;
  /** Goes on with the search on the threads, to its end. */
  run(search: Search): void;
}

/** The threads for one exploration of `space`, or undefined when it cannot be built elsewhere. */
export function startParallel(space: RowSpace, options: ParallelOptions): Parallel | undefined {
  if (options.workers <= 1) return undefined;
  const recipe = options.recipe(space);
  if (recipe === undefined) return undefined;
  return new Threads(space, recipe, options);
}

class Threads implements Parallel {
  private threads: Thread[] | undefined;
  private readonly id = ++recipes;
  private readonly fromLevel: number;
  private readonly chunk: number;

  constructor(
    private readonly space: RowSpace,
    private readonly recipe: SpaceRecipe,
    private readonly options: ParallelOptions,
  ) {
    this.fromLevel = Math.max(1, options.fromLevel ?? PARALLEL_LEVEL);
    this.chunk = Math.max(1, options.chunk ?? PARALLEL_CHUNK);
  }

  /** Starts the threads (those not yet in the pool) building the space: a quarter of the way to `fromLevel`. */
  private prepare(): Thread[] {
    if (this.threads !== undefined) return this.threads;
    while (pool.length < this.options.workers - 1) pool.push(spawn());
    this.threads = pool.slice(0, this.options.workers - 1);
    for (const thread of this.threads) thread.port.postMessage({ type: 'build', id: this.id, recipe: this.recipe });
    return this.threads;
  }

  ready(levelSize: number): boolean {
    if (this.threads === undefined && levelSize * 4 < this.fromLevel) return false;
    const threads = this.prepare();
    if (levelSize < this.fromLevel) return false;
    const failed = threads.map(failureOf).find((f) => f !== undefined);
    if (failed !== undefined) {
      resetPool();
      throw new Error(`the parallel exploration could not start: ${failed}`);
    }
    if (this.options.waitForThreads) {
      const deadline = performance.now() + STALL_MS;
      for (const thread of threads)
        while (Atomics.load(thread.status, 0) !== this.id) {
          Atomics.wait(thread.status, 0, Atomics.load(thread.status, 0), 100);
          const failure = failureOf(thread);
          if (failure !== undefined || performance.now() > deadline) {
            resetPool();
            throw new Error(`the parallel exploration could not start: ${failure ?? 'its threads did not get ready'}`);
          }
        }
    }
    return threads.every((t) => Atomics.load(t.status, 0) === this.id);
  }

  run(search: Search): void {
    handovers++;
    try {
      this.explore(search);
    } catch (error) {
      // The other threads may be waiting at a barrier that will never open: they are not used again.
      resetPool();
      throw error;
    }
  }

  private explore(search: Search): void {
    const threads = this.threads!;
    const parties = threads.length + 1;
    const words = search.words;
    const properties = this.space.properties.length;
    const shared = allocate(parties, words, properties, this.chunk);
    const ctl = new Int32Array(shared.ctl);
    const at = layout(parties);
    // Hand over: each thread gets the visited rows it owns; the current level's rows are shared.
    const tables = threads.map(() => new Rows());
    search.table.forEach((data, offset) => {
      const owner = ownerOf(hashRow(data, offset, words), parties);
      if (owner !== 0) tables[owner - 1]!.push(data, offset, words);
    });
    const levelRows = (search.levelEnd - search.levelStart) * words;
    grow(shared.levels[0]!, levelRows).set(search.current.data.subarray(0, levelRows));
    threads.forEach((thread, t) => {
      const table = tables[t]!.data.slice(0, tables[t]!.length);
      thread.port.postMessage({ type: 'join', me: t + 1, shared, table }, [table.buffer]);
    });
    search.peakQueueBytes = Math.max(search.peakQueueBytes, search.current.bytes + search.next.bytes);
    search.current = new Rows(16);
    search.next = new Rows(16);
    const local: { p: number; index: number; message: string }[] = [];
    const party = new Party(this.space, 0, shared, search.table, (p, index, message) => local.push({ p, index, message }));
    const open = new Int32Array(shared.open);
    const found = new Int32Array(shared.found);
    const emitted = new Int32Array(shared.emitted);

    // While this thread waits: a thread that failed, or stopped beating, ends the exploration with an error.
    const beats = new Int32Array(parties);
    let lastBeat = performance.now();
    const watch = () => {
      const failed = threads.map(failureOf).find((f) => f !== undefined);
      if (failed !== undefined) {
        resetPool();
        throw new Error(`a worker thread of the parallel exploration failed: ${failed}`);
      }
      let beat = false;
      for (let p = 1; p < parties; p++) {
        const now = Atomics.load(ctl, at.BEAT + p);
        if (now !== beats[p]) beat = true;
        beats[p] = now;
      }
      const now = performance.now();
      if (beat) lastBeat = now;
      else if (now - lastBeat > STALL_MS) {
        resetPool();
        throw new Error('a worker thread of the parallel exploration stopped responding');
      }
    };
    const barrier = () => {
      lastBeat = performance.now();
      arrive(ctl, parties, watch);
    };

    let a = search.levelStart;
    let current = 0;
    for (;;) {
      if (search.capped()) break;
      const b = Math.min(a + this.chunk, search.levelEnd);
      const base = search.states;
      for (let p = 0; p < properties; p++) open[p] = search.found[p] === -1 ? 1 : 0;
      Atomics.store(ctl, COMMAND, EXPAND);
      Atomics.store(ctl, A, a);
      Atomics.store(ctl, B, b);
      Atomics.store(ctl, BASE, base);
      Atomics.store(ctl, LEVEL, search.levelStart);
      Atomics.store(ctl, NEXT, search.levelEnd);
      Atomics.store(ctl, CURRENT, current);
      Atomics.store(ctl, CLAIM, 0);
      barrier();
      party.expand(a, b);
      barrier();
      party.insert();
      barrier();
      local.length = 0;
      party.number(base);
      barrier();
      const stop = this.record(search, shared, a, b, base, emitted, found, local);
      if (stop) break;
      if (b < search.levelEnd) {
        a = b;
        if (search.checkIn(true)) break;
        continue;
      }
      search.endLevel();
      if (search.checkIn(true) || !search.levelsLeft()) break;
      a = search.levelStart;
      current = 1 - current;
    }
    Atomics.store(ctl, COMMAND, FINISH);
    barrier();
    barrier();
    let tableBytes = 0;
    for (let p = 1; p < parties; p++) tableBytes += Atomics.load(ctl, at.TABLE_KB + p) * 1024;
    search.otherTableBytes = tableBytes;
    search.peakQueueBytes = Math.max(search.peakQueueBytes, shared.levels[0]!.byteLength + shared.levels[1]!.byteLength);
    search.threads = parties;
  }

  /**
   * This thread's part after a chunk: the new states' links, the transitions, the findings, and the
   * stops of one thread replayed state by state. Whether the search stops here.
   */
  private record(
    search: Search,
    shared: Shared,
    a: number,
    b: number,
    base: number,
    emitted: Int32Array,
    found: Int32Array,
    local: readonly { p: number; index: number; message: string }[],
  ): boolean {
    const parties = shared.parties;
    const ctl = new Int32Array(shared.ctl);
    const at = layout(parties);
    let total = 0;
    for (let p = 0; p < parties; p++) total += Atomics.load(ctl, at.NEWS + p);
    const parents = new Int32Array(total);
    const candidates = new Int32Array(total);
    for (let p = 0; p < parties; p++) {
      const news = view(shared.news[p]!);
      const count = Atomics.load(ctl, at.NEWS + p);
      for (let i = 0; i < count; i++) {
        const k = news[i * NEW + 3]! - base;
        parents[k] = news[i * NEW]!;
        candidates[k] = news[i * NEW + 2]!;
      }
    }
    const messages = new Map<string, string>();
    for (const f of local) messages.set(`${f.p}:${f.index}`, f.message);
    for (const thread of this.threads!)
      for (let m = receiveMessageOnPort(thread.port); m !== undefined; m = receiveMessageOnPort(thread.port)) {
        const f = m.message as { p: number; index: number; message: string };
        messages.set(`${f.p}:${f.index}`, f.message);
      }
    // Each open property's least finding in this chunk, and the state whose expansion found the last of them.
    const properties = shared.properties;
    const least = new Int32Array(properties).fill(-1);
    let decidedAfter = -1;
    let all = true;
    for (let p = 0; p < properties; p++) {
      if (search.found[p] !== -1) continue;
      for (let q = 0; q < parties; q++) {
        const f = found[q * properties + p]!;
        if (f !== -1 && (least[p] === -1 || f < least[p]!)) least[p] = f;
      }
      if (least[p] === -1) all = false;
      else decidedAfter = Math.max(decidedAfter, parents[least[p]! - base]!);
    }
    if (!all) decidedAfter = -1;
    // One thread's walk through the chunk: the cap before a state is expanded, everything found after it.
    let states = base;
    let k = 0;
    let stop = false;
    const links = search.links;
    for (let i = a; i < b; i++) {
      if (states >= search.options.maxStates) {
        stop = true;
        break;
      }
      while (k < total && parents[k] === i) {
        links.addChild(candidates[k]!);
        k++;
        states++;
      }
      links.closeParent();
      search.transitions += emitted[i - a]!;
      if (i === decidedAfter) {
        stop = true;
        break;
      }
    }
    search.states = states;
    for (let p = 0; p < properties; p++) {
      if (least[p] === -1 || least[p]! >= states) continue;
      search.found[p] = least[p]!;
      search.messages[p] = messages.get(`${p}:${least[p]}`);
      search.open--;
    }
    if (stop && search.open > 0) search.capped();
    return stop;
  }
}
