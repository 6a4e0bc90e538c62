/**
 * Breadth-first exhaustive exploration over packed states, in the manner of TLC and Stateright but with
 * no object per state: a state is a fixed number of 32-bit words, the visited set an open-addressing
 * table of the rows themselves, and each state keeps only the candidate action that led to it and (in two
 * bits or less) which state it came from (`checker/visited.ts`). The rows of the level being expanded and
 * of the next one are the breadth-first queue (`checker/packed-search.ts`). With `parallel`, a large
 * exploration goes on over worker threads, each holding the states whose hash falls to it, level by
 * level (`checker/packed-parallel.ts`): the same states, transitions, findings and traces.
 *
 * The explorer knows nothing about the model: a `RowSpace` gives it the initial state, the successors
 * of a state (already canonical, under whatever symmetry the space applies) and the judgement of a state
 * for each property. Since the search goes level by level, the first finding of each property is at the
 * least depth: its trace is one of the shortest.
 */
import { startParallel } from './packed-parallel.ts';
import { Search } from './packed-search.ts';
import type { PropertyKind } from './types.ts';

/** A model's state space for the row explorer (`exploreRows`): every state a row of 32-bit words. */
export interface RowSpace {
  /** 32-bit words per state. */
  readonly words: number;
  /** Writes the initial state. */
  initial(out: Int32Array): void;
  /**
   * For each enabled candidate of `state` (its words at `offset` of `from`), writes the successor's
   * canonical words into `out` and calls `emit(candidate)`, in the same order every time. It may be
   * called again for a state already expanded: a finding's trace is rebuilt by replaying its candidates
   * (`Search.replay`), so a space that counts the states it expands sees those calls too.
   */
  successors(from: Int32Array, offset: number, out: Int32Array, emit: (candidate: number) => void): void;
  /** The properties judged, in order. */
  readonly properties: readonly { readonly name: string; readonly kind: PropertyKind }[];
  /**
   * Whether a state is a finding for property `p` (a violation; for `sometimes`, a state that reaches
   * it): its message, or undefined.
   */
  judge(p: number, from: Int32Array, offset: number): string | undefined;
}

export interface RowExploreOptions {
  readonly maxDepth: number;
  readonly maxStates: number;
  readonly onProgress?: (progress: { states: number; transitions: number; depth: number; seconds: number }) => void;
  /** Asked now and then whether to stop (a memory guard): the reason, or undefined. */
  readonly stop?: () => string | undefined;
  /** Explore on worker threads too, when the space is large (`checker/packed-parallel.ts`). */
  readonly parallel?: ParallelOptions;
}

/**
 * How to build a `RowSpace` in another thread: a module (its URL) that exports `buildSpace(data)`,
 * and the data, which must survive structured cloning. Built from the same recipe, the space must
 * behave as the original: the same initial row, successors and judgements.
 */
export interface SpaceRecipe {
  readonly module: string;
  readonly data: unknown;
}

export interface ParallelOptions {
  /** Threads in all, this one included (1: none started). */
  readonly workers: number;
  /** The recipe of a space, or undefined when it cannot be built elsewhere (it is then explored in this thread). */
  readonly recipe: (space: RowSpace) => SpaceRecipe | undefined;
  /** The threads take over from the first level with at least this many states (default `PARALLEL_LEVEL`). */
  readonly fromLevel?: number;
  /** States expanded between two exchanges of successors (default `PARALLEL_CHUNK`). */
  readonly chunk?: number;
  /** Wait for the threads to be ready at the first level large enough (tests: so that they surely take part). */
  readonly waitForThreads?: boolean;
}

export interface RowFinding {
  readonly name: string;
  readonly kind: PropertyKind;
  /** The candidates along the shortest path to the finding, or null when there is none. */
  readonly path: number[] | null;
  /** The canonical states along that path (the initial one first), for rebuilding a real trace. */
  readonly states: Int32Array[] | null;
  readonly message: string | null;
}

export interface RowExploration {
  readonly states: number;
  readonly transitions: number;
  /** Every level up to this depth was explored completely. */
  readonly depthComplete: number;
  /** Every reachable state was visited. */
  readonly exhausted: boolean;
  /** Every property has a finding (then the search may stop early: each finding is a shortest one). */
  readonly decided: boolean;
  /** Why the search stopped early (a cap, a memory guard), or undefined. */
  readonly stopped?: string;
  readonly seconds: number;
  /** Bytes held by the visited set and the trace links (parents, candidates), per state. */
  readonly bytesPerState: number;
  /** Bytes held at most by the breadth-first queue (two levels' rows), per state. */
  readonly queueBytesPerState?: number;
  /** Threads that took part in the exploration (this one included). */
  readonly threads?: number;
  readonly findings: readonly RowFinding[];
}

