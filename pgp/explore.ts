/**
 * `explore`: exhaustive breadth-first exploration of a config within bounds.
 *
 * By default each component (each record of the scope, and each client) is explored on its own against
 * the shared faults, on the rules' row backend (`exploreComponents` in `pgp/verify.ts`): every property
 * here is a conjunction over records and clients, and a record's fate depends only on the faults and the
 * actions that touch it, so this is exact (`model/decomposition.test.ts` checks the decomposition,
 * `cli/explore.test.ts` checks that it gives the full product's verdicts and shortest lengths) and far
 * smaller. `--full` explores the full product, on the component engine (`checker/product.ts`).
 */
import type { ComponentEngine } from '../checker/components.ts';
import { type ExploreProgress, type ExploreResult, findingVerdict } from '../checker/explore.ts';
import {
  depthCompleteOf,
  type ExploredProperty as GenericExploredProperty,
  type ExploreVerdict,
  judgeExploration,
} from '../checker/exploration.ts';
import { exploreProduct } from '../checker/product.ts';
import { type ClusterConfig, sitesOf } from '../config/schema.ts';
import type { Action } from '../model/actions.ts';
import { compileCluster } from '../model/cluster.ts';
import { makeScope, type Scope } from '../model/enabled.ts';
import type { ClusterState } from '../model/state.ts';
import { identity, ringSymmetries } from '../model/symmetry.ts';
import type { Bounds } from '../checker/verdict.ts';
import { PROPERTIES } from '../properties/index.ts';
import { componentEngine, componentProperty, instanceProperty } from './target.ts';
import { exploreComponents } from './verify.ts';
import { pgpParallel } from './worker-space.ts';

export interface ExploreBounds {
  /** Distinct record keys per kind that writes may use. */
  readonly writes: number;
  /** Desktop clients that may enroll. */
  readonly clients: number;
  readonly maxDepth: number;
  readonly maxStates: number;
  /** Each record written at most once. */
  readonly writeOnce?: boolean;
  /**
   * The steps `advanceTime` may take, in hours. Empty (the default): time does not pass, and the
   * properties only time can break are reported as not explored. The canonical key keeps hours relative
   * to the clock, but how long ago each copy was cached still multiplies the space.
   */
  readonly hours?: readonly number[];
  /** With time steps: how far time may pass, in hours after the start. */
  readonly horizon?: number;
}

export interface ExploreChoices {
  /** Explore the full product instead of one component at a time. */
  readonly full: boolean;
  /** Treat members that the ring's rotations map onto each other as one (`model/symmetry.ts`). */
  readonly symmetry: boolean;
  /** Property names to explore (empty: all). */
  readonly properties: readonly string[];
  /** Asked now and then whether to stop early (the command's memory guard): the reason, or undefined. */
  readonly stop?: () => string | undefined;
  /** Threads for the packed exploration of a large space (`pgp/worker-space.ts`; default 1): the same result on any number. */
  readonly workers?: number;
}

/** `not-explored`: a property only time can break, in bounds where time does not pass (`checker/exploration.ts`). */
export type { ExploreVerdict };

export type ExploredProperty = GenericExploredProperty<Action>;

export interface ExploreReport {
  readonly config: string;
  readonly reduction: 'per-record' | 'full product';
  /** Which evaluation explored it: the rules on rows (`model/row.ts`), or, for the full product, the component engine. */
  readonly engine: 'rows' | 'components';
  /** Every level up to this depth was explored completely (the whole space when exhausted). */
  readonly depthComplete: number;
  /** The bounds the verdicts rest on, by name. */
  readonly boundsText: Bounds;
  /** How many relabellings of members the symmetry reduction identifies (1: none). */
  readonly symmetry: number;
  readonly bounds: ExploreBounds;
  readonly states: number;
  readonly transitions: number;
  readonly depth: number;
  readonly exhausted: boolean;
  /** Why the search stopped before its bounds (memory running out), or null. */
  readonly stopped: string | null;
  readonly seconds: number;
  readonly statesPerSecond: number;
  /** Times the model's own `step` ran (the rest were table lookups). */
  readonly modelSteps: number;
  /** For the full product: bytes held per visited state by the explorer's compact encoding. */
  readonly bytesPerState: number | null;
  readonly results: readonly ExploredProperty[];
}

export function exploreScope(bounds: ExploreBounds): Scope {
  return {
    ...makeScope(bounds.writes, bounds.clients, bounds.hours ?? []),
    writeOnce: bounds.writeOnce === true,
    ...(bounds.horizon === undefined ? {} : { maxClock: bounds.horizon }),
  };
}

