/**
 * Exhaustive exploration first, for any plug-in: each property of a config is explored within a state
 * budget (the instance's own engine, or the generic breadth-first `checker/explore.ts`) before anything
 * is left to random search.
 */
import { explore, findingVerdict } from './explore.ts';
import type { Explored, ExploredFirst, ExploreProgress, Instance, InstanceProperty } from './plugin.ts';
import type { RunOptions } from './run.ts';
import type { Bounds, ExplorationStop } from './verdict.ts';

/** The states explored per config before falling back to random search, when the options give no budget. */
export const DEFAULT_STATE_BUDGET = 8_000_000;

/** The bounds of the generic exploration when an instance names none. */
export const ANY_LENGTH: Bounds = { 'trace length': 'any' };

export function selectedProperties<S>(instance: Instance<S, unknown>, options: Pick<RunOptions, 'properties'>): readonly InstanceProperty<S>[] {
  return instance.properties.filter((p) => options.properties.length === 0 || options.properties.includes(p.name));
}

/** What the exploration tried first did: what it decided, why it stopped, and which properties it explored. */
export interface FirstExploration<A> extends ExploredFirst<A> {
  readonly explored: readonly string[];
}

/**
 * The stop that a property's verdict owes to: the exploration explored it and stopped before deciding
 * it (it falls back to random search) or with only a finding (basis `partial`); else undefined.
 */
export function stopOf<A>(first: FirstExploration<A>, property: string): ExplorationStop | undefined {
  if (first.stop === null || !first.explored.includes(property)) return undefined;
  return first.decided.get(property)?.basis === 'exhaustive' ? undefined : first.stop;
}

/**
 * Exhaustive exploration of a config's properties within the state budget: the instance's own engine
 * (`exploreFirst`), else the generic breadth-first search on its `key`. Returns what it decided, by
 * property name: every property it explored when it finished (basis `exhaustive`), or only the findings
 * (each a real trace, basis `partial`) when it stopped first, and why it stopped. The last progress
 * report of an exploration that stopped says so, with the properties it leaves to random search.
 */
export function exploreFirst<S, A>(instance: Instance<S, A>, options: RunOptions, onProgress?: (progress: ExploreProgress) => void): FirstExploration<A> {
  const budget = options.maxStates ?? DEFAULT_STATE_BUDGET;
  const none: FirstExploration<A> = { decided: new Map(), stop: null, explored: [] };
  if (budget === 0 || options.path !== undefined) return none;
  const properties = selectedProperties(instance, options).filter((p) => p.notApplicable === undefined && p.unexplorable === undefined);
  if (properties.length === 0) return none;
  const started = performance.now();
  const found = instance.exploreFirst ? instance.exploreFirst(properties.map((p) => p.name), budget, onProgress) : exploreGeneric(instance, properties, budget);
  if (found === undefined) return none;
  const first = { ...found, explored: properties.map((p) => p.name) };
  if (first.stop !== null && onProgress !== undefined) {
    const random = first.explored.filter((name) => !first.decided.has(name));
    onProgress({ states: first.stop.states, seconds: (performance.now() - started) / 1000, stopped: { stop: first.stop, random } });
  }
  return first;
}

/** The generic breadth-first exploration on the instance's `key` (undefined without one). */
function exploreGeneric<S, A>(instance: Instance<S, A>, properties: readonly InstanceProperty<S>[], budget: number): ExploredFirst<A> | undefined {
  const key = instance.key?.bind(instance);
  if (key === undefined) return undefined;
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
  // Without a guard of its own, only the budget stops it (its depth has no bound).
  return { decided, stop: result.exhausted ? null : { cause: 'state-budget', states: result.states, budget } };
}
