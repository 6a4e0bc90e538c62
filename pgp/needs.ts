/**
 * What a risk needs: the members and links its shortest violation has down or cut, and the members the
 * property itself takes down after replication quiesces (the "with any maxDown members down" of the
 * availability properties: hypothetical failures, which no action of the trace shows). The risk report's
 * summary, its trace, the Mermaid diagram and the HTML explorer show them; an acceptance limited to
 * `members` is read against them.
 */
import type { ClusterConfig } from '../config/schema.ts';
import type { Action } from '../model/actions.ts';
import { type CompiledCluster, compileCluster, initialState } from '../model/cluster.ts';
import type { ClusterState } from '../model/state.ts';
import { step } from '../model/step.ts';
import type { ClusterProperty } from '../properties/types.ts';

export interface RiskNeeds {
  /** Members the trace's actions name (the writer, the member a client enrolls at, the member crashed), in ring order. */
  readonly named: readonly string[];
  /** Members the trace takes down (or removes) at some step before the property fails, in ring order. */
  readonly down: readonly string[];
  /** Of those, the members back up when it fails (an outage and a return: what a returning member owes). */
  readonly back: readonly string[];
  /** Links the trace cuts at some step before the property fails (`m1|m2`). */
  readonly cut: readonly string[];
  /** Members the property takes down after replication quiesces (hypothetical: no action of the trace). */
  readonly hypothetical: readonly string[];
  /** Sites the trace splits off at some step before the property fails. */
  readonly split: readonly string[];
  /** Sites the property splits off after replication quiesces (hypothetical: no action of the trace). */
  readonly hypotheticalSplit: readonly string[];
}

/** Every member a risk needs: named, down, or taken down hypothetically, in ring order. */
export function neededMembers(config: ClusterConfig, needs: RiskNeeds): string[] {
  const all = new Set([...needs.named, ...needs.down, ...needs.hypothetical, ...needs.cut.flatMap((l) => l.split('|'))]);
  return config.members.map((m) => m.id).filter((id) => all.has(id));
}

/** The members an action names, in the order of its fields. */
function namedBy(action: Action): string[] {
  return Object.values(action).filter((v): v is string => typeof v === 'string');
}

/** Every state of a trace, the initial one first, or undefined when it does not replay (it always should). */
function replayed(model: CompiledCluster, actions: readonly Action[]): ClusterState[] | undefined {
  const states = [initialState(model)];
  try {
    for (const action of actions) states.push(step(model, states.at(-1)!, action));
    return states;
  } catch {
    return undefined;
  }
}

/**
 * What the violation of `property` by `actions` (failing after `failsAt` actions) needs. Undefined when
 * the trace does not replay.
 */
export function riskNeeds(config: ClusterConfig, property: ClusterProperty | undefined, actions: readonly Action[], failsAt: number = actions.length): RiskNeeds | undefined {
  const model = compileCluster(config);
  const prefix = actions.slice(0, failsAt);
  const states = replayed(model, prefix);
  if (states === undefined) return undefined;
  const state = states.at(-1)!;
  const ids = model.members.map((m) => m.id);
  const inRing = (set: ReadonlySet<string>) => ids.filter((id) => set.has(id));
  const down = new Set(states.flatMap((s) => s.members.filter((m) => m.status === 'down' || m.status === 'removed').map((m) => m.id)));
  const cut = new Set(states.flatMap((s) => Object.keys(s.cutLinks)));
  const hypothetical = property?.advice?.outage?.(model, state) ?? [];
  const split = new Set(states.flatMap((s) => Object.keys(s.splitSites)));
  const hypotheticalSplit = property?.advice?.splitOff?.(model, state) ?? [];
  return {
    named: inRing(new Set(prefix.flatMap(namedBy))),
    down: inRing(down),
    back: inRing(down).filter((id) => state.members[model.position.get(id)!]!.status === 'up'),
    cut: [...cut].sort(),
    hypothetical: hypothetical.map((m) => ids[m]!),
    split: model.sites.filter((site) => split.has(site)),
    hypotheticalSplit: hypotheticalSplit.map((s) => model.sites[s]!),
  };
}
