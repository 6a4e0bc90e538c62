/**
 * Versions of a record, and the rule that orders concurrent writes.
 *
 * The vendor documents no conflict resolution for this multi-master cluster (FACTS §6: "no
 * conflict-resolution rule ... is documented"). Modelling choice: **last writer wins, by the order in
 * which writes happen**. The cluster numbers its writes 1, 2, 3, … (as synchronized clocks would order
 * them); a record's version is the number of the write that made it, and a member keeps the newest
 * version it receives. Two writes of one record made on members that cannot see each other are
 * therefore resolved in favour of the later one, wherever it was made, and the earlier one counts as
 * superseded, not lost. The order is total, so replication always converges on one winner.
 *
 * Only the order of versions matters to the model, never their numbers, so an explorer may renumber
 * them (see `model/row.ts`).
 *
 * A stamp packs (write number, writer's ring position) into one number; numeric order is version order.
 */
import { MAX_MEMBERS } from '../config/schema.ts';

export type Stamp = number;

const BASE = MAX_MEMBERS;

/** The stamp of the default policy every member starts with: older than every write. */
export const INITIAL_STAMP: Stamp = 0;

/** The version made by the cluster's write number `sequence` (1, 2, …), on ring position `writer`. */
export function makeStamp(sequence: number, writer: number): Stamp {
  return sequence * BASE + writer;
}

/** The number of the write that made this version (0 for the initial default policy). */
export function stampSequence(stamp: Stamp): number {
  return Math.floor(stamp / BASE);
}

/** Ring position of the member that wrote this version; undefined for the initial default policy. */
export function stampWriter(stamp: Stamp): number | undefined {
  return stamp === INITIAL_STAMP ? undefined : stamp % BASE;
}

/** Whether `a` is a newer version than `b` (an absent copy is older than any version). */
export function isNewer(a: Stamp, b: Stamp | undefined): boolean {
  return b === undefined || a > b;
}
