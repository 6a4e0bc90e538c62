/**
 * How much failure a config survives, property by property (`tolerance`): the largest number of members
 * down at once (no link cut) under which each property holds, from none to all but one, and whether one
 * cut link (every member up) is survived; for each first failing level, the smallest failing set (the
 * members, or the link, that its shortest violation needs, hypothetical outages included).
 *
 * Each level is a variant of the config with that fault budget (`faultColumns`), checked by `check`'s
 * own exploration (`checker/explore-first.ts` on the packed engine), so every cell rests on an exhaustive
 * exploration within the stated bounds. The properties are monotone in the number of members down (a
 * larger budget keeps every trace of a smaller one, and asks "with any maxDown members down" of more), so
 * the top level is explored first and the first failing level found by bisection (`checker/levels.ts`).
 * A fault kind is one entry of `FAULT_COLUMNS`: a site split joins it when the model has sites.
 */
import { exploreFirst } from '../checker/explore-first.ts';
import type { Explored, ExploreProgress } from '../checker/plugin.ts';
import { largestHoldingLevels } from '../checker/levels.ts';
import type { Bounds } from '../checker/verdict.ts';
import { type ClusterConfig, sitesOf } from '../config/schema.ts';
import { validateConfig, formatProblem } from '../config/validate.ts';
import type { Action } from '../model/actions.ts';
import { findProperty, PROPERTIES } from '../properties/index.ts';
import { violationOf } from '../checker/trace.ts';
import { neededMembers, riskNeeds } from './needs.ts';
import { timeExplorations, timeStepsText } from './check-time.ts';
import { pgpInstance } from './plugin.ts';
import { makeTarget } from './target.ts';

/** A violation at one level: its shortest trace, the checker's words, and the members or links it needs. */
export interface ToleranceFailure {
  /** The fault budget it was found at (members down at once; 1 for the cut-link column). */
  readonly level: number;
  readonly actions: readonly Action[];
  readonly message: string;
  /** The members its shortest violation needs (named, down, hypothetically down), in ring order. */
  readonly members: readonly string[];
  /** Of those, the members it has down or takes down hypothetically: the failing set. */
  readonly down: readonly string[];
  /** The links it cuts, and the sites it splits off (`site dr`). */
  readonly cut: readonly string[];
}

/** A fault kind's cell: survived (a proof, or not), failed with what, or not explored and why. */
export type FaultCell =
  | { readonly verdict: 'survived'; readonly proven: boolean }
  | { readonly verdict: 'failed'; readonly failure: ToleranceFailure }
  | { readonly verdict: 'not-explored'; readonly reason: string };

export interface PropertyTolerance {
  readonly property: string;
  readonly kind: string;
  /** Why the property does not apply to this config, or why exploration cannot decide it; null when explored. */
  readonly notExplored: string | null;
  readonly notApplicable: string | null;
  /** The largest number of members down at once under which it holds (-1: it fails with every member up); null when not explored. */
  readonly survivesDown: number | null;
  /** Whether every level it rests on was explored to the end. */
  readonly proven: boolean;
  /** At the first failing level: the smallest failing set. */
  readonly firstFailure: ToleranceFailure | null;
  /** One cell per further fault kind (`FAULT_COLUMNS`): one cut link, and a site split when the config declares sites. */
  readonly faults: Readonly<Record<string, FaultCell>>;
}

/** One exploration the table rests on. */
export interface ToleranceExploration {
  readonly fault: string;
  readonly level: number;
  readonly states: number;
  readonly seconds: number;
  readonly finished: boolean;
}

export interface Tolerance {
  readonly config: string;
  readonly members: number;
  /** All but one: the most members that can be down at once. */
  readonly mostDown: number;
  /** The fault kinds of the further columns, in order, and what each variant is. */
  readonly columns: readonly { readonly name: string; readonly means: string }[];
  /** The bounds every cell rests on besides its fault budget. */
  readonly bounds: Bounds;
  readonly explorations: readonly ToleranceExploration[];
  readonly properties: readonly PropertyTolerance[];
  readonly seconds: number;
}

