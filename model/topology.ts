/**
 * Who may hold what, and where each member sends it: the replication ring (docs/model.md, modelling
 * assumptions). Each rule is stated once, on a view (`model/view.ts`), and read by every engine; the
 * functions at the end ask the same rules about a `ClusterState` (properties, the narrator, messages).
 */
import type { CompiledCluster } from './cluster.ts';
import { readerOf } from './object-view.ts';
import { isCacheKind, type RecordId, type RecordKind } from './records.ts';
import type { ClusterState } from './state.ts';
import { DOWN, HOME_SERVER, NONE, REMOVED, type RecordLane, type SharedView, STATUS_CODE, UP, type Version, type View, WAITING } from './view.ts';

/** Up or down: not removed, and not still waiting to join. */
export function isInCluster(v: SharedView, m: number): boolean {
  const status = v.status(m);
  return status === UP || status === DOWN;
}

/**
 * Whether the link between members `a` and `b` is down: cut (`partition`), or its two ends on either side
 * of a site split (a split site's members reach each other, and nobody else).
 */
export function linkDown(model: CompiledCluster, v: SharedView, a: number, b: number): boolean {
  return v.isCut(a, b) || splitApart(model, v, a, b);
}

/** Whether a site split separates members `a` and `b`: they are in different sites (or one has none), and one of theirs is split off. */
export function splitApart(model: CompiledCluster, v: SharedView, a: number, b: number): boolean {
  const sa = model.siteOf[a]!;
  const sb = model.siteOf[b]!;
  if (sa === sb) return false;
  return (sa !== -1 && v.isSplit(sa)) || (sb !== -1 && v.isSplit(sb));
}

/**
 * Whether member `from` can reach a live member holding the record of lane `r` at `version` or newer over
 * links that are up (`linkDown`), through live members: whether a change made on it could see that version.
 */
export function reachesHolder(model: CompiledCluster, v: View, r: RecordLane, from: number, version: Version): boolean {
  const n = model.size;
  let seen = 1 << from;
  let frontier = 1 << from;
  while (frontier !== 0) {
    let next = 0;
    for (let a = 0; a < n; a++) {
      if ((frontier & (1 << a)) === 0) continue;
      if (v.held(r, a) >= version) return true;
      for (let b = 0; b < n; b++) if ((seen & (1 << b)) === 0 && v.status(b) === UP && !linkDown(model, v, a, b)) next |= 1 << b;
    }
    seen |= next;
    frontier = next;
  }
  return false;
}

/** Members down or removed: what the fault budget `maxDown` counts (docs/model.md, actions); a waiting member is not a fault. */
export function faultsIn(v: SharedView): number {
  let count = 0;
  for (let m = 0; m < v.size; m++) {
    const status = v.status(m);
    if (status === DOWN || status === REMOVED) count++;
  }
  return count;
}

/**
 * Whether member `m`, once it is in the cluster (whatever its status now: a joining member's full copy),
 * may store the record of lane `r`:
 * - a private key only where `privateKeys` is true (KB 153723; the DMZ-mode choice of KB 161304);
 * - a High Availability Web Messenger account on every eligible member, a Home Server account only on
 *   its home member (the vendor's note on account modes);
 * - everything else on every member (KB 153723, KB 153198).
 */
export function mayHoldOnceInLane(model: CompiledCluster, v: View, r: RecordLane, m: number): boolean {
  const kind = v.kind(r);
  if (kind === 'wmAccount' && v.accountHome(r) !== -1 && v.accountMode(r) === HOME_SERVER) return v.accountHome(r) === m;
  return model.onRing[kind][m]!;
}

/** `mayHoldOnceInLane` for a member of the cluster now (up or down). */
export function mayHoldLane(model: CompiledCluster, v: View, r: RecordLane, m: number): boolean {
  return isInCluster(v, m) && mayHoldOnceInLane(model, v, r, m);
}

