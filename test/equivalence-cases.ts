/**
 * What the equivalence harness (`test/equivalence.ts`) runs on: every preset, every example in
 * `examples/`, and a fixed corpus of configs drawn from the config schema (`test/config-corpus.ts`), each
 * with a scope: the one `check` searches (one key of each kind its properties read, one client) and, for
 * the corpus, time steps and bounds drawn with the config, so that time, its horizon and the write-once
 * bound are all exercised.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ClusterConfig } from '../config/schema.ts';
import { PRESETS } from '../config/presets.ts';
import { resolveConfig } from '../config/validate.ts';
import { DEFAULT_HOURS, makeScope, type Scope } from '../model/enabled.ts';
import { setAutoFreeze } from 'immer';
import { describe, expect, it } from 'vitest';
import { compileCluster } from '../model/cluster.ts';
import { describeSlot } from '../model/projection.ts';
import { ringSymmetries } from '../model/symmetry.ts';
import { subjectProperty } from '../pgp/target.ts';
import { componentExplorations } from '../pgp/verify.ts';
import { PROPERTIES } from '../properties/index.ts';
import { configCorpus, seeded } from './config-corpus.ts';
import { compareEvaluations, describeDisagreement } from './equivalence.ts';
import { objectEvaluation, rowEvaluation } from './evaluations.ts';

export interface EquivalenceCase {
  readonly name: string;
  readonly config: ClusterConfig;
  readonly scope: Scope;
}

/** The corpus's seed: a failure names its config (`corpus-N`), and this seed with N reproduces it. */
export const CORPUS_SEED = Number(process.env.CORPUS_SEED ?? 20_20);
export const CORPUS_SIZE = 50;

const HOURS: readonly (readonly number[])[] = [[], [24], [1, 24, 336], DEFAULT_HOURS];
const HORIZONS: readonly (number | undefined)[] = [undefined, undefined, 48, 400];

/** The configs of `examples/`, by file name. */
export function exampleConfigs(): ClusterConfig[] {
  const folder = join(import.meta.dirname, '..', 'examples');
  return readdirSync(folder)
    .filter((f) => f.endsWith('.json') && f !== 'expected.json')
    .sort()
    .map((f) => resolveConfig(JSON.parse(readFileSync(join(folder, f), 'utf8'))));
}

export function equivalenceCases(): EquivalenceCase[] {
  const timed = makeScope(1, 1, DEFAULT_HOURS);
  const random = seeded(CORPUS_SEED + 1);
  const pick = <T>(values: readonly T[]): T => values[Math.floor(random() * values.length)]!;
  return [
    ...PRESETS.map((p) => ({ name: `preset ${p.name}`, config: p.config, scope: timed })),
    ...exampleConfigs().map((config) => ({ name: `example ${config.name}`, config, scope: timed })),
    ...configCorpus(CORPUS_SIZE, CORPUS_SEED).map((config) => {
      const hours = pick(HOURS);
      const horizon = hours.length === 0 ? undefined : pick(HORIZONS);
      const writeOnce = random() < 0.2;
      return { name: config.name, config, scope: { ...makeScope(1, 1, hours), writeOnce, ...(horizon === undefined ? {} : { maxClock: horizon }) } };
    }),
  ];
}

/**
 * The harness's tests for these cases: for each, every exploration the explorer makes of its components
 * (`componentExplorations`), object backend against row backend, to `depth` actions. A failure names the
 * case, the component, what disagreed (the action type, settling, a property, a declaration) and the path.
 */
export function describeEquivalence(cases: readonly EquivalenceCase[], depth: number): void {
  describe.each(cases.map((c) => [c.name, c] as const))('the object and row backends agree on %s', (_name, c) => {
    it(`on every component's states to depth ${depth}: enabled sets, successors, settling, verdicts, declarations`, () => {
      // Immer's freezing of every new state is a guard for code that might write to one; the harness
      // writes nothing and steps hundreds of thousands of states, so it does without (restored below).
      setAutoFreeze(false);
      try {
        compareCase(c, depth);
      } finally {
        setAutoFreeze(true);
      }
    });
  });
}

/** One case: every exploration of its components, object backend against row backend; a failure names each disagreement. */
function compareCase(c: EquivalenceCase, depth: number): void {
  const cluster = compileCluster(c.config);
  const all = [...PROPERTIES, ...PROPERTIES.flatMap((p) => subjectProperty(p) ?? [])].filter((p) => p.notApplicable(cluster) === undefined);
  const group = ringSymmetries(cluster);
  let states = 0;
  const problems: string[] = [];
  for (const exploration of componentExplorations(cluster, c.scope, all)) {
    const result = compareEvaluations(objectEvaluation(cluster, c.scope, exploration, all), rowEvaluation(cluster, c.scope, exploration, group), depth, 3);
    states += result.states;
    for (const d of result.disagreements) problems.push(`${describeSlot(exploration.slot)}: ${describeDisagreement(d)}`);
    if (problems.length > 0) break;
  }
  if (problems.length > 0) expect.fail(`${c.name}:\n  ${problems.join('\n  ')}`);
  // Not vacuous: the case was explored.
  expect(states).toBeGreaterThan(depth);
}

/** How deep the harness goes (`EQUIVALENCE_DEPTH=4` for a deeper run). */
export const EQUIVALENCE_DEPTH = Number(process.env.EQUIVALENCE_DEPTH ?? 3);
