/**
 * The per-record rule, checked deterministically: every action touches at most one record component.
 *
 * Exploration and the component engine split a state into components, one per record and per client,
 * each with the shared state (`model/projection.ts`). That is exact only if each action's effect on one
 * component depends on that component and the shared state alone: projecting after the step must equal
 * stepping the projection. Random traces (`model/projection.test.ts`) can miss an action that couples two
 * records (a member restored from a backup that predates its last write, say). So here every reachable
 * state of small configs (one key of every kind, so eight records, and a client) is visited to a fixed
 * depth, and every enabled action is checked on every component: a coupling action fails every time,
 * with its name.
 */
import { describe, expect, it } from 'vitest';
import { explore } from '../checker/explore.ts';
import { checkableModel } from '../cli/target.ts';
import { resolveConfig } from '../config/validate.ts';
import type { ClusterConfig } from '../config/schema.ts';
import { describeAction } from './actions.ts';
import { compileCluster } from './cluster.ts';
import { makeScope } from './enabled.ts';
import { stateKey } from './fingerprint.ts';
import { project, scopeSlots } from './projection.ts';
import type { ClusterState } from './state.ts';
import { identity } from './symmetry.ts';

const configs: ClusterConfig[] = [
  resolveConfig({
    name: 'everything',
    members: [{ id: 'a', joinsLater: false }, { id: 'b', zone: 'dmz', privateKeys: false }, { id: 'c', joinsLater: true }],
    webMessenger: { accountMode: 'homeServer', switchTo: 'highAvailability' },
    loadBalancer: { clusterHostname: false, holdsRejoiningMembers: true },
    faults: { maxDown: 1, removeMember: true, upgrades: true },
  }),
  resolveConfig({ name: 'pair', members: [{ id: 'a' }, { id: 'b' }], faults: { maxDown: 1, removeMember: true } }),
];

/** Every state reachable within `depth` (each once), for one key of every kind, one client and two time steps. */
function reachable(config: ClusterConfig, depth: number) {
  const cluster = compileCluster(config);
  const scope = makeScope(1, 1, [24, 14 * 24]);
  const model = checkableModel(cluster, scope);
  const states: ClusterState[] = [];
  // A property that holds everywhere and keeps every state it is shown: the explorer shows it each new state once.
  const collect = {
    name: 'collect',
    kind: 'always' as const,
    check: (s: ClusterState) => {
      states.push(s);
      return { holds: true as const };
    },
  };
  explore(model, [collect], { maxDepth: depth, maxStates: 500_000, key: (s) => `${s.clock}#${stateKey(cluster, s, identity(cluster.size))}` });
  return { cluster, scope, model, states };
}

/** Two writes of two records, so that the actions taken from there (the third step) could couple them. */
const DEPTH = Number(process.env.DECOMPOSITION_DEPTH ?? 2);

describe.each(configs.map((c) => [c.name, c] as const))('every action touches at most one record component on %s', (_name, config) => {
  it('projecting after each step equals stepping the projection, for every component, in every state to a fixed depth', () => {
    const { cluster, scope, model, states } = reachable(config, DEPTH);
    const slots = scopeSlots(scope);
    const key = (s: ClusterState) => `${s.clock}#${stateKey(cluster, s, identity(cluster.size))}`;
    let checked = 0;
    for (const state of states) {
      for (const action of model.enabled(state)) {
        const after = model.step(state, action);
        for (const slot of slots) {
          const projected = project(state, slot);
          // An action the component does not allow is one it does not own (another record's write).
          if (model.whyDisabled(projected, action) !== undefined) continue;
          const expected = key(project(after, slot));
          const actual = key(project(model.step(projected, action), slot));
          if (actual !== expected)
            expect.fail(
              `${describeAction(action)} couples records: on ${slot.type === 'record' ? slot.id : `client ${slot.client}`} its effect depends on another component (the per-record rule, model/projection.ts)`,
            );
          checked++;
        }
      }
    }
    // Not vacuous: many states and transitions were compared.
    expect(states.length).toBeGreaterThan(100);
    expect(checked).toBeGreaterThan(1000);
  });
});
