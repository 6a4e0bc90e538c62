/**
 * Who serves a desktop client (docs/model.md, modelling assumptions): policy download and SKM key renewal.
 */
import type { ClusterModel } from '../../model/cluster.ts';
import { clientUser, DEFAULT_POLICY } from '../../model/records.ts';
import type { ClusterState, DesktopClient } from '../../model/state.ts';

/** A member serves a client when it is up, runs `desktop`, and holds the client's user and the policy. */
export function servesClient(model: ClusterModel, state: ClusterState, member: number, client: string): boolean {
  const m = state.members[member]!;
  return (
    m.status === 'up' &&
    model.runsDesktop[member]! &&
    m.records[clientUser(client)] !== undefined &&
    m.records[DEFAULT_POLICY] !== undefined
  );
}

/**
 * Whether a client can reach a server now: its enrollment member (KB 156803: a client is bound to the
 * server it enrolled with), or, with a cluster host name behind a load balancer, any member that serves it.
 */
export function clientReachesServer(model: ClusterModel, state: ClusterState, client: string, desktop: DesktopClient): boolean {
  if (!model.config.loadBalancer.clusterHostname) return servesClient(model, state, model.position.get(desktop.member)!, client);
  for (let m = 0; m < model.size; m++) if (servesClient(model, state, m, client)) return true;
  return false;
}
