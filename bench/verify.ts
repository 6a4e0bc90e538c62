/**
 * `npm run bench`, first part: the exhaustive verdicts (`explore` and `check` on the packed rows of
 * `model/component.ts`), beside the targets they are measured against. Medians of repeated runs in this one
 * process; wall-clock seconds and, since this machine is shared, the CPU seconds of the process too.
 *
 * - `explore --preset dmz-ring`, all properties, default bounds (target: exhausted in under 1 s);
 * - every preset and every example explored with default bounds (target: all exhausted,
 *   `examples/two-sites.json` in under 60 s);
 * - states per second once warm and bytes per visited state (targets: 1,000,000/s, 32 bytes);
 * - `explore --preset recommended --hours default` (target: exhausted in under 60 s and 2 GB).
 *
 * Options: --quick (one repetition, and the slow rows skipped), --json.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EXPLORE_DEFAULTS } from '../cli/explore-command.ts';
import { type ExploreReport, exploreConfig } from '../pgp/explore.ts';
import { findPreset, PRESETS } from '../config/presets.ts';
import type { ClusterConfig } from '../config/schema.ts';
import { resolveConfig } from '../config/validate.ts';
import { DEFAULT_HOURS } from '../model/enabled.ts';
import { CHECK_STATE_BUDGET, checkTarget, makeTarget } from '../pgp/check.ts';
import { findProperty } from '../properties/index.ts';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const json = args.includes('--json');
const repeats = quick ? 1 : 3;

const defaults = { writes: EXPLORE_DEFAULTS.writes, clients: EXPLORE_DEFAULTS.clients, maxDepth: EXPLORE_DEFAULTS.maxDepth, maxStates: EXPLORE_DEFAULTS.maxStates };
const choices = { full: false, symmetry: true, properties: [] as string[] };

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

interface Row {
  readonly name: string;
  readonly seconds: number;
  readonly cpuSeconds: number;
  readonly states: number;
  readonly exhausted: boolean;
  readonly statesPerSecond: number;
  readonly bytesPerState: number | null;
  readonly heapMb: number;
  readonly target: string;
  readonly met: boolean;
}

function measure(name: string, config: ClusterConfig, bounds: Parameters<typeof exploreConfig>[1], target: { seconds: number; text: string }, times = repeats): Row {
  const runs: { report: ExploreReport; cpu: number; wall: number }[] = [];
  for (let i = 0; i < times; i++) {
    const cpu = process.cpuUsage();
    const started = performance.now();
    const report = exploreConfig(config, bounds, choices);
    const used = process.cpuUsage(cpu);
    runs.push({ report, cpu: (used.user + used.system) / 1e6, wall: (performance.now() - started) / 1000 });
  }
  const report = runs[0]!.report;
  const seconds = median(runs.map((r) => r.wall));
  const cpuSeconds = median(runs.map((r) => r.cpu));
  return {
    name,
    seconds,
    cpuSeconds,
    states: report.states,
    exhausted: report.exhausted,
    statesPerSecond: Math.round(report.states / Math.max(median(runs.map((r) => r.report.seconds)), 1e-6)),
    bytesPerState: report.bytesPerState,
    heapMb: Math.round(process.memoryUsage().rss / 2 ** 20),
    target: target.text,
    met: report.exhausted && seconds < target.seconds,
  };
}

const rows: Row[] = [];
const dmz = findPreset('dmz-ring')!.config;
// Warm up once (module loading, JIT), then measure.
exploreConfig(dmz, defaults, choices);
rows.push(measure('explore dmz-ring, all properties, default bounds', dmz, defaults, { seconds: 1, text: 'exhausted in < 1 s' }));
for (const preset of PRESETS) {
  if (preset.name === 'dmz-ring') continue;
  rows.push(measure(`explore ${preset.name}`, preset.config, defaults, { seconds: 60, text: 'exhausted' }, 1));
}
const examples = readdirSync('examples').filter((f) => f.endsWith('.json') && f !== 'expected.json');
for (const file of examples) {
  const config = resolveConfig(JSON.parse(readFileSync(join('examples', file), 'utf8')));
  const isTwoSites = file === 'two-sites.json';
  if (quick && isTwoSites) continue;
  rows.push(measure(`explore examples/${file}`, config, defaults, { seconds: 60, text: isTwoSites ? 'exhausted in < 60 s' : 'exhausted' }, 1));
}
if (!quick)
  rows.push(
    measure(
      'explore recommended --hours default',
      findPreset('recommended')!.config,
      { ...defaults, hours: [...DEFAULT_HOURS], horizon: EXPLORE_DEFAULTS.horizon },
      { seconds: 60, text: 'exhausted in < 60 s and 2 GB' },
      1,
    ),
  );

/**
 * `check --config examples/two-sites.json` at the default state budget: every property that time does
 * not decide must rest on an exhaustive exploration (the first "done when").
 */
