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
 * with its name. Each action's declared owner (`owner` in `ACTIONS`, `model/step.ts`) is checked on the way:
 * its component alone (every component, for a shared action) decides whether it is enabled, and an owned
 * action leaves every other component as it was (`test/decomposition.ts`).
 */
import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../config/validate.ts';
import type { ClusterConfig } from '../config/schema.ts';
import { reachable } from '../test/decomposition.ts';
import { candidateActions, makeScope } from './enabled.ts';

const configs: ClusterConfig[] = [
  resolveConfig({
    name: 'everything',
    members: [{ id: 'a', joinsLater: false }, { id: 'b', zone: 'dmz', privateKeys: false }, { id: 'c', joinsLater: true }],
    webMessenger: { accountMode: 'homeServer', switchTo: 'highAvailability' },
    loadBalancer: { clusterHostname: false, holdsRejoiningMembers: true },
    faults: { maxDown: 1, removeMember: true, upgrades: true },
  }),
  resolveConfig({ name: 'pair', members: [{ id: 'a' }, { id: 'b' }], faults: { maxDown: 1, removeMember: true } }),
  // Two sites, one splittable off: a site split and its heal act on every component alike.
  resolveConfig({
    name: 'sites',
    members: [{ id: 'a', site: 'hq' }, { id: 'b', site: 'hq', zone: 'dmz', privateKeys: false }, { id: 'c', site: 'dr' }],
    faults: { maxDown: 1, maxSiteSplits: 1, removeMember: true },
  }),
];

/** Two writes of two records, so that the actions taken from there (the third step) could couple them. */
const DEPTH = Number(process.env.DECOMPOSITION_DEPTH ?? 2);

describe.each(configs.map((c) => [c.name, c] as const))('every action touches at most one record component on %s', (_name, config) => {
  it('projecting after each step equals stepping the projection, for every component, and each owner decides its actions, in every state to a fixed depth', () => {
    // One key of every kind, one client and two time steps.
    const scope = makeScope(1, 1, [24, 14 * 24]);
    const { check, states } = reachable(config, scope, DEPTH);
    for (const state of states) {
      const problems = check.problems(state);
      if (problems.length > 0) expect.fail(problems.join('\n'));
    }
    // Not vacuous: many states and transitions were compared, and every action type this config generates was taken.
    expect(states.length).toBeGreaterThan(100);
    expect(check.checked).toBeGreaterThan(1000);
    const generated = [...new Set(candidateActions(check.cluster, scope).map((a) => a.type))];
    expect(generated.filter((type) => !check.seen.has(type)), 'action types never enabled within the depth').toEqual([]);
  });
});
