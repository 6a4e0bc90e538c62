/**
 * What a person reads beside each verdict: one sentence on *why*, in the terms of this config (and, for
 * a violation, of its shortest trace), and what the vendor recommends instead, with its KB number.
 *
 * `ADVICE` holds one entry per property, keyed by its name: a new property adds its advice here, in one
 * place (a test fails for a property without an entry). Each entry reads the compiled config and, for a
 * violation, the state its shortest trace ends in; it never re-decides the verdict, which stays the
 * checker's. A sentence for a holding property says what in the config makes it hold, or, where nothing
 * in the config guarantees it, only what the search showed.
 */
import type { ClusterConfig, Service } from '../config/schema.ts';
import { type Action, describeAction } from '../model/actions.ts';
import { type ClusterModel, initialState, isWebMessengerEligible, runsService } from '../model/cluster.ts';
import { clientUser, DEFAULT_POLICY, keyOf, kindOf, type RecordId } from '../model/records.ts';
import { settleAll, settleSurvivors } from '../model/settle.ts';
import { stampWriter } from '../model/stamps.ts';
import type { ClusterState } from '../model/state.ts';
import { step } from '../model/step.ts';
import { successor } from '../model/topology.ts';
import { describeVersion, firstDivergence, heldRecords, membersWhere } from '../properties/helpers.ts';
import type { JudgedResult } from './check.ts';
import { ownEntry } from '../model/keyed.ts';

export interface Recommendation {
  /** What the vendor recommends, as an instruction. */
  readonly text: string;
  /** Where it comes from: KB numbers or the seed article. */
  readonly source: string;
}

export interface AdviceContext {
  readonly model: ClusterModel;
  readonly config: ClusterConfig;
  readonly result: JudgedResult;
}

export interface ViolationContext extends AdviceContext {
  /** The state in which the shortest trace violates the property. */
  readonly state: ClusterState;
}

export interface PropertyAdvice {
  /** The vendor's advice in general (the README's table); `recommend` fits it to a config. */
  readonly recommendation: Recommendation;
  /**
   * The advice for this config, where the general one would recommend what the config already does or
   * cannot use (a DMZ member without private keys, a balancer setting without a balancer).
   */
  recommend?(context: AdviceContext): Recommendation;
  /** Why it is violated here, naming this config's members and settings; undefined: the checker's message says it best. */
  violated(context: ViolationContext): string | undefined;
  /** Why it holds for this config. */
  holds(context: AdviceContext): string;
  /** Why it does not apply, when there is more to say than the property's own reason. */
  notApplicable?(context: AdviceContext): string;
}

/** What a result carries for a person: the `explanation` and `recommendation` fields of `--json`. */
export interface Advice {
  readonly explanation: string;
  readonly recommendation: Recommendation | null;
}

// ---------------------------------------------------------------------------------------------------
// Small readings of a config and a state, in words