/** A growable array of 32-bit ints (rows, parents, candidates). */
export class IntList {
  data: Int32Array;
  length = 0;
  constructor(capacity = 1 << 16) {
    this.data = new Int32Array(Math.max(16, capacity));
  }
  reserve(extra: number): void {
    if (this.length + extra <= this.data.length) return;
    let size = this.data.length * 2;
    while (size < this.length + extra) size *= 2;
    const bigger = new Int32Array(size);
    bigger.set(this.data.subarray(0, this.length));
    this.data = bigger;
  }
  push(value: number): void {
    if (this.length === this.data.length) this.reserve(1);
    this.data[this.length++] = value;
  }
}

/**
 * A set of fixed-width rows of words: open addressing with linear probing; rows kept in an arena.
 *
 * A table of 2^k entries holds, in each, `index + 1` in its low k bits (0: empty) and the high 32 - k
 * bits of the row's hash in the rest (the low k bits chose the slot): a probe that meets another row's
 * entry is told apart by those bits most of the time without reading that row from the arena. The table
 * stays at most half full, so `index + 1` always fits in k bits.
 */
export class RowSet {
  private table: Int32Array;
  private mask: number;
  readonly rows: IntList;
  size = 0;

  constructor(
    private readonly width: number,
    capacity = 1 << 12,
  ) {
    let size = 1 << 4;
    while (size < capacity * 2) size <<= 1;
    this.table = new Int32Array(size);
    this.mask = size - 1;
    this.rows = new IntList(width * capacity);
  }

  private hash(data: Int32Array, at: number): number {
    let h = 0x811c9dc5 | 0;
    for (let i = 0; i < this.width; i++) {
      h = Math.imul(h ^ data[at + i]!, 0x01000193);
      h ^= h >>> 13;
    }
    return h ^ (h >>> 16);
  }

  /** Whether the row at `index` equals `row`. */
  private same(index: number, row: Int32Array): boolean {
    const data = this.rows.data;
    const width = this.width;
    const at = index * width;
    for (let i = 0; i < width; i++) if (data[at + i] !== row[i]) return false;
    return true;
  }

  /** Adds a row: its index, and whether it is new (`index` is then `size - 1`). Returns -1 - index when present. */
  add(row: Int32Array): number {
    const h = this.hash(row, 0);
    const mask = this.mask;
    const high = h & ~mask;
    let slot = h & mask;
    for (;;) {
      const entry = this.table[slot]!;
      if (entry === 0) break;
      if ((entry & ~mask) === high && this.same((entry & mask) - 1, row)) return -1 - ((entry & mask) - 1);
      slot = (slot + 1) & mask;
    }
    const index = this.size++;
    this.table[slot] = high | (index + 1);
    const width = this.width;
    this.rows.reserve(width);
    this.rows.data.set(row.subarray(0, width), this.rows.length);
    this.rows.length += width;
    if (this.size * 2 > this.table.length) this.grow();
    return index;
  }

  private grow(): void {
    const table = new Int32Array(this.table.length * 2);
    const mask = table.length - 1;
    const data = this.rows.data;
    for (let index = 0; index < this.size; index++) {
      const h = this.hash(data, index * this.width);
      let slot = h & mask;
      while (table[slot] !== 0) slot = (slot + 1) & mask;
      table[slot] = (h & ~mask) | (index + 1);
    }
    this.table = table;
    this.mask = mask;
  }

  get bytes(): number {
    return this.table.byteLength + this.rows.length * 4;
  }
}

/** Explores a `RowSpace` breadth first, within the options' caps: its states, transitions and each property's first (shortest) finding. */
export function exploreRows(space: RowSpace, options: RowExploreOptions): RowExploration {
  const search = new Search(space, options);
  const parallel = options.parallel !== undefined && options.parallel.workers > 1 ? startParallel(space, options.parallel) : undefined;
  while (search.levelsLeft()) {
    // A level large enough, with the threads ready: they take the rest of the search over.
    if (parallel?.ready(search.levelEnd - search.levelStart)) {
      parallel.run(search);
      break;
    }
    if (!search.expandLevel()) break;
  }
  return search.result();
}
