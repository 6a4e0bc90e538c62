/**
 * `npm run bench` (`-- --json` for JSON): the speed of the checker, measured side by side in one run.
 *
 * - random search, ours against the stock fast-check approach (`bench/stock.ts`): traces and model
 *   steps per second on a property that holds, and the ratio; again with our walks as long as the stock
 *   traces (the same proportions of each length); and the time spent inside the model's own updates,
 *   which bounds what any table can save from a cold start;
 * - time to the first violation, median over 20 seeds, for every violation a preset documents;
 * - time to reach each `sometimes` guard, the same way;
 * - exploration of the `recommended` preset: one record at a time (exhausted), the full product
 *   (distinct states per second, bytes per visited state), and the exhaustive verdict with every key
 *   written at most once;
 * - the cost of one immer update of the model, which is what the component engine saves.
 *
 * Repetitions alternate ours and stock so that both see the same machine load; medians are quoted.
 * Options: --json, --quick (fewer repetitions, for a smoke run).
 */
import { searchRandom } from '../checker/random.ts';
import { isFinding } from '../checker/trace.ts';
import type { Model, Property } from '../checker/types.ts';
import { checkTargets, runSearchTask } from '../pgp/check.ts';
import { exploreConfig } from '../pgp/explore.ts';
import { makeTarget } from '../pgp/target.ts';
import { PRESETS } from '../config/presets.ts';
import type { ClusterConfig } from '../config/schema.ts';
import type { Action } from '../model/actions.ts';
import { compileCluster, initialState } from '../model/cluster.ts';
import { applyAction } from '../model/step.ts';
import { findProperty, PROPERTIES } from '../properties/index.ts';
import { runStock, type StockResult } from './stock.ts';

const args = process.argv.slice(2);
const json = args.includes('--json');
const quick = args.includes('--quick');
for (const arg of args)
  if (arg !== '--json' && arg !== '--quick') {
    console.error(`error: unknown option "${arg}"; valid: --json, --quick`);
    process.exit(2);
  }

const median = (xs: number[]) => {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted.length % 2 === 1 ? sorted[sorted.length >> 1]! : (sorted[sorted.length / 2 - 1]! + sorted[sorted.length / 2]!) / 2;
};
const log = (text: string) => {
  if (!json) console.log(text);
};
const recommended = PRESETS.find((p) => p.name === 'recommended')!.config;

// ---------------------------------------------------------------------------------------------------
// 1. Random search throughput: ours against the stock approach, on a property that holds.

/** Our random search from a cold start: a fresh target and component engine every time. */
function ours(config: ClusterConfig, property: string, runs: number, seed: number, lengths?: readonly number[]) {
  const started = performance.now();
  const target = makeTarget(config);
  // The seconds inside the model's own calls are measured only when asked.
  target.engine.timing = true;
  const bound = target.properties.find((p) => p.property.name === property)!;
  const built = (performance.now() - started) / 1000;
  // The engine's time inside the model when the search first finds something (before shrinking).
  let modelSecondsAtFinding: number | undefined;
  const watched = {
    ...bound.onEngine,
    check: (state: Parameters<typeof bound.onEngine.check>[0]) => {
      const outcome = bound.onEngine.check(state);
      if (modelSecondsAtFinding === undefined && isFinding(bound.onEngine, outcome)) modelSecondsAtFinding = target.engine.modelSeconds;
      return outcome;
    },
  };
  const result = searchRandom(target.engineModel, watched, { runs, seed, maxLength: 12, ...(lengths === undefined ? {} : { lengths }) });
  const seconds = (performance.now() - started) / 1000;
  // Time to the first violation counts from before the target is built, as the stock approach's does.
  const found = result.foundAfterSeconds === undefined ? undefined : built + result.foundAfterSeconds;
  return {
    traces: result.runs,
    steps: result.statesChecked - result.runs,
    seconds,
    foundAfterSeconds: found,
    // Calls into the model (each an immer update: a step or a replication round) that the tables missed,
    // and the seconds spent inside them.
    modelSteps: target.engine.modelSteps,
    modelSeconds: target.engine.modelSeconds,
    components: target.engine.components.length,
    modelSecondsAtFinding,
  };
}

