/**
 * Records keyed by a name from the input (a Web Messenger account's key, a desktop client's id). Such a
 * name may be any string, `constructor`, `toString` or `__proto__` included, so these records have no
 * prototype (a lookup finds only what was stored; storing `__proto__` stores it) and are read through
 * `ownEntry`, which finds only what was stored even in an ordinary object. A modelling-neutral rule: a
 * name means the same whatever it spells.
 */

/** An empty record with no prototype, for keys taken from the input. */
export function emptyKeyed<T>(): Record<string, T> {
  return Object.create(null) as Record<string, T>;
}

/** The entry stored under `key`, never one inherited from `Object.prototype`. */
export function ownEntry<T>(record: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}
