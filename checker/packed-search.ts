/**
 * One breadth-first exploration over packed rows (`checker/packed.ts`), level by level, in this thread:
 * its visited set and trace links (`checker/visited.ts`), the rows of the level being expanded and of the
 * next one, the counts, and the findings. `checker/packed-parallel.ts` takes the same search over at a
 * level's end and goes on with it on worker threads; either way the states are numbered in the order
 * this thread would have found them, so the result is the same.
 */
import type { RowFinding, RowExploreOptions, RowExploration, RowSpace } from './packed.ts';
import { hashRow, RowTable, Rows, TraceLinks } from './visited.ts';

/** Transitions between two looks at the clock (progress) and at the memory guard. */
export const CHECK_EVERY = 4096;

export class Search {
  readonly words: number;
  readonly table: RowTable;
  readonly links = new TraceLinks();
  /** Rows of the level being expanded (states `levelStart` to `levelEnd - 1`, in order) and of the next. */
  current = new Rows();
  next = new Rows();
  levelStart = 0;
  levelEnd = 1;
  depthComplete = 0;
  states = 1;
  transitions = 0;
  /** The state being expanded. */
  expanding = 0;
  readonly found: Int32Array;
  readonly messages: (string | undefined)[];
  open: number;
  bounded = false;
  stopped: string | undefined;
  readonly started = performance.now();
  private nextCheck = CHECK_EVERY;
  // The first report comes at the first check (a progress line shows at once), then every quarter second.
  private lastReport = Number.NEGATIVE_INFINITY;
  /** The most bytes the two levels' rows held at once (in all threads). */
  peakQueueBytes = 0;
  /** Bytes of the visited sets of the other threads, when worker threads took part. */
  otherTableBytes = 0;
  /** Threads that took part (this one included). */
  threads = 1;
  /** The successors of the state being expanded: rows, candidates, hashes. */
  private batchRows: Int32Array;
  private batchVia = new Int32Array(64);
  private batchHash = new Int32Array(64);
  private batched = 0;
  private readonly row: Int32Array;
  private sink = 0;

  constructor(
    readonly space: RowSpace,
    readonly options: RowExploreOptions,
  ) {
    const words = space.words;
    this.words = words;
    this.table = new RowTable(words);
    const count = space.properties.length;
    this.found = new Int32Array(count).fill(-1);
    this.messages = new Array(count);
    this.open = count;
    this.row = new Int32Array(words);
    this.batchRows = new Int32Array(64 * words);
    space.initial(this.row);
    this.table.add(this.row, 0, hashRow(this.row, 0, words));
    this.current.push(this.row, 0, words);
    this.judge(0, this.current.data, 0);
  }

  /** Judges a new state for every property not yet found. */
  judge(index: number, data: Int32Array, at: number): void {
    const space = this.space;
    for (let p = 0; p < this.found.length; p++) {
      if (this.found[p] !== -1) continue;
      const message = space.judge(p, data, at);
      if (message !== undefined) {
        this.found[p] = index;
        this.messages[p] = message;
        this.open--;
      }
    }
  }

  private readonly emit = (candidate: number) => {
    const words = this.words;
    const at = this.batched * words;
    if (at + words > this.batchRows.length) {
      const rows = new Int32Array(this.batchRows.length * 2);
      rows.set(this.batchRows);
      this.batchRows = rows;
      const via = new Int32Array(this.batchVia.length * 2);
      via.set(this.batchVia);
      this.batchVia = via;
      this.batchHash = new Int32Array(this.batchVia.length);
    }
    const rows = this.batchRows;
    const row = this.row;
    for (let i = 0; i < words; i++) rows[at + i] = row[i]!;
    this.batchVia[this.batched++] = candidate;
  };

  /** Whether the search goes on with another level (and the reason it stops, if not). */
  levelsLeft(): boolean {
    if (this.levelStart >= this.levelEnd || this.open === 0) return false;
    if (this.depthComplete >= this.options.maxDepth) {
      this.bounded = true;
      return false;
    }
    return true;
  }

  /** The cap on states: whether it stops the search before the next state is expanded. */
  capped(): boolean {
    if (this.states < this.options.maxStates) return false;
    this.bounded = true;
    this.stopped = `the cap of ${this.options.maxStates.toLocaleString('en-US')} states (--max-states)`;
    return true;
  }

