import { replicateToQuiescence, settleAll, withDown } from '../model/settle.ts';
import { applyAction, whyDisabled } from '../model/step.ts';
import { isPastRetention } from '../model/topology.ts';
import { mayHold } from '../model/topology.ts';
import { describeVersion, newestAmong, outageChoices, rounds, withDownText } from './helpers.ts';
import type { CompiledCluster } from '../model/cluster.ts';
import type { ClusterState } from '../model/state.ts';
import { type ClusterProperty, holds, type Outcome, violated } from './types.ts';
import { argued, list } from './explain.ts';

export const joinUnderOutage: ClusterProperty = {
  name: 'join-under-outage',
  group: 'lifecycle',
  kind: 'eventually',
  source: 'KB 153721 (members join through the Sponsor: a full copy over the wire); assumptions.joinWhenSponsorDown (modelling choice)',
  statement:
    'After replication quiesces, with any maxDown members down, every member still waiting to join can join, and once replication among the live members quiesces again it holds every record a live member holds and it may hold.',
  reads: { clients: true },
  settledBy: 'all',
  advice: {
    recommendation: {
      text: 'Join new members while the Sponsor is up and reachable on port 444 from the joining server; a join is a full copy from the Sponsor, so plan it when no member is down, with 4 to 5 times the Sponsor\'s backup size free on the joiner.',
      source: 'KB 153721; KB 154069',
      by: 'vendor',
    },
    violated({ model, config }) {
      const waiting = model.members.filter((m) => m.joinsLater).map((m) => m.id);
      const sponsor = model.members.find((m) => m.role === 'sponsor')?.id ?? 'the sponsor';
      if (config.assumptions.joinWhenSponsorDown === 'waits')
        return `${list(waiting)} ${waiting.length === 1 ? 'joins' : 'join'} through the Sponsor ${sponsor} (KB 153721), and with ${sponsor} down (within faults.maxDown) a join cannot start: under assumptions.joinWhenSponsorDown "waits" the joiner waits for the Sponsor.`;
      return undefined;
    },
    holds(context) {
      const { model, config, searched } = context;
      if (config.faults.maxDown === 0) return argued(context, 'No member is ever down here (faults.maxDown: 0)', 'a waiting member can always join through the Sponsor');
      return `In ${searched} every waiting member (${list(model.members.filter((m) => m.joinsLater).map((m) => m.id))}) could still join and catch up with up to ${config.faults.maxDown} member${config.faults.maxDown === 1 ? '' : 's'} down.`;
    },
    notApplicable: () => 'No member waits to join (no member has joinsLater: true).',
    // The members it takes down after settling ("with any maxDown members down"): the choice a join fails with.
    outage: (model, state) => joinFailure(model, state).down,
  },
  notApplicable: (model) => (model.members.some((m) => m.joinsLater) ? undefined : 'no member is configured with joinsLater'),
  check(model, state) {
    return joinFailure(model, state).outcome;
  },
};

/**
 * The judgement, and the choice of members down it fails with: after settling, for every choice of
 * `maxDown` members down, each waiting member joins and must catch up with the live members.
 */
function joinFailure(model: CompiledCluster, state: ClusterState): { outcome: Outcome; down?: number[] } {
  const settled = settleAll(model, state);
  const s = settled.state;
  if (!settled.quiescent) return { outcome: violated(`replication did not quiesce within ${rounds(settled.rounds)}`, settled.rounds) };
  const waiting = s.members.flatMap((m, i) => (m.status === 'waiting' ? [i] : []));
  let most = settled.rounds;
  for (const { down, live } of outageChoices(model, s)) {
    const outage = withDown(s, down);
    for (const w of waiting) {
      const id = model.members[w]!.id;
      const join = { type: 'join', member: id } as const;
      const why = whyDisabled(model, outage, join);
      if (why !== undefined) return { outcome: violated(`after replication went quiet, ${withDownText(model, down)}, ${why}`, settled.rounds), down };
      const joined = replicateToQuiescence(model, applyAction(model, outage, join));
      most = Math.max(most, joined.rounds);
      if (!joined.quiescent) return { outcome: violated(`${withDownText(model, down)}, after ${id} joined replication did not quiesce within ${rounds(joined.rounds)}`, most), down };
      const j = joined.state;
      for (const [rid, newest] of newestAmong(model, j, [...live, w])) {
        if (mayHold(model, j, w, rid) && (j.members[w]!.records[rid] !== newest || isPastRetention(model, j, w, rid)))
          return {
            outcome: violated(
              `after replication went quiet, ${withDownText(model, down)}, ${id} joined, but once replication went quiet again (${rounds(joined.rounds)}) it still lacks ${rid} (${describeVersion(model, newest)})`,
              most,
            ),
            down,
          };
      }
    }
  }
  return { outcome: holds(most) };
}
