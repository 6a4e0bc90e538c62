/**
 * The enabled actions of a state, within a scope: the finite pools of record keys and client names that
 * random search and exploration draw from. Only enabled actions are ever generated (SPEC §3).
 */
import type { Action } from './actions.ts';
import type { ClusterModel } from './cluster.ts';
import { RECORD_KINDS, type RecordKind, recordId } from './records.ts';
import type { ClusterState } from './state.ts';
import { preconditions } from './step.ts';

export interface Scope {
  /** Record keys that writes may use, per kind. */
  readonly keys: Readonly<Record<RecordKind, readonly string[]>>;
  /** Desktop clients that may enroll. */
  readonly clients: readonly string[];
  /** Each record is written at most once (a bound on exploration, not a rule of the model). */
  readonly writeOnce?: boolean;
}

/** Why an action lies outside the scope (beyond the model's own preconditions), if it does. */
export function outsideScope(scope: Scope, state: ClusterState, action: Action): string | undefined {
  if (scope.writeOnce && action.type === 'write' && state.acknowledged[recordId(action.record)] !== undefined)
    return `${recordId(action.record)} was written already, and this scope writes each record at most once`;
  return undefined;
}

const KEY_NAMES: Readonly<Record<RecordKind, readonly string[]>> = {
  user: ['alice', 'bob', 'carol', 'dave'],
  privateKey: ['alice', 'bob', 'carol', 'dave'],
  domain: ['example.com', 'example.net', 'example.org', 'example.edu'],
  policy: ['default', 'finance', 'legal', 'sales'],
  cachedKey: ['erin@partner.org', 'frank@partner.org', 'grace@partner.org', 'heidi@partner.org'],
  wmAccount: ['ivan@external.org', 'judy@external.org', 'mallory@external.org', 'niaj@external.org'],
};
const CLIENT_NAMES = ['laptop1', 'laptop2', 'laptop3', 'laptop4'];

/** A scope of `keysPerKind` keys of each kind and `clients` clients (each at most 4). */
export function makeScope(keysPerKind: number, clients: number): Scope {
  const keys = Object.fromEntries(RECORD_KINDS.map((k) => [k, KEY_NAMES[k].slice(0, keysPerKind)])) as Record<
    RecordKind,
    string[]
  >;
  return { keys, clients: CLIENT_NAMES.slice(0, clients) };
}

/**
 * What random search draws from: one key of each kind and one client. More would not find more: every
 * property is a conjunction over single records and clients, and a record's fate depends only on the
 * faults and the actions that touch it (`model/projection.ts`), so a violation never needs two keys of
 * one kind; fewer choices per step make the interesting ones likelier.
 */
export const DEFAULT_SCOPE: Scope = makeScope(1, 1);

/** Every action of the scope, enabled or not, in a fixed order. */
export function candidateActions(model: ClusterModel, scope: Scope): Action[] {
  const ids = model.members.map((m) => m.id);
  const out: Action[] = [];
  for (const member of ids) out.push({ type: 'crash', member }, { type: 'recover', member });
  for (let i = 0; i < ids.length; i++)
    for (let j = i + 1; j < ids.length; j++) {
      out.push({ type: 'partition', a: ids[i]!, b: ids[j]! }, { type: 'heal', a: ids[i]!, b: ids[j]! });
    }
  for (const member of ids)
    for (const kind of RECORD_KINDS) for (const key of scope.keys[kind]) out.push({ type: 'write', member, record: { kind, key } });
  for (const member of ids) out.push({ type: 'replicate', member }, { type: 'remove', member });
  for (const client of scope.clients) for (const member of ids) out.push({ type: 'enroll', client, member });
  return out;
}

/** The candidates enabled in this state: each checked against its own type's precondition directly. */
export function enabledActions(
  model: ClusterModel,
  state: ClusterState,
  candidates: readonly Action[],
  scope: Scope = DEFAULT_SCOPE,
): Action[] {
  const out: Action[] = [];
  for (const action of candidates) {
    const rule = preconditions[action.type] as (m: ClusterModel, s: ClusterState, a: Action) => string | undefined;
    if (rule(model, state, action) === undefined && outsideScope(scope, state, action) === undefined) out.push(action);
  }
  return out;
}
