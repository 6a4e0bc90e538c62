/**
 * The load balancer's Web Messenger rotation (docs/model.md, modelling assumptions, KB 156803: "WEP users routed to a member
 * that has not yet received replicated data may not see all their messages").
 *
 * A member running Web Messenger is in rotation while it is up. When it returns (recovers, or joins) it
 * owes the Web Messenger accounts its live peers hold at that moment, each at the newest version they
 * hold (the state records this, `owedAtReturn`). Without `holdsRejoiningMembers` it re-enters rotation at
 * once; with it, only once it holds every account it owes, at that version or newer.
 *
 * Membership of the rotation is read off the state rather than stored: what a member holds only grows
 * while it is up (accounts are never purged), so "held out until it has caught up, then in until it goes
 * down" is exactly "up, and caught up or not held out". Keeping it derived keeps every piece of state
 * about one record or one member (an explorer may split the state per record).
 *
 * What it owes is limited to what it may hold (modelling choice): a Home Server account of another member
 * is never replicated to it, and a member outside the Web Messenger replication set receives no account
 * data, so neither is owed; otherwise such a member would be held out of rotation for ever.
 */
import type { CompiledCluster } from './cluster.ts';
import type { RecordId } from './records.ts';
import type { ClusterState, MemberState } from './state.ts';
import { mayHoldOnceInLane } from './topology.ts';
import { NONE, type RecordLane, UP, type Version, type View } from './view.ts';

/**
 * What `member`, returning now, owes of the record of lane `r`: the newest version its live peers hold,
 * when it is a Web Messenger account it may hold; else `NONE`.
 */
export function owedOf(model: CompiledCluster, v: View, r: RecordLane, member: number): Version {
  if (v.kind(r) !== 'wmAccount' || !model.runsWebMessenger[member] || !mayHoldOnceInLane(model, v, r, member)) return NONE;
  let owed = NONE;
  for (let peer = 0; peer < model.size; peer++) {
    if (peer === member || v.status(peer) !== UP) continue;
    const held = v.held(r, peer);
    if (held > owed) owed = held;
  }
  return owed;
}

/** Whether a member holds everything it owed when it returned (at that version or newer). */
export function caughtUp(member: MemberState): boolean {
  for (const id in member.owedAtReturn) {
    const rid = id as RecordId;
    if ((member.records[rid] ?? -1) < member.owedAtReturn[rid]!) return false;
  }
  return true;
}

/** Whether the load balancer sends Web Messenger users to this member now. */
export function inRotation(model: CompiledCluster, state: ClusterState, member: number): boolean {
  const m = state.members[member]!;
  return m.status === 'up' && model.runsWebMessenger[member]! && (!model.config.loadBalancer.holdsRejoiningMembers || caughtUp(m));
}
