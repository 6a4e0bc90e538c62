/**
 * The members of a state as a replay shows them: a snapshot per step (`replay --json`'s `members`), one line
 * per member, the cut links.
 */
import type { ClusterState } from '../model/state.ts';

/** One member as `replay --json` shows it (`up`, `records` as `kind:key`), with its full status as well. */
export interface MemberSnapshot {
  readonly up: boolean;
  readonly status: string;
  readonly records: readonly string[];
}

/** The members of a state, by id, in ring order. */
export type Snapshot = Readonly<Record<string, MemberSnapshot>>;

export function snapshot(state: ClusterState): Snapshot {
  const out: Record<string, MemberSnapshot> = {};
  for (const m of state.members) out[m.id] = { up: m.status === 'up', status: m.status, records: Object.keys(m.records).sort() };
  return out;
}

/** The members of a state in one line each: `m1  down  policy:default, user:bob`. */
export function describeMembers(members: Snapshot): string[] {
  const ids = Object.keys(members);
  const width = Math.max(...ids.map((id) => id.length));
  return ids.map((id) => {
    const m = members[id]!;
    return `${id.padEnd(width)}  ${m.status.padEnd(7)}  ${m.records.length === 0 ? '(nothing)' : m.records.join(', ')}`;
  });
}

/** Cut links of a state, as `m1|m2`. */
export function cutLinks(state: ClusterState): string[] {
  return Object.keys(state.cutLinks).sort();
}