/** `m1`, `m1 and m2`, `m1, m2 and m3` (or `m1 or m2` after a negative). */
export function list(items: readonly string[], conjunction: 'and' | 'or' = 'and'): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} ${conjunction} ${items[items.length - 1]}`;
}

function ids(model: ClusterModel, members: readonly number[], conjunction: 'and' | 'or' = 'and'): string {
  return list(
    members.map((m) => model.members[m]!.id),
    conjunction,
  );
}

function indexes(model: ClusterModel, keep: (m: ClusterModel['members'][number]) => boolean): number[] {
  return model.members.flatMap((m, i) => (keep(m) ? [i] : []));
}

function running(model: ClusterModel, service: Service): number[] {
  return indexes(model, (m) => runsService(m, service));
}

function traces(runs: number): string {
  return `${runs} random trace${runs === 1 ? '' : 's'}`;
}

/** What a verdict rests on, in the words of a sentence: `500 random traces`, `every reachable state (12,345)`. */
function searched(result: JudgedResult): string {
  if (result.basis === 'random' || result.basis === null) return traces(result.runs);
  const states = (result.states ?? 0).toLocaleString('en-US');
  return result.basis === 'exhaustive' ? `every reachable state (${states} explored)` : `the ${states} states explored before the budget ran out`;
}

/** The fault budget left after removals: how many more members "any maxDown down" takes down. */
function budgetLeft(model: ClusterModel, state: ClusterState): number {
  const removed = state.members.filter((m) => m.status === 'removed').length;
  return Math.max(0, model.config.faults.maxDown - removed);
}

/** Live members that hold `id` and run `service`. */
function liveHolders(model: ClusterModel, state: ClusterState, id: RecordId, service: Service): number[] {
  return state.members.flatMap((m, i) =>
    m.status === 'up' && m.records[id] !== undefined && runsService(model.members[i]!, service) ? [i] : [],
  );
}

/** The availability properties with no fault budget: nothing goes down, so there is nothing to survive. */
function noOutages(config: ClusterConfig): string | undefined {
  return config.faults.maxDown === 0
    ? 'No member is ever down here (faults.maxDown: 0), so this was checked only with every member up; raise maxDown to check an outage.'
    : undefined;
}

/**
 * A DMZ member that holds the newest version of a record and whose fixed successor (KB 161304) is not
 * live: where a change stops. `status` says which kind of absence to look for.
 */
function strandingDmzMember(
  model: ClusterModel,
  state: ClusterState,
  id: RecordId,
  newest: number,
  status: 'down' | 'removed',
): { dmz: number; next: number } | undefined {
  for (let m = 0; m < model.size; m++) {
    if (!model.isDmz[m] || state.members[m]!.status !== 'up' || state.members[m]!.records[id] !== newest) continue;
    const next = successor(model, state, m, kindOf(id));
    if (next !== undefined && state.members[next]!.status === status) return { dmz: m, next };
  }
  return undefined;
}

/** The state the trace leads to, or undefined when it does not replay (it always should). */
function replay(model: ClusterModel, actions: readonly Action[]): ClusterState | undefined {
  try {
    return actions.reduce((state, action) => step(model, state, action), initialState(model));
  } catch {
    return undefined;
  }
}

// ---------------------------------------------------------------------------------------------------
// The advice, one entry per property

const DMZ_SUCCESSOR_TEXT =
  'Do not let a DMZ member depend on a fixed successor that can fail silently: a DMZ member cannot re-route, so keep its successor up (check "pgprepctl topo" on each DMZ member: a blank host name means its successor is unreachable) and bring an unreachable member back quickly';

const DMZ_SUCCESSOR: Recommendation = {
  text: `${DMZ_SUCCESSOR_TEXT}; DMZ members that do not host private keys get more replication links.`,
  source: 'KB 161304',
};

/** KB 161304's advice for this config: the private-key clause only for DMZ members that host private keys. */
function dmzSuccessorFor(model: ClusterModel): Recommendation {
  const dmz = indexes(model, (m) => m.zone === 'dmz');
  const withKeys = dmz.filter((m) => model.members[m]!.privateKeys);
  const fixed = dmz.map((m) => `${model.members[m]!.id}'s successor ${model.members[(m + 1) % model.size]!.id}`);
  const who = dmz.length === 0 ? '' : `: here ${list(fixed)}`;
  const keys =
    withKeys.length === 0
      ? ''
      : `; ${ids(model, withKeys)} ${withKeys.length === 1 ? 'hosts' : 'host'} private keys, and DMZ members that do not (privateKeys: false) get more replication links`;
  return { text: `${DMZ_SUCCESSOR_TEXT}${who}${keys}.`, source: 'KB 161304' };
}