export function exploreConfig(
  config: ClusterConfig,
  bounds: ExploreBounds,
  choices: ExploreChoices,
  onProgress?: (progress: ExploreProgress) => void,
): ExploreReport {
  const cluster = compileCluster(config);
  const group = choices.symmetry ? ringSymmetries(cluster) : [identity(cluster.size)];
  const engine: ComponentEngine<ClusterState, Action> = componentEngine(cluster, exploreScope(bounds), group);
  const selected = PROPERTIES.filter((p) => choices.properties.length === 0 || choices.properties.includes(p.name));
  // Time passes only with a step that fits within the horizon.
  const timeless = !(bounds.hours ?? []).some((h) => bounds.horizon === undefined || h <= bounds.horizon);
  const unexplored = (p: (typeof selected)[number]) => timeless && p.needsTime === true;
  const applicable = selected.filter((p) => p.notApplicable(cluster) === undefined && !unexplored(p));
  const options = {
    maxDepth: bounds.maxDepth,
    maxStates: bounds.maxStates,
    ...(onProgress ? { onProgress } : {}),
    ...(choices.stop ? { stop: choices.stop } : {}),
    parallel: pgpParallel(choices.workers ?? 1),
  };
  const componentProperties = applicable.map((p) => componentProperty(cluster, p));
  const packed = !choices.full;
  const result: ExploreResult<Action> & { bytesPerState?: number; depthComplete?: number } = packed
    ? fromRows(exploreComponents(cluster, exploreScope(bounds), applicable, group, options), applicable)
    : exploreProduct(engine, componentProperties, options);
  const boundsText = describeBounds(config, bounds);
  const depthComplete = depthCompleteOf(result);
  const generic = (property: (typeof selected)[number]) =>
    instanceProperty(
      cluster,
      property,
      timeless ? 'only time passing can break it, and time does not pass in these bounds (give --hours, with a step no longer than --horizon)' : undefined,
    );
  const explored = applicable.map(generic);
  const all = selected.map((p) => explored[applicable.indexOf(p)] ?? generic(p));
  const results = judgeExploration(engine.base, all, explored, result, boundsText);
  return {
    config: config.name,
    reduction: choices.full ? 'full product' : 'per-record',
    engine: packed ? 'rows' : 'components',
    depthComplete,
    boundsText,
    symmetry: group.length,
    bounds,
    states: result.states,
    transitions: result.transitions,
    depth: result.depth,
    exhausted: result.exhausted,
    stopped: result.stopped ?? null,
    seconds: result.seconds,
    statesPerSecond: result.seconds > 0 ? Math.round(result.states / result.seconds) : result.states,
    modelSteps: packed ? 0 : engine.modelSteps,
    bytesPerState: result.bytesPerState ?? null,
    results,
  };
}

/** The row explorer's result in the shape of the other explorers'. */
function fromRows(result: ReturnType<typeof exploreComponents>, properties: readonly (typeof PROPERTIES)[number][]) {
  return {
    states: result.states,
    transitions: result.transitions,
    depth: Number.isFinite(result.depthComplete) ? result.depthComplete : Math.max(0, ...result.perSlot.map((s) => s.depthComplete)),
    depthComplete: Number.isFinite(result.depthComplete) ? result.depthComplete : Math.max(0, ...result.perSlot.map((s) => s.depthComplete)),
    exhausted: result.complete,
    ...(result.stopped === undefined ? {} : { stopped: result.stopped }),
    seconds: result.seconds,
    bytesPerState: result.bytesPerState,
    results: properties.map((property, p) => {
      const finding = result.findings[p]!;
      const verdict = findingVerdict(property.kind, finding.shortest !== null);
      return { name: property.name, kind: property.kind, verdict, shortest: finding.shortest, message: finding.message, coverage: finding.coverage } as const;
    }),
  };
}

/**
 * The bounds an exploration's verdicts rest on, in words: one key per record kind and one client stand
 * for any number of them (each property is a conjunction over records and clients, and every key of a
 * kind follows the same rules), so the bounds that remain are the fault budget, the cut links, the time
 * steps and the depth.
 */
export function describeBounds(config: ClusterConfig, bounds: ExploreBounds): Bounds {
  const hours = bounds.hours ?? [];
  return {
    members: config.members.length,
    'members down at once': config.faults.maxDown,
    'links cut at once': config.faults.partitions ? Math.min(config.faults.maxCutLinks, (config.members.length * (config.members.length - 1)) / 2) : 0,
    // Named only where the members name sites: a bound no other config has.
    ...(sitesOf(config.members).length > 0 ? { 'sites split off at once': config.faults.maxSiteSplits } : {}),
    'keys per record kind': bounds.writes,
    clients: bounds.clients,
    'each record written': bounds.writeOnce ? 'at most once' : 'any number of times',
    'time steps (hours)': hours.length === 0 ? 'none: time does not pass' : hours.join(', '),
    ...(hours.length > 0 ? { 'time passes up to (hours)': bounds.horizon ?? 'unbounded' } : {}),
    'trace length': bounds.maxDepth >= 100_000 ? 'any' : `up to ${bounds.maxDepth} actions`,
  };
}
