/**
 * Shrinking a violating trace further than fast-check's shrinker can: fast-check shrinks the choices a
 * trace was generated from, and a choice can mean another action once an earlier one is gone. Here the
 * actions themselves are removed, keeping only traces in which every action is enabled and the property
 * still fails, until no single action and no pair of actions can go. The trace is cut at its first violating
 * step (every prefix is judged, `checker/trace.ts`).
 */
import { violationOf } from './trace.ts';
import type { Model, Property, Violation } from './types.ts';

export function minimizeTrace<S, A>(
  model: Model<S, A>,
  property: Property<S>,
  actions: readonly A[],
): { actions: A[]; violation: Violation } | undefined {
  let current = [...actions];
  let violation = violationOf(model, property, current);
  if (violation === undefined) return undefined;
  current = current.slice(0, violation.step);
  // Two actions that only make sense together (a crash and its recovery) can only go together.
  const removePair = (): boolean => {
    for (let i = 0; i < current.length; i++)
      for (let j = i + 1; j < current.length; j++) {
        const candidate = current.filter((_, k) => k !== i && k !== j);
        const found = violationOf(model, property, candidate);
        if (found !== undefined) {
          current = candidate.slice(0, found.step);
          violation = found;
          return true;
        }
      }
    return false;
  };
  // Remove chunks, halving their size (ddmin-style); at size one, repeat until a whole pass removes nothing.
  let chunk = Math.max(1, Math.floor(current.length / 2));
  for (;;) {
    let changed = false;
    let start = 0;
    while (start < current.length) {
      const candidate = [...current.slice(0, start), ...current.slice(start + chunk)];
      const found = violationOf(model, property, candidate);
      if (found !== undefined) {
        current = candidate.slice(0, found.step);
        violation = found;
        changed = true;
      } else start += chunk;
    }
    if (chunk > 1) chunk = Math.floor(chunk / 2);
    else if (!changed && !removePair()) break;
  }
  violation = violationOf(model, property, current)!;
  return { actions: current, violation };
}
