/**
 * Wiring a cluster config to the generic checker: the compiled model as a `Model`, the property
 * catalogue bound to it as `Property`s, and the fast component engine that random search runs on.
 */
import { ComponentEngine, type ComponentProperty, type Tuple } from '../checker/components.ts';
import type { InstanceProperty } from '../checker/plugin.ts';
import type { Model, Property } from '../checker/types.ts';
import type { ClusterConfig } from '../config/schema.ts';
import type { Action } from '../model/actions.ts';
import { describeAction } from '../model/step.ts';
import { type CompiledCluster, compileCluster, initialState } from '../model/cluster.ts';
import { candidateActions, DEFAULT_SCOPE, enabledActions, outsideScope, type Scope, scopeFor } from '../model/enabled.ts';
import { clusterDecomposition } from '../model/projection.ts';
import { type Settled, type SettleMode, settle } from '../model/settle.ts';
import type { ClusterState } from '../model/state.ts';
import { applyAction, whyDisabled } from '../model/step.ts';
import { identity, ringSymmetries } from '../model/symmetry.ts';
import { type ClusterProperty, PROPERTIES } from '../properties/index.ts';
import { HOLDS, violated } from '../properties/types.ts';

export interface BoundProperty {
  readonly property: ClusterProperty;
  /** Why it does not apply to this config, if it does not. */
  readonly notApplicable: string | undefined;
  /** Judged on the plain model's states (replay, reports). */
  readonly onModel: Property<ClusterState>;
  /** Judged on the component engine's tuples (random search). */
  readonly onEngine: Property<Tuple>;
  /** Its subject as a `sometimes` property of its own (`subjectProperty`), bound to the engine; absent without one. */
  readonly subject?: { readonly property: ClusterProperty; readonly onEngine: Property<Tuple> };
}

/**
 * A property's subject (`ClusterProperty.subject`) as a `sometimes` property: reached in a state where the
 * subject occurs. It reads what the property reads.
 */
export function subjectProperty(property: ClusterProperty): ClusterProperty | undefined {
  const subject = property.subject;
  if (subject === undefined) return undefined;
  return {
    name: `${property.name} (subject)`,
    kind: 'sometimes',
    group: 'guard',
    source: property.source,
    statement: `Reachable: ${subject.description}.`,
    notApplicable: (model) => property.notApplicable(model),
    check: (model, state) => (subject.occurs(model, state) ? HOLDS : violated(`${subject.description} never occurs`)),
    ...(property.reads === undefined ? {} : { reads: property.reads }),
  };
}

/** States settled, by cluster, state and mode: settling is a pure function of them, and states are never changed in place. */
const settledStates = new WeakMap<CompiledCluster, WeakMap<ClusterState, Partial<Record<SettleMode, Settled>>>>();

/** A state settled in `mode`, once for all the properties judged on it that settle that way. */
function settledOnce(cluster: CompiledCluster, state: ClusterState, mode: SettleMode): Settled {
  let byState = settledStates.get(cluster);
  if (byState === undefined) {
    byState = new WeakMap();
    settledStates.set(cluster, byState);
  }
  let modes = byState.get(state);
  if (modes === undefined) {
    modes = {};
    byState.set(state, modes);
  }
  const known = modes[mode];
  if (known !== undefined) return known;
  const settled = settle(cluster, state, mode);
  modes[mode] = settled;
  return settled;
}

/**
 * A property as the generic checker takes it (`checker/plugin.ts`), bound to a cluster; `onlyTime` is
 * why an exploration in which time does not pass leaves it out (for a property only time can break). A
 * property judged on the settled state (`settles` and `judge`: its `check` is `judge(settle(state))`)
 * shares the settling of a state with the others that settle it the same way.
 */
