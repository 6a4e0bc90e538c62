import { clusterMembers, describeVersion, firstDivergence, names, rounds } from './helpers.ts';
import { type ClusterProperty, holds, judgedAfterSettling, violated } from './types.ts';
import { settleAll } from '../model/settle.ts';
import { argued, ids, indexes, NO_REMOVALS, strandingDmzMember } from './explain.ts';
import { membersWhere } from './helpers.ts';

export const eventualConvergence: ClusterProperty = judgedAfterSettling({
  name: 'eventual-convergence',
  group: 'core',
  source: 'seed article (KB 153198): once a member is back, "a resynchronizing of data should occur"',
  statement:
    'Once every member is up, every link healed and all members on one version, replication reaches quiescence and every member in the cluster holds the same version of every record it may hold.',
  reads: { clients: true },
  advice: {
    recommendation: {
      text: 'Do not break members out of the cluster (take a member out of mail and port traffic instead, and ask Support), and never leave a DMZ member whose fixed successor has left the cluster: its replication topology does not update.',
      source: 'KB 153476; seed article KB 153198; KB 161304',
      by: 'vendor',
    },
    patches: [NO_REMOVALS],
    violated({ model, state }) {
      const settled = settleAll(model, state);
      if (!settled.quiescent) return undefined;
      const inCluster = membersWhere(settled.state, (s) => s !== 'removed');
      const divergence = firstDivergence(model, settled.state, inCluster);
      if (divergence === undefined) return undefined;
      const stuck = strandingDmzMember(model, settled.state, divergence.id, divergence.newest, 'removed');
      if (stuck === undefined) return undefined;
      return `${ids(model, [stuck.dmz])} is in the DMZ and keeps sending to its fixed successor ${ids(model, [stuck.next])} (KB 161304), which was broken out of the cluster (faults.removeMember: true; assumptions.dmzAfterRemoval: "stale"), so ${divergence.id} (${describeVersion(model, divergence.newest)}) stops at ${ids(model, [stuck.dmz])} and never reaches ${ids(model, divergence.lacking, 'or')}, even with every member up.`;
    },
    holds(context) {
      const { model, config, searched } = context;
      const dmz = indexes(model, (m) => m.zone === 'dmz');
      const { removeMember, maxDown } = config.faults;
      if (dmz.length > 0 && removeMember && maxDown > 0 && config.assumptions.dmzAfterRemoval === 'stale')
        return `In ${searched} no DMZ member's fixed successor was removed while a change waited on it, ${context.proven ? 'although' : 'but'} this config allows it (faults.removeMember: true with assumptions.dmzAfterRemoval: "stale")${context.proven ? '' : ': a longer search may still find one'}.`;
      const dmzNote =
        dmz.length === 0
          ? removeMember && maxDown > 0
            ? ' (internal members skip a member that was removed)'
            : ''
          : removeMember && maxDown > 0
            ? ` (a DMZ member whose successor was removed is re-pointed: assumptions.dmzAfterRemoval: "repointed")`
            : ` (the DMZ member${dmz.length === 1 ? '' : 's'} ${ids(model, dmz)} keep${dmz.length === 1 ? 's' : ''} a fixed successor, and it comes back too)`;
      return argued(
        context,
        `Once every member is back and every link healed, each member's successor on the ring is reachable again${dmzNote}`,
        'every change still held in the cluster reaches every member that may hold it',
      );
    },
  },
  notApplicable: () => undefined,
  settles: 'all',
  judge(model, settled) {
    if (!settled.quiescent) return violated(`replication did not quiesce within ${rounds(settled.rounds)}`, settled.rounds);
    const members = clusterMembers(settled.state);
    const divergence = firstDivergence(model, settled.state, members);
    if (divergence === undefined) return holds(settled.rounds);
    return violated(
      `with every member up and every link healed, replication went quiet after ${rounds(settled.rounds)}, yet ${divergence.id} (${describeVersion(model, divergence.newest)}) never reached ${names(model, divergence.lacking)}`,
      settled.rounds,
    );
  },
});
