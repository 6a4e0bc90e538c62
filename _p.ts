import { PRESETS } from './config/presets.ts';
import { makeTarget } from './cli/target.ts';
import { searchRandom } from './checker/random.ts';
const t = makeTarget(PRESETS[0]!.config); const bp = t.properties.find(x => x.property.name === 'eventual-convergence')!;
searchRandom(t.fast, bp.fast, { runs: 5000, seed: 1, maxLength: 12 });
const t0 = performance.now(); const r = searchRandom(t.fast, bp.fast, { runs: 30000, seed: 2, maxLength: 12 });
const dt = (performance.now() - t0) / 1000;
console.log(Math.round(r.runs / dt), 'walks/s', Math.round(r.statesChecked / dt), 'prefixes/s', t.engine.modelSteps);
