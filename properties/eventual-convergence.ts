import { clusterMembers, describeVersion, firstDivergence, names, rounds } from './helpers.ts';
import { type ClusterProperty, holds, judgedAfterSettling, violated } from './types.ts';

export const eventualConvergence: ClusterProperty = judgedAfterSettling({
  name: 'eventual-convergence',
  source: 'seed article (KB 153198): once a member is back, "a resynchronizing of data should occur"',
  statement:
    'Once every member is up, every link healed and all members on one version, replication reaches quiescence and every member in the cluster holds the same version of every record it may hold.',
  reads: { clients: true },
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
