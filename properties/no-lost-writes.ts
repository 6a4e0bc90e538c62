import type { RecordId } from '../model/records.ts';
import { isPastRetention } from '../model/time.ts';
import { mayHold } from '../model/topology.ts';
import { describeVersion, rounds, names } from './helpers.ts';
import { type ClusterProperty, judgedAfterSettling, holds, violated } from './types.ts';

export const noLostWrites: ClusterProperty = judgedAfterSettling({
  name: 'no-lost-writes',
  source: 'seed article (KB 153198): "highly discouraged to remove/break cluster members"; KB 153476',
  statement:
    'Every acknowledged write (or a newer version of its record) is, after faults stop and replication quiesces, on every member that may hold it, and on at least one member of the cluster.',
  reads: { clients: true, acknowledged: true },
  subject: { description: 'a write has been acknowledged', occurs: (_model, state) => Object.keys(state.acknowledged).length > 0 },
  notApplicable: () => undefined,
  settles: 'all',
  judge(model, settled) {
    if (!settled.quiescent) return violated(`replication did not quiesce within ${rounds(settled.rounds)}`, settled.rounds);
    const s = settled.state;
    const removed = s.members.flatMap((m, i) => (m.status === 'removed' ? [i] : []));
    const gone = removed.length > 0 ? ` (${names(model, removed)} was removed with what it held)` : '';
    for (const id in s.acknowledged) {
      const rid = id as RecordId;
      const acknowledged = s.acknowledged[rid]!;
      // A cached key past its retention on a member counts as gone from it (it goes at its next purge).
      const held = (i: number) => (isPastRetention(model, s, i, rid) ? -1 : (s.members[i]!.records[rid] ?? -1));
      const holders = s.members.flatMap((m, i) => (m.status !== 'removed' && held(i) >= acknowledged ? [i] : []));
      const version = describeVersion(model, acknowledged);
      if (holders.length === 0) return violated(`the acknowledged write of ${rid} (${version}) is on no member of the cluster${gone}`, settled.rounds);
      const lacking = s.members.flatMap((_, i) => (mayHold(model, s, i, rid) && held(i) < acknowledged ? [i] : []));
      if (lacking.length > 0)
        return violated(
          `after faults stopped and replication went quiet (${rounds(settled.rounds)}), the acknowledged write of ${rid} (${version}) is missing on ${names(model, lacking)}${gone}`,
          settled.rounds,
        );
    }
    return holds(settled.rounds);
  },
});
