/**
 * The transition function: preconditions (`whyDisabled`) and effects (`step`) of every action.
 * Pure: a state and an action go in, a new state comes out (immer), the old one is untouched.
 */
import { type Draft, produce } from 'immer';
import { match } from 'ts-pattern';
import { ACCOUNT_MODES, allowsUpgrade } from '../config/schema.ts';
import { type Action, isMajorUpgrade, type MemberId } from './actions.ts';
import { type ClusterModel, linkKey, runsService } from './cluster.ts';
import { clientReachesServer } from './desktop.ts';
import { type CacheKind, clientUser, isCacheKind, isRecordKind, keyOf, kindOf, type RecordId, recordId, type RecordKind } from './records.ts';
import { owedOnReturn } from './rotation.ts';
import type { ClusterState, MemberState } from './state.ts';
import { makeStamp } from './stamps.ts';
import { formatHours, HOURS_PER_DAY, MAX_CLOCK_HOURS, passTime } from './time.ts';
import { canDeliver, faultsInUse, isCut, mayHold, mayHoldOnceIn, successor } from './topology.ts';
import { ownEntry } from './keyed.ts';

export class DisabledActionError extends Error {}

/** The release members start on, and the next one: each member upgrades at most once (keeps releases finite). */
export const CURRENT_RELEASE = 0;
export const NEXT_RELEASE = 1;
/** The minor update a member may take on its release (a .pup file, KB 153403): one per release keeps updates finite. */
export const MINOR_UPDATE = 1;

function unknownMember(model: ClusterModel, id: unknown): string {
  return `unknown member ${JSON.stringify(id)}; members are ${model.members.map((m) => m.id).join(', ')}`;
}

function budgetSpent(model: ClusterModel, state: ClusterState): string {
  const out = state.members.filter((m) => m.status === 'down' || m.status === 'removed').map((m) => `${m.id} is ${m.status}`);
  return `the fault budget is spent (maxDown ${model.config.faults.maxDown}${out.length > 0 ? `: ${out.join(', ')}` : ''})`;
}

/**
 * Why a write of this record on this (up) member is not allowed, if it is not (SPEC §3). A switch rather
 * than a ts-pattern match because it runs for every write candidate on the hot path; the `never` check
 * keeps it exhaustive (a new record kind is a compile error here).
 */
function writeRule(model: ClusterModel, state: ClusterState, member: number, kind: RecordKind, key: string): string | undefined {
  const config = model.members[member]!;
  switch (kind) {
    case 'privateKey':
      return config.privateKeys ? undefined : `${config.id} has privateKeys: false and may not store private keys`;
    case 'cachedKey':
      return runsService(config, 'mail') ? undefined : `${config.id} does not run mail, so it caches no keys from the mail flow`;
    case 'fetchedKey':
      // Modelling choice: keys are fetched from external keyservers while processing mail.
      return runsService(config, 'mail') ? undefined : `${config.id} does not run mail, so it fetches no keys from keyservers`;
    case 'wmAccount': {
      if (!model.runsWebMessenger[member]) return `${config.id} does not run webMessenger`;
      const account = ownEntry(state.accounts, key);
      if (account?.mode === 'homeServer' && account.home !== config.id)
        return `Web Messenger account ${key} is a Home Server account of ${account.home}; only its home member changes it`;
      return undefined;
    }
    case 'user':
    case 'domain':
    case 'policy':
      return undefined;
    default: {
      const unhandled: never = kind;
      return `unknown record kind ${JSON.stringify(unhandled)}`;
    }
  }
}

function notJoined(member: MemberState): string {
  return `${member.id} has not joined the cluster yet (joinsLater)`;
}

