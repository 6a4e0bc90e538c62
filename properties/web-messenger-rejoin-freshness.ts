import { keyOf, type RecordId } from '../model/records.ts';
import { inRotation } from '../model/rotation.ts';
import { describeVersion } from './helpers.ts';
import { type ClusterProperty, HOLDS, violated } from './types.ts';

export const webMessengerRejoinFreshness: ClusterProperty = {
  name: 'web-messenger-rejoin-freshness',
  kind: 'always',
  source: 'KB 156803 (WEP users routed to a member that has not yet received replicated data may not see all their messages)',
  statement:
    'Every member in the Web Messenger rotation holds every account that its live peers held when it last returned (recovered or joined), at the version they held or newer, among the accounts it may hold.',
  // A balancer that holds returning members out keeps every member that owes something out of rotation,
  // so what is owed cannot change the verdict there (model/packed.test.ts checks this declaration).
  reads: { kinds: ['wmAccount'], rotation: (model) => !model.config.loadBalancer.holdsRejoiningMembers },
  // It looks only at what members owe: with no debts there is nothing to miss.
  holdsWithoutDebts: true,
  subject: {
    description: 'a member holds a Web Messenger account',
    occurs: (_model, state) => state.members.some((m) => Object.keys(m.records).some((id) => id.startsWith('wmAccount:'))),
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
        const balancer = model.config.loadBalancer.holdsRejoiningMembers ? '' : ' (the load balancer does not hold returning members out: holdsRejoiningMembers is false)';
        return violated(
          `${m.id} is in the Web Messenger rotation${balancer}, but its live peers held account ${keyOf(rid)} (${describeVersion(model, owed)}) when it returned and it ${has}: users routed to it may not see all their messages (KB 156803)`,
        );
      }
    }
    return HOLDS;
  },
};
