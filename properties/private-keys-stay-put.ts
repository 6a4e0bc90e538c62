import { kindOf, type RecordId } from '../model/records.ts';
import { type ClusterProperty, HOLDS, violated } from './types.ts';
import { keyOf } from '../model/records.ts';
import { argued, ids, indexes } from './explain.ts';
import { holdsRecordOf } from './helpers.ts';

export const privateKeysStayPut: ClusterProperty = {
  name: 'private-keys-stay-put',
  group: 'core',
  kind: 'always',
  source: 'KB 153723 (private keys replicate per member), KB 161304 (DMZ members without private keys)',
  statement: 'No member with privateKeys: false ever stores a private key.',
  reads: { kinds: ['privateKey'] },
  subject: holdsRecordOf('a member holds a private key', 'privateKey'),
  advice: {
    recommendation: {
      text: 'Choose per member whether internal users\' private keys replicate to it (privateKeys: false is the DMZ-mode choice), and keep them on at least two members that run mail.',
      source: 'KB 153723; KB 161304',
      by: 'vendor',
    },
    violated({ model, state }) {
      for (let m = 0; m < model.size; m++) {
        if (model.members[m]!.privateKeys) continue;
        const key = Object.keys(state.members[m]!.records).find((id) => kindOf(id as RecordId) === 'privateKey');
        if (key !== undefined)
          return `${ids(model, [m])} has privateKeys: false, yet the private key of ${keyOf(key as RecordId)} reached it.`;
      }
      return undefined;
    },
    notApplicable: () => 'Every member has privateKeys: true, so no member must be kept free of private keys.',
    holds(context) {
      const { model, searched } = context;
      const without = indexes(model, (m) => !m.privateKeys);
      const withKeys = indexes(model, (m) => m.privateKeys);
      const premise = `${ids(model, without)} ${without.length === 1 ? 'has' : 'have'} privateKeys: false, and private keys replicate only along the members that may hold them (${ids(model, withKeys)})`;
      return argued(context, premise, `none reaches ${without.length === 1 ? 'it' : 'them'}`, `${premise}, so none reached ${without.length === 1 ? 'it' : 'them'} in ${searched}.`);
    },
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