/**
 * The member that `from` sends records of `kind` to: the next member after it on that kind's ring, or -1
 * when the ring holds no other member.
 *
 * - An internal member re-routes around failures: it skips members that are down, removed or cut off
 *   from it, and sends to the next one that is up and reachable.
 * - A DMZ member keeps a fixed successor: the next member in ring order, even when that member is down
 *   or cut off (KB 161304: "the replication topology is fixed and does not update when a member becomes
 *   unreachable"). A member that was removed is skipped only under the assumption
 *   `dmzAfterRemoval: "repointed"`; by default ("stale") the DMZ member keeps sending to it.
 * - A member still waiting to join is in no ring: every member skips it until it joins, and then it takes
 *   its place in ring order (KB 153721; the ring order is the config order).
 */
export function successorOf(model: CompiledCluster, v: SharedView, from: number, kind: RecordKind): number {
  const ring = model.onRing[kind];
  const n = model.size;
  const fixed = model.isDmz[from]!;
  const stale = model.config.assumptions.dmzAfterRemoval === 'stale';
  for (let step = 1; step < n; step++) {
    const next = (from + step) % n;
    if (!ring[next]) continue;
    const status = v.status(next);
    if (status === WAITING) continue;
    if (fixed) {
      if (status === REMOVED && !stale) continue;
      return next;
    }
    if (status === UP && !linkDown(model, v, from, next)) return next;
  }
  return -1;
}

/**
 * Why `from` cannot deliver to `to` right now, or 0 when it can: `to` must be up, the link between them
 * intact, and both on the same major release. KB 225396: "data replication does not occur between cluster
 * members unless the cluster members are running the same release", "particularly relevant when
 * undertaking an upgrade to a major release" (ISO install and restore). KB 180162 and KB 153476 say members
 * temporarily on different versions while software updates (.pup files, KB 153403) are applied "continue
 * to share cluster data". Our reading of the two: only a major version mismatch stops replication; a minor
 * update (`minor`) does not (a modelling choice reconciling them; before it, every upgrade was major, as
 * KB 225396 alone says).
 *
 * Modelling choice: a member on another release is still reachable, so the ring does not re-route around
 * it (routing follows reachability, KB 161304); the sender sends and is refused, and its changes go no
 * further along the ring until the releases match.
 */
export function deliveryBlock(model: CompiledCluster, v: SharedView, from: number, to: number): number {
  if (v.status(to) !== UP) return TARGET_NOT_UP;
  if (v.isCut(from, to)) return LINK_CUT;
  if (splitApart(model, v, from, to)) return SITE_SPLIT;
  if (v.major(to) !== v.major(from)) return OTHER_RELEASE;
  return 0;
}

/** Whether `from` can deliver to `to` right now (`deliveryBlock`). */
export function deliverable(model: CompiledCluster, v: SharedView, from: number, to: number): boolean {
  return deliveryBlock(model, v, from, to) === 0;
}

/** Whether the copy of a cached key member `m` holds is past its retention at `hour` (never, for other kinds). */
export function pastRetention(model: CompiledCluster, v: View, r: RecordLane, m: number, hour: number): boolean {
  const kind = v.kind(r);
  return isCacheKind(kind) && v.held(r, m) !== NONE && v.cachedAt(r, m) + model.retention[kind] <= hour;
}

/**
 * What a replication hop from `from` does with the record of lane `r` (docs/model.md, actions `replicate`):
 * the member it sends it to (0 or more), or why it sends nothing (a negative code). It sends to the
 * successor on the record's ring a version the successor may hold and lacks or holds older, when the
 * successor can receive it: one that is down, cut off or on another release receives nothing. A cached key
 * past its retention is not sent (modelling choice: the vendor documents nothing here; it goes at the
 * sender's next purge), and a copy past its retention is as good as purged: any live version replaces it.
 * The codes say first whether there is something to send, then why it cannot go: `TARGET_NOT_UP`,
 * `LINK_CUT` and `OTHER_RELEASE` are a send the successor needs and does not get.
 */
export function sendOf(model: CompiledCluster, v: View, r: RecordLane, from: number): number {
  const mine = v.held(r, from);
  if (mine === NONE) return NOTHING_HELD;
  const clock = v.clock();
  if (pastRetention(model, v, r, from, clock)) return PAST_RETENTION;
  const to = successorOf(model, v, from, v.kind(r));
  if (to === -1) return NO_SUCCESSOR;
  const theirs = v.held(r, to);
  if (!(theirs < mine || (theirs !== NONE && pastRetention(model, v, r, to, clock)))) return UP_TO_DATE;
  if (!mayHoldOnceInLane(model, v, r, to)) return MAY_NOT_HOLD;
  const block = deliveryBlock(model, v, from, to);
  return block === 0 ? to : block;
}

