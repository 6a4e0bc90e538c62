/** Small readings of a cluster state shared by several properties. */
import type { Service } from '../config/schema.ts';
import { type CompiledCluster, runsService } from '../model/cluster.ts';
import { kindOf, type RecordId, type RecordKind } from '../model/records.ts';
import type { ClusterState } from '../model/state.ts';
import { type Stamp, stampSequence, stampWriter } from '../model/stamps.ts';
import { isPastRetention } from '../model/topology.ts';
import { inCluster, mayHold } from '../model/topology.ts';

/** `write #2, on m3`, or `the initial version`. */
export function describeVersion(model: CompiledCluster, stamp: Stamp): string {
  const writer = stampWriter(stamp);
  return writer === undefined ? 'the initial version' : `write #${stampSequence(stamp)}, on ${model.members[writer]!.id}`;
}

export function names(model: CompiledCluster, members: readonly number[]): string {
  return members.map((m) => model.members[m]!.id).join(', ');
}

/**
 * The newest version of each record among the given members, leaving out cached keys past their retention
 * (they go at their holder's next purge, and replication does not spread them: KB 162609).
 */
export function newestAmong(model: CompiledCluster, state: ClusterState, members: readonly number[]): Map<RecordId, Stamp> {
  const newest = new Map<RecordId, Stamp>();
  for (const m of members) {
    const records = state.members[m]!.records;
    for (const id in records) {
      const rid = id as RecordId;
      if (isPastRetention(model, state, m, rid)) continue;
      const stamp = records[rid]!;
      const best = newest.get(rid);
      if (best === undefined || stamp > best) newest.set(rid, stamp);
    }
  }
  return newest;
}

/** The members of the cluster: up or down, not removed and not waiting to join. */
export function clusterMembers(state: ClusterState): number[] {
  return state.members.flatMap((_, i) => (inCluster(state, i) ? [i] : []));
}

export function membersWhere(state: ClusterState, keep: (status: ClusterState['members'][number]['status']) => boolean): number[] {
  return state.members.flatMap((m, i) => (keep(m.status) ? [i] : []));
}

/**
 * The first record that some of `members` may hold but do not hold in its newest version (among
 * `members`), with who lacks it: the shape of every convergence failure. A member holding a cached key past
 * its retention lacks the live version, even one with the same stamp (a key re-cached after a purge starts
 * again at version 1): replication replaces such a copy.
 */
export function firstDivergence(
  model: CompiledCluster,
  state: ClusterState,
  members: readonly number[],
): { id: RecordId; newest: Stamp; lacking: number[] } | undefined {
  for (const [id, newest] of newestAmong(model, state, members)) {
    const lacking = members.filter(
      (m) => mayHold(model, state, m, id) && (state.members[m]!.records[id] !== newest || isPastRetention(model, state, m, id)),
    );
    if (lacking.length > 0) return { id, newest, lacking };
  }
  return undefined;
}

/** Every way to choose `k` of `items` (in order). */
export function combinations<T>(items: readonly T[], k: number): T[][] {
  if (k <= 0) return [[]];
  if (k > items.length) return [];
  const out: T[][] = [];
  const pick = (start: number, chosen: T[]) => {
    if (chosen.length === k) {
      out.push([...chosen]);
      return;
    }
    for (let i = start; i < items.length; i++) {
      chosen.push(items[i]!);
      pick(i + 1, chosen);
      chosen.pop();
    }
  };
  pick(0, []);
  return out;
}

export function anyMemberRuns(model: CompiledCluster, service: Service): boolean {
  return model.members.some((m) => runsService(m, service));
}

/**
 * A property's subject (`ClusterProperty.subject`): some member holds a record of one of these kinds
 * (stated as `description`).
 */
export function holdsRecordOf(description: string, ...kinds: readonly RecordKind[]) {
  return {
    description,
    occurs: (_model: CompiledCluster, state: ClusterState) =>
      state.members.some((m) => Object.keys(m.records).some((id) => kinds.includes(kindOf(id as RecordId)))),
  };
}

/** A property's subject: a desktop client is enrolled. */
export const CLIENT_ENROLLED = {
  description: 'a desktop client is enrolled',
  occurs: (_model: CompiledCluster, state: ClusterState) => Object.keys(state.clients).length > 0,
};

/** Records of one kind that some member of the cluster holds. */
export function heldRecords(state: ClusterState, kind: RecordKind): RecordId[] {
  const ids = new Set<RecordId>();
  for (const m of state.members) for (const id in m.records) if (kindOf(id as RecordId) === kind) ids.add(id as RecordId);
  return [...ids].sort();
}

/**
 * For the availability properties: after settling, every choice of members to take down within what is
 * left of the fault budget (`maxDown` minus members removed), and the live members that remain.
 */
export function outageChoices(model: CompiledCluster, settled: ClusterState): { down: number[]; live: number[] }[] {
  const up = membersWhere(settled, (s) => s === 'up');
  const removed = settled.members.filter((m) => m.status === 'removed').length;
  const budget = Math.max(0, model.config.faults.maxDown - removed);
  return combinations(up, Math.min(budget, up.length)).map((down) => ({ down, live: up.filter((m) => !down.includes(m)) }));
}

/**
 * For the availability properties, which are monotone (taking one more member down never makes a record
 * more available): whether some choice of members to take down, within what is left of the fault budget
 * (`maxDown` minus members removed), leaves none of `serving` live; and the smallest such choice (the
 * live ones among `serving`), or undefined when no choice within the budget can. This decides "with any
 * maxDown members down" without trying every choice of them.
 */
export function outageDefeating(model: CompiledCluster, settled: ClusterState, serving: readonly number[]): number[] | undefined {
  const removed = settled.members.filter((m) => m.status === 'removed').length;
  const budget = Math.max(0, model.config.faults.maxDown - removed);
  const live = serving.filter((m) => settled.members[m]!.status === 'up');
  return live.length <= budget ? live : undefined;
}

export function withDownText(model: CompiledCluster, down: readonly number[]): string {
  return down.length === 0 ? 'with every member up' : `with ${names(model, down)} down`;
}

/**
 * Settling's rounds in words, named for what they count: the replication hops the longest backlog had
 * to travel until the cluster went quiet (`model/settle.ts`); none means nothing was owed.
 */
export function rounds(n: number): string {
  return n === 0 ? '0 replication hops (nothing was owed)' : `${n} replication hop${n === 1 ? '' : 's'}`;
}
