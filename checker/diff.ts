/**
 * What changed between two states, found by comparing them as plain data. The checker knows nothing about
 * the model: any state made of objects, arrays and primitives works, and a field a later model adds shows
 * up as a change with no code to update. (immer's patches would say the same for the states it produces;
 * a structural comparison also works for states made any other way, and for recorded snapshots.)
 */

/** One changed value: where (object keys and array indexes from the root), before and after. */
export interface StateChange {
  readonly path: readonly (string | number)[];
  /** `undefined` when the value was absent before (added). */
  readonly before: unknown;
  /** `undefined` when the value is absent after (removed). */
  readonly after: unknown;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/**
 * The changes from `before` to `after`, leaf by leaf, in a stable order (the keys of `after` first, in its
 * order, then keys only `before` has). An added or removed object is one change holding the whole object.
 * Identical references are skipped without looking inside, so structural sharing (the model's copy on write, like immer's) makes this cheap.
 */
export function diffStates(before: unknown, after: unknown, path: readonly (string | number)[] = []): StateChange[] {
  if (Object.is(before, after)) return [];
  if (Array.isArray(before) && Array.isArray(after)) {
    const out: StateChange[] = [];
    for (let i = 0; i < Math.max(before.length, after.length); i++) out.push(...diffStates(before[i], after[i], [...path, i]));
    return out;
  }
  if (isPlainObject(before) && isPlainObject(after)) {
    const out: StateChange[] = [];
    for (const key of Object.keys(after)) out.push(...diffStates(before[key], after[key], [...path, key]));
    for (const key of Object.keys(before)) if (!(key in after)) out.push(...diffStates(before[key], undefined, [...path, key]));
    return out;
  }
  return [{ path, before, after }];
}

/** `members[2].records.user:bob` */
export function formatChangePath(path: readonly (string | number)[]): string {
  let out = '';
  for (const part of path) out += typeof part === 'number' ? `[${part}]` : out === '' ? part : `.${part}`;
  return out;
}
