import { runsService } from '../model/cluster.ts';
import { clientUser, DEFAULT_POLICY } from '../model/records.ts';
import { anyMemberRuns, outageDefeating, withDownText } from './helpers.ts';
import { type ClusterProperty, judgedAfterSettling, holds, violated } from './types.ts';

export const desktopPolicyAvailability: ClusterProperty = judgedAfterSettling({
  name: 'desktop-policy-availability',
  source: 'KB 156803 (clients pinned to the server they enrolled with), KB 153217',
  statement:
    'After replication quiesces, with any maxDown members down, every enrolled desktop client can download its policy: from its enrollment member, or with a cluster host name from any live desktop member holding its user and the policy.',
  reads: { kinds: [], clients: true },
  subject: { description: 'a desktop client is enrolled', occurs: (_model, state) => Object.keys(state.clients).length > 0 },
  notApplicable: (model) => (anyMemberRuns(model, 'desktop') ? undefined : 'no member runs desktop'),
  settles: 'all',
  judge(model, settled) {
    const s = settled.state;
    const clusterHostname = model.config.loadBalancer.clusterHostname;
    const canServe = (m: number, user: string) =>
      runsService(model.members[m]!, 'desktop') &&
      s.members[m]!.records[user as `user:${string}`] !== undefined &&
      s.members[m]!.records[DEFAULT_POLICY] !== undefined;
    for (const [client, { member }] of Object.entries(s.clients)) {
      const user = clientUser(client);
      // A user record that vanished with a removed member is no-lost-writes' concern alone (SPEC §5).
      if (!s.members.some((m) => m.status !== 'removed' && m.records[user] !== undefined)) continue;
      const home = model.position.get(member)!;
      // The members the client may download from: any that can serve it, or only its own without a cluster host name.
      const serving = clusterHostname ? s.members.flatMap((_, i) => (canServe(i, user) ? [i] : [])) : canServe(home, user) ? [home] : [];
      const down = outageDefeating(model, s, serving);
      if (down === undefined) continue;
      const why = clusterHostname
        ? 'no live desktop member holds its user and policy'
        : `it is pinned to ${member}, where it enrolled, and there is no cluster host name (KB 156803)`;
      return violated(`after replication went quiet, ${withDownText(model, down)}, client ${client} cannot download its policy: ${why}`, settled.rounds);
    }
    return holds(settled.rounds);
  },
});