/** Why `sendOf` sends nothing: nothing to send, */
export const NOTHING_HELD = -1;
export const PAST_RETENTION = -2;
export const NO_SUCCESSOR = -3;
export const UP_TO_DATE = -4;
export const MAY_NOT_HOLD = -5;
/** or a send the successor needs and cannot receive (`deliveryBlock`). */
export const TARGET_NOT_UP = -6;
export const LINK_CUT = -7;
export const OTHER_RELEASE = -8;
export const SITE_SPLIT = -9;

/**
 * Delivers what `sendOf` decided on `sent` (the state the hop was computed on: a synchronous round computes
 * every hop on the state it began with) into `v`: the receiver stores the sender's version (and, for a
 * cached key, when it was cached) unless it already holds one at least as new (two senders may reach one
 * receiver in a round) that is not past its retention.
 */
export function deliverTo(model: CompiledCluster, v: View, sent: View, r: RecordLane, from: number, to: number): void {
  const version = sent.held(r, from);
  const theirs = v.held(r, to);
  const cache = isCacheKind(v.kind(r));
  if (!(theirs < version || (cache && theirs !== NONE && pastRetention(model, v, r, to, v.clock())))) return;
  v.setHeld(r, to, version);
  if (cache) v.setCachedAt(r, to, sent.cachedAt(r, from));
}

/** One replication hop of the record of lane `r` from `from`, computed on `sent` and delivered into `v`; whether it delivered. */
export function hopLane(model: CompiledCluster, v: View, sent: View, r: RecordLane, from: number): boolean {
  const to = sendOf(model, sent, r, from);
  if (to < 0) return false;
  deliverTo(model, v, sent, r, from, to);
  return true;
}

// The same rules asked about a `ClusterState`.

export function isLive(state: ClusterState, member: number): boolean {
  return state.members[member]!.status === 'up';
}

/** Up or down: not removed, and not still waiting to join. */
export function inCluster(state: ClusterState, member: number): boolean {
  const status = STATUS_CODE[state.members[member]!.status];
  return status === UP || status === DOWN;
}

export function isCut(model: CompiledCluster, state: ClusterState, a: number, b: number): boolean {
  return readerOf(model, state).isCut(a, b);
}

/** Members down or removed: what the fault budget `maxDown` counts. */
export function faultsInUse(model: CompiledCluster, state: ClusterState): number {
  return faultsIn(readerOf(model, state));
}

/** Whether a member of the cluster may store this record now (`mayHoldLane`). */
export function mayHold(model: CompiledCluster, state: ClusterState, member: number, id: RecordId): boolean {
  return mayHoldLane(model, readerOf(model, state, id), 0, member);
}

/** Whether a member, once in the cluster, may store this record (`mayHoldOnceInLane`). */
export function mayHoldOnceIn(model: CompiledCluster, state: ClusterState, member: number, id: RecordId): boolean {
  return mayHoldOnceInLane(model, readerOf(model, state, id), 0, member);
}

/** The member `from` sends records of `kind` to (`successorOf`), or undefined when the ring holds no other member. */
export function successor(model: CompiledCluster, state: ClusterState, from: number, kind: RecordKind): number | undefined {
  const next = successorOf(model, readerOf(model, state), from, kind);
  return next === -1 ? undefined : next;
}

/** Whether `from` can deliver to `to` right now (`deliverable`). */
export function canDeliver(model: CompiledCluster, state: ClusterState, from: number, to: number): boolean {
  return deliverable(model, readerOf(model, state), from, to);
}

/** Whether a site split separates two members in this state (`splitApart`). */
export function splitApartIn(model: CompiledCluster, state: ClusterState, a: number, b: number): boolean {
  return splitApart(model, readerOf(model, state), a, b);
}

/** Whether the copy of a cached key that `member` holds is past its retention now (`pastRetention`); false for other kinds. */
export function isPastRetention(model: CompiledCluster, state: ClusterState, member: number, id: RecordId): boolean {
  return pastRetention(model, readerOf(model, state, id), 0, member, state.clock);
}
