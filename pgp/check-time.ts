/**
 * What time decides, proven by `check`: the properties only time passing can break
 * (`ClusterProperty.needsTime`) are explored one component at a time, each with the time steps that reach
 * every threshold its rules compare hours with (`thresholdSteps` in `model/time.ts`). One scope per
 * component, not one for all: a step that matters to one component (a two-day outage for a client) would
 * multiply another's ages (a mail-cached key's, kept 180 days) past any budget, and a component's fate
 * depends only on the faults and the actions that touch it (`model/decomposition.test.ts`).
 */
import type { ClusterConfig } from '../config/schema.ts';
import type { CompiledCluster } from '../model/cluster.ts';
import { makeScope, type Scope } from '../model/enabled.ts';
import { RECORD_KINDS, type RecordKind } from '../model/records.ts';
import { thresholdSteps } from '../model/time.ts';
import type { ClusterProperty } from '../properties/index.ts';
import { readsComponent } from './verify.ts';

/** A component that time decides something about: desktop clients, or the records of one kind. */
export type TimedComponent = 'client' | RecordKind;

/** The component in the words of a report's bounds. */
const COMPONENT_WORDS: Readonly<Record<TimedComponent, string>> = {
  client: 'desktop clients',
  user: 'users',
  privateKey: 'private keys',
  domain: 'managed domains',
  policy: 'policies',
  cachedKey: 'keys cached from mail',
  fetchedKey: 'keys fetched from keyservers',
  wmAccount: 'Web Messenger accounts',
};

/** One exploration of what time decides: a component, its time steps, and the properties judged on it. */
export interface TimeExploration {
  readonly component: TimedComponent;
  readonly steps: readonly number[];
  /** One key (or one client) of this component only, time passing by `steps`, without a horizon. */
  readonly scope: Scope;
  readonly judged: readonly ClusterProperty[];
}

/**
 * The explorations that decide these properties' time-decided ones (the others are judged without time
 * passing): one per component a time-decided property reads (without time steps where the rules read none
 * of its hours: a judgement there needs no time to pass).
 */
export function timeExplorations(config: ClusterConfig, cluster: CompiledCluster, properties: readonly ClusterProperty[]): TimeExploration[] {
  const timed = properties.filter((p) => p.needsTime === true && p.notApplicable(cluster) === undefined);
  const components: TimedComponent[] = ['client', ...RECORD_KINDS];
  return components.flatMap((component) => {
    const judged = timed.filter((p) => readsComponent(p, component));
    const steps = thresholdSteps(config, component);
    if (judged.length === 0) return [];
    const all = makeScope(1, component === 'client' ? 1 : 0, steps);
    const keys = Object.fromEntries(RECORD_KINDS.map((kind) => [kind, kind === component ? all.keys[kind] : []])) as Scope['keys'];
    return [{ component, steps, scope: { ...all, keys }, judged }];
  });
}

/** The time steps of the explorations that judged a property, in words: `desktop clients: 48, 312, 336`. */
export function timeStepsText(explorations: readonly TimeExploration[]): string {
  return explorations.map((e) => `${COMPONENT_WORDS[e.component]}: ${e.steps.length === 0 ? 'none' : e.steps.join(', ')}`).join('; ');
}
