import { type CompiledCluster, runsService } from '../model/cluster.ts';
import { keyOf, type RecordId } from '../model/records.ts';
import type { ClusterState } from '../model/state.ts';
import { anyMemberRuns, type Defeat, heldRecords, holdsRecordOf, names, outageDefeating, withDownText } from './helpers.ts';
import { type ClusterProperty, judgedAfterSettling, holds, violated } from './types.ts';
import { settleAll } from '../model/settle.ts';
import { argued, ids, indexes, list, memberSetting, membersToAdd, noOutages, patch, sitesLacking, siteWords, withService } from './explain.ts';

const SOURCE = 'KB 153723; seed article KB 153198';

/** A member that can decrypt and sign for internal users: it may hold their private keys and runs mail. */
const keyMember = (m: CompiledCluster['members'][number]) => m.privateKeys && runsService(m, 'mail');

/** How many key members the fault budget asks for: more than maxDown, and at least two (KB 153723). */
function wanted(model: CompiledCluster): number {
  return Math.max(2, model.config.faults.maxDown + 1);
}

/** The internal members to make key members, each with what it lacks: the fewest changes that reach `wanted`. */
function additions(model: CompiledCluster) {
  return membersToAdd(model, keyMember, keyMemberChanges(model), wanted(model));
}

/** What a member lacks to be a key member, in words and changes. */
function keyMemberChanges(model: CompiledCluster) {
  return (member: number) => {
      const m = model.members[member]!;
      const changes = [...(m.privateKeys ? [] : [memberSetting(model, member, 'privateKeys', true)]), ...(runsService(m, 'mail') ? [] : [withService(model, member, 'mail')])];
      const words =
        !m.privateKeys && !runsService(m, 'mail')
          ? `let private keys replicate to ${m.id} and run mail there (privateKeys: true and the mail service)`
          : !m.privateKeys
            ? `let private keys replicate to ${m.id} (privateKeys: true)`
            : `run mail on ${m.id} (it already may hold private keys)`;
      return { words, changes };
    };
}

/**
 * The first private key that some choice of members down (within the budget left after removals) leaves
 * on no live member running mail, after settling: the key, every member holding it, and the smallest such
 * choice. What the judgement, the advice and the report's hypothetical outage all read.
 */
function unavailableKey(model: CompiledCluster, s: ClusterState): ({ id: RecordId; holders: number[] } & Defeat) | undefined {
  for (const id of heldRecords(s, 'privateKey')) {
    const serving = s.members.flatMap((m, i) => (runsService(model.members[i]!, 'mail') && m.records[id] !== undefined ? [i] : []));
    const defeat = outageDefeating(model, s, serving);
    if (defeat === undefined) continue;
    return { id, holders: s.members.flatMap((m, i) => (m.records[id] !== undefined ? [i] : [])), ...defeat };
  }
  return undefined;
}