/**
 * The search's own harness with no model behind it: fast-check generating the same walks (same seed,
 * same lengths) and our loop picking, stepping and judging on a counter whose every step costs nothing.
 */
function harness(runs: number, seed: number, lengths?: readonly number[]): number {
  const counter: Model<number, 'tick'> = {
    initial: 0,
    enabled: () => ['tick'],
    step: (n) => n + 1,
    whyDisabled: () => undefined,
    describe: () => 'tick',
    classify: () => 'tick',
    pick: () => 'tick',
  };
  const holds: Property<number> = { name: 'holds', kind: 'always', check: () => ({ holds: true }) };
  const started = performance.now();
  searchRandom(counter, holds, { runs, seed, maxLength: 12, ...(lengths === undefined ? {} : { lengths }) });
  return (performance.now() - started) / 1000;
}

const throughputRuns = quick ? 2_000 : 10_000;
const repetitions = quick ? 3 : 7;

type OursRun = ReturnType<typeof ours> & { readonly harnessSeconds: number };

/** One of our cold searches on `recommended`, then the harness alone on the same walks. */
function oursAndHarness(property: string, seed: number, lengths?: readonly number[]): OursRun {
  const run = ours(recommended, property, throughputRuns, seed, lengths);
  return { ...run, harnessSeconds: harness(throughputRuns, seed, lengths) };
}

/** Medians over the repetitions of one way of running our search. */
function medians(runs: readonly OursRun[]) {
  const of = (f: (run: OursRun) => number) => median(runs.map(f));
  return {
    tracesPerSecond: of((r) => r.traces / r.seconds),
    stepsPerSecond: of((r) => r.steps / r.seconds),
    components: of((r) => r.components),
    modelCalls: of((r) => r.modelSteps),
    modelSeconds: of((r) => r.modelSeconds),
    harnessSeconds: of((r) => r.harnessSeconds),
  };
}

const measured = ['eventual-convergence', 'web-messenger-availability'].map((name) => {
  const property = findProperty(name)!;
  const walkRuns: OursRun[] = [];
  const equalRuns: OursRun[] = [];
  const stockRuns: StockResult[] = [];
  for (let rep = 0; rep < repetitions; rep++) {
    walkRuns.push(oursAndHarness(name, 1000 + rep));
    const b = runStock(recommended, property, throughputRuns, 1000 + rep);
    stockRuns.push(b);
    // The same number of walks, their lengths in the proportions of the stock traces just run.
    equalRuns.push(oursAndHarness(name, 1000 + rep, b.lengths));
  }
  const walks = medians(walkRuns);
  const equal = medians(equalRuns);
  const stockTraces = median(stockRuns.map((b) => b.traces / b.seconds));
  const row = {
    property: name,
    oursTracesPerSecond: Math.round(walks.tracesPerSecond),
    oursStepsPerSecond: Math.round(walks.stepsPerSecond),
    stockTracesPerSecond: Math.round(stockTraces),
    stockStepsPerSecond: Math.round(median(stockRuns.map((b) => b.steps / b.seconds))),
    stockMeanLength: +median(stockRuns.map((b) => b.lengths.reduce((sum, n, k) => sum + n * k, 0) / b.traces)).toFixed(2),
    tracesRatio: +(walks.tracesPerSecond / stockTraces).toFixed(1),
    equalLengthTracesPerSecond: Math.round(equal.tracesPerSecond),
    equalLengthStepsPerSecond: Math.round(equal.stepsPerSecond),
    equalLengthRatio: +(equal.tracesPerSecond / stockTraces).toFixed(1),
  };
  log(
    `random search on recommended, ${name} (holds; ${throughputRuns} traces, median of ${repetitions}):\n` +
      `  ours  ${row.oursTracesPerSecond.toLocaleString('en-US')} traces/s, ${row.oursStepsPerSecond.toLocaleString('en-US')} model steps/s (walks of 12 actions, every prefix judged)\n` +
      `  stock ${row.stockTracesPerSecond.toLocaleString('en-US')} traces/s, ${row.stockStepsPerSecond.toLocaleString('en-US')} model steps/s (fc.commands + fc.modelRun, up to 12 commands: ${row.stockMeanLength} applied on average)\n` +
      `  ours  ${row.equalLengthTracesPerSecond.toLocaleString('en-US')} traces/s, ${row.equalLengthStepsPerSecond.toLocaleString('en-US')} model steps/s (walks as long as the stock traces: the same proportions of each length)\n` +
      `  ratio ${row.tracesRatio}x traces/s; ${row.equalLengthRatio}x at equal lengths`,
  );
  return { row, walks, equal };
});
const throughput = measured.map((m) => m.row);

