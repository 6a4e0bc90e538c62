import { describeVersion, rounds, firstDivergence, membersWhere, names } from './helpers.ts';
import { type ClusterProperty, judgedAfterSettling, holds, violated } from './types.ts';
import { settleSurvivors } from '../model/settle.ts';
import { argued, DMZ_SUCCESSOR, dmzSuccessorFor, ids, indexes, memberSetting, patch, strandingDmzMember } from './explain.ts';

const MOVE_SOURCE = 'KB 161304 (a DMZ member keeps a fixed successor; an internal member re-routes around one that is down)';

export const survivorConvergence: ClusterProperty = judgedAfterSettling({
  name: 'survivor-convergence',
  group: 'core',
  source: 'KB 161304 (DMZ members keep a fixed successor), KB 153198',
  statement:
    'With at most maxDown members down and no cut links, replication among the live members reaches quiescence with every live member holding every record that any live member holds and that it may hold.',
  reads: { clients: true },
  advice: {
    recommendation: DMZ_SUCCESSOR,
    recommend: ({ model }) => dmzSuccessorFor(model),
    // Our inference from KB 161304: an internal member re-routes around a member that is down, a DMZ member cannot.
    patches: [
      ({ model }) =>
        indexes(model, (m) => m.zone === 'dmz').flatMap(
          (dmz) => patch(`move ${model.members[dmz]!.id} out of the DMZ (its replication then re-routes)`, 'inference', MOVE_SOURCE, [memberSetting(model, dmz, 'zone', 'internal')]) ?? [],
        ),
    ],
    violated({ model, state }) {
      const settled = settleSurvivors(model, state);
      if (!settled.quiescent) return undefined;
      const live = membersWhere(settled.state, (s) => s === 'up');
      const divergence = firstDivergence(model, settled.state, live);
      if (divergence === undefined) return undefined;
      const stuck =
        strandingDmzMember(model, settled.state, divergence.id, divergence.newest, 'down') ??
        strandingDmzMember(model, settled.state, divergence.id, divergence.newest, 'removed');
      if (stuck === undefined) return undefined;
      const dmz = ids(model, [stuck.dmz]);
      const next = ids(model, [stuck.next]);
      const gone = settled.state.members[stuck.next]!.status === 'down' ? `even while ${next} is down` : `though ${next} was removed`;
      return `${dmz} is in the DMZ and keeps sending to its fixed successor ${next} ${gone} (KB 161304: a DMZ member's topology does not update), so ${divergence.id} (${describeVersion(model, divergence.newest)}) stops at ${dmz} and never reaches ${ids(model, divergence.lacking, 'or')}, and no error is shown.`;
    },
    holds(context) {
      const { model, config, searched } = context;
      if (config.faults.maxDown === 0 && !config.faults.removeMember)
        return argued(context, 'No member is ever down here (faults.maxDown: 0)', 'the live members are the whole cluster and replicate as usual');
      const dmz = indexes(model, (m) => m.zone === 'dmz');
      if (dmz.length === 0)
        return argued(
          context,
          'Every member is internal and re-routes around a member that is down (KB 161304)',
          `with up to ${config.faults.maxDown} down the live members still pass every change to each other`,
        );
      return `The DMZ member${dmz.length === 1 ? '' : 's'} ${ids(model, dmz)} keep${dmz.length === 1 ? 's' : ''} a fixed successor (KB 161304), yet in ${searched} no change was left on a DMZ member while its successor was down.`;
    },
  },
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
