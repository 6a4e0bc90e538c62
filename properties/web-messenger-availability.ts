import { type CompiledCluster, runsService } from '../model/cluster.ts';
import { keyOf, type RecordId } from '../model/records.ts';
import type { ClusterState } from '../model/state.ts';
import { anyMemberRuns, type Defeat, heldRecords, holdsRecordOf, outageDefeating, withDownText } from './helpers.ts';
import { type ClusterProperty, judgedAfterSettling, holds, violated } from './types.ts';
import { ownEntry } from '../model/keyed.ts';
import { isWebMessengerEligible } from '../model/cluster.ts';
import { settleAll } from '../model/settle.ts';
import { argued, ids, indexes, moreRunning, noOutages, patch, setting, siteWords, sitesLacking, withService } from './explain.ts';

const SOURCE = 'KB 153723; seed article KB 153198';

/**
 * The vendor's note on account modes (the 2.x admin guide's Web Messenger section): a switch of mode
 * applies to accounts created afterwards; each account keeps the mode it was created in.
 */
const ONLY_NEW_ACCOUNTS =
  'a mode applies to accounts created under it: accounts already created in Home Server mode stay on their home member (converting them is a matter for Support)';


/** Web Messenger on a member, replicated to it: its service, and its place in the replication set. */
function webMessengerOn(model: CompiledCluster, member: number) {
  const set = model.config.webMessenger.replication;
  const id = model.members[member]!.id;
  return {
    words: `run webMessenger on ${id}`,
    changes: [withService(model, member, 'webMessenger'), ...(set === 'all' || set.includes(id) ? [] : [setting(model.config, ['webMessenger', 'replication'], [...set, id])])],
  };
}

/** The members that run Web Messenger but are left out of its replication set. */
function leftOut(model: CompiledCluster): number[] {
  const set = model.config.webMessenger.replication;
  return set === 'all' ? [] : indexes(model, (m) => runsService(m, 'webMessenger') && !set.includes(m.id));
}

/**
 * The first account that some choice of members down (within the budget left after removals) leaves on
 * no live member running Web Messenger, after settling, and the smallest such choice.
 */
function unavailableAccount(model: CompiledCluster, s: ClusterState): ({ id: RecordId } & Defeat) | undefined {
  for (const id of heldRecords(s, 'wmAccount')) {
    const serving = s.members.flatMap((m, i) => (runsService(model.members[i]!, 'webMessenger') && m.records[id] !== undefined ? [i] : []));
    const defeat = outageDefeating(model, s, serving);
    if (defeat !== undefined) return { id, ...defeat };
  }
  return undefined;
}

