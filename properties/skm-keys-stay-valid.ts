import { clientUser } from '../model/records.ts';
import { formatHours, skmExpires } from '../model/time.ts';
import { inCluster } from '../model/topology.ts';
import { type ClusterProperty, HOLDS, violated } from './types.ts';

export const skmKeysStayValid: ClusterProperty = {
  name: 'skm-keys-stay-valid',
  kind: 'always',
  needsTime: true,
  source: 'KB 157933 (SKM keys valid 14 days, renewed the day before they expire only if the user has talked to the server), KB 156803',
  statement:
    "No enrolled desktop client's SKM key lapses: each is renewed before it expires, which needs the client to have talked to a server (its enrollment member, or with a cluster host name any live desktop member holding its user and the policy) since the key was issued.",
  reads: { kinds: [], clients: true },
  subject: { description: 'a desktop client is enrolled', occurs: (_model, state) => Object.keys(state.clients).length > 0 },
  notApplicable: (model) => (model.runsDesktop.some(Boolean) ? undefined : 'no member runs desktop'),
  check(model, state) {
    for (const client in state.clients) {
      const c = state.clients[client]!;
      const expires = skmExpires(c);
      if (expires > state.clock) continue;
      // A client whose user record vanished with a removed member is no-lost-writes' concern alone (SPEC §5).
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