function needsUp(state: ClusterState, member: number): string | undefined {
  const m = state.members[member]!;
  if (m.status === 'up') return undefined;
  return m.status === 'waiting' ? notJoined(m) : `${m.id} is ${m.status}`;
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
 * The member a waiting member joins through, or why it cannot join now.
 *
 * KB 153721: a member joins through the Sponsor, which must be up and reachable (here: no cut link between
 * them). What happens when the Sponsor is down or removed is undocumented; `assumptions.joinWhenSponsorDown`
 * decides: `"waits"` (the default) until the Sponsor is back, or `"anyMember"`: then the first live member
 * of the cluster in ring order that the joiner can reach sponsors the join (modelling choice: members are
 * peers, KB 153198).
 */
export function joinSponsor(model: ClusterModel, state: ClusterState, joiner: number): number | string {
  const sponsor = model.sponsor;
  const s = state.members[sponsor]!;
  const id = state.members[joiner]!.id;
  if (s.status === 'up') return isCut(model, state, sponsor, joiner) ? `the link ${linkKey(model, sponsor, joiner)} between the Sponsor and ${id} is cut` : sponsor;
  const why = `the Sponsor ${s.id} is ${s.status}`;
  if (model.config.assumptions.joinWhenSponsorDown === 'waits')
    return `${why}, and a member joins through the Sponsor (KB 153721; assumptions.joinWhenSponsorDown is "waits")`;
  for (let m = 0; m < model.size; m++) {
    if (m !== joiner && state.members[m]!.status === 'up' && !isCut(model, state, m, joiner)) return m;
  }
  return `${why}, and no other live member can reach ${id}`;
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
      const member = state.members[m]!;
      if (member.status === 'down') return undefined;
      if (member.status === 'waiting') return notJoined(member);
      return `${a.member} is ${member.status === 'up' ? 'already up' : 'removed from the cluster'}`;
    }),
  partition: (model, state, a) =>
    onLink(model, a.a, a.b, (x, y) => {
      if (!model.config.faults.partitions) return 'partitions are not allowed by this config (faults.partitions is false)';
      if (state.members[x]!.status === 'removed') return `${a.a} is removed from the cluster`;
      if (state.members[y]!.status === 'removed') return `${a.b} is removed from the cluster`;
      if (isCut(model, state, x, y)) return `the link ${linkKey(model, x, y)} is already cut`;
      const cut = Object.keys(state.cutLinks).length;
      return cut < model.config.faults.maxCutLinks
        ? undefined
        : `the budget of cut links is spent (faults.maxCutLinks ${model.config.faults.maxCutLinks}: ${Object.keys(state.cutLinks).join(', ')})`;
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
      const member = state.members[m]!;
      if (member.status === 'removed') return `${a.member} is already removed`;
      if (member.status === 'waiting') return `${notJoined(member)}; there is nothing to remove`;
      return member.status === 'down' || faultsInUse(state) < model.config.faults.maxDown ? undefined : budgetSpent(model, state);
    }),
  enroll: (model, state, a) =>
    onMember(model, a.member, (m) => {
      if (typeof a.client !== 'string' || a.client === '') return 'a client id is a non-empty string';
      const enrolled = ownEntry(state.clients, a.client);
      if (enrolled) return `client ${a.client} is already enrolled (at ${enrolled.member})`;
      if (!runsService(model.members[m]!, 'desktop')) return `${a.member} does not run desktop`;
      return needsUp(state, m);
    }),
  join: (model, state, a) =>
    onMember(model, a.member, (m) => {
      const member = state.members[m]!;
      if (!model.members[m]!.joinsLater) return `${a.member} is in the cluster from the start (joinsLater is false)`;
      if (member.status !== 'waiting') return `${a.member} has already joined the cluster`;
      const sponsor = joinSponsor(model, state, m);
      return typeof sponsor === 'string' ? `${a.member} cannot join: ${sponsor}` : undefined;
    }),
  upgrade: (model, state, a) =>
    onMember(model, a.member, (m) => {
      const allowed = model.config.faults.upgrades;
      if (!allowed) return 'upgrades are not allowed by this config (faults.upgrades is false)';
      if (a.major !== undefined && typeof a.major !== 'boolean') return `major is true or false (or left out: a major upgrade), not ${JSON.stringify(a.major)}`;
      const member = state.members[m]!;
      // KB 153403: a minor update is a .pup file applied on the server; a major upgrade an ISO install and restore.
      if (isMajorUpgrade(a)) {
        if (!allowsUpgrade(allowed, 'major')) return 'this config allows only minor updates (faults.upgrades is "minor"), not major upgrades';
        if (member.version >= NEXT_RELEASE) return `${a.member} already runs the next release (each member upgrades once)`;
      } else {
        if (!allowsUpgrade(allowed, 'minor')) return 'this config allows only major upgrades (faults.upgrades is "major"), not minor updates';
        if (member.minor >= MINOR_UPDATE) return `${a.member} already runs the minor update of its release (each member takes one per release)`;
      }
      // Modelling choice: an upgrade is one step taken on a running member; the hours it takes can be
      // modelled as a crash and a recovery around it.
      return needsUp(state, m);
    }),
  advanceTime: (model, state, a) => {
    const hours = a.hours;
    if (typeof hours !== 'number' || !Number.isInteger(hours) || hours < 1) return `hours is a whole number, at least 1, not ${JSON.stringify(hours)}`;
    if (hours > MAX_CLOCK_HOURS - state.clock)
      return `time goes no further than ${formatHours(MAX_CLOCK_HOURS)} (${MAX_CLOCK_HOURS} hours) after the start, so the clock stays exact; it is at ${state.clock} hours, so at most ${MAX_CLOCK_HOURS - state.clock} more`;
    const to = state.clock + hours;
    const limit = model.config.faults.maxOutageDays * HOURS_PER_DAY;
    for (const m of state.members) {
      if (m.status === 'down' && to - m.downSince > limit)
        return `${m.id} has been down for ${formatHours(state.clock - m.downSince)}; ${formatHours(hours)} more would keep it down longer than faults.maxOutageDays (${formatHours(limit)})`;
    }
    return undefined;
  },
  setAccountMode: (model, state, a) => {
    const { accountMode, switchTo } = model.config.webMessenger;
    if (switchTo === undefined) return 'switching the Web Messenger account mode is not allowed by this config (webMessenger.switchTo is not set)';
    if (!(ACCOUNT_MODES as readonly unknown[]).includes(a.mode)) return `unknown account mode ${JSON.stringify(a.mode)}; valid: ${ACCOUNT_MODES.join(', ')}`;
    if (a.mode !== accountMode && a.mode !== switchTo)
      return `this config switches only between ${accountMode} (webMessenger.accountMode) and ${switchTo} (webMessenger.switchTo)`;
    return a.mode === state.accountMode ? `new Web Messenger accounts already take ${a.mode} mode` : undefined;
  },
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
    .with({ type: 'join' }, (a) => preconditions.join(model, state, a))
    .with({ type: 'upgrade' }, (a) => preconditions.upgrade(model, state, a))
    .with({ type: 'advanceTime' }, (a) => preconditions.advanceTime(model, state, a))
    .with({ type: 'setAccountMode' }, (a) => preconditions.setAccountMode(model, state, a))
    .exhaustive();
}

