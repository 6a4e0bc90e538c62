/**
 * The component engine is exact only if the decomposition is: these tests check, on random traces over
 * every preset and a few more configs, that the engine and the plain model agree step by step on every
 * component's state, on which actions are enabled, and on every property's verdict.
 */
import { agree } from '../test/helpers.ts';
import { fc, test } from '@fast-check/vitest';
import { describe } from 'vitest';
import { pickEnabled } from '../checker/random.ts';
import { checkableModel, componentEngine, componentProperty } from '../pgp/target.ts';
import { PRESETS } from '../config/presets.ts';
import { resolveConfig } from '../config/validate.ts';
import { PROPERTIES } from '../properties/index.ts';
import { compileCluster } from './cluster.ts';
import { makeScope } from './enabled.ts';
import { canonicalStateKey } from './projection.ts';
import { project, scopeSlots } from './projection.ts';
import { ringSymmetries } from './symmetry.ts';

const extra = [
  resolveConfig({
    name: 'dmz-removal',
    members: [{ id: 'm1' }, { id: 'm2' }, { id: 'm3', zone: 'dmz', privateKeys: false }],
    faults: { removeMember: true },
  }),
  resolveConfig({
    name: 'partial-wm',
    members: [{ id: 'a' }, { id: 'b', services: ['mail', 'desktop'] }, { id: 'c' }, { id: 'd', zone: 'dmz' }],
    webMessenger: { replication: ['a', 'd'] },
    loadBalancer: { clusterHostname: false },
    faults: { maxDown: 2 },
  }),
];
const configs = [...PRESETS.map((p) => p.config), ...extra];

describe.each(configs.map((c) => [c.name, c] as const))('the component engine agrees with the plain model on %s', (_name, config) => {
  const cluster = compileCluster(config);
  const scope = makeScope(2, 2);
  const slots = scopeSlots(scope);
  const plain = checkableModel(cluster, scope);
  const properties = PROPERTIES.filter((p) => p.notApplicable(cluster) === undefined);

  test.prop([fc.array(fc.nat({ max: 10_000 }), { maxLength: 14 })], { numRuns: 60 })('step by step', (choices) => {
    const engine = componentEngine(cluster, scope, ringSymmetries(cluster));
    const fast = engine.asModel();
    const bound = properties.map((p) => engine.bind(componentProperty(cluster, p)));
    let state = plain.initial;
    let tuple = fast.initial;
    for (const choice of [...choices, -1]) {
      for (let slot = 0; slot < slots.length; slot++) {
        agree(canonicalStateKey(cluster, engine.component(tuple, slot)), canonicalStateKey(cluster, project(state, slots[slot]!)));
      }
      agree(fast.enabled(tuple).map((a) => JSON.stringify(a)).sort(), plain.enabled(state).map((a) => JSON.stringify(a)).sort());
      properties.forEach((property, p) => {
        const expected = property.check(cluster, state);
        const actual = bound[p]!.check(tuple);
        agree(actual.holds, expected.holds, () => `${property.name} after ${choices.length} choices`);
      });
      if (choice === -1) break;
      const action = pickEnabled(plain, plain.enabled(state), choice);
      if (action === undefined) break;
      state = plain.step(state, action);
      tuple = fast.step(tuple, action);
    }
  });
});
