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
import type { ClusterModel } from '../../model/cluster.ts';
import { kindOf, type RecordId } from '../../model/records.ts';
import type { ClusterState, MemberState } from '../../model/state.ts';
import type { Stamp } from '../../model/stamps.ts';
import { mayHoldOnceIn } from './topology.ts';

/** What `member`, returning now, owes: the accounts its live peers hold and it may hold, newest versions. */
export function owedOnReturn(model: ClusterModel, state: ClusterState, member: number): Record<RecordId, Stamp> {
  const owed: Record<RecordId, Stamp> = {};
  if (!model.runsWebMessenger[member]) return owed;
  for (let peer = 0; peer < model.size; peer++) {
    if (peer === member || state.members[peer]!.status !== 'up') continue;
    const records = state.members[peer]!.records;
    for (const id in records) {
      const rid = id as RecordId;
      if (kindOf(rid) !== 'wmAccount' || !mayHoldOnceIn(model, state, member, rid)) continue;
      if ((owed[rid] ?? -1) < records[rid]!) owed[rid] = records[rid]!;
    }
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
export function inRotation(model: ClusterModel, state: ClusterState, member: number): boolean {
  const m = state.members[member]!;
  return m.status === 'up' && model.runsWebMessenger[member]! && (!model.config.loadBalancer.holdsRejoiningMembers || caughtUp(m));
}
