/**
 * Settling: what `eventually` properties look at. Faults stop (or, for survivors, only links heal), then
 * replication runs round after round until a whole round delivers nothing (quiescence). The number of
 * rounds is the model's picture of the vendor's resync that "could take several hours or even days"
 * (KB 153198, per the seed article).
 *
 * A round is synchronous: every live member sends, to its successor on each kind's ring, what it held
 * when the round began; so the rounds count the hops the longest backlog has to travel. Settling is
 * also listed as ordinary actions (the recoveries, the heals, and each round's `replicate`s in ring
 * order), so a replay can show it step by step; replayed one after another those actions reach the
 * same quiescent state, since replication only ever moves the newest version forward along a fixed ring.
 *
 * Settling is not time: no time passes while it runs (so nothing is purged and no SKM key changes). A
 * member still waiting to join is not in the cluster and stays outside. Ending every fault includes
 * finishing a rolling upgrade: every member of the cluster moves to the newest release any member runs,
 * major release and minor update (`eventual-convergence` speaks of "all members on one version", KB 225396).
 */
import { produce } from 'immer';
import type { Action } from '../../model/actions.ts';
import type { ClusterModel } from '../../model/cluster.ts';
import type { ClusterState } from '../../model/state.ts';
import { applyAction, deliver, type Hop, replicationHop } from './step.ts';

export interface Settled {
  readonly state: ClusterState;
  /** Replication rounds until quiescence, not counting the final round that delivered nothing. */
  readonly rounds: number;
  /** `replicate` actions that delivered something. */
  readonly hops: number;
  /** False when `maxRounds` passed before a quiet round (the checker reports this as a violation). */
  readonly quiescent: boolean;
  /** The actions settling took, for replays: recoveries, heals, then the replication hops that delivered. */
  readonly actions: readonly Action[];
}

/** Far more rounds than any finite backlog needs: each round moves every record at least one hop. */
export function roundLimit(model: ClusterModel): number {
  return 4 * model.size + 8;
}

/** One synchronous round's hops: every live member's replication hop, computed on the same state. */
export function roundHops(model: ClusterModel, state: ClusterState): Hop[] {
  const hops: Hop[] = [];
  for (let from = 0; from < model.size; from++) {
    if (state.members[from]!.status !== 'up') continue;
    const sends = replicationHop(model, state, from);
    if (sends.size > 0) hops.push({ from, sends });
  }
  return hops;
}

/** One synchronous round of replication, or undefined when it would deliver nothing (quiescence). */
export function replicationRound(model: ClusterModel, state: ClusterState): ClusterState | undefined {
  const hops = roundHops(model, state);
  return hops.length === 0 ? undefined : deliver(model, state, hops);
}

export function replicateToQuiescence(model: ClusterModel, start: ClusterState, prefix: readonly Action[] = []): Settled {
  const actions = [...prefix];
  let state = start;
  let hops = 0;
  const limit = roundLimit(model);
  for (let round = 0; round < limit; round++) {
    // A synchronous round: every live member sends what it held when the round began.
    const thisRound = roundHops(model, state);
    if (thisRound.length === 0) return { state, rounds: round, hops, quiescent: true, actions };
    for (const { from } of thisRound) actions.push({ type: 'replicate', member: model.members[from]!.id });
    hops += thisRound.length;
    state = deliver(model, state, thisRound);
  }
  return { state, rounds: limit, hops, quiescent: false, actions };
}

/**
 * How a state settles: `all` — faults stop (every down member recovers, every cut link heals, and every
 * member of the cluster on an older release than another is upgraded: "all members on one version");
 * `survivors` — links heal but down members stay down and releases stay as they are. Then replication
 * runs to quiescence. Waiting members stay outside the cluster and time does not pass.
 */
export type SettleMode = 'all' | 'survivors';

/** The actions that end the faults a settling ends, in order: recoveries, heals, then upgrades. */
export function faultEndings(state: ClusterState, mode: SettleMode): Action[] {
  if (mode === 'survivors') return healLinks(state);
  const recoveries: Action[] = state.members.filter((m) => m.status === 'down').map((m) => ({ type: 'recover', member: m.id }));
  const inCluster = state.members.filter((m) => m.status === 'up' || m.status === 'down');
  const newest = Math.max(...inCluster.map((m) => m.version));
  const newestMinor = Math.max(...inCluster.filter((m) => m.version === newest).map((m) => m.minor));
  const upgrades: Action[] = [];
  for (const m of inCluster) {
    // A major upgrade starts the new release without its minor update; the minor update follows it.
    if (m.version < newest) upgrades.push({ type: 'upgrade', member: m.id, major: true });
    if ((m.version < newest ? 0 : m.minor) < newestMinor) upgrades.push({ type: 'upgrade', member: m.id, major: false });
  }
  return [...recoveries, ...healLinks(state), ...upgrades];
}

/** The actions that end every fault: recover each down member, heal each cut link, upgrade the laggards. */
export function endFaults(state: ClusterState): Action[] {
  return faultEndings(state, 'all');
}

function healLinks(state: ClusterState): Action[] {
  return Object.keys(state.cutLinks).map((link) => {
    const [a, b] = link.split('|') as [string, string];
    return { type: 'heal', a, b };
  });
}

function applyAll(model: ClusterModel, state: ClusterState, actions: readonly Action[]): ClusterState {
  if (actions.length === 0) return state;
  return actions.reduce((s, a) => applyAction(model, s, a), state);
}

/** Settling is deterministic, so each (model, state) is settled once, however many properties ask. */
function memoized(
  settleOnce: (model: ClusterModel, state: ClusterState) => Settled,
): (model: ClusterModel, state: ClusterState) => Settled {
  const cache = new WeakMap<ClusterModel, WeakMap<ClusterState, Settled>>();
  return (model, state) => {
    let byState = cache.get(model);
    if (!byState) {
      byState = new WeakMap();
      cache.set(model, byState);
    }
    let result = byState.get(state);
    if (!result) {
      result = settleOnce(model, state);
      byState.set(state, result);
    }
    return result;
  };
}

function settleBy(mode: SettleMode) {
  return memoized((model, state) => {
    const stop = faultEndings(state, mode);
    return replicateToQuiescence(model, applyAll(model, state, stop), stop);
  });
}

/** Faults stop (every down member recovers, every link heals), then replication runs to quiescence. */
export const settleAll = settleBy('all');

/** Links heal but down members stay down; the live members replicate to quiescence. */
export const settleSurvivors = settleBy('survivors');

export function settle(model: ClusterModel, state: ClusterState, mode: SettleMode): Settled {
  return mode === 'all' ? settleAll(model, state) : settleSurvivors(model, state);
}

/** The state with the given members down on top of it (for "with any maxDown members down"). */
export function withDown(state: ClusterState, down: readonly number[]): ClusterState {
  if (down.length === 0) return state;
  return produce(state, (d) => {
    for (const m of down) d.members[m]!.status = 'down';
  });
}
