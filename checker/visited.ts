/**
 * The breadth-first explorer's memory (`checker/packed.ts`): the visited set, and the links that rebuild
 * a shortest trace. Both are laid out for the cache and for size, not for convenience:
 *
 * - `RowTable`, the visited set: the rows themselves in an open-addressing table (linear probing), so a
 *   lookup reads one place in memory (a row of two words is 8 bytes: eight to a 64-byte cache line, and a
 *   probe rarely leaves its line), not a table entry and then an arena elsewhere. It is exact: a row is
 *   found only by comparing all of its words, nothing is hashed away. It grows by half when 80% full (a
 *   slot is chosen by multiplying the hash by the capacity, so any capacity works), which keeps it between
 *   53% and 80% full: 10 to 15 bytes per two-word row.
 * - `TraceLinks`, what a trace needs: per state the candidate that led to it (one byte while candidates
 *   are below 255), and its parent. Breadth first, the parents of successive states never decrease, so
 *   the parents are kept as the number of new states each expanded state led to, in unary (one bit per
 *   state and one per expanded state: at most two bits a state). A trace is rebuilt by replaying those
 *   candidates from the initial state, which gives its rows back without keeping any.
 */

/** A 32-bit hash of `width` words at `data[at]` (murmur3's mixing, per word, and its finalizer). */
export function hashRow(data: Int32Array, at: number, width: number): number {
  let h = 0x2545f491 ^ width;
  for (let i = 0; i < width; i++) {
    let k = Math.imul(data[at + i]!, 0xcc9e2d51);
    k = (k << 15) | (k >>> 17);
    h ^= Math.imul(k, 0x1b873593);
    h = (h << 13) | (h >>> 19);
    h = (Math.imul(h, 5) + 0xe6546b64) | 0;
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}

const TWO_TO_MINUS_32 = 2 ** -32;

/** An exact set of rows of `width` 32-bit words, stored in the table's own slots (see the file's comment). */
export class RowTable {
  /** `capacity` slots of `width` words; a slot of all zeros is empty (the all-zero row is kept apart, in `zero`). */
  private table: Int32Array;
  private capacity: number;
  private limit: number;
  private zero = false;
  size = 0;

  constructor(
    readonly width: number,
    capacity = 1 << 10,
    private readonly maxLoad = 0.8,
    private readonly growth = 1.5,
  ) {
    this.capacity = Math.max(16, Math.ceil(capacity / maxLoad));
    this.table = new Int32Array(this.capacity * width);
    this.limit = Math.floor(this.capacity * maxLoad);
  }

  /** The first slot a hash probes: the hash times the capacity, over 2^32 (any capacity, no modulo). */
  private slotOf(hash: number): number {
    return ((hash >>> 0) * this.capacity * TWO_TO_MINUS_32) >>> 0;
  }

  /**
   * Reads the slot a hash leads to and returns a word of it: touching the slots of several rows before
   * probing them lets the processor wait for their cache lines together, not one after another.
   */
  touch(hash: number): number {
    return this.table[this.slotOf(hash) * this.width]!;
  }

  /** Adds the row at `data[at]` (with its `hashRow`): whether it was new. */
  add(data: Int32Array, at: number, hash: number): boolean {
    const width = this.width;
    if (RowTable.vacant(data, at, width)) {
      if (this.zero) return false;
      this.zero = true;
      this.size++;
      return true;
    }
    const slot = this.probe(data, at, hash);
    if (slot < 0) return false;
    const table = this.table;
    const base = slot * width;
    for (let i = 0; i < width; i++) table[base + i] = data[at + i]!;
    if (++this.size > this.limit) this.grow();
    return true;
  }

  /** Whether the row at `data[at]` (with its `hashRow`) is in the set. */
  has(data: Int32Array, at: number, hash: number): boolean {
    if (RowTable.vacant(data, at, this.width)) return this.zero;
    return this.probe(data, at, hash) < 0;
  }

  /** The slot of a row that is not all zeros: -1 - its slot when it is there, else the empty slot it would take. */
  private probe(data: Int32Array, at: number, hash: number): number {
    const width = this.width;
    const table = this.table;
    let slot = this.slotOf(hash);
    for (;;) {
      const base = slot * width;
      let same = true;
      let vacant = true;
      for (let i = 0; i < width; i++) {
        const word = table[base + i]!;
        if (word !== 0) vacant = false;
        if (word !== data[at + i]) same = false;
      }
      if (same) return -1 - slot;
      if (vacant) return slot;
      if (++slot === this.capacity) slot = 0;
    }
  }

  /** Calls `each` with every row in the set (in no particular order), as `data` and the offset of its words. */
  forEach(each: (data: Int32Array, at: number) => void): void {
    if (this.zero) each(new Int32Array(this.width), 0);
    const table = this.table;
    const width = this.width;
    for (let base = 0; base < table.length; base += width) if (!RowTable.vacant(table, base, width)) each(table, base);
  }

  private grow(): void {
    const old = this.table;
    const width = this.width;
    this.capacity = Math.ceil(this.capacity * this.growth);
    this.limit = Math.floor(this.capacity * this.maxLoad);
    const table = new Int32Array(this.capacity * width);
    for (let from = 0; from < old.length; from += width) {
      if (RowTable.vacant(old, from, width)) continue;
      let slot = this.slotOf(hashRow(old, from, width));
      while (!RowTable.vacant(table, slot * width, width)) if (++slot === this.capacity) slot = 0;
      table.set(old.subarray(from, from + width), slot * width);
    }
    this.table = table;
  }

  /** Whether the `width` words at `table[base]` are all zero. */
  private static vacant(table: Int32Array, base: number, width: number): boolean {
    for (let i = 0; i < width; i++) if (table[base + i] !== 0) return false;
    return true;
  }

  get bytes(): number {
    return this.table.byteLength;
  }
}

/** A growable array of 32-bit words: rows of one breadth-first level, in order. */
export class Rows {
  data: Int32Array;
  length = 0;
  constructor(capacity = 1 << 12) {
    this.data = new Int32Array(Math.max(16, capacity));
  }
  /** Appends `width` words from `from[at]`. */
  push(from: Int32Array, at: number, width: number): void {
    if (this.length + width > this.data.length) {
      const bigger = new Int32Array(Math.max(this.data.length * 2, this.length + width));
      bigger.set(this.data.subarray(0, this.length));
      this.data = bigger;
    }
    for (let i = 0; i < width; i++) this.data[this.length + i] = from[at + i]!;
    this.length += width;
  }
  get bytes(): number {
    return this.data.byteLength;
  }
}

function popcount(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return (Math.imul((x + (x >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24) | 0;
}

/** The next size of a growing array: a quarter more, so that at most a fifth of it is slack. */
const grown = (length: number) => Math.ceil(length * 1.25) + 16;

/** Words of the parent bit stream per entry of its index (the ones before each block of them). */
const BLOCK = 256;

/**
 * The candidate that led to each state, and each state's parent (see the file's comment). States are
 * numbered from 0 (the initial state) in the order they were found; the states expanded, in that same
 * order, each close their list of new successors with `closeParent`.
 */
export class TraceLinks {
  private via: Uint8Array | Uint16Array | Int32Array = new Uint8Array(1 << 12);
  /** The unary stream: for each expanded state, a one per new successor, then a zero. */
  private bits = new Int32Array(1 << 8);
  private bitLength = 0;
  /** For each block of `BLOCK` words of `bits`, the ones before it (filled as the stream grows). */
  private ones = new Int32Array(16);
  private onesSoFar = 0;
  /** States recorded, the initial one included. */
  states = 1;

  /** The next state, found from the state being expanded by `candidate`. */
  addChild(candidate: number): void {
    if (candidate >= this.limit()) this.widen(candidate);
    if (this.states === this.via.length) {
      const bigger = new (this.via.constructor as Uint8ArrayConstructor)(grown(this.via.length));
      bigger.set(this.via);
      this.via = bigger;
    }
    this.via[this.states++] = candidate;
    this.pushBit(1);
  }

  /** The state being expanded has no more new successors. */
  closeParent(): void {
    this.pushBit(0);
  }

  /** Records `count` states from the parallel explorer: their parents (nondecreasing) and candidates. */
  addChildren(parents: Int32Array, candidates: Int32Array, count: number, expandedBefore: number, expandedAfter: number): void {
    let parent = expandedBefore;
    for (let i = 0; i < count; i++) {
      while (parent < parents[i]!) {
        this.closeParent();
        parent++;
      }
      this.addChild(candidates[i]!);
    }
    while (parent < expandedAfter) {
      this.closeParent();
      parent++;
    }
  }

  private limit(): number {
    return this.via instanceof Uint8Array ? 0xff : this.via instanceof Uint16Array ? 0xffff : 0x7fffffff;
  }

  private widen(candidate: number): void {
    const wider = candidate < 0xffff ? new Uint16Array(this.via.length) : new Int32Array(this.via.length);
    wider.set(this.via);
    this.via = wider;
  }

  private pushBit(bit: number): void {
    const word = this.bitLength >>> 5;
    if (word === this.bits.length) {
      const bigger = new Int32Array(grown(this.bits.length));
      bigger.set(this.bits);
      this.bits = bigger;
    }
    if (word % BLOCK === 0 && (this.bitLength & 31) === 0) {
      const block = word / BLOCK;
      if (block === this.ones.length) {
        const bigger = new Int32Array(this.ones.length * 2);
        bigger.set(this.ones);
        this.ones = bigger;
      }
      this.ones[block] = this.onesSoFar;
    }
    if (bit === 1) {
      this.bits[word]! |= 1 << (this.bitLength & 31);
      this.onesSoFar++;
    }
    this.bitLength++;
  }

  /** The candidate that led to state `index` (not the initial state). */
  viaOf(index: number): number {
    return this.via[index]!;
  }

  /** The parent of state `index` (not the initial state): the zeros before the `index`-th one of the stream. */
  parentOf(index: number): number {
    // State `index` is the index-th one (states 1, 2, ... in order); find its block, then its word.
    let lo = 0;
    let hi = Math.ceil(Math.ceil(this.bitLength / 32) / BLOCK) - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (this.ones[mid]! < index) lo = mid;
      else hi = mid - 1;
    }
    let seen = this.ones[lo]!;
    let word = lo * BLOCK;
    for (;;) {
      const count = popcount(this.bits[word]!);
      if (seen + count >= index) break;
      seen += count;
      word++;
    }
    let bits = this.bits[word]!;
    let bit = 0;
    for (;;) {
      if ((bits & 1) === 1 && ++seen === index) break;
      bits >>>= 1;
      bit++;
    }
    const position = word * 32 + bit;
    // Of the `position` bits before it, index - 1 are ones; the rest are the zeros of expanded states.
    return position - (index - 1);
  }

  /** The candidates along the path from the initial state to state `index`. */
  path(index: number): number[] {
    const candidates: number[] = [];
    for (let i = index; i > 0; i = this.parentOf(i)) candidates.push(this.viaOf(i));
    return candidates.reverse();
  }

  get bytes(): number {
    return this.via.byteLength + this.bits.byteLength + this.ones.byteLength;
  }
}
