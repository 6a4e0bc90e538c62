/**
 * Exhaustive, breadth-first exploration of a bounded model, in the manner of TLC and Stateright: every
 * reachable state is visited once (states are deduplicated by a canonical key), `always` and
 * `eventually` properties are judged in every state, `sometimes` properties are looked for in every
 * state, and since the search goes level by level the first violation found of each property is one of
 * the shortest.
 *
 * The visited set holds only keys; for each state the explorer keeps its parent's index and the action
 * that led to it (in typed arrays), so the trace to any state can be rebuilt.
 */
import type { Model, Property, PropertyKind } from './types.ts';

export interface ExploreOptions<S> {
  /** Stop expanding at this many actions from the initial state. */
  readonly maxDepth: number;
  /** Stop after this many distinct states. */
  readonly maxStates: number;
  /** The canonical key of a state: states with equal keys are one. */
  readonly key: (state: S) => string | number;
  /** Called now and then with the progress so far. */
  readonly onProgress?: (progress: ExploreProgress) => void;
  /** Asked now and then whether to stop early (a memory limit, say): the reason, or undefined to go on. */
  readonly stop?: () => string | undefined;
}

export interface ExploreProgress {
  readonly states: number;
  readonly transitions: number;
  readonly depth: number;
  readonly seconds: number;
}

export type Finding = 'holds' | 'violated' | 'reached' | 'unreached';

/** The verdict of a search on a property: whether it found something (a violation; for `sometimes`, a witness). */
export function findingVerdict(kind: PropertyKind, found: boolean): Finding {
  return kind === 'sometimes' ? (found ? 'reached' : 'unreached') : found ? 'violated' : 'holds';
}

export interface PropertyFinding<A> {
  readonly name: string;
  readonly kind: PropertyKind;
  readonly verdict: Finding;
  /** The shortest trace to a violation (or, for `sometimes`, to a state that reaches it). */
  readonly shortest: A[] | null;
  readonly message: string | null;
}

export interface ExploreResult<A> {
  readonly states: number;
  readonly transitions: number;
  /** The deepest level reached. */
  readonly depth: number;
  /** Whether every reachable state was visited (no bound was hit). */
  readonly exhausted: boolean;
  /** Why the search stopped early when `stop` said so, else undefined. */
  readonly stopped?: string;
  readonly seconds: number;
  readonly results: PropertyFinding<A>[];
}

class GrowableInt32 {
  data = new Int32Array(1024);
  length = 0;
  push(value: number): void {
    if (this.length === this.data.length) {
      const bigger = new Int32Array(this.data.length * 2);
      bigger.set(this.data);
      this.data = bigger;
    }
    this.data[this.length++] = value;
  }
}

/**
 * What a search does now and then as it goes: report its progress (at most every 250 ms) and ask
 * whether to stop (every 1,024 transitions or so). Call `after` once per expanded state.
 */
export class Checkpoints {
  private nextCheck = 1024;
  private lastReport: number;

  constructor(
    private readonly options: Pick<ExploreOptions<unknown>, 'onProgress' | 'stop'>,
    private readonly started: number,
  ) {
    this.lastReport = started;
  }

  /** Why the search should stop now, or undefined to go on. */
  after(states: number, transitions: number, depth: number): string | undefined {
    if (transitions < this.nextCheck) return undefined;
    this.nextCheck = transitions + 1024;
    if (this.options.onProgress) {
      const now = performance.now();
      if (now - this.lastReport > 250) {
        this.lastReport = now;
        this.options.onProgress({ states, transitions, depth, seconds: (now - this.started) / 1000 });
      }
    }
    return this.options.stop?.();
  }
}

export function explore<S, A>(model: Model<S, A>, properties: readonly Property<S>[], options: ExploreOptions<S>): ExploreResult<A> {
  const started = performance.now();
  const visited = new Map<string | number, number>();
  const parent = new GrowableInt32();
  const via = new GrowableInt32();
  const actions: A[] = [];
  const actionIds = new Map<A, number>();
  const found: ({ state: number; message: string } | undefined)[] = properties.map(() => undefined);

  const traceTo = (id: number): A[] => {
    const path: A[] = [];
    for (let at = id; at > 0; at = parent.data[at]!) path.push(actions[via.data[at]!]!);
    return path.reverse();
  };
  const judge = (state: S, id: number) => {
    for (let p = 0; p < properties.length; p++) {
      if (found[p] !== undefined) continue;
      const property = properties[p]!;
      const outcome = property.check(state);
      if (property.kind === 'sometimes' ? outcome.holds : !outcome.holds) {
        found[p] = { state: id, message: outcome.holds ? 'reached' : outcome.message };
      }
    }
  };

  visited.set(options.key(model.initial), 0);
  parent.push(-1);
  via.push(-1);
  judge(model.initial, 0);
  let frontier: { state: S; id: number }[] = [{ state: model.initial, id: 0 }];
  let depth = 0;
  let transitions = 0;
  let bounded = false;
  let stopped: string | undefined;
  const checkpoints = new Checkpoints(options, started);
  while (frontier.length > 0 && stopped === undefined) {
    if (depth >= options.maxDepth) {
      bounded = true;
      break;
    }
    const next: { state: S; id: number }[] = [];
    for (const { state, id } of frontier) {
      for (const action of model.enabled(state)) {
        transitions++;
        const after = model.step(state, action);
        const key = options.key(after);
        if (visited.has(key)) continue;
        if (visited.size >= options.maxStates) {
          bounded = true;
          continue;
        }
        const newId = visited.size;
        visited.set(key, newId);
        parent.push(id);
        let actionId = actionIds.get(action);
        if (actionId === undefined) {
          actionId = actions.length;
          actions.push(action);
          actionIds.set(action, actionId);
        }
        via.push(actionId);
        judge(after, newId);
        next.push({ state: after, id: newId });
      }
      stopped = checkpoints.after(visited.size, transitions, depth + 1);
      if (stopped !== undefined) {
        bounded = true;
        break;
      }
    }
    frontier = next;
    if (next.length > 0) depth++;
  }
  const results = properties.map((property, p): PropertyFinding<A> => {
    const hit = found[p];
    const verdict: Finding = findingVerdict(property.kind, hit !== undefined);
    return { name: property.name, kind: property.kind, verdict, shortest: hit ? traceTo(hit.state) : null, message: hit?.message ?? null };
  });
  return {
    states: visited.size,
    transitions,
    depth,
    exhausted: !bounded,
    ...(stopped === undefined ? {} : { stopped }),
    seconds: (performance.now() - started) / 1000,
    results,
  };
}
