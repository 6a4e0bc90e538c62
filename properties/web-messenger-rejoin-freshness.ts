import { keyOf, type RecordId } from '../model/records.ts';
import { inRotation } from '../model/rotation.ts';
import { describeVersion, holdsRecordOf } from './helpers.ts';
import { type ClusterProperty, HOLDS, violated } from './types.ts';
import { argued, patch, setting } from './explain.ts';

/**
 * KB 156803 says users routed to a member that has not yet received replicated data may not see all their
 * messages, and asks for a correctly configured load balancer; that the balancer should hold a returning
 * member out until it has caught up is our inference from it, not the vendor's words.
 */
const INFERRED_FROM = 'KB 156803 (it asks for a correctly configured load balancer; holding a returning member out is our inference)';

export const webMessengerRejoinFreshness: ClusterProperty = {
  name: 'web-messenger-rejoin-freshness',
  group: 'lifecycle',
  kind: 'always',
  source: 'KB 156803 (WEP users routed to a member that has not yet received replicated data may not see all their messages)',
  statement:
    'Every member in the Web Messenger rotation holds every account that its live peers held when it last returned (recovered or joined), at the version they held or newer, among the accounts it may hold.',
  // A balancer that holds returning members out keeps every member that owes something out of rotation,
  // so what is owed cannot change the verdict there (the equivalence harness, test/equivalence.ts, checks this declaration).
  reads: { kinds: ['wmAccount'], rotation: (model) => !model.config.loadBalancer.holdsRejoiningMembers },
  // It looks only at what members owe: with no debts there is nothing to miss.
  holdsWithoutDebts: true,
  subject: holdsRecordOf('a member holds a Web Messenger account', 'wmAccount'),
  advice: {
    recommendation: {
      text: 'Have the load balancer hold a returning member out of the Web Messenger rotation until replication has caught it up (loadBalancer.holdsRejoiningMembers), so users are not routed to a member that has not yet received their messages.',
      source: INFERRED_FROM,
      by: 'inference',
    },
    recommend({ config }) {
      if (config.loadBalancer.clusterHostname) return this.recommendation;
      // No balancer to hold a member out (KB 156803: failover is the balancer's or DNS's job).
      return {
        text: 'Serve Web Messenger through a cluster host name on a load balancer (loadBalancer.clusterHostname: true) that holds a returning member out of rotation until replication has caught it up (holdsRejoiningMembers: true); until then, tell users that a member just back from an outage may not show all their messages yet.',
        source: INFERRED_FROM,
        by: 'inference',
      };
    },
    patches: [
      ({ config }) =>
        config.loadBalancer.holdsRejoiningMembers && config.loadBalancer.clusterHostname
          ? undefined
          : patch(
              config.loadBalancer.clusterHostname
                ? 'have the load balancer hold a returning member out of rotation until it has caught up'
                : 'serve Web Messenger through a cluster host name on a load balancer that holds a returning member out until it has caught up',
              'inference',
              INFERRED_FROM,
              [
                ...(config.loadBalancer.clusterHostname ? [] : [setting(config, ['loadBalancer', 'clusterHostname'], true)]),
                ...(config.loadBalancer.holdsRejoiningMembers ? [] : [setting(config, ['loadBalancer', 'holdsRejoiningMembers'], true)]),
              ],
            ),
    ],
    violated({ config }) {
      if (!config.loadBalancer.clusterHostname)
        return 'There is no load balancer in front of Web Messenger (loadBalancer.clusterHostname: false): users reach each member by its own name, so a member back from an outage serves them at once, before replication has brought it the accounts its peers held, and they may not see all their messages (KB 156803).';
      if (!config.loadBalancer.holdsRejoiningMembers)
        return 'The load balancer puts a returning member back into the Web Messenger rotation at once (holdsRejoiningMembers: false), before replication has brought it the accounts its peers held: users routed to it may not see all their messages (KB 156803).';
      return undefined;
    },
    holds(context) {
      const { config, searched } = context;
      if (config.loadBalancer.holdsRejoiningMembers)
        return argued(
          context,
          'The load balancer holds a returning member out of the Web Messenger rotation until it holds every account its live peers held when it returned (holdsRejoiningMembers: true)',
          'no member is back in the rotation while it lacks an account its peers held',
          'The load balancer holds a returning member out of the Web Messenger rotation until it holds every account its live peers held when it returned (holdsRejoiningMembers: true).',
        );
      return `In ${searched} no member returned to the rotation while it lacked an account its peers held.`;
    },
  },
  notApplicable: (model) => (model.runsWebMessenger.some(Boolean) ? undefined : 'no member runs webMessenger'),
  check(model, state) {
    for (let i = 0; i < model.size; i++) {
      const m = state.members[i]!;
      if (!inRotation(model, state, i)) continue;
      for (const id in m.owedAtReturn) {
        const rid = id as RecordId;
        const owed = m.owedAtReturn[rid]!;
        if ((m.records[rid] ?? -1) >= owed) continue;
        const has = m.records[rid] === undefined ? 'does not hold it' : `holds only ${describeVersion(model, m.records[rid]!)}`;
        const { clusterHostname, holdsRejoiningMembers } = model.config.loadBalancer;
        // Without a cluster host name there is no balancer to speak of: users reach each member by its own name.
        const serving = !clusterHostname
          ? `${m.id} serves Web Messenger users again (there is no load balancer: users reach each member by its own name, loadBalancer.clusterHostname is false)`
          : `${m.id} is in the Web Messenger rotation${holdsRejoiningMembers ? '' : ' (the load balancer does not hold returning members out: holdsRejoiningMembers is false)'}`;
        return violated(
          `${serving}, but its live peers held account ${keyOf(rid)} (${describeVersion(model, owed)}) when it returned and it ${has}: users routed to it may not see all their messages (KB 156803)`,
        );
      }
    }
    return HOLDS;
  },
};