/**
 * A fault kind beside "members down": its column's name, what its variant of the config allows, and the
 * variant. A variant allows that fault alone (no member down), so its cell says what that one fault does.
 */
export interface FaultColumn {
  readonly name: string;
  readonly means: string;
  /** Whether the column applies to this config (a site split needs sites). */
  applies(config: ClusterConfig): boolean;
  variant(config: ClusterConfig): ClusterConfig;
}

/** The faults besides members down, one column each. */
export const FAULT_COLUMNS: readonly FaultColumn[] = [
  {
    name: 'one cut link',
    means: 'one link cut at a time, every member up',
    applies: () => true,
    variant: (config) => variant(config, { maxDown: 0, partitions: true, maxCutLinks: 1, removeMember: false, maxSiteSplits: 0 }),
  },
  {
    name: 'one site split',
    means: 'one site split off from the rest at a time, every member up, no link cut',
    applies: (config) => sitesOf(config.members).length >= 2,
    variant: (config) => variant(config, { maxDown: 0, partitions: false, removeMember: false, maxSiteSplits: 1 }),
  },
];

/** The config with other fault settings, validated as any config. */
function variant(config: ClusterConfig, faults: Partial<ClusterConfig['faults']>): ClusterConfig {
  const result = validateConfig({ ...config, faults: { ...config.faults, ...faults } });
  if (!result.ok) throw new Error(`internal error: a tolerance variant is invalid: ${result.errors.map(formatProblem).join('; ')}`);
  return result.config;
}

/** The config with `down` members down at once and no link cut: the members-down column's variant. */
export function downVariant(config: ClusterConfig, down: number): ClusterConfig {
  return variant(config, { maxDown: down, partitions: false, maxSiteSplits: 0 });
}

export interface ToleranceOptions {
  /** Property names (empty: every property but the guards). */
  readonly properties: readonly string[];
  /** The state budget of each exploration. */
  readonly maxStates: number;
  onProgress?(what: string, progress: ExploreProgress): void;
}

function failureOf(config: ClusterConfig, property: string, level: number, explored: Explored<Action>): ToleranceFailure {
  const target = makeTarget(config);
  const actions = explored.shortest ?? [];
  const bound = target.properties.find((p) => p.property.name === property)!;
  const violation = violationOf(target.model, bound.onModel, actions);
  if (violation === undefined) throw new Error(`internal error: the explored trace for ${property} does not violate it on the plain model`);
  const needs = riskNeeds(config, findProperty(property), actions, violation.step);
  const down = needs === undefined ? [] : config.members.map((m) => m.id).filter((id) => needs.down.includes(id) || needs.hypothetical.includes(id));
  return {
    level,
    actions,
    message: violation.message,
    members: needs === undefined ? [] : neededMembers(config, needs),
    down,
    cut: [...(needs?.cut ?? []), ...[...(needs?.split ?? []), ...(needs?.hypotheticalSplit ?? [])].map((site) => `site ${site}`)],
  };
}

/** Explores a variant of the config for these properties, as `check` explores one: what each decided. */
function exploreVariant(config: ClusterConfig, names: readonly string[], maxStates: number, onProgress?: (p: ExploreProgress) => void) {
  const instance = pgpInstance(makeTarget(config));
  const started = performance.now();
  const first = exploreFirst(instance, { runs: 0, seed: 0, maxLength: 0, properties: names, maxStates }, onProgress);
  return { first, seconds: (performance.now() - started) / 1000 };
}

