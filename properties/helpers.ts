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
 * The faults an availability judgement supposes after settling: members taken down (`down`) and sites
 * split off from the rest (`split`, indexes into the model's `sites`), and the side of the split whose
 * users are left without service (`side`: its members; every member when nothing is split).
 */
export interface Defeat {
  readonly down: number[];
  readonly split: number[];
  readonly side: number[];
}

/**
 * For the availability properties, which are monotone (taking one more member down, or splitting one more
 * site off, never makes a record more available): whether some choice of members to take down, within
 * what is left of the fault budget (`maxDown` minus members removed), and of sites to split off, within
 * `faults.maxSiteSplits`, leaves the users of some side of the split without a live member of `serving`
 * on their side (users reach only the members on their side); and the smallest such choice, or undefined
 * when none within the budgets can. A side is a split site's members, or the members left in none of the
 * split sites; a side with no member in the cluster has no users to serve. With no split the one side is
 * the whole cluster ("with any maxDown members down"). Decided without trying every choice of members.
 */
export function outageDefeating(model: CompiledCluster, settled: ClusterState, serving: readonly number[]): Defeat | undefined {
  const removed = settled.members.filter((m) => m.status === 'removed').length;
  const budget = Math.max(0, model.config.faults.maxDown - removed);
  const live = serving.filter((m) => settled.members[m]!.status === 'up');
  const everyone = settled.members.map((_, i) => i);
  let best: Defeat | undefined = live.length <= budget ? { down: live, split: [], side: everyone } : undefined;
  const sites = model.sites.map((_, s) => s);
  for (let k = 1; k <= Math.min(model.config.faults.maxSiteSplits, sites.length); k++)
    for (const split of combinations(sites, k)) {
      const sides = [...split.map((s) => everyone.filter((m) => model.siteOf[m] === s)), everyone.filter((m) => !split.includes(model.siteOf[m]!))];
      for (const side of sides) {
        if (!side.some((m) => inCluster(settled, m))) continue;
        const here = live.filter((m) => side.includes(m));
        if (here.length <= budget && (best === undefined || here.length + split.length < best.down.length + best.split.length)) best = { down: here, split, side };
      }
    }
  return best;
}

/** The faults a judgement supposes, in words: `with m1 down`, `with site dr split off, for users on the side of hq1, hq2`. */
export function withDownText(model: CompiledCluster, down: readonly number[], split: readonly number[] = [], side: readonly number[] = []): string {
  const members = down.length === 0 ? '' : `${names(model, down)} down`;
  if (split.length === 0) return down.length === 0 ? 'with every member up' : `with ${members}`;
  const sites = split.map((s) => `site ${model.sites[s]}`).join(' and ');
  return `with ${sites} split off${members === '' ? '' : ` and ${members}`}, for users on the side of ${names(model, side)}`;
}

/**
 * Settling's rounds in words, named for what they count: the replication hops the longest backlog had
 * to travel until the cluster went quiet (`model/settle.ts`); none means nothing was owed.
 */
export function rounds(n: number): string {
  return n === 0 ? '0 replication hops (nothing was owed)' : `${n} replication hop${n === 1 ? '' : 's'}`;
}
