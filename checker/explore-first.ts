/**
 * Exhaustive exploration first, for any plug-in: each property of a config is explored within a state
 * budget (the instance's own engine, or the generic breadth-first `checker/explore.ts`) before anything
 * is left to random search.
 */
import { explore, findingVerdict } from './explore.ts';
import type { Explored, ExploreProgress, Instance, InstanceProperty } from './plugin.ts';
import type { RunOptions } from './run.ts';
import type { Bounds } from './verdict.ts';

/** The states explored per config before falling back to random search, when the options give no budget. */
export const DEFAULT_STATE_BUDGET = 8_000_000;

/** The bounds of the generic exploration when an instance names none. */
export const ANY_LENGTH: Bounds = { 'trace length': 'any' };

export function selectedProperties<S>(instance: Instance<S, unknown>, options: Pick<RunOptions, 'properties'>): readonly InstanceProperty<S>[] {
  return instance.properties.filter((p) => options.properties.length === 0 || options.properties.includes(p.name));
}

/**
 * Exhaustive exploration of a config's properties within the state budget: the instance's own engine
 * (`exploreFirst`), else the generic breadth-first search on its `key`. Returns what it decided, by
 * property name: every property it explored when it finished (basis `exhaustive`), or only the findings
 * (each a real trace, basis `partial`) when the budget ran out first.
 */
export function exploreFirst<S, A>(instance: Instance<S, A>, options: RunOptions, onProgress?: (progress: ExploreProgress) => void): Map<string, Explored<A>> {
  const budget = options.maxStates ?? DEFAULT_STATE_BUDGET;
  if (budget === 0 || options.path !== undefined) return new Map();
  const properties = selectedProperties(instance, options).filter((p) => p.notApplicable === undefined && p.unexplorable === undefined);
  if (properties.length === 0) return new Map();
  if (instance.exploreFirst) return instance.exploreFirst(properties.map((p) => p.name), budget, onProgress);
  const key = instance.key?.bind(instance);
  if (key === undefined) return new Map();
  // The subjects are looked for in the same search, as `sometimes` properties.
  const subjects = properties.flatMap((p) => (p.subject === undefined ? [] : [{ name: p.name, subject: { ...p.subject, kind: 'sometimes' as const } }]));
  const result = explore(instance.model, [...properties.map((p) => p.property), ...subjects.map((s) => s.subject)], {
    maxDepth: Number.POSITIVE_INFINITY,
    maxStates: budget,
    key,
  });
  const bounds = instance.bounds ?? ANY_LENGTH;
  const decided = new Map<string, Explored<A>>();
  properties.forEach((property, p) => {
    const finding = result.results[p]!;
    const found = finding.shortest !== null;
    if (!found && !result.exhausted) return;
    const subject = subjects.findIndex((s) => s.name === property.name);
    const vacuous = result.exhausted && !found && subject !== -1 && result.results[properties.length + subject]!.shortest === null && property.kind !== 'sometimes';
    decided.set(property.name, {
      verdict: vacuous ? 'vacuous' : findingVerdict(property.kind, found),
      basis: result.exhausted ? 'exhaustive' : 'partial',
      states: result.states,
      bounds,
      depthComplete: result.exhausted ? null : Math.max(0, result.depth - 1),
      shortest: finding.shortest,
    });
  });
  return decided;
}