export const privateKeyAvailability: ClusterProperty = judgedAfterSettling({
  name: 'private-key-availability',
  group: 'core',
  source: 'seed article (KB 153198): "If the server that has private keys goes down..."; KB 153723',
  statement:
    'After replication quiesces, with any maxDown members down (and any faults.maxSiteSplits sites split off, where users reach only the members on their side of the split), for the users on every side: every private key is held by at least one live member running mail.',
  reads: { kinds: ['privateKey'] },
  subject: holdsRecordOf('a member holds a private key', 'privateKey'),
  advice: {
    recommendation: {
      text: "Let internal users' private keys replicate to at least two members that run mail (more than maxDown), so that an outage leaves a member that can decrypt and sign for them.",
      source: SOURCE,
      by: 'vendor',
    },
    recommend({ model, config }) {
      const keyMembers = indexes(model, keyMember);
      const need = wanted(model);
      if (keyMembers.length >= need)
        return {
          text: `Keep what this config already does, as the vendor recommends: internal users' private keys on ${ids(model, keyMembers)}, members that run mail, more than faults.maxDown (${config.faults.maxDown}).`,
          source: SOURCE,
          by: 'vendor',
        };
      // Only what each member lacks; internal members only (a DMZ member without private keys is the DMZ-mode choice, KB 153723).
      const added = additions(model);
      const where = added.length > 0 ? list(added.map((a) => a.words)) : 'add an internal member that runs mail and may hold them';
      const short = added.length > 0 && keyMembers.length + added.length < need ? `, and add ${need - keyMembers.length - added.length} more such internal member${need - keyMembers.length - added.length === 1 ? '' : 's'}` : '';
      return {
        text: `Internal users' private keys are on ${keyMembers.length === 0 ? 'no member that runs' : `${ids(model, keyMembers)}, which ${keyMembers.length === 1 ? 'runs' : 'run'}`} mail; ${where}${short}, so that at least ${need} (more than faults.maxDown, ${config.faults.maxDown}) can decrypt and sign for them.`,
        source: SOURCE,
        by: 'vendor',
      };
    },
    patches: [
      ({ model }) => {
        const added = additions(model);
        return patch(list(added.map((a) => a.words)), 'vendor', SOURCE, added.flatMap((a) => a.changes));
      },
      // Our inference from the vendor's advice: key members on every side of a site split.
      ({ model }) => {
        const perSite = sitesLacking(model, keyMember, keyMemberChanges(model));
        return patch(list(perSite.map((p) => p.words)), 'inference', SOURCE, perSite.flatMap((p) => p.changes));
      },
    ],
    outage: (model, state) => unavailableKey(model, settleAll(model, state).state)?.down,
    splitOff: (model, state) => unavailableKey(model, settleAll(model, state).state)?.split,
    violated({ model, state }) {
      const found = unavailableKey(model, settleAll(model, state).state);
      if (found === undefined) return undefined;
      const keyMembers = indexes(model, keyMember);
      const withoutKeys = indexes(model, (m) => !m.privateKeys);
      const others = withoutKeys.length > 0 ? ` (privateKeys: false on ${ids(model, withoutKeys)})` : '';
      const key = keyOf(found.id);
      const mail = found.holders.filter((m) => runsService(model.members[m]!, 'mail'));
      const held =
        found.holders.length === 0
          ? `no member holds the private key of ${key}`
          : mail.length === found.holders.length
            ? `the private key of ${key} is held only by ${ids(model, found.holders)}`
            : `the private key of ${key} is held by ${ids(model, found.holders)}, of which ${mail.length === 0 ? 'none runs' : `only ${ids(model, mail)} ${mail.length === 1 ? 'runs' : 'run'}`} mail`;
      const down = found.down.length === 0 ? 'as things stand' : `with ${ids(model, found.down)} down`;
      if (found.split.length > 0)
        return `With ${siteWords(model, found.split)} split off, the users on the side of ${ids(model, found.side)} reach only the members there, and ${found.down.length === 0 ? '' : `with ${ids(model, found.down)} down `}none of those that run mail holds the private key of ${key}, so none there can decrypt or sign for it.`;
      return `Only ${ids(model, keyMembers)} may hold internal users' private keys and run mail${others}, and ${held}; ${down}, no member can decrypt or sign for ${key}.`;
    },
    holds(context) {
      const { model, config, searched } = context;
      const none = noOutages(context);
      if (none) return none;
      const keyMembers = indexes(model, keyMember);
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
    const found = unavailableKey(model, settled.state);
    if (found === undefined) return holds(settled.rounds);
    // Who holds it, and (where not all of them do) which of them run mail.
    const mail = found.holders.filter((m) => runsService(model.members[m]!, 'mail'));
    const running = mail.length === found.holders.length ? '' : `; of those, ${mail.length === 0 ? 'none runs mail' : `only ${names(model, mail)} ${mail.length === 1 ? 'runs' : 'run'} mail`}`;
    return violated(
      `after replication went quiet, ${withDownText(model, found.down, found.split, found.side)}, the private key of ${keyOf(found.id)} (held only by ${names(model, found.holders)}${running}) is on no live member running mail`,
      settled.rounds,
    );
  },
});
