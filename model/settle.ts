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
 *
 * Each rule is stated once, on a view (`model/view.ts`): the row backend settles rows with the same
 * functions (`endingsOf`, `roundOn`).
 */
import type { Action } from './actions.ts';
import type { CompiledCluster } from './cluster.ts';
import { ObjectView, recordLanes } from './object-view.ts';
import type { RecordId } from './records.ts';
import type { ClusterState, MemberState } from './state.ts';
import { applyAction } from './step.ts';
import { hopLane, isInCluster, sendOf } from './topology.ts';
import { DOWN, UP, type View } from './view.ts';

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
export function roundLimit(model: CompiledCluster): number {
  return 4 * model.size + 8;
}

/**
 * How a state settles: `all` — faults stop (every down member recovers, every cut link heals, and every
 * member of the cluster on an older release than another is upgraded: "all members on one version");
 * `survivors` — links heal but down members stay down and releases stay as they are. Then replication
 * runs to quiescence. Waiting members stay outside the cluster and time does not pass.
 */
export type SettleMode = 'all' | 'survivors';

/**
 * A fault's ending: an action of `ACTIONS` (a recovery, a heal, a site joined again, an upgrade: `major`
 * for upgrades) on member `m` (a link: `m` and `b`; a site split: the site `m`).
 */
export type Ending = (type: EndingType, m: number, b: number, major: boolean) => void;
export type EndingType = 'recover' | 'heal' | 'healSite' | 'upgrade';

/**
 * The actions that end the faults a settling ends, in order: recoveries (ring order), heals, then
 * upgrades, each told to `end` as it is decided (which may apply it: no decision reads what an earlier
 * ending changes).
 */
export function endingsOf(model: CompiledCluster, v: View, mode: SettleMode, end: Ending): void {
  const n = model.size;
  if (mode === 'all') for (let m = 0; m < n; m++) if (v.status(m) === DOWN) end('recover', m, -1, false);
  if (v.cutCount() > 0) for (let a = 0; a < n; a++) for (let b = a + 1; b < n; b++) if (v.isCut(a, b)) end('heal', a, b, false);
  if (v.splitCount() > 0) for (let site = 0; site < model.sites.length; site++) if (v.isSplit(site)) end('healSite', site, -1, false);
  if (mode === 'survivors' || !model.config.faults.upgrades) return;
  let newest = -1;
  for (let m = 0; m < n; m++) if (isInCluster(v, m)) newest = Math.max(newest, v.major(m));
  let newestMinor = 0;
  for (let m = 0; m < n; m++) if (isInCluster(v, m) && v.major(m) === newest) newestMinor = Math.max(newestMinor, v.minor(m));
  for (let m = 0; m < n; m++) {
    if (!isInCluster(v, m)) continue;
    // A major upgrade starts the new release without its minor update; the minor update follows it.
    const behind = v.major(m) < newest;
    const minor = behind ? 0 : v.minor(m);
    if (behind) end('upgrade', m, -1, true);
    if (minor < newestMinor) end('upgrade', m, -1, false);
  }
}


/**
 * One synchronous round on a view: every live member's hop of every record lane, computed on `sent` (the
 * state the round began with) and delivered into `v`. Whether anything was sent; each sender is marked in
 * `senders` when given.
 */
export function roundOn(model: CompiledCluster, v: View, sent: View, senders?: boolean[]): boolean {
  let any = false;
  for (let from = 0; from < model.size; from++) {
    if (sent.status(from) !== UP) continue;
    let sends = false;
    for (let r = 0; r < sent.records; r++) if (hopLane(model, v, sent, r, from)) sends = true;
    if (sends) {
      any = true;
      if (senders !== undefined) senders[from] = true;
    }
  }
  return any;
}

// The same rules on a `ClusterState`.

/** The actions that end the faults a settling ends, in order: recoveries, heals, sites joined again, then upgrades. */
export function faultEndings(model: CompiledCluster, state: ClusterState, mode: SettleMode): Action[] {
  const id = (m: number) => model.members[m]!.id;
  const out: Action[] = [];
  endingsOf(model, new ObjectView(model, state, []), mode, (type, m, b, major) =>
    out.push(
      type === 'heal'
        ? { type, a: id(m), b: id(b) }
        : type === 'healSite'
          ? { type, site: model.sites[m]! }
          : type === 'upgrade'
            ? { type, member: id(m), major }
            : { type, member: id(m) },
    ),
  );
  return out;
}

