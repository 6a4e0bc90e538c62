import type { RecordId } from '../model/records.ts';
import { isPastRetention } from '../model/topology.ts';
import { mayHold } from '../model/topology.ts';
import { describeVersion, rounds, names } from './helpers.ts';
import { type ClusterProperty, judgedAfterSettling, holds, violated } from './types.ts';
import { settleAll } from '../model/settle.ts';
import { stampWriter } from '../model/stamps.ts';
import { argued, ids, NO_REMOVALS } from './explain.ts';
import { membersWhere } from './helpers.ts';
import { eventualConvergence } from './eventual-convergence.ts';

export const noLostWrites: ClusterProperty = judgedAfterSettling({
  name: 'no-lost-writes',
  group: 'core',
  source: 'seed article (KB 153198): "highly discouraged to remove/break cluster members"; KB 153476',
  statement:
    'Every acknowledged write (or a newer version of its record) is, after faults stop and replication quiesces, on every member that may hold it, and on at least one member of the cluster.',
  reads: { clients: true, acknowledged: true },
  subject: { description: 'a write has been acknowledged', occurs: (_model, state) => Object.keys(state.acknowledged).length > 0 },
  advice: {
    recommendation: {
      text: 'Do not remove or break cluster members: take a member out of mail and port traffic instead, and ask Support for guidance; an outage is safer than a removal, because a member that comes back passes on what it held.',
      source: 'KB 153476; seed article KB 153198',
      by: 'vendor',
    },
    patches: [NO_REMOVALS],
    violated(context) {
      const { model, state } = context;
      const s = settleAll(model, state).state;
      const removed = membersWhere(s, (x) => x === 'removed');
      for (const id in s.acknowledged) {
        const rid = id as RecordId;
        const acknowledged = s.acknowledged[rid]!;
        const kept = s.members.some((m) => m.status !== 'removed' && (m.records[rid] ?? -1) >= acknowledged);
        if (kept || removed.length === 0) continue;
        const writer = stampWriter(acknowledged);
        const gone = writer !== undefined && s.members[writer]!.status === 'removed' ? [writer] : removed;
        return `Members may be broken out of the cluster here (faults.removeMember: true), and ${ids(model, gone)} was removed before it had passed on ${rid} (${describeVersion(model, acknowledged)}), so that change left the cluster with it.`;
      }
      // Not lost with a removed member, only missing somewhere: the same stranding eventual-convergence explains.
      return eventualConvergence.advice!.violated(context);
    },
    holds(context) {
      const { config, searched } = context;
      if (!config.faults.removeMember) {
        const premise = 'Members here go down but are never broken out of the cluster (faults.removeMember: false)';
        const conclusion = 'a change waits on its member and reaches the others when it comes back (resync)';
        return argued(context, premise, conclusion, `${premise}: ${conclusion}.`);
      }
      if (config.faults.maxDown === 0) {
        const premise = 'faults.removeMember is true, but faults.maxDown: 0 leaves no fault budget to remove a member';
        return argued(context, premise, 'no change is lost with a removed member', `${premise}.`);
      }
      return `In ${searched} no member was removed before it had passed on its changes, but this config allows removals (faults.removeMember: true), which the vendor discourages (KB 153476).`;
    },
  },
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