/** A persistent change on a member: a new version of the record, acknowledged to the writer. */
function writeRecord(model: ClusterModel, draft: Draft<ClusterState>, member: number, id: RecordId): void {
  const holder = draft.members[member]!;
  draft.writes += 1;
  const stamp = makeStamp(draft.writes, member);
  holder.records[id] = stamp;
  const kind = kindOf(id);
  const newest = (draft.acknowledged[id] ?? -1) < stamp;
  if (newest) draft.acknowledged[id] = stamp;
  if (isCacheKind(kind)) {
    // The key is cached (from the mail flow, or fetched from a keyserver) now (KB 162609).
    holder.cachedAt[id] = draft.clock;
    if (newest) draft.acknowledgedCachedAt[id] = draft.clock;
  } else if (kind === 'wmAccount') {
    // The account's mode and home are fixed at its first creation anywhere in the cluster, with the mode
    // new accounts take at that moment (the vendor's note: a switch affects only accounts created afterwards).
    if (!Object.hasOwn(draft.accounts, keyOf(id))) draft.accounts[keyOf(id)] = { mode: draft.accountMode, home: model.members[member]!.id };
  }
}

/**
 * One replication hop from `from` (SPEC §3 `replicate`): for each kind, to that kind's successor, every
 * record the successor may hold and lacks or holds in an older version. A successor that is down, cut off
 * or on another release receives nothing. A cached key past its retention is not sent (modelling choice:
 * the vendor documents nothing here; it goes at the sender's next purge). Returns the records it
 * delivered, by receiving member.
 */
