import { clientUser } from '../model/records.ts';
import { formatHours, HOURS_PER_DAY, SKM_VALIDITY_HOURS, skmExpires } from '../model/time.ts';
import { CLUSTER_HOSTNAME, patch, setting } from './explain.ts';
import { inCluster } from '../model/topology.ts';
import { type ClusterProperty, HOLDS, violated } from './types.ts';
import { CLIENT_ENROLLED } from './helpers.ts';
import { argued } from './explain.ts';

export const skmKeysStayValid: ClusterProperty = {
  name: 'skm-keys-stay-valid',
  group: 'lifecycle',
  kind: 'always',
  needsTime: true,
  source: 'KB 157933 (SKM keys valid 14 days, renewed the day before they expire only if the user has talked to the server), KB 156803',
  statement:
    "No enrolled desktop client's SKM key lapses: each is renewed before it expires, which needs the client to have talked to a server (its enrollment member, or with a cluster host name any live desktop member holding its user and the policy) since the key was issued.",
  reads: { kinds: [], clients: true },
  subject: CLIENT_ENROLLED,
  advice: {
    recommendation: {
      text: 'Let desktop clients renew their server-managed keys from any member: give them a cluster host name behind a load balancer, and keep outages well under the 14 days an SKM key is valid.',
      source: 'KB 157933; KB 156803',
      by: 'vendor',
    },
    recommend({ config }) {
      if (!config.loadBalancer.clusterHostname) return this.recommendation;
      return {
        text: 'Keep outages well under the 14 days a server-managed key is valid: clients already renew with any live member through the cluster host name.',
        source: 'KB 157933',
        by: 'vendor',
      };
    },
    patches: [
      CLUSTER_HOSTNAME,
      // Outages bounded under the key's validity: an operational commitment, stated as the fault bound the model reads.
      ({ config }) =>
        config.faults.maxOutageDays * HOURS_PER_DAY < SKM_VALIDITY_HOURS
          ? undefined
          : patch(
              `bring a member back within ${SKM_VALIDITY_HOURS / HOURS_PER_DAY - 1} days of an outage`,
              'vendor',
              'KB 157933',
              [setting(config, ['faults', 'maxOutageDays'], SKM_VALIDITY_HOURS / HOURS_PER_DAY - 1)],
            ),
    ],
    violated({ config }) {
      if (!config.loadBalancer.clusterHostname)
        return `Each client renews its SKM key (valid 14 days, renewed the day before it expires) only with the member it enrolled with, since there is no cluster host name (KB 156803), and members here may stay down up to ${config.faults.maxOutageDays} days (faults.maxOutageDays): long enough for a key to lapse (KB 157933).`;
      return undefined;
    },
    holds(context) {
      const { config, searched } = context;
      if (config.loadBalancer.clusterHostname)
        return argued(context, 'Clients reach the cluster by its host name', 'a client renews its SKM key with any live desktop member that holds its user and policy');
      return `Clients are pinned to the member they enrolled with, but no member stays down longer than ${config.faults.maxOutageDays} days (faults.maxOutageDays), well under the 14-day SKM validity; no key lapsed in ${searched}.`;
    },
  },
  notApplicable: (model) => (model.runsDesktop.some(Boolean) ? undefined : 'no member runs desktop'),
  check(model, state) {
    for (const client in state.clients) {
      const c = state.clients[client]!;
      const expires = skmExpires(c);
      if (expires > state.clock) continue;
      // A client whose user record vanished with a removed member is no-lost-writes' concern alone (docs/properties.md).
      const user = clientUser(client);
      if (!state.members.some((m, i) => inCluster(state, i) && m.records[user] !== undefined)) continue;
      const pinned = model.config.loadBalancer.clusterHostname ? '' : ` (pinned to ${c.member}: no cluster host name, KB 156803)`;
      return violated(
        `${formatHours(state.clock)} after the start, the SKM key of client ${client}${pinned} lapsed ${formatHours(state.clock - expires)} ago: it was issued ${formatHours(state.clock - c.skmIssued)} ago and the client has not talked to a server since (KB 157933)`,
      );
    }
    return HOLDS;
  },
};
