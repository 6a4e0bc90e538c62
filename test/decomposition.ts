/**
 * The per-record rule and each action's declared owner (`owner` in `ACTIONS`, `model/step.ts`), checked
 * on one state at a time: shared by the exhaustive check of small configs (`model/decomposition.test.ts`)
 * and the check of every declaration (`model/actions.test.ts`).
 *
 * What the component engine (`checker/components.ts`) and exploration take from a declaration: an
 * owned action is enabled exactly when its owner's component enables it, and leaves every other
 * component as it was; a shared action is enabled exactly when any component (each one) enables it. And
 * every action commutes with projection: projecting after the step equals stepping the projection.
 */
import { explore } from '../checker/explore.ts';
import type { Model } from '../checker/types.ts';
import { checkableModel } from '../pgp/target.ts';
import type { ClusterConfig } from '../config/schema.ts';
import type { Action, ActionType } from '../model/actions.ts';
import { describeAction } from '../model/step.ts';
import { type CompiledCluster, compileCluster } from '../model/cluster.ts';
import { candidateActions, type Scope } from '../model/enabled.ts';
import { canonicalStateKey } from '../model/projection.ts';
import { describeSlot, ownerSlot, project, type Slot, scopeSlots } from '../model/projection.ts';
import type { ClusterState } from '../model/state.ts';

export class DecompositionCheck {
  readonly model: Model<ClusterState, Action>;
  readonly slots: readonly Slot[];
  readonly candidates: readonly Action[];
  /** Comparisons made, and the action types seen enabled. */
  checked = 0;
  readonly seen = new Set<ActionType>();

  constructor(
    readonly cluster: CompiledCluster,
    scope: Scope,
  ) {
    this.model = checkableModel(cluster, scope);
    this.slots = scopeSlots(scope);
    this.candidates = candidateActions(cluster, scope);
  }

  key(state: ClusterState): string {
    return `${state.clock}#${canonicalStateKey(this.cluster, state)}`;
  }

  /** Each state's problems by action type, found once (a test asks per type, state after state). */
  private readonly found = new WeakMap<ClusterState, ReadonlyMap<ActionType, readonly string[]>>();

  /** What is wrong with the candidates (of one type, if given) in this state: each problem names the action and its type. */
  problems(state: ClusterState, type?: ActionType): string[] {
    let byType = this.found.get(state);
    if (byType === undefined) {
      byType = this.problemsByType(state);
      this.found.set(state, byType);
    }
    return type === undefined ? [...byType.values()].flat() : [...(byType.get(type) ?? [])];
  }

  private problemsByType(state: ClusterState): Map<ActionType, string[]> {
    const { model, slots } = this;
    const byType = new Map<ActionType, string[]>();
    const projections = slots.map((slot) => project(state, slot));
    // Each projection's key, made once per state (every action owned elsewhere compares with it).
    const projectedKeys: (string | undefined)[] = [];
    const keyOfProjection = (i: number) => (projectedKeys[i] ??= this.key(projections[i]!));
    for (const action of this.candidates) {
      const problems = byType.get(action.type) ?? [];
      byType.set(action.type, problems);
      const what = `${describeAction(action)} (a ${action.type} action)`;
      const enabled = model.whyDisabled(state, action) === undefined;
      const owner = ownerSlot(slots, action);
      if (owner === undefined) {
        problems.push(`${what} belongs to no component of the scope (its declared owner)`);
        continue;
      }
      const ownerName = owner === 'shared' ? "'shared'" : describeSlot(slots[owner]!);
      const deciding = owner === 'shared' ? slots.map((_, i) => i) : [owner];
      for (const i of deciding)
        if ((model.whyDisabled(projections[i]!, action) === undefined) !== enabled)
          problems.push(
            `${what} is ${enabled ? '' : 'not '}enabled, but ${enabled ? 'not ' : ''}on ${describeSlot(slots[i]!)}, which decides it for its declared owner ${ownerName}`,
          );
      if (!enabled) continue;
      this.seen.add(action.type);
      const after = model.step(state, action);
      slots.forEach((slot, i) => {
        const projected = projections[i]!;
        // An action the component does not allow is one it does not own (another record's write).
        if (model.whyDisabled(projected, action) !== undefined) return;
        const expected = this.key(project(after, slot));
        if (this.key(project(model.step(projected, action), slot)) !== expected)
          problems.push(
            `${what} couples records: on ${describeSlot(slot)} its effect depends on another component (the per-record rule, model/projection.ts)`,
          );
        if (owner !== 'shared' && owner !== i && expected !== keyOfProjection(i))
          problems.push(`${what} changes ${describeSlot(slot)}, but its declared owner is ${ownerName}`);
        this.checked++;
      });
    }
    return byType;
  }
}

/** Every state reachable within `depth` (each once), for this scope. */
export function reachable(config: ClusterConfig, scope: Scope, depth: number): { check: DecompositionCheck; states: ClusterState[] } {
  const check = new DecompositionCheck(compileCluster(config), scope);
  const states: ClusterState[] = [];
  // A property that holds everywhere and keeps every state it is shown: the explorer shows it each new state once.
  const collect = {
    name: 'collect',
    kind: 'always' as const,
    check: (s: ClusterState) => {
      states.push(s);
      return { holds: true as const };
    },
  };
  explore(check.model, [collect], { maxDepth: depth, maxStates: 500_000, key: (s) => check.key(s) });
  return { check, states };
}