/** The actions that end every fault: recover each down member, heal each cut link, upgrade the laggards. */
export function endFaults(model: CompiledCluster, state: ClusterState): Action[] {
  return faultEndings(model, state, 'all');
}

export interface Hop {
  readonly from: number;
  /** The records it sends, by receiving member. */
  readonly sends: ReadonlyMap<number, readonly RecordId[]>;
}

/** One synchronous round's hops on a state: every live member's replication hop (`sendOf`), computed on the same state. */
export function roundHops(model: CompiledCluster, state: ClusterState): Hop[] {
  const ids = recordLanes(state);
  const v = new ObjectView(model, state, ids);
  const hops: Hop[] = [];
  for (let from = 0; from < model.size; from++) {
    if (v.status(from) !== UP) continue;
    const sends = new Map<number, RecordId[]>();
    for (let r = 0; r < ids.length; r++) {
      const to = sendOf(model, v, r, from);
      if (to >= 0) sends.set(to, [...(sends.get(to) ?? []), ids[r]!]);
    }
    if (sends.size > 0) hops.push({ from, sends });
  }
  return hops;
}

/** One synchronous round of replication, or undefined when it would deliver nothing (quiescence). */
export function replicationRound(model: CompiledCluster, state: ClusterState): ClusterState | undefined {
  return round(model, state, recordLanes(state)).state;
}

function round(model: CompiledCluster, state: ClusterState, ids: readonly RecordId[], senders?: boolean[]): { state: ClusterState | undefined } {
  // The round is computed on the state it began with and delivered into a copy-on-write view of it.
  const sent = new ObjectView(model, state, ids);
  const v = new ObjectView(model, state, ids);
  return { state: roundOn(model, v, sent, senders) ? v.result() : undefined };
}

export function replicateToQuiescence(model: CompiledCluster, start: ClusterState, prefix: readonly Action[] = []): Settled {
  const actions = [...prefix];
  const ids = recordLanes(start);
  let state = start;
  let hops = 0;
  const limit = roundLimit(model);
  for (let r = 0; r < limit; r++) {
    // A synchronous round: every live member sends what it held when the round began.
    const senders: boolean[] = [];
    const next = round(model, state, ids, senders).state;
    if (next === undefined) return { state, rounds: r, hops, quiescent: true, actions };
    senders.forEach((sent, from) => {
      if (sent) {
        actions.push({ type: 'replicate', member: model.members[from]!.id });
        hops++;
      }
    });
    state = next;
  }
  return { state, rounds: limit, hops, quiescent: false, actions };
}

function applyAll(model: CompiledCluster, state: ClusterState, actions: readonly Action[]): ClusterState {
  if (actions.length === 0) return state;
  return actions.reduce((s, a) => applyAction(model, s, a), state);
}

/** Settling is deterministic, so each (model, state) is settled once, however many properties ask. */
function memoized(
  settleOnce: (model: CompiledCluster, state: ClusterState) => Settled,
): (model: CompiledCluster, state: ClusterState) => Settled {
  const cache = new WeakMap<CompiledCluster, WeakMap<ClusterState, Settled>>();
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
    const stop = faultEndings(model, state, mode);
    return replicateToQuiescence(model, applyAll(model, state, stop), stop);
  });
}

/** Faults stop (every down member recovers, every link heals), then replication runs to quiescence. */
export const settleAll = settleBy('all');

/** Links heal but down members stay down; the live members replicate to quiescence. */
export const settleSurvivors = settleBy('survivors');

export function settle(model: CompiledCluster, state: ClusterState, mode: SettleMode): Settled {
  return mode === 'all' ? settleAll(model, state) : settleSurvivors(model, state);
}

/** The state with the given members down on top of it (for "with any maxDown members down"). */
export function withDown(state: ClusterState, down: readonly number[]): ClusterState {
  if (down.length === 0) return state;
  // Copy-on-write, as a step writes (`ObjectView`): the members taken down are copied, the rest shared.
  let members: MemberState[] | undefined;
  for (const m of down) {
    const member = (members ?? state.members)[m]!;
    if (member.status === 'down') continue;
    members ??= state.members.slice();
    members[m] = Object.freeze({ ...member, status: 'down' });
  }
  return members === undefined ? state : Object.freeze({ ...state, members: Object.freeze(members) });
}
