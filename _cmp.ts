import { PRESETS } from './config/presets.ts';
import { makeTarget } from './cli/target.ts';
import { searchRandom } from './checker/random.ts';
import { runStock } from './bench/stock.ts';
import { PROPERTIES } from './properties/index.ts';
const rec = PRESETS[0]!;
for (const name of ['eventual-convergence', 'web-messenger-availability']) {
  const prop = PROPERTIES.find(p => p.name === name)!;
  for (let rep = 0; rep < 3; rep++) {
    const t = makeTarget(rec.config); const bp = t.properties.find(x => x.property.name === name)!;
    let t0 = performance.now(); const r = searchRandom(t.fast, bp.fast, { runs: 5000, seed: rep, maxLength: 12 }); const ours = (performance.now() - t0) / 1000;
    const s = runStock(rec.config, prop, 5000, rep);
    console.log(name, 'ours', Math.round(r.runs / ours), 'walks/s', Math.round(r.statesChecked / ours), 'prefixes/s; model steps', t.engine.modelSteps, 'components', t.engine.components.length, '; stock', Math.round(s.traces / s.seconds), 'traces/s');
  }
}
