import { type CompiledCluster, runsService } from '../model/cluster.ts';
import type { ClusterState } from '../model/state.ts';
import { clientUser, DEFAULT_POLICY } from '../model/records.ts';
import { anyMemberRuns, CLIENT_ENROLLED, type Defeat, outageDefeating, withDownText } from './helpers.ts';
import { type ClusterProperty, judgedAfterSettling, holds, violated } from './types.ts';
import { settleAll } from '../model/settle.ts';
import { argued, budgetLeft, CLUSTER_HOSTNAME, ids, moreRunning, noOutages, patch, running, sitesLacking, siteWords, withService } from './explain.ts';


/**
 * The first enrolled client that some choice of members down (within the budget left after removals)
 * leaves without a member to download its policy from, after settling, and the smallest such choice.
 */
function stranded(model: CompiledCluster, s: ClusterState): ({ client: string; member: string } & Defeat) | undefined {
  const clusterHostname = model.config.loadBalancer.clusterHostname;
  const canServe = (m: number, user: string) =>
    runsService(model.members[m]!, 'desktop') && s.members[m]!.records[user as `user:${string}`] !== undefined && s.members[m]!.records[DEFAULT_POLICY] !== undefined;
  for (const [client, { member }] of Object.entries(s.clients)) {
    const user = clientUser(client);
    // A user record that vanished with a removed member is no-lost-writes' concern alone (docs/properties.md).
    if (!s.members.some((m) => m.status !== 'removed' && m.records[user] !== undefined)) continue;
    const home = model.position.get(member)!;
    // The members the client may download from: any that can serve it, or only its own without a cluster host name.
    const serving = clusterHostname ? s.members.flatMap((_, i) => (canServe(i, user) ? [i] : [])) : canServe(home, user) ? [home] : [];
    const defeat = outageDefeating(model, s, serving);
    if (defeat !== undefined) return { client, member, ...defeat };
  }
  return undefined;
}

export const desktopPolicyAvailability: ClusterProperty = judgedAfterSettling({
  name: 'desktop-policy-availability',
  group: 'core',
  source: 'KB 156803 (clients pinned to the server they enrolled with), KB 153217',
  statement:
    'After replication quiesces, with any maxDown members down (and any faults.maxSiteSplits sites split off, where users reach only the members on their side of the split), for the users on every side: every enrolled desktop client can download its policy: from its enrollment member, or with a cluster host name from any live desktop member holding its user and the policy.',
  reads: { kinds: [], clients: true },
  subject: CLIENT_ENROLLED,
  advice: {
    recommendation: {
      text: "Give desktop clients a cluster host name served by a load balancer or round-robin DNS (with that name in every member's certificate), so that a client reaches any live member, not only the one it enrolled with.",
      source: 'KB 156803',
      by: 'vendor',
    },
    recommend({ model, config }) {
      if (!config.loadBalancer.clusterHostname) return this.recommendation;
      // The cluster host name is there already: what is left is more members that serve desktop clients.
      const desktop = running(model, 'desktop');
      if (desktop.length > config.faults.maxDown)
        return {
          text: `Keep what this config already does, as the vendor recommends: a cluster host name, and desktop on ${ids(model, desktop)}, more members than faults.maxDown (${config.faults.maxDown}).`,
          source: 'KB 156803',
          by: 'vendor',
        };
      const more = moreRunning(model, 'desktop');
      // KB 156803 asks for the cluster host name; how many members must serve behind it is our reading of the fault budget.
      return {
        text: `Clients already reach the cluster by its host name; run desktop on ${more.length > 0 ? ids(model, more.map((m) => m.member)) : 'another member'} as well, so that more members than faults.maxDown (${config.faults.maxDown}) serve them (now ${desktop.length === 0 ? 'none' : ids(model, desktop)}).`,
        source: 'KB 156803',
        by: 'inference',
      };
    },
    patches: [
      CLUSTER_HOSTNAME,
      ({ model }) => {
        if (!model.config.loadBalancer.clusterHostname) return undefined;
        const more = moreRunning(model, 'desktop');
        return patch(more.map((m) => m.words).join(', '), 'inference', 'KB 156803', more.flatMap((m) => m.changes));
      },
      // On every side of a site split, members that run desktop (the host name reaches those on the user's side).
      ({ model }) => {
        if (!model.config.loadBalancer.clusterHostname) return undefined;
        const perSite = sitesLacking(
          model,
          (m) => runsService(m, 'desktop'),
          (member) => ({ words: `run desktop on ${model.members[member]!.id}`, changes: [withService(model, member, 'desktop')] }),
        );
        return patch(perSite.map((p) => p.words).join(', '), 'inference', 'KB 156803', perSite.flatMap((p) => p.changes));
      },
    ],
    outage: (model, state) => stranded(model, settleAll(model, state).state)?.down,
    splitOff: (model, state) => stranded(model, settleAll(model, state).state)?.split,
    violated({ model, state }) {
      const s = settleAll(model, state).state;
      const found = stranded(model, s);
      if (found !== undefined && found.split.length > 0)
        return model.config.loadBalancer.clusterHostname
          ? `With ${siteWords(model, found.split)} split off, the users on the side of ${ids(model, found.side)} reach only the members there, and ${found.down.length === 0 ? '' : `with ${ids(model, found.down)} down `}none of those that run desktop holds client ${found.client}'s user record and the policy, so it cannot download its policy.`
          : `There is no cluster host name (loadBalancer.clusterHostname: false), so client ${found.client} is pinned to ${found.member}, where it enrolled (KB 156803); with ${siteWords(model, found.split)} split off, a user on the side of ${ids(model, found.side)} cannot reach it.`;
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
    holds(context) {
      const { model, config, searched } = context;
      const none = noOutages(context);
      if (none) return none;
      const desktop = running(model, 'desktop');
      if (config.loadBalancer.clusterHostname && desktop.length > config.faults.maxDown)
        return argued(
          context,
          `Clients reach the cluster by its host name, and the members running desktop (${ids(model, desktop)}) are more than faults.maxDown (${config.faults.maxDown})`,
          'any live member that runs desktop and holds a client\'s user record can serve its policy',
          `Clients reach the cluster by its host name, so any live member that runs desktop and holds their user record can serve them, and the members running desktop (${ids(model, desktop)}) are more than faults.maxDown (${config.faults.maxDown}).`,
        );
      return `In ${searched} every enrolled client could still download its policy with up to ${config.faults.maxDown} member${config.faults.maxDown === 1 ? '' : 's'} down.`;
    },
  },
  notApplicable: (model) => (anyMemberRuns(model, 'desktop') ? undefined : 'no member runs desktop'),
  settles: 'all',
  judge(model, settled) {
    const found = stranded(model, settled.state);
    if (found === undefined) return holds(settled.rounds);
    const why = model.config.loadBalancer.clusterHostname
      ? 'no live desktop member holds its user and policy'
      : `it is pinned to ${found.member}, where it enrolled, and there is no cluster host name (KB 156803)`;
    return violated(
      `after replication went quiet, ${withDownText(model, found.down, found.split, found.side)}, client ${found.client} cannot download its policy: ${why}`,
      settled.rounds,
    );
  },
});