interface CheckRow {
  readonly name: string;
  readonly seconds: number;
  readonly exhaustive: number;
  readonly timeless: number;
  readonly states: number;
  readonly met: boolean;
}
const checks: CheckRow[] = [];
if (!quick) {
  const config = resolveConfig(JSON.parse(readFileSync(join('examples', 'two-sites.json'), 'utf8')));
  const target = makeTarget(config);
  const started = performance.now();
  const results = checkTarget(target, { runs: 500, seed: 1, maxLength: 12, properties: [], maxStates: CHECK_STATE_BUDGET });
  const seconds = (performance.now() - started) / 1000;
  const timeless = results.filter((r) => r.verdict !== 'not-applicable' && findProperty(r.property)?.needsTime !== true);
  const exhaustive = timeless.flatMap((r) => (r.basis?.basis === 'exhaustive' ? [r.basis] : []));
  checks.push({
    name: `check examples/two-sites.json (state budget ${CHECK_STATE_BUDGET.toLocaleString('en-US')})`,
    seconds,
    exhaustive: exhaustive.length,
    timeless: timeless.length,
    states: Math.max(0, ...exhaustive.map((b) => b.states)),
    met: exhaustive.length === timeless.length,
  });
}

const fastest = rows.reduce((a, b) => (b.statesPerSecond > a.statesPerSecond ? b : a));
if (json) console.log(JSON.stringify({ rows, checks, fastestStatesPerSecond: fastest.statesPerSecond }, null, 2));
else {
  console.log('exhaustive verdicts (packed rows, per record), beside the targets of the verification issue:');
  for (const r of rows)
    console.log(
      `  ${r.met ? 'met ' : 'MISS'} ${r.name}: ${r.exhausted ? 'exhausted' : 'NOT exhausted'}, ${r.states.toLocaleString('en-US')} states in ${r.seconds.toFixed(2)} s (CPU ${r.cpuSeconds.toFixed(2)} s), ${r.statesPerSecond.toLocaleString('en-US')} states/s, ${r.bytesPerState ?? '-'} bytes/state, RSS ${r.heapMb} MB; target: ${r.target}`,
    );
  // Bytes per state mean something only where the states outnumber the tables' starting sizes.
  const largest = rows.reduce((a, b) => (b.states > a.states ? b : a));
  console.log(
    `  states per second, best row: ${fastest.statesPerSecond.toLocaleString('en-US')} (${fastest.name}); target 1,000,000. Bytes per state in the largest exploration (${largest.name}, ${largest.states.toLocaleString('en-US')} states): ${largest.bytesPerState ?? '-'}; target 32.`,
  );
  for (const c of checks)
    console.log(
      `  ${c.met ? 'met ' : 'MISS'} ${c.name}: ${c.exhaustive} of the ${c.timeless} properties that apply and that time does not decide rest on an exhaustive exploration (${c.states.toLocaleString('en-US')} states), in ${c.seconds.toFixed(1)} s; target: all of them`,
    );
}
