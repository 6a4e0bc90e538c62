/**
 * Who serves a desktop client (docs/model.md, modelling assumptions): policy download and SKM key renewal.
 */
import type { CompiledCluster } from './cluster.ts';
import { readerOf } from './object-view.ts';
import { clientUser } from './records.ts';
import type { ClusterState } from './state.ts';
import { type ClientLane, type ClientsView, type SharedView, UP } from './view.ts';

/** A member serves a client when it is up, runs `desktop`, and holds the client's user and the policy. */
export function serves(model: CompiledCluster, v: SharedView & ClientsView, c: ClientLane, m: number): boolean {
  return v.status(m) === UP && model.runsDesktop[m]! && v.holdsUser(c, m) && v.holdsPolicy(c, m);
}

/**
 * Whether an enrolled client can reach a server now: its enrollment member (KB 156803: a client is bound to
 * the server it enrolled with), or, with a cluster host name behind a load balancer, any member that serves it.
 */
export function reachesServer(model: CompiledCluster, v: SharedView & ClientsView, c: ClientLane): boolean {
  const enrolled = v.enrolledAt(c);
  if (enrolled === -1) return false;
  if (!model.config.loadBalancer.clusterHostname) return serves(model, v, c, enrolled);
  for (let m = 0; m < model.size; m++) if (serves(model, v, c, m)) return true;
  return false;
}

/** Whether a member serves an enrolled client in this state (`serves`). */
export function servesClient(model: CompiledCluster, state: ClusterState, member: number, client: string): boolean {
  return serves(model, readerOf(model, state, clientUser(client), client), 0, member);
}

/** Whether an enrolled client can reach a server in this state (`reachesServer`). */
export function clientReachesServer(model: CompiledCluster, state: ClusterState, client: string): boolean {
  return reachesServer(model, readerOf(model, state, clientUser(client), client), 0);
}
