/**
 * Breadth-first exploration of the full product of a component engine's components, with the visited
 * set and the frontier in a compact encoding of its own: a state is a row of component ids in an
 * `Int32Array` arena, the visited set is an open-addressing hash table over those rows, and each state
 * keeps only its parent's index and the candidate that led to it. No state object, string key or action
 * list is made per transition: after warm-up a transition is a few table lookups.
 *
 * Symmetry: with a group of relabellings, the row stored in the visited set is the least relabelled row
 * (the engine relabels every component together), while the frontier keeps the row actually reached,
 * so every trace it reports is a real one.
 */
import type { ComponentEngine, ComponentProperty, Tuple } from './components.ts';
import { Checkpoints, type ExploreOptions, type ExploreResult, type Finding, findingVerdict, type PropertyFinding } from './explore.ts';
import { IntList, RowSet } from './packed.ts';

export interface ProductResult<A> extends ExploreResult<A> {
  /** Bytes held by the visited set, the frontier rows and the parent links, per visited state. */
  readonly bytesPerState: number;
}

export function exploreProduct<S, A>(
  engine: ComponentEngine<S, A>,
  properties: readonly ComponentProperty<S>[],
  options: Omit<ExploreOptions<Tuple>, 'key'>,
): ProductResult<A> {
  const started = performance.now();
  const width = engine.decomposition.slots;
  const group = engine.groupSize;
  const visited = new RowSet(width);
  /** The row actually reached, per state (the frontier expands these). */
  const reached = new IntList(width << 16);
  const parent = new IntList();
  const via = new IntList();
  const found: (number | undefined)[] = properties.map(() => undefined);
  const messages: (string | undefined)[] = properties.map(() => undefined);

  const canonical = new Int32Array(width);
  const relabelled = new Int32Array(width);
  const canonicalOf = (row: Int32Array): Int32Array => {
    if (group === 1) return row;
    for (let g = 0; g < group; g++) {
      for (let slot = 0; slot < width; slot++) relabelled[slot] = engine.relabelledId(row[slot]!, g);
      let less = g === 0;
      if (!less)
        for (let slot = 0; slot < width; slot++) {
          if (relabelled[slot] !== canonical[slot]) {
            less = relabelled[slot]! < canonical[slot]!;
            break;
          }
        }
      if (less) canonical.set(relabelled);
    }
    return canonical;
  };
  /** Judges a new state: only the slots that changed can change a verdict (a verdict found earlier stays). */
  const judge = (row: Int32Array, id: number, changed: number) => {
    for (let p = 0; p < properties.length; p++) {
      if (found[p] !== undefined) continue;
      const property = properties[p]!;
      const from = changed === -1 ? 0 : changed;
      const to = changed === -1 ? width : changed + 1;
      for (let slot = from; slot < to; slot++) {
        const outcome = engine.componentVerdict(property, row[slot]!);
        const hit = property.combine === 'any' ? outcome.holds : !outcome.holds;
        if (hit) {
          found[p] = id;
          messages[p] = outcome.holds ? `${property.name} is reached` : outcome.message;
          break;
        }
      }
    }
  };
  const admit = (row: Int32Array, from: number, candidate: number, changed: number): number => {
    if (visited.add(canonicalOf(row)) < 0) return -1;
    const id = visited.size - 1;
    reached.reserve(width);
    reached.data.set(row, reached.length);
    reached.length += width;
    parent.push(from);
    via.push(candidate);
    judge(row, id, changed);
    return id;
  };

  admit(engine.initial, -1, -1, -1);
  let levelStart = 0;
  let levelEnd = 1;
  let depth = 0;
  let transitions = 0;
  let bounded = false;
  let stopped: string | undefined;
  const checkpoints = new Checkpoints(options, started);
  const row = new Int32Array(width);
  const current = new Int32Array(width);
  while (levelStart < levelEnd && stopped === undefined) {
    if (depth >= options.maxDepth) {
      bounded = true;
      break;
    }
    for (let state = levelStart; state < levelEnd; state++) {
      current.set(reached.data.subarray(state * width, state * width + width));
      const expand = (c: number, slot: number) => {
        transitions++;
        if (slot === -1) {
          for (let s = 0; s < width; s++) row[s] = engine.componentStep(s, current[s]!, c);
        } else {
          row.set(current);
          row[slot] = engine.componentStep(slot, current[slot]!, c);
        }
        if (visited.size >= options.maxStates) {
          bounded = true;
          return;
        }
        admit(row, state, c, slot);
      };
      for (const c of engine.sharedOf(current[0]!)) expand(c, -1);
      for (let slot = 0; slot < width; slot++) for (const c of engine.ownedList(slot, current[slot]!)) expand(c, slot);
      stopped = checkpoints.after(visited.size, transitions, depth + 1);
      if (stopped !== undefined) {
        bounded = true;
        break;
      }
    }
    levelStart = levelEnd;
    levelEnd = visited.size;
    if (levelEnd > levelStart) depth++;
  }
  const traceTo = (id: number): A[] => {
    const path: A[] = [];
    for (let at = id; at > 0; at = parent.data[at]!) path.push(engine.candidates[via.data[at]!]!);
    return path.reverse();
  };
  const results = properties.map((property, p): PropertyFinding<A> => {
    const hit = found[p];
    const verdict: Finding = findingVerdict(property.kind, hit !== undefined);
    return { name: property.name, kind: property.kind, verdict, shortest: hit === undefined ? null : traceTo(hit), message: messages[p] ?? null };
  });
  const bytes = visited.bytes + reached.data.byteLength + parent.data.byteLength + via.data.byteLength;
  return {
    states: visited.size,
    transitions,
    depth,
    exhausted: !bounded,
    ...(stopped === undefined ? {} : { stopped }),
    seconds: (performance.now() - started) / 1000,
    results,
    bytesPerState: Math.round(bytes / Math.max(1, visited.size)),
  };
}
