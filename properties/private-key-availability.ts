import { runsService } from '../model/cluster.ts';
import { keyOf } from '../model/records.ts';
import { anyMemberRuns, heldRecords, names, outageDefeating, withDownText } from './helpers.ts';
import { type ClusterProperty, judgedAfterSettling, holds, violated } from './types.ts';

export const privateKeyAvailability: ClusterProperty = judgedAfterSettling({
  name: 'private-key-availability',
  source: 'seed article (KB 153198): "If the server that has private keys goes down..."; KB 153723',
  statement:
    'After replication quiesces, with any maxDown members down, every private key is held by at least one live member running mail.',
  reads: { kinds: ['privateKey'] },
  subject: {
    description: 'a member holds a private key',
    occurs: (_model, state) => state.members.some((m) => Object.keys(m.records).some((id) => id.startsWith('privateKey:'))),
  },
  notApplicable: (model) => {
    if (!anyMemberRuns(model, 'mail')) return 'no member runs mail';
    return model.members.some((m) => m.privateKeys) ? undefined : 'no member may hold private keys';
  },
  settles: 'all',
  judge(model, settled) {
    const s = settled.state;
    for (const id of heldRecords(s, 'privateKey')) {
      const serving = s.members.flatMap((m, i) => (runsService(model.members[i]!, 'mail') && m.records[id] !== undefined ? [i] : []));
      const down = outageDefeating(model, s, serving);
      if (down === undefined) continue;
      const holders = s.members.flatMap((m, i) => (m.records[id] !== undefined ? [i] : []));
      return violated(
        `after replication went quiet, ${withDownText(model, down)}, the private key of ${keyOf(id)} (held only by ${names(model, holders)}) is on no live member running mail`,
        settled.rounds,
      );
    }
    return holds(settled.rounds);
  },
});