export const ADVICE: Readonly<Record<string, PropertyAdvice>> = {
  'eventual-convergence': {
    recommendation: {
      text: 'Do not break members out of the cluster (take a member out of mail and port traffic instead, and ask Support), and never leave a DMZ member whose fixed successor has left the cluster: its replication topology does not update.',
      source: 'KB 153476; seed article KB 153198; KB 161304',
    },
    violated({ model, state }) {
      const settled = settleAll(model, state);
      if (!settled.quiescent) return undefined;
      const inCluster = membersWhere(settled.state, (s) => s !== 'removed');
      const divergence = firstDivergence(model, settled.state, inCluster);
      if (divergence === undefined) return undefined;
      const stuck = strandingDmzMember(model, settled.state, divergence.id, divergence.newest, 'removed');
      if (stuck === undefined) return undefined;
      return `${ids(model, [stuck.dmz])} is in the DMZ and keeps sending to its fixed successor ${ids(model, [stuck.next])} (KB 161304), which was broken out of the cluster (faults.removeMember: true; assumptions.dmzAfterRemoval: "stale"), so ${divergence.id} (${describeVersion(model, divergence.newest)}) stops at ${ids(model, [stuck.dmz])} and never reaches ${ids(model, divergence.lacking, 'or')}, even with every member up.`;
    },
    holds({ model, config, result }) {
      const dmz = indexes(model, (m) => m.zone === 'dmz');
      const { removeMember, maxDown } = config.faults;
      if (dmz.length > 0 && removeMember && maxDown > 0 && config.assumptions.dmzAfterRemoval === 'stale')
        return `In ${searched(result)} no DMZ member's fixed successor was removed while a change waited on it, but this config allows it (faults.removeMember: true with assumptions.dmzAfterRemoval: "stale"), so a longer search may still find one.`;
      const dmzNote =
        dmz.length === 0
          ? removeMember && maxDown > 0
            ? ' (internal members skip a member that was removed)'
            : ''
          : removeMember && maxDown > 0
            ? ` (a DMZ member whose successor was removed is re-pointed: assumptions.dmzAfterRemoval: "repointed")`
            : ` (the DMZ member${dmz.length === 1 ? '' : 's'} ${ids(model, dmz)} keep${dmz.length === 1 ? 's' : ''} a fixed successor, and it comes back too)`;
      return `Once every member is back and every link healed, each member's successor on the ring is reachable again${dmzNote}, so every change still held in the cluster reaches every member that may hold it.`;
    },
  },

  'survivor-convergence': {
    recommendation: DMZ_SUCCESSOR,
    recommend: ({ model }) => dmzSuccessorFor(model),
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
    holds({ model, config, result }) {
      if (config.faults.maxDown === 0 && !config.faults.removeMember)
        return 'No member is ever down here (faults.maxDown: 0), so the live members are the whole cluster and replicate as usual.';
      const dmz = indexes(model, (m) => m.zone === 'dmz');
      if (dmz.length === 0)
        return `Every member is internal and re-routes around a member that is down (KB 161304), so with up to ${config.faults.maxDown} down the live members still pass every change to each other.`;
      return `The DMZ member${dmz.length === 1 ? '' : 's'} ${ids(model, dmz)} keep${dmz.length === 1 ? 's' : ''} a fixed successor (KB 161304), yet in ${searched(result)} no change was left on a DMZ member while its successor was down.`;
    },
  },

  'no-lost-writes': {
    recommendation: {
      text: 'Do not remove or break cluster members: take a member out of mail and port traffic instead, and ask Support for guidance; an outage is safer than a removal, because a member that comes back passes on what it held.',
      source: 'KB 153476; seed article KB 153198',
    },
    violated(context) {
      const { model, state } = context;
      const s = settleAll(model, state).state;
      const removed = membersWhere(s, (x) => x === 'removed');
      for (const id in s.acknowledged) {
        const rid = id as RecordId;
        const acknowledged = s.acknowledged[rid]!;
        const kept = s.members.some((m) => m.status !== 'removed' && (m.records[rid] ?? -1) >= acknowledged);
        if (kept || removed.length === 0) continue;
        const writer = stampWriter(acknowledged);
        const gone = writer !== undefined && s.members[writer]!.status === 'removed' ? [writer] : removed;
        return `Members may be broken out of the cluster here (faults.removeMember: true), and ${ids(model, gone)} was removed before it had passed on ${rid} (${describeVersion(model, acknowledged)}), so that change left the cluster with it.`;
      }
      // Not lost with a removed member, only missing somewhere: the same stranding eventual-convergence explains.
      return ADVICE['eventual-convergence']!.violated(context);
    },
    holds({ config, result }) {
      if (!config.faults.removeMember)
        return 'Members here go down but are never broken out of the cluster (faults.removeMember: false): a change waits on its member and reaches the others when it comes back (resync).';
      if (config.faults.maxDown === 0) return 'faults.removeMember is true, but faults.maxDown: 0 leaves no fault budget to remove a member.';
      return `In ${searched(result)} no member was removed before it had passed on its changes, but this config allows removals (faults.removeMember: true), which the vendor discourages (KB 153476).`;
    },
  },

  'private-keys-stay-put': {
    recommendation: {
      text: 'Choose per member whether internal users\' private keys replicate to it (privateKeys: false is the DMZ-mode choice), and keep them on at least two members that run mail.',
      source: 'KB 153723; KB 161304',
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
    holds({ model, result }) {
      const without = indexes(model, (m) => !m.privateKeys);
      const withKeys = indexes(model, (m) => m.privateKeys);
      return `${ids(model, without)} ${without.length === 1 ? 'has' : 'have'} privateKeys: false, and private keys replicate only along the members that may hold them (${ids(model, withKeys)}), so none reached ${without.length === 1 ? 'it' : 'them'} in ${searched(result)}.`;
    },
  },

  'web-messenger-availability': {
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
    holds({ model, config, result }) {
      const none = noOutages(config);
      if (none) return none;
      const eligible = indexes(model, (m) => isWebMessengerEligible(config, m));
      const highAvailability = config.webMessenger.accountMode === 'highAvailability' && config.webMessenger.switchTo !== 'homeServer';
      if (highAvailability && eligible.length > config.faults.maxDown)
        return `Accounts are in High Availability mode, so each replicates to every member that runs webMessenger and is in the replication set (${ids(model, eligible)}), and those are more than faults.maxDown (${config.faults.maxDown}).`;
      return `In ${searched(result)} every Web Messenger account stayed on a live member running webMessenger with up to ${config.faults.maxDown} member${config.faults.maxDown === 1 ? '' : 's'} down.`;
    },
  },

  'private-key-availability': {
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
    holds({ model, config, result }) {
      const none = noOutages(config);
      if (none) return none;
      const keyMembers = indexes(model, (m) => m.privateKeys && runsService(m, 'mail'));
      if (keyMembers.length > config.faults.maxDown)
        return `Private keys replicate to ${keyMembers.length} members that run mail (${ids(model, keyMembers)}), more than faults.maxDown (${config.faults.maxDown}), so an outage leaves one that can decrypt and sign.`;
      return `In ${searched(result)} every private key stayed on a live member running mail.`;
    },
  },

  'desktop-policy-availability': {
    recommendation: {
      text: "Give desktop clients a cluster host name served by a load balancer or round-robin DNS (with that name in every member's certificate), so that a client reaches any live member, not only the one it enrolled with.",
      source: 'KB 156803',
    },
    recommend({ model, config }) {
      if (!config.loadBalancer.clusterHostname) return this.recommendation;
      // The cluster host name is there already: what is left is more members that serve desktop clients.
      const desktop = running(model, 'desktop');
      const more = indexes(model, (m) => m.zone === 'internal' && !runsService(m, 'desktop'));
      if (desktop.length > config.faults.maxDown)
        return {
          text: `Keep what this config already does, as the vendor recommends: a cluster host name, and desktop on ${ids(model, desktop)}, more members than faults.maxDown (${config.faults.maxDown}).`,
          source: 'KB 156803',
        };
      return {
        text: `Clients already reach the cluster by its host name; run desktop on ${more.length > 0 ? ids(model, more) : 'another member'} as well, so that more members than faults.maxDown (${config.faults.maxDown}) serve them (now ${desktop.length === 0 ? 'none' : ids(model, desktop)}).`,
        source: 'KB 156803',
      };
    },
    violated({ model, state }) {
      const s = settleAll(model, state).state;
      const budget = budgetLeft(model, s);
      const desktop = running(model, 'desktop');
      for (const [client, { member }] of Object.entries(s.clients)) {
        const user = clientUser(client);
        if (!s.members.some((m) => m.status !== 'removed' && m.records[user] !== undefined)) continue;
        if (!model.config.loadBalancer.clusterHostname) {
          if (budget === 0) continue;
          return `There is no cluster host name (loadBalancer.clusterHostname: false), so client ${client} is pinned to ${member}, where it enrolled (KB 156803); with ${member} down it cannot download its policy.`;
        }
        const servers = s.members.flatMap((m, i) =>
          m.status === 'up' && desktop.includes(i) && m.records[user] !== undefined && m.records[DEFAULT_POLICY] !== undefined ? [i] : [],
        );
        if (servers.length > budget) continue;
        const where =
          servers.length === 0
            ? 'no live member running desktop holds them, so'
            : `only ${ids(model, servers)} among the members running desktop hold${servers.length === 1 ? 's' : ''} them, so with ${ids(model, servers)} down`;
        return `To download its policy, client ${client} needs a live member that runs desktop and holds its user record and the policy, and ${where} it cannot.`;
      }
      return undefined;
    },
    holds({ model, config, result }) {
      const none = noOutages(config);
      if (none) return none;
      const desktop = running(model, 'desktop');
      if (config.loadBalancer.clusterHostname && desktop.length > config.faults.maxDown)
        return `Clients reach the cluster by its host name, so any live member that runs desktop and holds their user record can serve them, and the members running desktop (${ids(model, desktop)}) are more than faults.maxDown (${config.faults.maxDown}).`;
      return `In ${searched(result)} every enrolled client could still download its policy with up to ${config.faults.maxDown} member${config.faults.maxDown === 1 ? '' : 's'} down.`;
    },
  },

  'join-under-outage': {
    recommendation: {
      text: 'Join new members while the Sponsor is up and reachable on port 444 from the joining server; a join is a full copy from the Sponsor, so plan it when no member is down, with 4 to 5 times the Sponsor\'s backup size free on the joiner.',
      source: 'KB 153721; KB 154069',
    },
    violated({ model, config }) {
      const waiting = model.members.filter((m) => m.joinsLater).map((m) => m.id);
      const sponsor = model.members.find((m) => m.role === 'sponsor')?.id ?? 'the sponsor';
      if (config.assumptions.joinWhenSponsorDown === 'waits')
        return `${list(waiting)} ${waiting.length === 1 ? 'joins' : 'join'} through the Sponsor ${sponsor} (KB 153721), and with ${sponsor} down (within faults.maxDown) a join cannot start: under assumptions.joinWhenSponsorDown "waits" the joiner waits for the Sponsor.`;
      return undefined;
    },
    holds({ model, config, result }) {
      if (config.faults.maxDown === 0) return 'No member is ever down here (faults.maxDown: 0), so a waiting member can always join through the Sponsor.';
      return `In ${searched(result)} every waiting member (${list(model.members.filter((m) => m.joinsLater).map((m) => m.id))}) could still join and catch up with up to ${config.faults.maxDown} member${config.faults.maxDown === 1 ? '' : 's'} down.`;
    },
    notApplicable: () => 'No member waits to join (no member has joinsLater: true).',
  },

  'skm-keys-stay-valid': {
    recommendation: {
      text: 'Let desktop clients renew their server-managed keys from any member: give them a cluster host name behind a load balancer, and keep outages well under the 14 days an SKM key is valid.',
      source: 'KB 157933; KB 156803',
    },
    recommend({ config }) {
      if (!config.loadBalancer.clusterHostname) return this.recommendation;
      return { text: 'Keep outages well under the 14 days a server-managed key is valid: clients already renew with any live member through the cluster host name.', source: 'KB 157933' };
    },
    violated({ config }) {
      if (!config.loadBalancer.clusterHostname)
        return `Each client renews its SKM key (valid 14 days, renewed the day before it expires) only with the member it enrolled with, since there is no cluster host name (KB 156803), and members here may stay down up to ${config.faults.maxOutageDays} days (faults.maxOutageDays): long enough for a key to lapse (KB 157933).`;
      return undefined;
    },
    holds({ config, result }) {
      if (config.loadBalancer.clusterHostname)
        return 'Clients reach the cluster by its host name, so a client renews its SKM key with any live desktop member that holds its user and policy.';
      return `Clients are pinned to the member they enrolled with, but no member stays down longer than ${config.faults.maxOutageDays} days (faults.maxOutageDays), well under the 14-day SKM validity; no key lapsed in ${searched(result)}.`;
    },
  },

  'purged-keys-stay-purged': {
    recommendation: {
      text: 'Keys cached from the mail flow are purged 180 days after caching and keys fetched from keyservers after the configured time to live; bring members back promptly, since a member purges its cache only while it is up.',
      source: 'KB 162609',
    },
    violated: () => undefined,
    holds({ result }) {
      return `Replication never sends a key past its retention, and each member purges its cache as time passes while it is up; in ${searched(result)} no expired key came back.`;
    },
  },

  'web-messenger-rejoin-freshness': {
    recommendation: {
      text: 'Have the load balancer hold a returning member out of the Web Messenger rotation until replication has caught it up (loadBalancer.holdsRejoiningMembers), so users are not routed to a member that has not yet received their messages.',
      source: 'KB 156803',
    },
    recommend({ config }) {
      if (config.loadBalancer.clusterHostname) return this.recommendation;
      // No balancer to hold a member out (KB 156803: failover is the balancer's or DNS's job).
      return {
        text: 'Serve Web Messenger through a cluster host name on a load balancer (loadBalancer.clusterHostname: true) that holds a returning member out of rotation until replication has caught it up (holdsRejoiningMembers: true); until then, tell users that a member just back from an outage may not show all their messages yet.',
        source: 'KB 156803',
      };
    },
    violated({ config }) {
      if (!config.loadBalancer.clusterHostname)
        return 'There is no load balancer in front of Web Messenger (loadBalancer.clusterHostname: false): users reach each member by its own name, so a member back from an outage serves them at once, before replication has brought it the accounts its peers held, and they may not see all their messages (KB 156803).';
      if (!config.loadBalancer.holdsRejoiningMembers)
        return 'The load balancer puts a returning member back into the Web Messenger rotation at once (holdsRejoiningMembers: false), before replication has brought it the accounts its peers held: users routed to it may not see all their messages (KB 156803).';
      return undefined;
    },
    holds({ config, result }) {
      if (config.loadBalancer.holdsRejoiningMembers)
        return 'The load balancer holds a returning member out of the Web Messenger rotation until it holds every account its live peers held when it returned (holdsRejoiningMembers: true).';
      return `In ${searched(result)} no member returned to the rotation while it lacked an account its peers held.`;
    },
  },
};

/** The explanation and recommendation for one result. */
export function advise(model: ClusterModel, result: JudgedResult): Advice {
  const entry = ADVICE[result.property];
  const context: AdviceContext = { model, config: model.config, result };
  if (result.verdict === 'not-applicable') {
    const why = entry?.notApplicable?.(context) ?? `It does not apply to this config: ${result.reason ?? 'see the property'}.`;
    return { explanation: why, recommendation: null };
  }
  if (result.kind === 'sometimes') {
    // A guard against vacuous passes: say whether the search got there, and how.
    if (result.verdict === 'reached') {
      const steps = result.actions.map(describeAction).join(', then ');
      const after = result.basis === 'random' ? `after ${traces(result.runs)}` : 'by exploration, in the fewest actions';
      return { explanation: `Reached ${after}: ${steps || 'in the initial state'}.`, recommendation: null };
    }
    if (result.basis === 'exhaustive')
      return {
        explanation: `Not reached in ${searched(result)}: no trace within these bounds reaches this fault, so the properties about it are not put to the test by this config.`,
        recommendation: null,
      };
    return {
      explanation: `Not reached in ${searched(result)}: the properties about this fault were not put to the test; raise --runs or --length, or use explore.`,
      recommendation: null,
    };
  }
  const recommendation = entry === undefined ? null : (entry.recommend?.(context) ?? entry.recommendation);
  if (result.verdict === 'holds') {
    return { explanation: entry?.holds(context) ?? `No violation in ${searched(result)}.`, recommendation };
  }
  const state = replay(model, result.actions.slice(0, result.step ?? result.actions.length));
  const why = state === undefined || entry === undefined ? undefined : entry.violated({ ...context, state });
  return { explanation: why ?? sentence(result.message ?? 'violated'), recommendation };
}

function sentence(text: string): string {
  const capital = text.charAt(0).toUpperCase() + text.slice(1);
  return /[.!?]$/.test(capital) ? capital : `${capital}.`;
}
