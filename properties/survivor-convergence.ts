import { describeVersion, rounds, firstDivergence, membersWhere, names } from './helpers.ts';
import { type ClusterProperty, judgedAfterSettling, holds, violated } from './types.ts';

export const survivorConvergence: ClusterProperty = judgedAfterSettling({
  name: 'survivor-convergence',
  source: 'KB 161304 (DMZ members keep a fixed successor), KB 153198',
  statement:
    'With at most maxDown members down and no cut links, replication among the live members reaches quiescence with every live member holding every record that any live member holds and that it may hold.',
  reads: { clients: true },
  notApplicable: () => undefined,
  settles: 'survivors',
  judge(model, settled) {
    if (!settled.quiescent) return violated(`replication did not quiesce within ${rounds(settled.rounds)}`, settled.rounds);
    const live = membersWhere(settled.state, (s) => s === 'up');
    const down = membersWhere(settled.state, (s) => s === 'down');
    const divergence = firstDivergence(model, settled.state, live);
    if (divergence === undefined) return holds(settled.rounds);
    const outage = down.length === 0 ? 'with every member up' : `with ${names(model, down)} down`;
    return violated(
      `${outage} and every link healed, replication among the live members went quiet after ${rounds(settled.rounds)}, yet ${divergence.id} (${describeVersion(model, divergence.newest)}) never reached ${names(model, divergence.lacking)}`,
      settled.rounds,
    );
  },
});