export async function tolerance(config: ClusterConfig, options: ToleranceOptions): Promise<Tolerance> {
  const started = performance.now();
  const target = makeTarget(config);
  const selected = PROPERTIES.filter((p) => p.kind !== 'sometimes' && (options.properties.length === 0 || options.properties.includes(p.name)));
  const instance = pgpInstance(target);
  const byName = new Map(instance.properties.map((p) => [p.name, p]));
  const explorable = selected.filter((p) => byName.get(p.name)!.notApplicable === undefined && byName.get(p.name)!.unexplorable === undefined).map((p) => p.name);
  const mostDown = config.members.length - 1;
  const explorations: ToleranceExploration[] = [];
  let bounds: Bounds = {};
  const record = (fault: string, level: number, run: ReturnType<typeof exploreVariant>) => {
    const states = Math.max(0, ...[...run.first.decided.values()].map((e) => e.states));
    explorations.push({ fault, level, states: run.first.stop?.states ?? states, seconds: run.seconds, finished: run.first.stop === null });
    // The bounds of a timeless verdict (a time-decided one names its components' time steps too).
    const decided = [...run.first.decided].filter(([, e]) => e.bounds !== undefined);
    const any = decided.find(([name]) => findProperty(name)?.needsTime !== true) ?? decided[0];
    if (any !== undefined) bounds = any[1].bounds;
  };
  const levels = await largestHoldingLevels<ToleranceFailure>(explorable, 0, mostDown, async (level, names) => {
    const variantConfig = downVariant(config, level);
    const run = exploreVariant(variantConfig, names, options.maxStates, options.onProgress && ((p) => options.onProgress!(`${level} member${level === 1 ? '' : 's'} down`, p)));
    record('members down', level, run);
    return new Map(
      names.map((name) => {
        const decided = run.first.decided.get(name);
        const failed = decided?.verdict === 'violated' ? failureOf(variantConfig, name, level, decided) : undefined;
        return [name, { failed, proven: decided !== undefined && decided.basis === 'exhaustive' }] as const;
      }),
    );
  });
  const columns = FAULT_COLUMNS.filter((c) => c.applies(config));
  const cells = new Map<string, Map<string, FaultCell>>();
  for (const column of columns) {
    const variantConfig = column.variant(config);
    const run = exploreVariant(variantConfig, explorable, options.maxStates, options.onProgress && ((p) => options.onProgress!(column.name, p)));
    record(column.name, 1, run);
    cells.set(
      column.name,
      new Map(
        explorable.map((name) => {
          const decided = run.first.decided.get(name);
          const cell: FaultCell =
            decided?.verdict === 'violated'
              ? { verdict: 'failed', failure: failureOf(variantConfig, name, 1, decided) }
              : decided === undefined
                ? { verdict: 'not-explored', reason: `the exploration stopped before deciding it (${run.first.stop?.cause ?? 'its budget'})` }
                : { verdict: 'survived', proven: decided.basis === 'exhaustive' };
          return [name, cell];
        }),
      ),
    );
  }
  const properties = selected.map((p): PropertyTolerance => {
    const bound = byName.get(p.name)!;
    const why = bound.notApplicable ?? bound.unexplorable ?? null;
    const level = levels.get(p.name);
    return {
      property: p.name,
      kind: p.kind,
      notApplicable: bound.notApplicable ?? null,
      notExplored: bound.notApplicable === undefined ? (bound.unexplorable ?? null) : null,
      survivesDown: why !== null || level === undefined ? null : level.holdsUpTo,
      proven: level?.proven ?? false,
      firstFailure: level?.firstFailing?.finding ?? null,
      faults: Object.fromEntries(
        columns.map((c) => [c.name, cells.get(c.name)!.get(p.name) ?? ({ verdict: 'not-explored', reason: why ?? 'not explored' } as FaultCell)]),
      ),
    };
  });
  const { 'members down at once': _down, 'links cut at once': _cut, 'sites split off at once': _split, ...rest } = bounds as Record<string, string | number | boolean>;
  // What time decides was explored with time passing, each component with its own steps (`pgp/check-time.ts`).
  const timed = timeExplorations(config, target.cluster, selected.filter((p) => explorable.includes(p.name)));
  if (timed.length > 0) {
    const names = [...new Set(timed.flatMap((t) => t.judged.map((p) => p.name)))];
    rest['time steps (hours)'] = `none, but for ${names.join(' and ')}: ${timeStepsText(timed)}`;
  }
  return {
    config: config.name,
    members: config.members.length,
    mostDown,
    columns: columns.map(({ name, means }) => ({ name, means })),
    bounds: rest,
    explorations,
    properties,
    seconds: (performance.now() - started) / 1000,
  };
}
