import { kindOf, type RecordId } from '../model/records.ts';
import { type ClusterProperty, HOLDS, violated } from './types.ts';

export const privateKeysStayPut: ClusterProperty = {
  name: 'private-keys-stay-put',
  kind: 'always',
  source: 'KB 153723 (private keys replicate per member), KB 161304 (DMZ members without private keys)',
  statement: 'No member with privateKeys: false ever stores a private key.',
  reads: { kinds: ['privateKey'] },
  subject: {
    description: 'a member holds a private key',
    occurs: (_model, state) => state.members.some((m) => Object.keys(m.records).some((id) => id.startsWith('privateKey:'))),
  },
  notApplicable: (model) =>
    model.members.some((m) => !m.privateKeys) ? undefined : 'every member has privateKeys: true',
  check(model, state) {
    for (let m = 0; m < model.size; m++) {
      if (model.members[m]!.privateKeys) continue;
      for (const id in state.members[m]!.records) {
        if (kindOf(id as RecordId) === 'privateKey')
          return violated(`${model.members[m]!.id} has privateKeys: false but stores ${id}`);
      }
    }
    return HOLDS;
  },
};
