/**
 * Who may hold what, and where each member sends it: the replication ring (docs/model.md, modelling assumptions).
 */
import { type ClusterModel, linkKey } from '../../model/cluster.ts';
import { keyOf, kindOf, type RecordId, type RecordKind } from '../../model/records.ts';
import type { ClusterState } from '../../model/state.ts';
import { ownEntry } from '../../model/keyed.ts';

export function isLive(state: ClusterState, member: number): boolean {
  return state.members[member]!.status === 'up';
}

/** Up or down: not removed, and not still waiting to join. */
export function inCluster(state: ClusterState, member: number): boolean {
  const status = state.members[member]!.status;
  return status === 'up' || status === 'down';
}

export function isCut(model: ClusterModel, state: ClusterState, a: number, b: number): boolean {
  return state.cutLinks[linkKey(model, a, b)] === true;
}

/** Members down or removed: what the fault budget `maxDown` counts (docs/model.md, actions); a waiting member is not a fault. */
export function faultsInUse(state: ClusterState): number {
  let count = 0;
  for (const m of state.members) if (m.status === 'down' || m.status === 'removed') count++;
  return count;
}

/**
 * Whether a member of the cluster may store this record:
 * - a private key only where `privateKeys` is true (KB 153723; the DMZ-mode choice of KB 161304);
 * - a High Availability Web Messenger account on every eligible member, a Home Server account only on
 *   its home member (the vendor's note on account modes);
 * - everything else on every member (KB 153723, KB 153198).
 */
export function mayHold(model: ClusterModel, state: ClusterState, member: number, id: RecordId): boolean {
  return inCluster(state, member) && mayHoldOnceIn(model, state, member, id);
}

/** `mayHold` for a member once it is in the cluster, whatever its status now (a joining member's full copy). */
export function mayHoldOnceIn(model: ClusterModel, state: ClusterState, member: number, id: RecordId): boolean {
  const kind = kindOf(id);
  if (kind === 'wmAccount') {
    const account = ownEntry(state.accounts, keyOf(id));
    if (account?.mode === 'homeServer') return account.home === model.members[member]!.id;
  }
  return model.onRing[kind][member]!;
}

/**
 * The member that `from` sends records of `kind` to: the next member after it on that kind's ring.
 *
 * - An internal member re-routes around failures: it skips members that are down, removed or cut off
 *   from it, and sends to the next one that is up and reachable.
 * - A DMZ member keeps a fixed successor: the next member in ring order, even when that member is down
 *   or cut off (KB 161304: "the replication topology is fixed and does not update when a member becomes
 *   unreachable"). A member that was removed is skipped only under the assumption
 *   `dmzAfterRemoval: "repointed"`; by default ("stale") the DMZ member keeps sending to it.
 * - A member still waiting to join is in no ring: every member skips it until it joins, and then it takes
 *   its place in ring order (KB 153721; the ring order is the config order).
 *
 * Returns undefined when the ring holds no other member.
 */
export function successor(model: ClusterModel, state: ClusterState, from: number, kind: RecordKind): number | undefined {
  const ring = model.onRing[kind];
  const fixed = model.isDmz[from]!;
  const stale = model.config.assumptions.dmzAfterRemoval === 'stale';
  for (let step = 1; step < model.size; step++) {
    const next = (from + step) % model.size;
    if (!ring[next]) continue;
    const status = state.members[next]!.status;
    if (status === 'waiting') continue;
    if (fixed) {
      if (status === 'removed' && !stale) continue;
      return next;
    }
    if (status === 'up' && !isCut(model, state, from, next)) return next;
  }
  return undefined;
}

/**
 * Whether `from` can deliver to `to` right now: `to` is up, the link between them is intact, and both run
 * the same major release. KB 225396: "data replication does not occur between cluster members unless the
 * cluster members are running the same release", "particularly relevant when undertaking an upgrade to a
 * major release" (ISO install and restore). KB 180162 and KB 153476 say members temporarily on different
 * versions while software updates (.pup files, KB 153403) are applied "continue to share cluster data".
 * Our reading of the two: only a major version mismatch stops replication; a minor update (`minor`) does
 * not (a modelling choice reconciling them; before it, every upgrade was major, as KB 225396 alone says).
 *
 * Modelling choice: a member on another release is still reachable, so the ring does not re-route around
 * it (routing follows reachability, KB 161304); the sender sends and is refused, and its changes go no
 * further along the ring until the releases match.
 */
export function canDeliver(model: ClusterModel, state: ClusterState, from: number, to: number): boolean {
  const target = state.members[to]!;
  return target.status === 'up' && target.version === state.members[from]!.version && !isCut(model, state, from, to);
}
