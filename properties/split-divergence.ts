import type { RecordId } from '../model/records.ts';
import { mayHold, splitApartIn } from '../model/topology.ts';
import { type ClusterProperty, HOLDS, violated } from './types.ts';

/** Non-vacuity for site splits: a write lands on one side of a split. */
export const splitDivergence: ClusterProperty = {
  name: 'split-divergence',
  group: 'guard',
  kind: 'sometimes',
  source: 'seed article (KB 153198): a member "unavailable or disconnected" stops synchronization; modelling choice (a WAN cut isolates a site)',
  statement:
    'Reachable: a site is split off while a member on one side of the split holds a version of a record that a member on the other side may hold and lacks.',
  reads: { clients: true },
  notApplicable: (model) =>
    model.config.faults.maxSiteSplits > 0 ? undefined : 'no site is ever split off (faults.maxSiteSplits is 0, or the members name fewer than two sites)',
  check(model, state) {
    for (let a = 0; a < model.size; a++)
      for (let b = 0; b < model.size; b++) {
        if (a === b || !splitApartIn(model, state, a, b)) continue;
        const theirs = state.members[b]!.records;
        const mine = state.members[a]!.records;
        for (const id in mine) {
          const rid = id as RecordId;
          if ((theirs[rid] ?? -1) < mine[rid]! && mayHold(model, state, b, rid)) return HOLDS;
        }
      }
    return violated('no site split separates different versions of a record');
  },
};
