import type { RecordId } from '../model/records.ts';
import { mayHold } from '../model/topology.ts';
import { type ClusterProperty, HOLDS, violated } from './types.ts';

/**
 * Non-vacuity for rolling upgrades: the window KB 225396 warns about, with data on one side of it. A
 * minor update apart counts too (KB 180162: they still share cluster data), so a minor-update-only
 * config shows its safety on states where the releases differ, not vacuously.
 */
export const mixedReleases: ClusterProperty = {
  name: 'mixed-releases',
  group: 'guard',
  kind: 'sometimes',
  source: 'KB 225396 (no replication between members on different releases)',
  statement:
    'Reachable: two live members run different releases (a major release or a minor update apart) while one holds a version of a record that the other may hold and lacks.',
  reads: { clients: true },
  notApplicable: (model) => (model.config.faults.upgrades ? undefined : 'members are never upgraded (faults.upgrades is false)'),
  check(model, state) {
    for (let a = 0; a < model.size; a++)
      for (let b = 0; b < model.size; b++) {
        const x = state.members[a]!;
        const y = state.members[b]!;
        if (x.status !== 'up' || y.status !== 'up' || (x.version === y.version && x.minor === y.minor)) continue;
        for (const id in x.records) {
          const rid = id as RecordId;
          if ((y.records[rid] ?? -1) < x.records[rid]! && mayHold(model, state, b, rid)) return HOLDS;
        }
      }
    return violated('no two live members on different releases hold different versions of a record');
  },
};
