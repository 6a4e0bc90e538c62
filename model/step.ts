/**
 * The transition function: preconditions (`whyDisabled`) and effects (`step`) of every action.
 * Pure: a state and an action go in, a new state comes out (immer), the old one is untouched.
 */
import { type Draft, produce } from 'immer';
import { match } from 'ts-pattern';
import type { Action, MemberId } from './actions.ts';
import { type ClusterModel, linkKey, runsService } from './cluster.ts';
import { clientUser, isRecordKind, keyOf, kindOf, type RecordId, recordId, type RecordKind } from './records.ts';
import type { ClusterState } from './state.ts';
import { makeStamp } from './stamps.ts';
import { canDeliver, faultsInUse, isCut, mayHold, successor } from './topology.ts';

export class DisabledActionError extends Error {}

function unknownMember(model: ClusterModel, id: unknown): string {
  return `unknown member ${JSON.stringify(id)}; members are ${model.members.map((m) => m.id).join(', ')}`;
}

function budgetSpent(model: ClusterModel, state: ClusterState): string {
  const out = state.members.filter((m) => m.status !== 'up').map((m) => `${m.id} is ${m.status}`);
  return `the fault budget is spent (maxDown ${model.config.faults.maxDown}${out.length > 0 ? `: ${out.join(', ')}` : ''})`;
}

/** Why a write of this record on this (up) member is not allowed, if it is not (SPEC §3). */
function writeRule(model: ClusterModel, state: ClusterState, member: number, kind: RecordKind, key: string): string | undefined {
  const config = model.members[member]!;
  return match(kind)
    .with('privateKey', () => (config.privateKeys ? undefined : `${config.id} has privateKeys: false and may not store private keys`))
    .with('cachedKey', () => (runsService(config, 'mail') ? undefined : `${config.id} does not run mail, so it caches no keys from the mail flow`))
    .with('wmAccount', () => {
      if (!runsService(config, 'webMessenger')) return `${config.id} does not run webMessenger`;
      const account = state.accounts[key];
      if (account?.mode === 'homeServer' && account.home !== config.id)
        return `Web Messenger account ${key} is a Home Server account of ${account.home}; only its home member changes it`;
      return undefined;
    })
    .with('user', 'domain', 'policy', () => undefined)
    .exhaustive();
}

function needsUp(state: ClusterState, member: number): string | undefined {
  const m = state.members[member]!;
  return m.status === 'up' ? undefined : `${m.id} is ${m.status}`;
}

type ActionOf<T extends Action['type']> = Extract<Action, { type: T }>;
type Rule<T extends Action['type']> = (model: ClusterModel, state: ClusterState, action: ActionOf<T>) => string | undefined;

/** Resolves a member id, then applies a rule to its ring position. */
function onMember(model: ClusterModel, id: MemberId, rule: (member: number) => string | undefined): string | undefined {
  const member = model.position.get(id);
  return member === undefined ? unknownMember(model, id) : rule(member);
}

function onLink(
  model: ClusterModel,
  a: MemberId,
  b: MemberId,
  rule: (x: number, y: number) => string | undefined,
): string | undefined {
  const x = model.position.get(a);
  const y = model.position.get(b);
  if (x === undefined) return unknownMember(model, a);
  if (y === undefined) return unknownMember(model, b);
  if (x === y) return `a link joins two different members, not ${a} and itself`;
  return rule(x, y);
}

/**
 * The precondition of each action type (SPEC §3), as a reason it is not enabled. The mapped type makes a
 * missing action type a compile error, like an exhaustive match.
 */
