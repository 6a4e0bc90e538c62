/**
 * Wiring a cluster config to the generic checker: the compiled model as a `Model`, and the property
 * catalogue bound to it as `Property`s.
 */
import type { ClusterConfig } from '../config/schema.ts';
import type { Model, Property } from '../checker/types.ts';
import { type Action, describeAction } from '../model/actions.ts';
import { type ClusterModel, compileCluster, initialState } from '../model/cluster.ts';
import { candidateActions, DEFAULT_SCOPE, enabledActions, type Scope } from '../model/enabled.ts';
import type { ClusterState } from '../model/state.ts';
import { applyAction, whyDisabled } from '../model/step.ts';
import { type ClusterProperty, PROPERTIES } from '../properties/index.ts';

export interface BoundProperty {
  readonly property: ClusterProperty;
  /** Why it does not apply to this config, if it does not. */
  readonly notApplicable: string | undefined;
  readonly bound: Property<ClusterState>;
}

export interface Target {
  readonly config: ClusterConfig;
  readonly cluster: ClusterModel;
  readonly model: Model<ClusterState, Action>;
  readonly properties: readonly BoundProperty[];
}

export function checkableModel(cluster: ClusterModel, scope: Scope = DEFAULT_SCOPE): Model<ClusterState, Action> {
  const candidates = candidateActions(cluster, scope);
  return {
    initial: initialState(cluster),
    enabled: (state) => enabledActions(cluster, state, candidates),
    step: (state, action) => applyAction(cluster, state, action),
    whyDisabled: (state, action) => whyDisabled(cluster, state, action),
    describe: describeAction,
    classify: (action) => action.type,
  };
}

export function bindProperty(cluster: ClusterModel, property: ClusterProperty): BoundProperty {
  return {
    property,
    notApplicable: property.notApplicable(cluster),
    bound: { name: property.name, kind: property.kind, check: (state) => property.check(cluster, state) },
  };
}

export function makeTarget(
  config: ClusterConfig,
  properties: readonly ClusterProperty[] = PROPERTIES,
  scope: Scope = DEFAULT_SCOPE,
): Target {
  const cluster = compileCluster(config);
  return {
    config,
    cluster,
    model: checkableModel(cluster, scope),
    properties: properties.map((p) => bindProperty(cluster, p)),
  };
}
