import { PRESETS } from '../config/presets.ts';
import { exploreConfig } from '../pgp/explore.ts';
const depth = Number(process.argv[2] ?? 6);
const hours = process.argv[3] === 'time' ? [24, 336] : [];
for (const p of PRESETS) {
  const bounds = { writes: 1, clients: 1, maxDepth: depth, maxStates: 3_000_000, hours, ...(hours.length ? { horizon: 336 } : {}) };
  const a = exploreConfig(p.config, bounds, { full: false, symmetry: true, properties: [] });
  const b = exploreConfig(p.config, bounds, { full: true, symmetry: true, properties: [] });
  const s = (r: typeof a) => r.results.map((x) => `${x.property}:${x.verdict}:${x.shortest?.length ?? '-'}`);
  const diff = s(a).filter((x, i) => x !== s(b)[i]);
  console.log(`${p.name}: rows ${a.states} in ${a.seconds.toFixed(2)}s, full product ${b.states} in ${b.seconds.toFixed(2)}s ${diff.length ? `DIFF ${diff.join(' ')} vs ${s(b).filter((x, i) => x !== s(a)[i]).join(' ')}` : 'same'}`);
}