export const preconditions: { readonly [T in Action['type']]: Rule<T> } = {
  crash: (model, state, a) =>
    onMember(model, a.member, (m) =>
      needsUp(state, m) ?? (faultsInUse(state) < model.config.faults.maxDown ? undefined : budgetSpent(model, state)),
    ),
  recover: (model, state, a) =>
    onMember(model, a.member, (m) => {
      const status = state.members[m]!.status;
      return status === 'down' ? undefined : `${a.member} is ${status === 'up' ? 'already up' : 'removed from the cluster'}`;
    }),
  partition: (model, state, a) =>
    onLink(model, a.a, a.b, (x, y) => {
      if (!model.config.faults.partitions) return 'partitions are not allowed by this config (faults.partitions is false)';
      if (state.members[x]!.status === 'removed') return `${a.a} is removed from the cluster`;
      if (state.members[y]!.status === 'removed') return `${a.b} is removed from the cluster`;
      return isCut(model, state, x, y) ? `the link ${linkKey(model, x, y)} is already cut` : undefined;
    }),
  heal: (model, state, a) =>
    onLink(model, a.a, a.b, (x, y) => (isCut(model, state, x, y) ? undefined : `the link ${linkKey(model, x, y)} is not cut`)),
  write: (model, state, a) =>
    onMember(model, a.member, (m) => {
      if (!isRecordKind(a.record?.kind)) return `unknown record kind ${JSON.stringify(a.record?.kind)}`;
      if (typeof a.record.key !== 'string' || a.record.key === '') return 'a record key is a non-empty string';
      return needsUp(state, m) ?? writeRule(model, state, m, a.record.kind, a.record.key);
    }),
  replicate: (model, state, a) => onMember(model, a.member, (m) => needsUp(state, m)),
  remove: (model, state, a) =>
    onMember(model, a.member, (m) => {
      if (!model.config.faults.removeMember) return 'removing members is not allowed by this config (faults.removeMember is false)';
      const status = state.members[m]!.status;
      if (status === 'removed') return `${a.member} is already removed`;
      return status === 'down' || faultsInUse(state) < model.config.faults.maxDown ? undefined : budgetSpent(model, state);
    }),
  enroll: (model, state, a) =>
    onMember(model, a.member, (m) => {
      if (typeof a.client !== 'string' || a.client === '') return 'a client id is a non-empty string';
      if (state.clients[a.client]) return `client ${a.client} is already enrolled (at ${state.clients[a.client]!.member})`;
      if (!runsService(model.members[m]!, 'desktop')) return `${a.member} does not run desktop`;
      return needsUp(state, m);
    }),
};

/**
 * Why an action is not enabled in this state, or undefined when it is. Generators produce only enabled
 * actions; replaying a disabled one is an error that names the step.
 */
export function whyDisabled(model: ClusterModel, state: ClusterState, action: Action): string | undefined {
  return match(action)
    .with({ type: 'crash' }, (a) => preconditions.crash(model, state, a))
    .with({ type: 'recover' }, (a) => preconditions.recover(model, state, a))
    .with({ type: 'partition' }, (a) => preconditions.partition(model, state, a))
    .with({ type: 'heal' }, (a) => preconditions.heal(model, state, a))
    .with({ type: 'write' }, (a) => preconditions.write(model, state, a))
    .with({ type: 'replicate' }, (a) => preconditions.replicate(model, state, a))
    .with({ type: 'remove' }, (a) => preconditions.remove(model, state, a))
    .with({ type: 'enroll' }, (a) => preconditions.enroll(model, state, a))
    .exhaustive();
}

/** A persistent change on a member: a new version of the record, acknowledged to the writer. */
function writeRecord(model: ClusterModel, draft: Draft<ClusterState>, member: number, id: RecordId): void {
  draft.writes += 1;
  const stamp = makeStamp(draft.writes, member);
  draft.members[member]!.records[id] = stamp;
  if ((draft.acknowledged[id] ?? -1) < stamp) draft.acknowledged[id] = stamp;
  if (kindOf(id) === 'wmAccount') {
    // The account's mode and home are fixed at its first creation anywhere in the cluster.
    draft.accounts[keyOf(id)] ??= { mode: model.config.webMessenger.accountMode, home: model.members[member]!.id };
  }
}

/**
 * One replication hop from `from` (SPEC §3 `replicate`): for each kind, to that kind's successor, every
 * record the successor may hold and lacks or holds in an older version. A successor that is down or cut
 * off receives nothing. Returns the records it delivered, by receiving member.
 */