// ---------------------------------------------------------------------------------------------------
// 2. Time to the first violation, median over 20 seeds, for every documented violation.

const seeds = quick ? 5 : 20;

/**
 * Ours and stock, each from a cold start, searching one property of one preset over the seeds (5,000
 * traces each): medians of the time to the first finding, of our time inside the model by then, and of
 * the traces it took; and how many seeds found nothing.
 */
function race(config: ClusterConfig, name: string) {
  const property = findProperty(name)!;
  const ms = { ours: [] as number[], oursModel: [] as number[], stock: [] as number[] };
  const traces = { ours: [] as number[], stock: [] as number[] };
  let oursMissed = 0;
  let stockMissed = 0;
  for (let seed = 0; seed < seeds; seed++) {
    const a = ours(config, name, 5_000, seed);
    if (a.foundAfterSeconds === undefined) oursMissed++;
    else {
      ms.ours.push(a.foundAfterSeconds * 1000);
      ms.oursModel.push(a.modelSecondsAtFinding! * 1000);
      traces.ours.push(a.traces);
    }
    const b = runStock(config, property, 5_000, seed);
    if (b.foundAfterSeconds === undefined) stockMissed++;
    else {
      ms.stock.push(b.foundAfterSeconds * 1000);
      traces.stock.push(b.traces);
    }
  }
  const medianMs = (xs: number[]) => (xs.length ? +median(xs).toFixed(2) : null);
  return {
    oursMedianMs: medianMs(ms.ours),
    oursModelMedianMs: medianMs(ms.oursModel),
    oursMedianTraces: traces.ours.length ? median(traces.ours) : null,
    stockMedianMs: medianMs(ms.stock),
    stockMedianTraces: traces.stock.length ? median(traces.stock) : null,
    oursMissed,
    stockMissed,
  };
}

// Every violation a preset documents.
const firstViolation = PRESETS.flatMap((preset) =>
  preset.violates.map((name) => {
    const { oursMedianMs, oursModelMedianMs, stockMedianMs, oursMissed, stockMissed } = race(preset.config, name);
    const row = { preset: preset.name, property: name, oursMedianMs, oursModelMedianMs, stockMedianMs, oursMissed, stockMissed };
    log(
      `first violation, ${preset.name} / ${name} (median of ${seeds} seeds, from a cold start): ours ${row.oursMedianMs} ms (${row.oursModelMedianMs} ms inside the model), stock ${row.stockMedianMs} ms` +
        `${oursMissed || stockMissed ? ` (not found in 5,000 traces: ours ${oursMissed}, stock ${stockMissed})` : ''}`,
    );
    return row;
  }),
);

// ---------------------------------------------------------------------------------------------------
// 2b. Time to reach each `sometimes` guard (the interesting states of each kind of fault), median over
// the same seeds, on the first preset each applies to: where a search must go deep, not just far.