export const webMessengerAvailability: ClusterProperty = judgedAfterSettling({
  name: 'web-messenger-availability',
  group: 'core',
  source: 'seed article (KB 153198) on High Availability mode; KB 153723 (replication "All" on every member)',
  statement:
    'After replication quiesces, with any maxDown members down (and any faults.maxSiteSplits sites split off, where users reach only the members on their side of the split), for the users on every side: every Web Messenger account is held by at least one live member running webMessenger.',
  reads: { kinds: ['wmAccount'] },
  subject: holdsRecordOf('a member holds a Web Messenger account', 'wmAccount'),
  advice: {
    recommendation: {
      text: 'Run Web Messenger (Web Email Protection) on every member, with its replication set to "All" and accounts in High Availability mode, so that every account is on every member and users keep the service while one is down.',
      source: SOURCE,
      by: 'vendor',
    },
    recommend({ model, config }) {
      // Only the steps this config has not taken, naming the members.
      const steps: string[] = [];
      const wm = config.webMessenger;
      if (wm.accountMode === 'homeServer' && wm.switchTo === 'highAvailability')
        steps.push(
          `create accounts in High Availability mode from the start (webMessenger.accountMode: "highAvailability"): switching new accounts to it (switchTo, as here) leaves the accounts created before the switch in Home Server mode, since ${ONLY_NEW_ACCOUNTS}`,
        );
      else if (wm.accountMode === 'homeServer' || wm.switchTo === 'homeServer')
        steps.push(
          `create accounts in High Availability mode (webMessenger.accountMode: "highAvailability"${wm.switchTo === 'homeServer' ? ', and no switchTo: "homeServer"' : ''}); ${ONLY_NEW_ACCOUNTS}`,
        );
      const left = leftOut(model);
      if (left.length > 0) steps.push(`replicate Web Messenger data to ${ids(model, left)} too (webMessenger.replication: "all")`);
      const eligible = indexes(model, (m) => isWebMessengerEligible(config, m));
      // Once replicated to every member that runs it, an account is on all of them: are they enough?
      const running = indexes(model, (m) => runsService(m, 'webMessenger'));
      if (running.length <= config.faults.maxDown) {
        const more = moreRunning(model, 'webMessenger');
        steps.push(
          more.length > 0
            ? `${more.map((m) => m.words).join(', ')} as well, so that more members than faults.maxDown (${config.faults.maxDown}) hold each account`
            : `add a member that runs webMessenger, so that more members than faults.maxDown (${config.faults.maxDown}) hold each account`,
        );
      }
      const perSite = sitesLacking(model, (m) => isWebMessengerEligible(config, m), (member) => webMessengerOn(model, member));
      if (perSite.length > 0)
        steps.push(`${perSite.map((p) => p.words).join(', ')}, so that a site split leaves the users on every side a member with every account`);
      if (steps.length === 0)
        return {
          text: `Keep what this config already does, as the vendor recommends: accounts in High Availability mode, replicated to every member that runs webMessenger (${ids(model, eligible)}), more than faults.maxDown (${config.faults.maxDown}).`,
          source: SOURCE,
          by: 'vendor',
        };
      const text = `${steps.join('; ')}: then every account is on more members than can be down at once, and users keep the service while one is down.`;
      return { text: text.charAt(0).toUpperCase() + text.slice(1), source: SOURCE, by: 'vendor' };
    },
    patches: [
      // High Availability mode for every account: the mode of new accounts, and no switch away from it.
      ({ config }) => {
        const wm = config.webMessenger;
        const changes = [
          ...(wm.accountMode === 'homeServer' ? [setting(config, ['webMessenger', 'accountMode'], 'highAvailability')] : []),
          ...(wm.switchTo !== undefined && (wm.accountMode === 'homeServer' || wm.switchTo === 'homeServer') ? [setting(config, ['webMessenger', 'switchTo'], undefined)] : []),
        ];
        return patch('create every Web Messenger account in High Availability mode', 'vendor', SOURCE, changes);
      },
      ({ model, config }) => {
        const left = leftOut(model);
        return left.length === 0 ? undefined : patch(`replicate Web Messenger data to ${ids(model, left)} too`, 'vendor', SOURCE, [setting(config, ['webMessenger', 'replication'], 'all')]);
      },
      ({ model }) => {
        const more = moreRunning(model, 'webMessenger');
        return patch(more.map((m) => m.words).join(', '), 'vendor', SOURCE, more.flatMap((m) => m.changes));
      },
      // Our inference from the vendor's advice (Web Messenger on every member): on every side of a site split.
      ({ model, config }) => {
        const perSite = sitesLacking(model, (m) => isWebMessengerEligible(config, m), (member) => webMessengerOn(model, member));
        return patch(perSite.map((p) => p.words).join(', '), 'inference', SOURCE, perSite.flatMap((p) => p.changes));
      },
    ],
    outage: (model, state) => unavailableAccount(model, settleAll(model, state).state)?.down,
    splitOff: (model, state) => unavailableAccount(model, settleAll(model, state).state)?.split,
    violated({ model, state }) {
      const s = settleAll(model, state).state;
      const found = unavailableAccount(model, s);
      if (found === undefined) return undefined;
      const key = keyOf(found.id);
      const account = ownEntry(s.accounts, key);
      const down = found.down.length === 0 ? 'as things stand' : `with ${ids(model, found.down)} down`;
      if (found.split.length > 0)
        return `With ${siteWords(model, found.split)} split off, the users on the side of ${ids(model, found.side)} reach only the members there, and ${found.down.length === 0 ? '' : `with ${ids(model, found.down)} down `}none of those that run webMessenger holds account ${key}${indexes(model, (m, i) => found.side.includes(i) && isWebMessengerEligible(model.config, m)).length === 0 ? ' (none of them runs Web Messenger with replicated data at all)' : ''}.`;
      if (account?.mode === 'homeServer')
        return `Web Messenger accounts here are created in Home Server mode (${model.config.webMessenger.accountMode === 'homeServer' ? 'webMessenger.accountMode: "homeServer"' : 'after a switch to it: webMessenger.switchTo: "homeServer"'}), so account ${key} lives only on ${account.home}, the member that created it; ${down}, ${key} cannot use Web Messenger.`;
      const eligible = indexes(model, (m) => isWebMessengerEligible(model.config, m));
      const holders = s.members.flatMap((m, i) => (m.status === 'up' && m.records[found.id] !== undefined && runsService(model.members[i]!, 'webMessenger') ? [i] : []));
      return `Web Messenger data replicates only to members that run webMessenger and are in webMessenger.replication (${ids(model, eligible)}), so account ${key} is held only by ${ids(model, holders)}; ${down}, ${key} cannot use Web Messenger.`;
    },
    holds(context) {
      const { model, config, searched } = context;
      const none = noOutages(context);
      if (none) return none;
      const eligible = indexes(model, (m) => isWebMessengerEligible(config, m));
      const highAvailability = config.webMessenger.accountMode === 'highAvailability' && config.webMessenger.switchTo !== 'homeServer';
      if (highAvailability && eligible.length > config.faults.maxDown)
        return argued(
          context,
          `Accounts are in High Availability mode: each replicates to every member that runs webMessenger and is in the replication set (${ids(model, eligible)}), and those are more than faults.maxDown (${config.faults.maxDown})`,
          `every account stays on a live member running webMessenger with up to ${config.faults.maxDown} member${config.faults.maxDown === 1 ? '' : 's'} down`,
          `Accounts are in High Availability mode, so each replicates to every member that runs webMessenger and is in the replication set (${ids(model, eligible)}), and those are more than faults.maxDown (${config.faults.maxDown}).`,
        );
      return `In ${searched} every Web Messenger account stayed on a live member running webMessenger with up to ${config.faults.maxDown} member${config.faults.maxDown === 1 ? '' : 's'} down.`;
    },
  },
  notApplicable: (model) => (anyMemberRuns(model, 'webMessenger') ? undefined : 'no member runs webMessenger'),
  settles: 'all',
  judge(model, settled) {
    const s = settled.state;
    const found = unavailableAccount(model, s);
    if (found === undefined) return holds(settled.rounds);
    const account = ownEntry(s.accounts, keyOf(found.id));
    const how = account ? ` (a ${account.mode === 'homeServer' ? 'Home Server' : 'High Availability'} account created on ${account.home})` : '';
    return violated(
      `after replication went quiet, ${withDownText(model, found.down, found.split, found.side)}, Web Messenger account ${keyOf(found.id)}${how} is held by no live member running webMessenger`,
      settled.rounds,
    );
  },
});
