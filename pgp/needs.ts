/**
 * What a risk needs: the members and links its shortest violation has down or cut, and the members the
 * property itself takes down after replication quiesces (the "with any maxDown members down" of the
 * availability properties: hypothetical failures, which no action of the trace shows). The risk report's
 * summary, its trace, the Mermaid diagram and the HTML explorer show them; an acceptance limited to
 * `members` is read against them.
 */
import type { ClusterConfig } from '../config/schema.ts';
import type { Action } from '../model/actions.ts';
import { type ClusterModel, compileCluster, initialState } from '../model/cluster.ts';
import type { ClusterState } from '../model/state.ts';
import { step } from '../model/step.ts';
import type { ClusterProperty } from '../properties/types.ts';

export interface RiskNeeds {
  /** Members the trace's actions name (the writer, the member a client enrolls at, the member crashed), in ring order. */
  readonly named: readonly string[];
  /** Members down (or removed) when the property fails, as the trace leaves them. */
  readonly down: readonly string[];
  /** Links cut when the property fails (`m1|m2`). */
  readonly cut: readonly string[];
  /** Members the property takes down after replication quiesces (hypothetical: no action of the trace). */
  readonly hypothetical: readonly string[];
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

/** The state after the first `length` actions, or undefined when they do not replay (they always should). */
function replayed(model: ClusterModel, actions: readonly Action[]): ClusterState | undefined {
  try {
    return actions.reduce((state, action) => step(model, state, action), initialState(model));
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
  const state = replayed(model, prefix);
  if (state === undefined) return undefined;
  const ids = model.members.map((m) => m.id);
  const named = new Set(prefix.flatMap(namedBy));
  const inRing = (set: ReadonlySet<string>) => ids.filter((id) => set.has(id));
  const down = state.members.filter((m) => m.status === 'down' || m.status === 'removed').map((m) => m.id);
  const hypothetical = property?.advice?.outage?.(model, state) ?? [];
  return {
    named: inRing(named),
    down,
    cut: Object.keys(state.cutLinks).sort(),
    hypothetical: hypothetical.map((m) => ids[m]!),
  };
}