const firstPresetOf = new Map<string, (typeof PRESETS)[number]>();
for (const preset of PRESETS) {
  const cluster = compileCluster(preset.config);
  for (const p of PROPERTIES)
    if (p.kind === 'sometimes' && p.notApplicable(cluster) === undefined && !firstPresetOf.has(p.name)) firstPresetOf.set(p.name, preset);
}
const guardRows = [...firstPresetOf].map(([name, preset]) => {
  const { oursMedianMs, oursMedianTraces, stockMedianMs, stockMedianTraces, oursMissed, stockMissed } = race(preset.config, name);
  const row = { preset: preset.name, guard: name, oursMedianMs, oursMedianTraces, stockMedianMs, stockMedianTraces, oursMissed, stockMissed };
  log(
    `guard reached, ${preset.name} / ${name} (median of ${seeds} seeds, from a cold start): ours ${row.oursMedianMs} ms (${row.oursMedianTraces} traces), stock ${row.stockMedianMs} ms (${row.stockMedianTraces} traces)` +
      `${oursMissed || stockMissed ? `; not reached in 5,000 traces: ours ${oursMissed}, stock ${stockMissed} of ${seeds}` : ''}`,
  );
  return row;
});

// ---------------------------------------------------------------------------------------------------
// 3. Exploration of `recommended`.

const defaults = { writes: 1, clients: 1, maxDepth: 60, maxStates: 20_000_000 };
const everything = { full: false, symmetry: true, properties: [] };
const perRecord = exploreConfig(recommended, defaults, everything);
log(
  `explore recommended, one record at a time (1 key per kind, 1 client): ${perRecord.states.toLocaleString('en-US')} states, ${perRecord.exhausted ? 'exhausted' : 'NOT exhausted'} in ${perRecord.seconds.toFixed(2)} s (${perRecord.statesPerSecond.toLocaleString('en-US')} states/s)`,
);
const writeOnce = exploreConfig(recommended, { ...defaults, writeOnce: true }, everything);
log(
  `explore recommended, every key written at most once: exhaustive verdict in ${writeOnce.seconds.toFixed(3)} s (${writeOnce.states.toLocaleString('en-US')} states, ${writeOnce.exhausted ? 'exhausted' : 'NOT exhausted'}; ${writeOnce.results.filter((r) => r.verdict === 'violated').length} violations)`,
);
const productBudget = quick ? 300_000 : 2_000_000;
const product = exploreConfig(recommended, { ...defaults, maxStates: productBudget }, { ...everything, full: true });
log(
  `explore recommended, full product (compact rows): ${product.states.toLocaleString('en-US')} distinct states in ${product.seconds.toFixed(2)} s = ${product.statesPerSecond.toLocaleString('en-US')} states/s, ${product.bytesPerState} bytes per visited state; ${product.exhausted ? 'exhausted' : `not exhausted at ${productBudget.toLocaleString('en-US')} states (depth ${product.depth})`}`,
);
const productOnce = exploreConfig(recommended, { ...defaults, maxStates: productBudget, writeOnce: true }, { ...everything, full: true });
log(
  `explore recommended, full product, written at most once: ${productOnce.states.toLocaleString('en-US')} states in ${productOnce.seconds.toFixed(2)} s = ${productOnce.statesPerSecond.toLocaleString('en-US')} states/s; ${productOnce.exhausted ? 'exhausted' : `not exhausted at ${productBudget.toLocaleString('en-US')} states (depth ${productOnce.depth})`}`,
);

// ---------------------------------------------------------------------------------------------------
// 4. What one immer update of the model costs.