  /** Progress and the memory guard, now and then: whether the guard stops the search. */
  checkIn(force = false): boolean {
    if (!force && this.transitions < this.nextCheck) return false;
    this.nextCheck = this.transitions + CHECK_EVERY;
    const now = performance.now();
    if (this.options.onProgress && now - this.lastReport > 250) {
      this.lastReport = now;
      this.options.onProgress({ states: this.states, transitions: this.transitions, depth: this.depthComplete + 1, seconds: (now - this.started) / 1000 });
    }
    const why = this.options.stop?.();
    if (why === undefined) return false;
    this.bounded = true;
    this.stopped = why;
    return true;
  }

  /** Expands the current level in this thread: false when the search stops within it. */
  expandLevel(): boolean {
    const words = this.words;
    const space = this.space;
    const table = this.table;
    const links = this.links;
    const next = this.next;
    for (this.expanding = this.levelStart; this.expanding < this.levelEnd; this.expanding++) {
      if (this.capped()) return false;
      this.batched = 0;
      space.successors(this.current.data, (this.expanding - this.levelStart) * words, this.row, this.emit);
      const rows = this.batchRows;
      const hashes = this.batchHash;
      const count = this.batched;
      // Touch every successor's slot first, then probe them in order (the same order as one at a time).
      for (let b = 0; b < count; b++) {
        const hash = hashRow(rows, b * words, words);
        hashes[b] = hash;
        this.sink ^= table.touch(hash);
      }
      for (let b = 0; b < count; b++) {
        this.transitions++;
        if (!table.add(rows, b * words, hashes[b]!)) continue;
        const index = this.states++;
        links.addChild(this.batchVia[b]!);
        next.push(rows, b * words, words);
        if (this.open > 0) this.judge(index, next.data, next.length - words);
      }
      links.closeParent();
      if (this.open === 0) return false;
      if (this.checkIn()) return false;
    }
    this.endLevel();
    return true;
  }

  /** The level is done: the next one becomes the current one. */
  endLevel(): void {
    this.peakQueueBytes = Math.max(this.peakQueueBytes, this.current.bytes + this.next.bytes);
    const done = this.current;
    this.current = this.next;
    this.next = done;
    this.next.length = 0;
    this.levelStart = this.levelEnd;
    this.levelEnd = this.states;
    this.depthComplete++;
  }

  /** The rows along a path of candidates from the initial state, replayed (the initial row first). */
  replay(path: readonly number[]): Int32Array[] {
    const space = this.space;
    const row = new Int32Array(this.words);
    space.initial(row);
    const rows: Int32Array[] = [row];
    const out = new Int32Array(this.words);
    for (const candidate of path) {
      let reached: Int32Array | undefined;
      space.successors(rows[rows.length - 1]!, 0, out, (c) => {
        if (c === candidate) reached = out.slice();
      });
      if (reached === undefined) throw new Error('internal error: a trace of the packed exploration does not replay');
      rows.push(reached);
    }
    return rows;
  }

  result(): RowExploration {
    const decided = this.open === 0;
    const exhausted = !this.bounded && !decided;
    this.peakQueueBytes = Math.max(this.peakQueueBytes, this.current.bytes + this.next.bytes);
    const findings = this.space.properties.map((property, p): RowFinding => {
      const at = this.found[p]!;
      if (at === -1 || at >= this.states) return { name: property.name, kind: property.kind, path: null, states: null, message: null };
      const path = this.links.path(at);
      return { name: property.name, kind: property.kind, path, states: this.replay(path), message: this.messages[p] ?? null };
    });
    const perState = (bytes: number) => Math.round((10 * bytes) / Math.max(1, this.states)) / 10;
    return {
      states: this.states,
      transitions: this.transitions,
      depthComplete: this.depthComplete,
      exhausted,
      decided,
      ...(this.stopped === undefined ? {} : { stopped: this.stopped }),
      seconds: (performance.now() - this.started) / 1000,
      bytesPerState: perState(this.table.bytes + this.otherTableBytes + this.links.bytes),
      queueBytesPerState: perState(this.peakQueueBytes),
      threads: this.threads,
      findings,
    };
  }
}
