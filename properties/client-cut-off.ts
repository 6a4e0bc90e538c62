import { clientReachesServer } from '../model/desktop.ts';
import { type ClusterProperty, HOLDS, violated } from './types.ts';

/** Non-vacuity for desktop clients: a client that, for now, reaches no server it may use. */
export const clientCutOff: ClusterProperty = {
  name: 'client-cut-off',
  group: 'guard',
  kind: 'sometimes',
  source: 'KB 156803 (a client is bound to its enrollment server without a cluster host name), KB 157933',
  statement:
    'Reachable: an enrolled desktop client reaches no server it may use (its enrollment member, or with a cluster host name any live desktop member holding its user and the policy).',
  reads: { kinds: [], clients: true },
  notApplicable: (model) => (model.runsDesktop.some(Boolean) ? undefined : 'no member runs desktop'),
  check(model, state) {
    for (const client in state.clients) if (!clientReachesServer(model, state, client)) return HOLDS;
    return violated('every enrolled client reaches a server');
  },
};
