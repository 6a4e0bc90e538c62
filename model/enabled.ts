/**
 * The enabled actions of a state, within a scope: the finite pools of record keys, client names and time
 * steps that random search and exploration draw from. Only enabled actions are ever generated (docs/model.md, actions).
 */
import type { Action, ActionType } from './actions.ts';
import type { CompiledCluster } from './cluster.ts';
import { RECORD_KINDS, type RecordKind, recordId, SAME_RULES_AS } from './records.ts';
import type { ClusterState } from './state.ts';
import { ObjectView } from './object-view.ts';
import { ACTION_TYPES, ACTIONS, type Args, declarationOf, isEnabled } from './step.ts';
import { NONE, type View } from './view.ts';
import { DEFAULT_HOURS } from './time.ts';

export { DEFAULT_HOURS };

export interface Scope {
  /** Record keys that writes may use, per kind. */
  readonly keys: Readonly<Record<RecordKind, readonly string[]>>;
  /** Desktop clients that may enroll. */
  readonly clients: readonly string[];
  /** The steps `advanceTime` may take, in hours (`DEFAULT_HOURS` when absent). */
  readonly hours?: readonly number[];
  /** Each record is written at most once (a bound on exploration, not a rule of the model). */
  readonly writeOnce?: boolean;
  /** Time passes no further than this many hours after the start (a bound on exploration). */
  readonly maxClock?: number;
}

/**
 * Whether an action lies within the scope's bounds (beyond the model's own preconditions): a write-once
 * scope writes each record at most once, a horizon bounds the clock. Read through a view (`model/view.ts`),
 * with the action's fields resolved and its owner's lane (`ACTIONS`), by every engine.
 */
export function withinScope(scope: Scope, v: View, type: ActionType, args: Args, lane: number): boolean {
  if (scope.writeOnce === true && type === 'write' && v.acked(lane) !== NONE) return false;
  if (scope.maxClock !== undefined && type === 'advanceTime' && v.clock() + args.hours! > scope.maxClock) return false;
  return true;
}

/** Why an action lies outside the scope (`withinScope`), if it does. */
export function outsideScope(scope: Scope, model: CompiledCluster, state: ClusterState, action: Action): string | undefined {
  if (!(action.type === 'write' && scope.writeOnce === true) && !(action.type === 'advanceTime' && scope.maxClock !== undefined)) return undefined;
  const args = declarationOf(action).resolve(model, action);
  if (typeof args === 'string') return undefined;
  const ids = action.type === 'write' ? [recordId(action.record)] : [];
  if (withinScope(scope, new ObjectView(model, state, ids), action.type, args, 0)) return undefined;
  return action.type === 'write'
    ? `${recordId(action.record)} was written already, and this scope writes each record at most once`
    : `time would pass ${scope.maxClock} hours after the start, the bound of this scope`;
}

const KEY_NAMES: Readonly<Record<RecordKind, readonly string[]>> = {
  user: ['alice', 'bob', 'carol', 'dave'],
  privateKey: ['alice', 'bob', 'carol', 'dave'],
  domain: ['example.com', 'example.net', 'example.org', 'example.edu'],
  policy: ['default', 'finance', 'legal', 'sales'],
  cachedKey: ['erin@partner.org', 'frank@partner.org', 'grace@partner.org', 'heidi@partner.org'],
  fetchedKey: ['olivia@vendor.com', 'peggy@vendor.com', 'rupert@vendor.com', 'sybil@vendor.com'],
  wmAccount: ['ivan@external.org', 'judy@external.org', 'mallory@external.org', 'niaj@external.org'],
};
const CLIENT_NAMES = ['laptop1', 'laptop2', 'laptop3', 'laptop4'];

/** A scope of `keysPerKind` keys of each kind and `clients` clients (each at most 4), and these time steps. */
export function makeScope(keysPerKind: number, clients: number, hours: readonly number[] = DEFAULT_HOURS): Scope {
  const keys = Object.fromEntries(RECORD_KINDS.map((k) => [k, KEY_NAMES[k].slice(0, keysPerKind)])) as Record<
    RecordKind,
    string[]
  >;
  return { keys, clients: CLIENT_NAMES.slice(0, clients), hours };
}

/** What a property reads, as far as a scope goes (`PropertyReads` in `properties/types.ts`). */
export interface ScopeReads {
  readonly reads?: { readonly kinds?: readonly RecordKind[]; readonly clients?: boolean };
}

/**
 * The scope of random search for these properties: one key of each record kind some property reads and
 * one client if any reads clients (as `readsSlot` in `pgp/verify.ts` reads `reads`: without `reads` a
 * property reads everything, without `reads.kinds` every kind), and the default time steps. More keys
 * would not find more: every property is a conjunction over single records and clients, and a record's
 * fate depends only on the faults and the actions that touch it (`model/projection.ts`), so a violation
 * never needs two keys of one kind.
 *
 * A property that reads every kind gets one key of each kind with rules of its own: a kind that obeys
 * exactly another kind's rules (`SAME_RULES_AS`: managed domains and policies, like users) is stood for
 * by that kind, and a write of one would only thin out the writes that matter. A property that names
 * such a kind in `reads.kinds` gets its keys: a property about domains is searched with domain writes.
 * Every kind stays valid in any trace or scenario.
 */
export function scopeFor(properties: readonly ScopeReads[]): Scope {
  const kinds = new Set<RecordKind>();
  let clients = false;
  for (const { reads } of properties) {
    for (const kind of reads?.kinds ?? RECORD_KINDS.filter((k) => SAME_RULES_AS[k] === undefined)) kinds.add(kind);
    if (reads === undefined || reads.clients === true) clients = true;
  }
  const scope = makeScope(1, clients ? 1 : 0);
  return { ...scope, keys: Object.fromEntries(RECORD_KINDS.map((k) => [k, kinds.has(k) ? scope.keys[k] : []])) as Record<RecordKind, string[]> };
}

/**
 * The default scope: that of a property that reads everything (`scopeFor`), which is the scope of the
 * whole catalogue (`pgp/target.ts` searches with `scopeFor(PROPERTIES)`; a test keeps the two equal):
 * one key of each kind with rules of its own (no managed domain or policy), one client, the default
 * time steps.
 */
export const DEFAULT_SCOPE: Scope = scopeFor([{}]);

/**
 * Every action of the scope, enabled or not, in a fixed order: each declaration's candidates (`ACTIONS`),
 * in the order of the declarations, those of an `interleaved` one alternating with the previous one's.
 */
export function candidateActions(model: CompiledCluster, scope: Scope): Action[] {
  const out: Action[] = [];
  let group: (readonly Action[])[] = [];
  const flush = () => {
    const longest = Math.max(0, ...group.map((list) => list.length));
    for (let i = 0; i < longest; i++) for (const list of group) if (i < list.length) out.push(list[i]!);
    group = [];
  };
  for (const type of ACTION_TYPES) {
    const declaration = ACTIONS[type];
    if (declaration.interleaved !== true) flush();
    group.push(declaration.candidates(model, scope));
  }
  flush();
  return out;
}

/** The candidates enabled in this state: each checked against its own type's precondition directly. */
export function enabledActions(
  model: CompiledCluster,
  state: ClusterState,
  candidates: readonly Action[],
  scope: Scope = DEFAULT_SCOPE,
): Action[] {
  const out: Action[] = [];
  for (const action of candidates) {
    if (isEnabled(model, state, action) && outsideScope(scope, model, state, action) === undefined) out.push(action);
  }
  return out;
}
