import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parallelHandovers } from '../checker/packed-parallel.ts';
import { PRESETS } from '../config/presets.ts';
import { resolveConfig } from '../config/validate.ts';
import { compileCluster } from '../model/cluster.ts';
import { ringSymmetries } from '../model/symmetry.ts';
import { PROPERTIES } from '../properties/index.ts';
import { exploreScope } from './explore.ts';
import { subjectProperty } from './target.ts';
import { type VerifyOptions, type VerifyResult, exploreComponents } from './verify.ts';
import { pgpParallel, componentSpaceRecipe } from './worker-space.ts';

/** A result without what depends on the machine (time, memory) or on the threads that took part. */
function comparable(result: VerifyResult) {
  const { seconds, bytesPerState, perSlot, ...rest } = result;
  return { ...rest, perSlot: perSlot.map(({ bytesPerState: _, ...figures }) => figures) };
}

const scope = exploreScope({ writes: 1, clients: 1, maxDepth: 1000, maxStates: 1_000_000 });
const twoSites = resolveConfig(JSON.parse(readFileSync('examples/two-sites.json', 'utf8')));
const cases = [
  ...PRESETS.map((p) => ({ name: p.name, config: p.config, maxStates: 1_000_000 })),
  // Six members, six rotations; stopped by the cap partway through a level.
  { name: 'examples/two-sites.json, capped', config: twoSites, maxStates: 30_001 },
];

describe('PGP spaces explored on worker threads (pgp/worker-space.ts)', () => {
  it.each(cases)('$name: the same states, transitions, verdicts and traces on 1 and 2 threads', ({ name, config, maxStates }) => {
    const cluster = compileCluster(config);
    const properties = PROPERTIES.filter((p) => p.notApplicable(cluster) === undefined && p.needsTime !== true);
    // And on two presets the properties' subjects, as `check` explores them for vacuity.
    const subjects = ['recommended', 'dmz-ring'].includes(name) ? properties.flatMap((p) => subjectProperty(p) ?? []) : [];
    for (const judged of [properties, subjects]) {
      if (judged.length === 0) continue;
      const options: VerifyOptions = { maxDepth: 1000, maxStates };
      const before = parallelHandovers();
      const alone = exploreComponents(cluster, scope, judged, ringSymmetries(cluster), options);
      const together = exploreComponents(cluster, scope, judged, ringSymmetries(cluster), {
        ...options,
        parallel: { workers: 2, recipe: componentSpaceRecipe, fromLevel: 256, chunk: 499, waitForThreads: true },
      });
      expect(comparable(together)).toEqual(comparable(alone));
      // The threads took part where a component is large enough to have a level of 256 states.
      if (alone.perSlot.some((s) => s.states > 5000)) expect(parallelHandovers()).toBeGreaterThan(before);
    }
  });

  it('a space judged on a property outside the catalogue has no recipe (it is explored in one thread)', () => {
    const cluster = compileCluster(PRESETS[0]!.config);
    const own = { ...PROPERTIES[0]!, name: 'my-own' };
    const before = parallelHandovers();
    const result = exploreComponents(cluster, scope, [own], ringSymmetries(cluster), {
      maxDepth: 1000,
      maxStates: 1_000_000,
      parallel: { workers: 2, recipe: componentSpaceRecipe, fromLevel: 1, waitForThreads: true },
    });
    expect(result.states).toBeGreaterThan(100);
    expect(parallelHandovers()).toBe(before);
    expect(pgpParallel(1)).toBeUndefined();
  });
});