export function instanceProperty(cluster: CompiledCluster, property: ClusterProperty, onlyTime?: string): InstanceProperty<ClusterState> {
  const subject = subjectProperty(property);
  const { settles, judge } = property;
  const check =
    settles !== undefined && judge !== undefined
      ? (state: ClusterState) => judge(cluster, settledOnce(cluster, state, settles))
      : (state: ClusterState) => property.check(cluster, state);
  return {
    name: property.name,
    kind: property.kind,
    notApplicable: property.notApplicable(cluster),
    property: { name: property.name, kind: property.kind, check },
    ...(subject === undefined ? {} : { subject: { name: subject.name, kind: 'sometimes', check: (state: ClusterState) => subject.check(cluster, state) } }),
    ...(property.needsTime === true && onlyTime !== undefined ? { unexplorable: onlyTime } : {}),
  };
}

export interface Target {
  readonly config: ClusterConfig;
  readonly cluster: CompiledCluster;
  /** The plain model: every action on the object backend (`model/object-view.ts`: copy on write, sharing what it does not change). */
  readonly model: Model<ClusterState, Action>;
  /** The same model on the component engine (`checker/components.ts`), which search runs on. */
  readonly engine: ComponentEngine<ClusterState, Action>;
  /** The plain model on the component engine: a state is a tuple of component ids (random search runs on it). */
  readonly engineModel: Model<Tuple, Action>;
  readonly properties: readonly BoundProperty[];
}

export function checkableModel(cluster: CompiledCluster, scope: Scope = DEFAULT_SCOPE): Model<ClusterState, Action> {
  const candidates = candidateActions(cluster, scope);
  return {
    initial: initialState(cluster),
    enabled: (state) => enabledActions(cluster, state, candidates, scope),
    step: (state, action) => applyAction(cluster, state, action),
    whyDisabled: (state, action) => whyDisabled(cluster, state, action) ?? outsideScope(scope, cluster, state, action),
    describe: describeAction,
    classify: (action) => action.type,
  };
}

export function componentEngine(
  cluster: CompiledCluster,
  scope: Scope = DEFAULT_SCOPE,
  group: readonly (readonly number[])[] = [identity(cluster.size)],
): ComponentEngine<ClusterState, Action> {
  return new ComponentEngine(checkableModel(cluster, scope), clusterDecomposition(cluster, scope, group), candidateActions(cluster, scope));
}

/** A property as the component engine takes it: combined over components, settled through its tables. */
export function componentProperty(cluster: CompiledCluster, property: ClusterProperty): ComponentProperty<ClusterState> {
  const { settles, judge } = property;
  return {
    name: property.name,
    kind: property.kind,
    combine: property.kind === 'sometimes' ? 'any' : 'all',
    check: (state) => property.check(cluster, state),
    ...(settles !== undefined && judge !== undefined ? { settled: { mode: settles, judge: (view) => judge(cluster, view) } } : {}),
  };
}

/**
 * A config bound to the checker, for these properties. Random search runs on its engine, within `scope`:
 * by default what the properties read (`scopeFor`), so a property about managed domains is searched with
 * domain writes. `check` makes its targets with the whole catalogue, so that a search's traces (and a
 * saved file's seed and path) are the same whichever properties a run selects.
 */
export function makeTarget(
  config: ClusterConfig,
  properties: readonly ClusterProperty[] = PROPERTIES,
  scope: Scope = scopeFor(properties),
): Target {
  const cluster = compileCluster(config);
  const engine = componentEngine(cluster, scope, ringSymmetries(cluster));
  return {
    config,
    cluster,
    model: engine.base,
    engine,
    engineModel: engine.asModel(),
    properties: properties.map((property) => {
      const check = (state: ClusterState) => property.check(cluster, state);
      const subject = subjectProperty(property);
      return {
        property,
        notApplicable: property.notApplicable(cluster),
        onModel: { name: property.name, kind: property.kind, check },
        onEngine: engine.bind(componentProperty(cluster, property)),
        ...(subject === undefined ? {} : { subject: { property: subject, onEngine: engine.bind(componentProperty(cluster, subject)) } }),
      };
    }),
  };
}