export function replicationHop(model: ClusterModel, state: ClusterState, from: number): Map<number, RecordId[]> {
  const sends = new Map<number, RecordId[]>();
  const targets = new Map<RecordKind, number | undefined>();
  const sender = state.members[from]!;
  const records = sender.records;
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
    let stale = theirs === undefined || theirs < records[rid]!;
    if (kind === 'cachedKey' || kind === 'fetchedKey') {
      if (sender.cachedAt[rid]! + model.retention[kind] <= state.clock) continue;
      // A copy past its retention is as good as purged: any live version replaces it.
      if (!stale) stale = state.members[to]!.cachedAt[rid]! + model.retention[kind] <= state.clock;
    }
    if (stale && mayHold(model, state, to, rid)) {
      const list = sends.get(to);
      if (list) list.push(rid);
      else sends.set(to, [rid]);
    }
  }
  return sends;
}

/** Removes the keys whose retention has passed by `now` from an up member's key cache (KB 162609). */
function purge(model: ClusterModel, member: Draft<MemberState>, now: number): void {
  for (const id in member.cachedAt) {
    const rid = id as RecordId;
    const kind = kindOf(rid) as CacheKind;
    if (member.cachedAt[rid]! + model.retention[kind] <= now) {
      delete member.records[rid];
      delete member.cachedAt[rid];
    }
  }
  member.purgedAt = now;
}

type Effect<T extends Action['type']> = (model: ClusterModel, state: ClusterState, action: ActionOf<T>) => ClusterState;

/**
 * The effect of each action type. A table keyed by action type is as exhaustive as a ts-pattern match (a
 * missing type is a compile error) and, on this hot path, allocates no matcher per call.
 */
