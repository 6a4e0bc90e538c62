import { type ClusterProperty, HOLDS, violated } from './types.ts';

/** Non-vacuity for joins: the moment KB 153721's join through the Sponsor is in doubt. */
export const joinPendingSponsorDown: ClusterProperty = {
  name: 'join-pending-sponsor-down',
  group: 'guard',
  kind: 'sometimes',
  source: 'KB 153721 (members join through the Sponsor)',
  statement: 'Reachable: a member waits to join while the Sponsor is down or removed.',
  reads: { clients: true },
  notApplicable: (model) => (model.members.some((m) => m.joinsLater) ? undefined : 'no member waits to join'),
  check(model, state) {
    const sponsor = model.members.findIndex((m) => m.role === 'sponsor');
    const waiting = state.members.some((m) => m.status === 'waiting');
    return waiting && state.members[sponsor]!.status !== 'up' ? HOLDS : violated('no member waits while the Sponsor is away');
  },
};