export function replicationHop(model: ClusterModel, state: ClusterState, from: number): Map<number, RecordId[]> {
  const sends = new Map<number, RecordId[]>();
  const targets = new Map<RecordKind, number | undefined>();
  const records = state.members[from]!.records;
  for (const id in records) {
    const rid = id as RecordId;
    const kind = kindOf(rid);
    let to: number | undefined;
    if (targets.has(kind)) to = targets.get(kind);
    else {
      const next = successor(model, state, from, kind);
      to = next !== undefined && canDeliver(model, state, from, next) ? next : undefined;
      targets.set(kind, to);
    }
    if (to === undefined) continue;
    const theirs = state.members[to]!.records[rid];
    if ((theirs === undefined || theirs < records[rid]!) && mayHold(model, state, to, rid)) {
      const list = sends.get(to);
      if (list) list.push(rid);
      else sends.set(to, [rid]);
    }
  }
  return sends;
}

type Effect<T extends Action['type']> = (model: ClusterModel, state: ClusterState, action: ActionOf<T>) => ClusterState;

/**
 * The effect of each action type. A table keyed by action type is as exhaustive as a ts-pattern match (a
 * missing type is a compile error) and, on this hot path, allocates no matcher per call.
 */
export const effects: { readonly [T in Action['type']]: Effect<T> } = {
  crash: (model, state, a) =>
    produce(state, (d) => {
      d.members[model.position.get(a.member)!]!.status = 'down';
    }),
  recover: (model, state, a) =>
    produce(state, (d) => {
      d.members[model.position.get(a.member)!]!.status = 'up';
    }),
  partition: (model, state, a) =>
    produce(state, (d) => {
      d.cutLinks[linkKey(model, model.position.get(a.a)!, model.position.get(a.b)!)] = true;
    }),
  heal: (model, state, a) =>
    produce(state, (d) => {
      delete d.cutLinks[linkKey(model, model.position.get(a.a)!, model.position.get(a.b)!)];
    }),
  write: (model, state, a) => produce(state, (d) => writeRecord(model, d, model.position.get(a.member)!, recordId(a.record))),
  replicate: (model, state, a) => {
    const from = model.position.get(a.member)!;
    const sends = replicationHop(model, state, from);
    return sends.size === 0 ? state : deliver(state, [{ from, sends }]);
  },
  remove: (model, state, a) =>
    produce(state, (d) => {
      const member = d.members[model.position.get(a.member)!]!;
      member.status = 'removed';
      member.records = {};
      const prefix = `${a.member}|`;
      const suffix = `|${a.member}`;
      for (const link of Object.keys(d.cutLinks)) if (link.startsWith(prefix) || link.endsWith(suffix)) delete d.cutLinks[link];
    }),
  enroll: (model, state, a) =>
    produce(state, (d) => {
      d.clients[a.client] = { member: a.member };
      writeRecord(model, d, model.position.get(a.member)!, clientUser(a.client));
    }),
};

export interface Hop {
  readonly from: number;
  readonly sends: ReadonlyMap<number, readonly RecordId[]>;
}

/**
 * Delivers replication hops computed on `state`: each receiver stores the sender's version unless it
 * already holds one at least as new (two senders may reach one receiver in a synchronous round).
 */
export function deliver(state: ClusterState, hops: readonly Hop[]): ClusterState {
  return produce(state, (d) => {
    for (const { from, sends } of hops) {
      const source = state.members[from]!.records;
      for (const [to, ids] of sends) {
        const target = d.members[to]!.records;
        for (const id of ids) if ((target[id] ?? -1) < source[id]!) target[id] = source[id]!;
      }
    }
  });
}

/** Applies an action assumed enabled. Use `step` unless the precondition was already checked. */
export function applyAction(model: ClusterModel, state: ClusterState, action: Action): ClusterState {
  return (effects[action.type] as Effect<Action['type']>)(model, state, action as never);
}

/** Applies an action, or throws `DisabledActionError` saying why it is not enabled. */
export function step(model: ClusterModel, state: ClusterState, action: Action): ClusterState {
  const why = whyDisabled(model, state, action);
  if (why !== undefined) throw new DisabledActionError(why);
  return applyAction(model, state, action);
}
