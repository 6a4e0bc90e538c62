/**
 * A replayed trace told for people: for every step, the action (`describeAction`), what it changed (its
 * events, `pgp/story-events.ts`), the events in words (`pgp/story-words.ts`) and the members after it
 * (`pgp/story-snapshot.ts`). The settling an `eventually` property looks at is told in `pgp/story-settling.ts`.
 */
import type { StateChange } from '../checker/diff.ts';
import { diffStates } from '../checker/diff.ts';
import { replaySteps } from '../checker/replay.ts';
import type { Action } from '../model/actions.ts';
import type { CompiledCluster } from '../model/cluster.ts';
import type { ClusterState } from '../model/state.ts';
import { describeAction } from '../model/step.ts';
import { eventsOf, type StoryEvent } from './story-events.ts';
import { type Snapshot, snapshot } from './story-snapshot.ts';
import { describeEvents, idleReplication } from './story-words.ts';
import type { Target } from './target.ts';

export interface StoryStep {
  /** 1-based step number within its list (the trace, or the settling). */
  readonly step: number;
  readonly action: Action;
  readonly description: string;
  /** The member the action names in its `member` field, when it names one: the sender of what moves. */
  readonly actor: string | undefined;
  readonly events: readonly StoryEvent[];
  /** The events in words, one line each; `nothing changed` when there are none. */
  readonly lines: readonly string[];
  /** The members after this step. */
  readonly members: Snapshot;
  readonly changes: readonly StateChange[];
  /** The state after this step. */
  readonly state: ClusterState;
}

export type Story =
  | { readonly kind: 'ran'; readonly initial: ClusterState; readonly steps: readonly StoryStep[]; readonly final: ClusterState }
  | {
      readonly kind: 'disabled';
      readonly initial: ClusterState;
      readonly steps: readonly StoryStep[];
      readonly step: number;
      readonly action: Action;
      readonly why: string;
    };

/** Replays `actions` (from the initial state, or `from`) and tells each step. */
export function tellTrace(target: Target, actions: readonly Action[], from?: ClusterState): Story {
  const replay = replaySteps(target.model, actions, from);
  const steps = replay.steps.map((s) => tellStep(target.cluster, s.step, s.action, s.before, s.after, s.changes));
  if (replay.kind === 'disabled') return { kind: 'disabled', initial: replay.initial, steps, step: replay.step, action: replay.action, why: replay.why };
  return { kind: 'ran', initial: replay.initial, steps, final: replay.final };
}

/**
 * Tells a trace from the states one run of it passed through (`states[0]` the initial one, `states[i]`
 * after step i), without stepping the model again.
 */
export function tellStates(target: Target, actions: readonly Action[], states: readonly ClusterState[]): Extract<Story, { kind: 'ran' }> {
  if (states.length !== actions.length + 1) throw new Error(`internal error: ${states.length} states for ${actions.length} actions`);
  const steps = actions.map((action, i) => tellStep(target.cluster, i + 1, action, states[i]!, states[i + 1]!, diffStates(states[i]!, states[i + 1]!)));
  return { kind: 'ran', initial: states[0]!, steps, final: states[actions.length]! };
}

function actorOf(cluster: CompiledCluster, action: Action): string | undefined {
  const member = (action as { readonly member?: unknown }).member;
  return typeof member === 'string' && cluster.position.has(member) ? member : undefined;
}

function tellStep(
  cluster: CompiledCluster,
  step: number,
  action: Action,
  before: ClusterState,
  after: ClusterState,
  changes: readonly StateChange[],
): StoryStep {
  const actor = actorOf(cluster, action);
  const events = eventsOf(cluster, before, after, changes);
  const idle = events.length === 0 && action.type === 'replicate' && actor !== undefined ? idleReplication(cluster, before, actor) : undefined;
  return {
    step,
    action,
    description: describeAction(action),
    actor,
    events,
    lines: idle === undefined ? describeEvents(cluster.config, events, actor) : [`nothing changed: ${idle}`],
    members: snapshot(after),
    changes,
    state: after,
  };
}
