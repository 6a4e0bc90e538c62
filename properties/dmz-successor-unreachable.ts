import type { RecordId } from '../model/records.ts';
import { canDeliver, mayHold, successor } from '../model/topology.ts';
import { kindOf } from '../model/records.ts';
import { type ClusterProperty, HOLDS, violated } from './types.ts';

/** Non-vacuity for KB 161304: the state in which a DMZ member's fixed topology strands a change. */
export const dmzSuccessorUnreachable: ClusterProperty = {
  name: 'dmz-successor-unreachable',
  group: 'guard',
  kind: 'sometimes',
  source: 'KB 161304 (a DMZ member keeps a fixed successor even when it is unreachable)',
  statement:
    "Reachable: a live DMZ member's fixed successor is down or cut off while the DMZ member holds a version of a record that no other live member holds.",
  reads: { clients: true },
  notApplicable: (model) => (model.isDmz.some((d) => d) ? undefined : 'no member is in the DMZ'),
  check(model, state) {
    for (let m = 0; m < model.size; m++) {
      if (!model.isDmz[m] || state.members[m]!.status !== 'up') continue;
      const records = state.members[m]!.records;
      for (const id in records) {
        const rid = id as RecordId;
        const next = successor(model, state, m, kindOf(rid));
        if (next === undefined || canDeliver(model, state, m, next) || !mayHold(model, state, next, rid)) continue;
        const elsewhere = state.members.some((o, i) => i !== m && o.status === 'up' && (o.records[rid] ?? -1) >= records[rid]!);
        if (!elsewhere) return HOLDS;
      }
    }
    return violated('no DMZ member holds the only live copy of a version while its successor is unreachable');
  },
};
