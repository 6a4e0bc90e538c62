/**
 * The enabled actions of a state, within a scope: the finite pools of record keys, client names and time
 * steps that random search and exploration draw from. Only enabled actions are ever generated (SPEC §3).
 */
import { ACCOUNT_MODES, allowsUpgrade } from '../config/schema.ts';
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
  /** The steps `advanceTime` may take, in hours (`DEFAULT_HOURS` when absent). */
  readonly hours?: readonly number[];
  /** Each record is written at most once (a bound on exploration, not a rule of the model). */
  readonly writeOnce?: boolean;
  /** Time passes no further than this many hours after the start (a bound on exploration). */
  readonly maxClock?: number;
}

/** Why an action lies outside the scope (beyond the model's own preconditions), if it does. */
export function outsideScope(scope: Scope, state: ClusterState, action: Action): string | undefined {
  if (scope.writeOnce && action.type === 'write' && state.acknowledged[recordId(action.record)] !== undefined)
    return `${recordId(action.record)} was written already, and this scope writes each record at most once`;
  if (scope.maxClock !== undefined && action.type === 'advanceTime' && state.clock + action.hours > scope.maxClock)
    return `time would pass ${scope.maxClock} hours after the start, the bound of this scope`;
  return undefined;
}

/**
 * The steps `advanceTime` takes by default: a day (the default keyserver TTL, an SKM key's renewal lead,
 * and time passing while a member is down within the default two-day outage limit), two weeks (an SKM
 * key's validity), three weeks, and 180 days (the mail-flow key-cache retention) (KB 162609, KB 157933).
 * Every threshold of the model is one or two steps away, and few values keep each one likely, so a random
 * trace reaches a lapse or a purge in a few actions.
 */
export const DEFAULT_HOURS: readonly number[] = [24, 14 * 24, 21 * 24, 180 * 24];

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

/**
 * The default scope of random search: one key of each kind and one client. More would not find more:
 * every property is a conjunction over single records and clients, and a record's fate depends only on
 * the faults and the actions that touch it (`model/projection.ts`), so a violation never needs two keys
 * of one kind. Managed domains and policies are left out: in this model they obey exactly the rules of
 * users (replicated to every member, written anywhere, no property about them), so a write of one would
 * only thin out the writes that matter; they stay valid in any trace or scenario. The default time steps.
 */
export const DEFAULT_SCOPE: Scope = (() => {
  const scope = makeScope(1, 1);
  return { ...scope, keys: { ...scope.keys, domain: [], policy: [] } };
})();

/**
 * The order of write candidates: first the kinds with rules of their own (Web Messenger accounts, private
 * keys, users that clients enroll as), then the key caches, then the rest. Random search leans towards
 * early candidates (fast-check favours small choices), so this puts the kinds properties are about first.
 */
const WRITE_ORDER: readonly RecordKind[] = ['wmAccount', 'privateKey', 'user', 'cachedKey', 'fetchedKey', 'domain', 'policy'];

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
    for (const kind of WRITE_ORDER) for (const key of scope.keys[kind]) out.push({ type: 'write', member, record: { kind, key } });
  for (const member of ids) out.push({ type: 'replicate', member }, { type: 'remove', member });
  for (const client of scope.clients) for (const member of ids) out.push({ type: 'enroll', client, member });
  // The lifecycle actions, only where the config allows them.
  for (const m of model.members) if (m.joinsLater) out.push({ type: 'join', member: m.id });
  // Major upgrades and minor updates (KB 153403), as `faults.upgrades` allows.
  const upgrades = model.config.faults.upgrades;
  for (const member of ids) {
    if (allowsUpgrade(upgrades, 'major')) out.push({ type: 'upgrade', member, major: true });
    if (allowsUpgrade(upgrades, 'minor')) out.push({ type: 'upgrade', member, major: false });
  }
  for (const hours of scope.hours ?? DEFAULT_HOURS) out.push({ type: 'advanceTime', hours });
  if (model.config.webMessenger.switchTo !== undefined)
    for (const mode of ACCOUNT_MODES) out.push({ type: 'setAccountMode', mode });
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
