/**
 * The settling an `eventually` property's check makes of a trace's last state, told step by step: which
 * faults end, then the replication rounds until a round delivers nothing.
 */
import type { Action } from '../model/actions.ts';
import { settleAll, settleSurvivors } from '../model/settle.ts';
import type { ClusterState } from '../model/state.ts';
import { describeAction } from '../model/step.ts';
import type { ClusterProperty } from '../properties/types.ts';
import { type StoryStep, tellTrace } from './story.ts';
import type { Target } from './target.ts';

export interface SettlingStory {
  /** `all`: every fault ends; `survivors`: links heal, down members stay down. */
  readonly mode: 'all' | 'survivors';
  readonly summary: string;
  readonly rounds: number;
  readonly quiescent: boolean;
  readonly actions: readonly Action[];
  /** The settling actions replayed one at a time from the trace's last state. */
  readonly steps: readonly StoryStep[];
}

/**
 * Which settling an `eventually` property looks at, for showing it (the verdict itself always comes from
 * the property's own check): the one it declares (`settles` or `settledBy`), else everything. A property
 * that settles some way of its own is shown the full settling, a true run of the model all the same.
 */
export function settlingMode(property: ClusterProperty): 'all' | 'survivors' {
  return (property.settles ?? property.settledBy) === 'survivors' ? 'survivors' : 'all';
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** The settling an `eventually` property's check makes of the trace's last state, told step by step. */
export function tellSettling(target: Target, property: ClusterProperty, final: ClusterState): SettlingStory | undefined {
  if (property.kind !== 'eventually') return undefined;
  const mode = settlingMode(property);
  const settled = mode === 'survivors' ? settleSurvivors(target.cluster, final) : settleAll(target.cluster, final);
  const story = tellTrace(target, settled.actions, final);
  const stops = settled.actions.filter((a) => a.type !== 'replicate').map(describeAction);
  const down = final.members.filter((m) => m.status === 'down').map((m) => m.id);
  const first =
    mode === 'survivors'
      ? `settling (faults end except outages: ${down.length === 0 ? 'no member is down' : `${down.join(', ')} stay${down.length === 1 ? 's' : ''} down`})`
      : 'settling (every fault ends)';
  const faults = stops.length === 0 ? (mode === 'survivors' ? 'no cut link to heal' : 'no fault to end') : stops.join(', ');
  const replication = !settled.quiescent
    ? `replication did not go quiet within ${plural(settled.rounds, 'round')}`
    : settled.rounds === 0
      ? 'replication has nothing left to deliver (0 rounds)'
      : `${plural(settled.rounds, 'round')} of replication until a round delivers nothing`;
  return {
    mode,
    summary: `${first}: ${faults}, then ${replication}`,
    rounds: settled.rounds,
    quiescent: settled.quiescent,
    actions: settled.actions,
    steps: story.steps,
  };
}
