/**
 * Versions of a record, and the rule that orders concurrent writes.
 *
 * The vendor documents no conflict resolution for this multi-master cluster (FACTS §6: "no
 * conflict-resolution rule ... is documented"). Modelling choice: **last writer wins by a per-record
 * Lamport counter**. A write on a member makes version `counter + 1` of the record, where `counter` is
 * that member's own copy's counter (0 if it has none); two writes with the same counter (made on members
 * that could not see each other's) are ordered by ring position, **the member earlier in the ring wins**
 * (the sponsor is usually first). The order is total, so every pair of versions is comparable and
 * replication always converges on one winner.
 *
 * A stamp packs (counter, writer) into one number whose numeric order is the version order.
 */
import { MAX_MEMBERS } from '../config/schema.ts';

export type Stamp = number;

const BASE = MAX_MEMBERS * 2;

/** The stamp of the default policy every member starts with: older than every write. */
export const INITIAL_STAMP: Stamp = 0;

/** The version a write on ring position `writer` makes over the writer's own copy `previous`. */
export function nextStamp(previous: Stamp | undefined, writer: number): Stamp {
  const counter = previous === undefined ? 0 : stampCounter(previous);
  return (counter + 1) * BASE + (BASE - 1 - writer);
}

export function stampCounter(stamp: Stamp): number {
  return Math.floor(stamp / BASE);
}

/** Ring position of the member that wrote this version; undefined for the initial default policy. */
export function stampWriter(stamp: Stamp): number | undefined {
  return stamp === INITIAL_STAMP ? undefined : BASE - 1 - (stamp % BASE);
}

/** Whether `a` is a newer version than `b` (an absent copy is older than any version). */
export function isNewer(a: Stamp, b: Stamp | undefined): boolean {
  return b === undefined || a > b;
}
