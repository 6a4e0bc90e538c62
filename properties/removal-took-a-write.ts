import type { RecordId } from '../model/records.ts';
import { type ClusterProperty, HOLDS, violated } from './types.ts';

/** Non-vacuity for removals: a member is broken out while it held the only copy of a change. */
export const removalTookAWrite: ClusterProperty = {
  name: 'removal-took-a-write',
  group: 'guard',
  kind: 'sometimes',
  source: 'seed article (KB 153198), KB 153476: removing or breaking members is discouraged',
  statement: 'Reachable: a member has been removed, and an acknowledged version of a record is on no member of the cluster.',
  reads: { clients: true, acknowledged: true },
  notApplicable: (model) => (model.config.faults.removeMember ? undefined : 'members are never removed (faults.removeMember is false)'),
  check(_model, state) {
    if (!state.members.some((m) => m.status === 'removed')) return violated('no member has been removed');
    for (const id in state.acknowledged) {
      const rid = id as RecordId;
      const acknowledged = state.acknowledged[rid]!;
      if (!state.members.some((m) => m.status !== 'removed' && (m.records[rid] ?? -1) >= acknowledged)) return HOLDS;
    }
    return violated('every acknowledged version is still on some member');
  },
};
