/**
 * Splitting a cluster state into independent components: one per record of the scope and one per
 * desktop client, each with all of the shared state (members' status, cut links).
 *
 * A client's component holds its user record and only whether each member holds the default policy
 * (its versions are the default policy's own component's business).
 *
 * Why this is exact: every action's effect on one record depends only on the shared state and on that
 * record (a write of one record, a replication hop moving it, a recovery or a partition), and every
 * property is a conjunction over records and clients (convergence of each record, availability of each
 * account or key, each client's policy). So the state a trace reaches, projected onto a component, is
 * the state the same trace reaches from the projected initial state, and a property holds on a state
 * exactly when it holds on each of its components. `model/projection.test.ts` checks both claims
 * against the full model on random traces.
 */
import type { Action } from './actions.ts';
import type { CompiledCluster } from './cluster.ts';
import { RowLayout } from './row.ts';
import { faultEndings, replicationRound, roundLimit, type SettleMode } from './settle.ts';
import { makeScope, type Scope } from './enabled.ts';
import { recordLanes } from './object-view.ts';
import { clientUser, DEFAULT_POLICY, RECORD_KINDS, type RecordId, recordId } from './records.ts';
import type { ClusterState, MemberState } from './state.ts';
import { INITIAL_STAMP } from './stamps.ts';
import { declarationOf } from './step.ts';
import { emptyKeyed } from './keyed.ts';

export type Slot = { readonly type: 'record'; readonly id: RecordId } | { readonly type: 'client'; readonly client: string };

/** The components of a scope: each record it can write (and the default policy), then each client. */
export function scopeSlots(scope: Scope): Slot[] {
  const ids = new Set<RecordId>([DEFAULT_POLICY]);
  for (const kind of RECORD_KINDS) for (const key of scope.keys[kind]) ids.add(recordId({ kind, key }));
  return [
    ...[...ids].map((id): Slot => ({ type: 'record', id })),
    ...scope.clients.map((client): Slot => ({ type: 'client', client })),
  ];
}

/** A record with only the entry stored under `key`, if any. */
function pickOne<T>(from: Readonly<Record<string, T>>, key: string): Record<string, T> {
  const out = emptyKeyed<T>();
  if (Object.hasOwn(from, key)) out[key] = from[key]!;
  return out;
}

/** Members with only one record (and when they cached it, and what they are owed of it). */
function keepRecord(members: readonly MemberState[], id: RecordId): MemberState[] {
  return members.map((m) => ({
    ...m,
    records: pickOne(m.records, id),
    cachedAt: pickOne(m.cachedAt, id),
    owedAtReturn: pickOne(m.owedAtReturn, id),
  }));
}

/** The state restricted to one component: the shared state plus that record, or that client. */
export function project(state: ClusterState, slot: Slot): ClusterState {
  if (slot.type === 'record') {
    const id = slot.id;
    const key = id.slice(id.indexOf(':') + 1);
    return {
      ...state,
      members: keepRecord(state.members, id),
      accounts: id.startsWith('wmAccount:') ? pickOne(state.accounts, key) : emptyKeyed(),
      clients: emptyKeyed(),
      acknowledged: pickOne(state.acknowledged, id),
      acknowledgedCachedAt: pickOne(state.acknowledgedCachedAt, id),
      overwritten: pickOne(state.overwritten, id),
    };
  }
  const user = clientUser(slot.client);
  return {
    ...state,
    // The client's own record, and whether each member holds the default policy at all: its versions
    // belong to the default policy's own component (writes of it would otherwise reach two components).
    members: state.members.map((m) => {
      const records: Record<RecordId, number> = {};
      if (m.records[user] !== undefined) records[user] = m.records[user]!;
      if (m.records[DEFAULT_POLICY] !== undefined) records[DEFAULT_POLICY] = INITIAL_STAMP;
      return { ...m, records, cachedAt: {}, owedAtReturn: {} };
    }),
    accounts: emptyKeyed(),
    clients: pickOne(state.clients, slot.client),
    acknowledged: pickOne(state.acknowledged, user),
    acknowledgedCachedAt: {},
    overwritten: pickOne(state.overwritten, user),
  };
}

