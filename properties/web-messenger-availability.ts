import { runsService } from '../model/cluster.ts';
import { keyOf } from '../model/records.ts';
import { anyMemberRuns, heldRecords, holdsRecordOf, outageDefeating, withDownText } from './helpers.ts';
import { type ClusterProperty, judgedAfterSettling, holds, violated } from './types.ts';
import { ownEntry } from '../model/keyed.ts';
import { isWebMessengerEligible } from '../model/cluster.ts';
import { settleAll } from '../model/settle.ts';
import { argued, budgetLeft, ids, indexes, liveHolders, noOutages } from './explain.ts';

export const webMessengerAvailability: ClusterProperty = judgedAfterSettling({
  name: 'web-messenger-availability',
  group: 'core',
  source: 'seed article (KB 153198) on High Availability mode; KB 153723 (replication "All" on every member)',
  statement:
    'After replication quiesces, with any maxDown members down, every Web Messenger account is held by at least one live member running webMessenger.',
  reads: { kinds: ['wmAccount'] },
  subject: holdsRecordOf('a member holds a Web Messenger account', 'wmAccount'),
  advice: {
    recommendation: {
      text: 'Run Web Messenger (Web Email Protection) on every member, with its replication set to "All" and accounts in High Availability mode, so that every account is on every member and users keep the service while one is down.',
      source: 'KB 153723; seed article KB 153198',
    },
    recommend({ model, config }) {
      // Only the steps this config has not taken, naming the members.
      const steps: string[] = [];
      const wm = config.webMessenger;
      if (wm.accountMode === 'homeServer' || wm.switchTo === 'homeServer')
        steps.push(`create accounts in High Availability mode (webMessenger.accountMode: "highAvailability"${wm.switchTo === 'homeServer' ? ', and no switchTo: "homeServer"' : ''})`);
      const running = indexes(model, (m) => runsService(m, 'webMessenger'));
      const left = wm.replication === 'all' ? [] : running.filter((m) => !(wm.replication as readonly string[]).includes(model.members[m]!.id));
      if (left.length > 0) steps.push(`replicate Web Messenger data to ${ids(model, left)} too (webMessenger.replication: "all")`);
      const eligible = indexes(model, (m) => isWebMessengerEligible(config, m));
      // Once replicated to every member that runs it, an account is on all of them: are they enough?
      if (running.length <= config.faults.maxDown) {
        const more = indexes(model, (m) => m.zone === 'internal' && !runsService(m, 'webMessenger'));
        steps.push(
          more.length > 0
            ? `run webMessenger on ${ids(model, more)} as well, so that more members than faults.maxDown (${config.faults.maxDown}) hold each account`
            : `add a member that runs webMessenger, so that more members than faults.maxDown (${config.faults.maxDown}) hold each account`,
        );
      }
      if (steps.length === 0)
        return {
          text: `Keep what this config already does, as the vendor recommends: accounts in High Availability mode, replicated to every member that runs webMessenger (${ids(model, eligible)}), more than faults.maxDown (${config.faults.maxDown}).`,
          source: 'KB 153723; seed article KB 153198',
        };
      const text = `${steps.join('; ')}: then every account is on more members than can be down at once, and users keep the service while one is down.`;
      return { text: text.charAt(0).toUpperCase() + text.slice(1), source: 'KB 153723; seed article KB 153198' };
    },
    violated({ model, state }) {
      const s = settleAll(model, state).state;
      const budget = budgetLeft(model, s);
      for (const id of heldRecords(s, 'wmAccount')) {
        const holders = liveHolders(model, s, id, 'webMessenger');
        if (holders.length > budget) continue;
        const key = keyOf(id);
        const account = ownEntry(s.accounts, key);
        if (account?.mode === 'homeServer')
          return `Web Messenger accounts here are created in Home Server mode (webMessenger.accountMode: "homeServer"), so account ${key} lives only on ${account.home}, the member that created it; with ${account.home} down, ${key} cannot use Web Messenger.`;
        const eligible = indexes(model, (m) => isWebMessengerEligible(model.config, m));
        return `Web Messenger data replicates only to members that run webMessenger and are in webMessenger.replication (${ids(model, eligible)}), so account ${key} is held only by ${ids(model, holders)}; with ${holders.length === 1 ? 'it' : 'them'} down, ${key} cannot use Web Messenger.`;
      }
      return undefined;
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
