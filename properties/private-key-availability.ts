import { runsService } from '../model/cluster.ts';
import { keyOf } from '../model/records.ts';
import { anyMemberRuns, heldRecords, holdsRecordOf, names, outageDefeating, withDownText } from './helpers.ts';
import { type ClusterProperty, judgedAfterSettling, holds, violated } from './types.ts';
import { settleAll } from '../model/settle.ts';
import { argued, budgetLeft, ids, indexes, liveHolders, noOutages } from './explain.ts';

export const privateKeyAvailability: ClusterProperty = judgedAfterSettling({
  name: 'private-key-availability',
  group: 'core',
  source: 'seed article (KB 153198): "If the server that has private keys goes down..."; KB 153723',
  statement:
    'After replication quiesces, with any maxDown members down, every private key is held by at least one live member running mail.',
  reads: { kinds: ['privateKey'] },
  subject: holdsRecordOf('a member holds a private key', 'privateKey'),
  advice: {
    recommendation: {
      text: "Let internal users' private keys replicate to at least two members that run mail (more than maxDown), so that an outage leaves a member that can decrypt and sign for them.",
      source: 'KB 153723; seed article KB 153198',
    },
    recommend({ model, config }) {
      const keyMembers = indexes(model, (m) => m.privateKeys && runsService(m, 'mail'));
      if (keyMembers.length > config.faults.maxDown && keyMembers.length >= 2)
        return {
          text: `Keep what this config already does, as the vendor recommends: internal users' private keys on ${ids(model, keyMembers)}, members that run mail, more than faults.maxDown (${config.faults.maxDown}).`,
          source: 'KB 153723; seed article KB 153198',
        };
      // Internal members only: a DMZ member without private keys is the DMZ-mode choice (KB 153723), not an oversight.
      const could = indexes(model, (m) => m.zone === 'internal' && !(m.privateKeys && runsService(m, 'mail')));
      const need = Math.max(2, config.faults.maxDown + 1);
      const where =
        could.length > 0
          ? `let them replicate to ${ids(model, could)} too (privateKeys: true and the mail service)`
          : 'add an internal member that runs mail and may hold them';
      return {
        text: `Internal users' private keys are on ${keyMembers.length === 0 ? 'no member' : ids(model, keyMembers)} that runs mail; ${where}, so that at least ${need} (more than faults.maxDown, ${config.faults.maxDown}) can decrypt and sign for them.`,
        source: 'KB 153723; seed article KB 153198',
      };
    },
    violated({ model, state }) {
      const s = settleAll(model, state).state;
      const budget = budgetLeft(model, s);
      const keyMembers = indexes(model, (m) => m.privateKeys && runsService(m, 'mail'));
      const withoutKeys = indexes(model, (m) => !m.privateKeys);
      for (const id of heldRecords(s, 'privateKey')) {
        const holders = liveHolders(model, s, id, 'mail');
        if (holders.length > budget) continue;
        const others = withoutKeys.length > 0 ? ` (privateKeys: false on ${ids(model, withoutKeys)})` : '';
        const key = keyOf(id);
        const who = holders.length === 0 ? `no live member running mail holds the private key of ${key}` : `the private key of ${key} is held only by ${ids(model, holders)}`;
        const down = holders.length === 0 ? 'as things stand' : `with ${ids(model, holders)} down`;
        return `Only ${ids(model, keyMembers)} may hold internal users' private keys and run mail${others}, and ${who}; ${down}, no member can decrypt or sign for ${key}.`;
      }
      return undefined;
    },
    holds(context) {
      const { model, config, searched } = context;
      const none = noOutages(context);
      if (none) return none;
      const keyMembers = indexes(model, (m) => m.privateKeys && runsService(m, 'mail'));
      if (keyMembers.length > config.faults.maxDown)
        return argued(
          context,
          `Private keys replicate to ${keyMembers.length} members that run mail (${ids(model, keyMembers)}), more than faults.maxDown (${config.faults.maxDown})`,
          'an outage leaves one that can decrypt and sign',
        );
      return `In ${searched} every private key stayed on a live member running mail.`;
    },
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
