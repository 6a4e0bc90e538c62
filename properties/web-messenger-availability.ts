import { runsService } from '../model/cluster.ts';
import { keyOf } from '../model/records.ts';
import { anyMemberRuns, heldRecords, outageDefeating, withDownText } from './helpers.ts';
import { type ClusterProperty, judgedAfterSettling, holds, violated } from './types.ts';
import { ownEntry } from '../model/keyed.ts';

export const webMessengerAvailability: ClusterProperty = judgedAfterSettling({
  name: 'web-messenger-availability',
  source: 'seed article (KB 153198) on High Availability mode; KB 153723 (replication "All" on every member)',
  statement:
    'After replication quiesces, with any maxDown members down, every Web Messenger account is held by at least one live member running webMessenger.',
  reads: { kinds: ['wmAccount'] },
  subject: {
    description: 'a member holds a Web Messenger account',
    occurs: (_model, state) => state.members.some((m) => Object.keys(m.records).some((id) => id.startsWith('wmAccount:'))),
  },
  notApplicable: (model) => (anyMemberRuns(model, 'webMessenger') ? undefined : 'no member runs webMessenger'),
  settles: 'all',
  judge(model, settled) {
    const s = settled.state;
    for (const id of heldRecords(s, 'wmAccount')) {
      const serving = s.members.flatMap((m, i) => (runsService(model.members[i]!, 'webMessenger') && m.records[id] !== undefined ? [i] : []));
      const down = outageDefeating(model, s, serving);
      if (down === undefined) continue;
      const account = ownEntry(s.accounts, keyOf(id));
      const how = account ? ` (a ${account.mode === 'homeServer' ? 'Home Server' : 'High Availability'} account created on ${account.home})` : '';
      return violated(
        `after replication went quiet, ${withDownText(model, down)}, Web Messenger account ${keyOf(id)}${how} is held by no live member running webMessenger`,
        settled.rounds,
      );
    }
    return holds(settled.rounds);
  },
});