export const effects: { readonly [T in Action['type']]: Effect<T> } = {
  crash: (model, state, a) =>
    produce(state, (d) => {
      const m = d.members[model.position.get(a.member)!]!;
      m.status = 'down';
      // A crash in the hour the member came back (no time between) continues the same outage.
      if (m.upSince !== d.clock) m.downSince = d.clock;
    }),
  recover: (model, state, a) => {
    const at = model.position.get(a.member)!;
    const owed = owedOnReturn(model, state, at);
    return produce(state, (d) => {
      const m = d.members[at]!;
      m.status = 'up';
      m.upSince = d.clock;
      m.owedAtReturn = owed;
    });
  },
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
    return sends.size === 0 ? state : deliver(model, state, [{ from, sends }]);
  },
  remove: (model, state, a) =>
    produce(state, (d) => {
      const member = d.members[model.position.get(a.member)!]!;
      member.status = 'removed';
      member.records = {};
      member.cachedAt = {};
      member.owedAtReturn = {};
      const prefix = `${a.member}|`;
      const suffix = `|${a.member}`;
      for (const link of Object.keys(d.cutLinks)) if (link.startsWith(prefix) || link.endsWith(suffix)) delete d.cutLinks[link];
    }),
  enroll: (model, state, a) =>
    produce(state, (d) => {
      // Enrolling is talking to the server: the client gets an SKM key valid 14 days (KB 157933).
      d.clients[a.client] = { member: a.member, skmIssued: d.clock, lastContact: d.clock };
      writeRecord(model, d, model.position.get(a.member)!, clientUser(a.client));
    }),
  join: (model, state, a) => {
    const joiner = model.position.get(a.member)!;
    const sponsor = joinSponsor(model, state, joiner) as number;
    const source = state.members[sponsor]!;
    // KB 153721: a normal join is a full copy over the wire from the Sponsor: of everything the joiner may
    // hold, except cached keys already past their retention (they would go at its first purge).
    const records: Record<RecordId, number> = {};
    const cachedAt: Record<RecordId, number> = {};
    for (const id in source.records) {
      const rid = id as RecordId;
      if (!mayHoldOnceIn(model, state, joiner, rid)) continue;
      const kind = kindOf(rid);
      if (isCacheKind(kind)) {
        const at = source.cachedAt[rid]!;
        if (at + model.retention[kind] <= state.clock) continue;
        cachedAt[rid] = at;
      }
      records[rid] = source.records[rid]!;
    }
    const owed = owedOnReturn(model, state, joiner);
    return produce(state, (d) => {
      const m = d.members[joiner]!;
      m.status = 'up';
      m.records = records;
      m.cachedAt = cachedAt;
      // A joining server runs the cluster's release (KB 225396: all members must run the same version).
      m.version = source.version;
      m.minor = source.minor;
      m.purgedAt = d.clock;
      m.upSince = d.clock;
      m.downSince = d.clock;
      m.owedAtReturn = owed;
    });
  },
  upgrade: (model, state, a) =>
    produce(state, (d) => {
      const member = d.members[model.position.get(a.member)!]!;
      // KB 180162: updates are not propagated among members; each member updates its own software.
      if (isMajorUpgrade(a)) {
        // The new release is installed fresh (KB 153403: ISO install, then restore): none of its minor updates yet.
        member.version = NEXT_RELEASE;
        member.minor = 0;
      } else member.minor = MINOR_UPDATE;
    }),
  advanceTime: (model, state, a) => {
    const to = state.clock + a.hours;
    return produce(state, (d) => {
      d.clock = to;
      // Every live member's purge job runs as time passes; a down member purges only once it is back.
      for (const m of d.members) if (m.status === 'up') purge(model, m, to);
      // A cached key whose acknowledged version was purged at its retention is not a lost write.
      for (const id in d.acknowledgedCachedAt) {
        const rid = id as RecordId;
        if (d.acknowledgedCachedAt[rid]! + model.retention[kindOf(rid) as CacheKind] <= to) {
          delete d.acknowledged[rid];
          delete d.acknowledgedCachedAt[rid];
        }
      }
      // SKM keys are renewed or lapse (KB 157933); who a client reaches does not change while time passes.
      for (const client in state.clients) {
        const before = state.clients[client]!;
        const after = passTime(before, state.clock, to, clientReachesServer(model, state, client, before));
        if (after !== before) d.clients[client] = after;
      }
    });
  },
  setAccountMode: (_model, state, a) =>
    produce(state, (d) => {
      d.accountMode = a.mode;
    }),
};

export interface Hop {
  readonly from: number;
  readonly sends: ReadonlyMap<number, readonly RecordId[]>;
}

/**
 * Delivers replication hops computed on `state`: each receiver stores the sender's version (and, for a
 * cached key, when it was cached) unless it already holds one at least as new (two senders may reach one
 * receiver in a synchronous round).
 */
export function deliver(model: ClusterModel, state: ClusterState, hops: readonly Hop[]): ClusterState {
  return produce(state, (d) => {
    for (const { from, sends } of hops) {
      const source = state.members[from]!;
      for (const [to, ids] of sends) {
        const target = d.members[to]!;
        for (const id of ids) {
          const at = source.cachedAt[id];
          const theirs = target.records[id];
          // A cached key past its retention on the receiver is replaced by any live version (`replicationHop`).
          const replace =
            theirs === undefined ||
            theirs < source.records[id]! ||
            (at !== undefined && target.cachedAt[id]! + model.retention[kindOf(id) as CacheKind] <= state.clock);
          if (replace) {
            target.records[id] = source.records[id]!;
            if (at !== undefined) target.cachedAt[id] = at;
          }
        }
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
