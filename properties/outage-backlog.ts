import { mayHold } from '../model/topology.ts';
import { newestAmong } from './helpers.ts';
import { type ClusterProperty, HOLDS, violated } from './types.ts';

/** Non-vacuity for outages: without such states the convergence properties would pass untested. */
export const outageBacklog: ClusterProperty = {
  name: 'outage-backlog',
  group: 'guard',
  kind: 'sometimes',
  source: 'seed article (KB 153198): when a member is back, "a resynchronizing of data should occur"',
  statement:
    'Reachable: a member is down while a live member holds a version of a record that the down member may hold and lacks, so that it returns with a backlog.',
  reads: { clients: true },
  notApplicable: (model) => (model.config.faults.maxDown === 0 ? 'no member may go down (faults.maxDown is 0)' : undefined),
  check(model, state) {
    const live = state.members.flatMap((m, i) => (m.status === 'up' ? [i] : []));
    const newest = newestAmong(model, state, live);
    for (let m = 0; m < model.size; m++) {
      const member = state.members[m]!;
      if (member.status !== 'down') continue;
      for (const [id, stamp] of newest) if ((member.records[id] ?? -1) < stamp && mayHold(model, state, m, id)) return HOLDS;
    }
    return violated('no down member lacks anything a live member holds');
  },
};
