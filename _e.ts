import { PRESETS } from './config/presets.ts';
import { componentEngine, checkableModel } from './cli/target.ts';
import { compileCluster } from './model/cluster.ts';
import { makeScope } from './model/enabled.ts';
import { exploreComponents } from './checker/components.ts';
import { explore } from './checker/explore.ts';
import { ringSymmetries, identity } from './model/symmetry.ts';
import { PROPERTIES } from './properties/index.ts';
import { stateKey } from './model/fingerprint.ts';
for (const preset of PRESETS) {
  const cluster = compileCluster(preset.config);
  const scope = makeScope(1, 1);
  for (const sym of [true, false]) {
    const group = sym ? ringSymmetries(cluster) : [identity(cluster.size)];
    const engine = componentEngine(cluster, scope, group);
    const props = PROPERTIES.filter(p => !p.notApplicable(cluster)).map(p => ({ name: p.name, kind: p.kind, combine: 'all' as const, check: (s: any) => p.check(cluster, s) }));
    const r = exploreComponents(engine, props, { maxDepth: 100, maxStates: 5e6 });
    console.log(preset.name, 'sym', group.length, 'states', r.states, 'trans', r.transitions, 'depth', r.depth, 'exh', r.exhausted, 's', r.seconds.toFixed(2), 'rate', Math.round(r.states / r.seconds), 'modelSteps', engine.modelSteps);
    console.log('   ', r.results.map(x => `${x.name}:${x.verdict}${x.shortest ? '(' + x.shortest.length + ')' : ''}`).join(' '));
  }
}
