import { linkKey } from '../model/cluster.ts';
import type { RecordId } from '../model/records.ts';
import { mayHold } from '../model/topology.ts';
import { type ClusterProperty, HOLDS, violated } from './types.ts';

/** Non-vacuity for disconnections: a write lands on one side of a cut link. */
export const partitionDivergence: ClusterProperty = {
  name: 'partition-divergence',
  group: 'guard',
  kind: 'sometimes',
  source: 'seed article (KB 153198): a member "unavailable or disconnected" stops synchronization',
  statement:
    'Reachable: a link is cut while one of the two members it joins holds a version of a record that the other may hold and lacks.',
  reads: { clients: true },
  notApplicable: (model) => (model.config.faults.partitions ? undefined : 'links are never cut (faults.partitions is false)'),
  check(model, state) {
    for (let a = 0; a < model.size; a++)
      for (let b = 0; b < model.size; b++) {
        if (a === b || !state.cutLinks[linkKey(model, a, b)]) continue;
        const theirs = state.members[b]!.records;
        const mine = state.members[a]!.records;
        for (const id in mine) {
          const rid = id as RecordId;
          if ((theirs[rid] ?? -1) < mine[rid]! && mayHold(model, state, b, rid)) return HOLDS;
        }
      }
    return violated('no cut link separates different versions of a record');
  },
};