/**
 * The component whose state decides whether an action is enabled (and the only one whose own part it
 * changes), as its declaration says (`owner` in `ACTIONS`, `model/step.ts`): a write belongs to its record,
 * an enrollment to its client; `'shared'` for actions that read and change only the shared state (faults
 * and replication hops); undefined for an action outside the scope.
 */
export function ownerSlot(slots: readonly Slot[], action: Action): number | 'shared' | undefined {
  const owner = declarationOf(action).owner;
  if (owner === 'shared') return 'shared';
  const slot = owner(action);
  const found = slots.findIndex((s) => (s.type === 'record' ? slot.type === 'record' && s.id === slot.id : slot.type === 'client' && s.client === slot.client));
  return found === -1 ? undefined : found;
}

/**
 * The decomposition of a cluster over a scope, in the shape the checker's component engine takes: its
 * components, projection, owners and canonical keys (with the ring's symmetries).
 */
export function clusterDecomposition(model: CompiledCluster, scope: Scope, group: readonly (readonly number[])[]) {
  const slots = scopeSlots(scope);
  // Each component's canonical key is its row (`model/row.ts`): the one canonical form of a state.
  const layouts = slots.map((slot) => new RowLayout(model, scope, slot));
  return {
    slots: slots.length,
    slotList: slots,
    project: (state: ClusterState, slot: number) => project(state, slots[slot]!),
    owner: (action: Action) => ownerSlot(slots, action),
    key: (state: ClusterState, slot: number) => layouts[slot]!.key(state),
    // A tuple's components are relabelled together.
    keyUnder: (state: ClusterState, slot: number, g: number) => layouts[slot]!.key(state, group[g]!),
    groupSize: group.length,
    describeSlot: (slot: number) => describeSlot(slots[slot]!),
    settling: {
      endings: (state: ClusterState, mode: string) => faultEndings(model, state, mode as SettleMode),
      round: (state: ClusterState) => replicationRound(model, state),
      roundLimit: roundLimit(model),
    },
  };
}

/**
 * The canonical key of a whole state: the key of each of its components (`RowLayout.key`: each record it
 * holds or remembers, the default policy, each client), relabelled by `perm` when one is given. Two states
 * with the same key behave the same from then on. The scope says how time is kept (its steps, its horizon).
 */
export function canonicalStateKey(model: CompiledCluster, state: ClusterState, perm?: readonly number[], scope: Scope = TIMED_SCOPE): string {
  const ids = new Set<RecordId>([DEFAULT_POLICY, ...recordLanes(state)]);
  const bySlot = layoutsOf(model, scope);
  const parts: string[] = [];
  // A row reads only its own component of a state: no projection needed.
  for (const id of [...ids].sort()) parts.push(`${id}=${layoutOf(model, scope, bySlot, { type: 'record', id }).key(state, perm)}`);
  for (const client of Object.keys(state.clients).sort()) parts.push(`client ${client}=${layoutOf(model, scope, bySlot, { type: 'client', client }).key(state, perm)}`);
  return parts.join('|');
}

const layouts = new WeakMap<CompiledCluster, WeakMap<Scope, Map<string, RowLayout>>>();

/** The row layouts of a model and scope, by component (`describeSlot`). */
function layoutsOf(model: CompiledCluster, scope: Scope): Map<string, RowLayout> {
  let byScope = layouts.get(model);
  if (byScope === undefined) {
    byScope = new WeakMap();
    layouts.set(model, byScope);
  }
  let bySlot = byScope.get(scope);
  if (bySlot === undefined) {
    bySlot = new Map();
    byScope.set(scope, bySlot);
  }
  return bySlot;
}

/** A component's row layout, made once per model, scope and component. */
function layoutOf(model: CompiledCluster, scope: Scope, bySlot: Map<string, RowLayout>, slot: Slot): RowLayout {
  const name = describeSlot(slot);
  let layout = bySlot.get(name);
  if (layout === undefined) {
    layout = new RowLayout(model, scope, slot);
    bySlot.set(name, layout);
  }
  return layout;
}

/** A scope in which time passes without a horizon: every relative hour is kept. */
const TIMED_SCOPE: Scope = makeScope(1, 1);

export function describeSlot(slot: Slot): string {
  return slot.type === 'record' ? slot.id : `client ${slot.client}`;
}