const cluster = compileCluster(recommended);
let state = initialState(cluster);
state = applyAction(cluster, state, { type: 'write', member: 'm1', record: { kind: 'user', key: 'alice' } });
const samples: [string, Action][] = [
  ['crash', { type: 'crash', member: 'm2' }],
  ['partition', { type: 'partition', a: 'm1', b: 'm3' }],
  ['write', { type: 'write', member: 'm2', record: { kind: 'domain', key: 'example.com' } }],
  ['replicate', { type: 'replicate', member: 'm1' }],
];
const updates = samples.map(([name, action]) => {
  const n = quick ? 20_000 : 200_000;
  for (let i = 0; i < 10_000; i++) applyAction(cluster, state, action);
  const started = performance.now();
  for (let i = 0; i < n; i++) applyAction(cluster, state, action);
  const microseconds = ((performance.now() - started) * 1000) / n;
  return { action: name, microseconds: +microseconds.toFixed(2) };
});
log(`one immer update of the model (µs): ${updates.map((u) => `${u.action} ${u.microseconds}`).join(', ')}`);

// What a cold start must spend whatever the engine does: every component state a search meets for the
// first time is computed by the model's own step or replication round (immer), timed inside the engine;
// and fast-check must generate the walks (the harness, timed on a model that costs nothing). Their sum
// bounds the traces per second from a cold start, however little the engine's tables, keys and picks cost.
const floors = measured.map(({ row, walks, equal }) => {
  const bound = (m: ReturnType<typeof medians>) => {
    const tracesPerSecond = Math.round(throughputRuns / (m.modelSeconds + m.harnessSeconds));
    return {
      components: m.components,
      modelCalls: m.modelCalls,
      modelSeconds: +m.modelSeconds.toFixed(3),
      harnessSeconds: +m.harnessSeconds.toFixed(3),
      maxTracesPerSecond: tracesPerSecond,
      maxRatio: +(tracesPerSecond / row.stockTracesPerSecond).toFixed(1),
    };
  };
  const floor = { property: row.property, walks: bound(walks), equalLength: bound(equal) };
  const say = (f: typeof floor.walks) =>
    `${f.components.toLocaleString('en-US')} component states met, ${f.modelCalls.toLocaleString('en-US')} model calls ${(f.modelSeconds * 1000).toFixed(0)} ms + harness ${(f.harnessSeconds * 1000).toFixed(0)} ms: at most ${f.maxTracesPerSecond.toLocaleString('en-US')} traces/s (${f.maxRatio}x stock)`;
  log(`floor from a cold start (the model's own updates + fast-check's harness), ${row.property}, median of ${repetitions}: walks of 12: ${say(floor.walks)}; at equal lengths: ${say(floor.equalLength)}`);
  return floor;
});

// ---------------------------------------------------------------------------------------------------
// 5. `npm start`'s work: every preset, default budget, in this thread.

const startStarted = performance.now();
await checkTargets(
  PRESETS.map((p) => ({ target: makeTarget(p.config), expectedViolations: p.violates })),
  { runs: 500, seed: 1, maxLength: 12, properties: [] },
  1,
  async (tasks) => tasks.map(runSearchTask),
);
const startSeconds = (performance.now() - startStarted) / 1000;
log(`every preset at the default budget (npm start's search, one thread): ${startSeconds.toFixed(2)} s`);

if (json) {
  console.log(
    JSON.stringify(
      {
        node: process.version,
        quick,
        throughput,
        firstViolation,
        guards: guardRows,
        explore: {
          perRecord: { states: perRecord.states, seconds: perRecord.seconds, statesPerSecond: perRecord.statesPerSecond, exhausted: perRecord.exhausted },
          writeOnce: { states: writeOnce.states, seconds: writeOnce.seconds, exhausted: writeOnce.exhausted },
          product: {
            states: product.states,
            seconds: product.seconds,
            statesPerSecond: product.statesPerSecond,
            bytesPerState: product.bytesPerState,
            exhausted: product.exhausted,
            depth: product.depth,
          },
          productWriteOnce: { states: productOnce.states, seconds: productOnce.seconds, statesPerSecond: productOnce.statesPerSecond, exhausted: productOnce.exhausted },
        },
        immerUpdateMicroseconds: updates,
        modelFloor: floors,
        everyPresetSeconds: startSeconds,
      },
      null,
      2,
    ),
  );
}
