/**
 * The transition function, and the declaration of every action (`ACTIONS`): its fields, its sentence, its
 * precondition (`whyDisabled`) and effect (`step`), the component it belongs to and its candidates.
 * Pure: a state and an action go in, a new state comes out (immer), the old one is untouched.
 */
import { type Draft, produce } from 'immer';
import { ACCOUNT_MODES, allowsUpgrade } from '../../config/schema.ts';
import type { Action, ActionType, MemberId } from '../../model/actions.ts';
import { type ClusterModel, linkKey, runsService } from '../../model/cluster.ts';
import { clientReachesServer } from './desktop.ts';
import { type CacheKind, clientUser, isCacheKind, isRecordKind, keyOf, kindOf, type RecordId, recordId, type RecordKind } from '../../model/records.ts';
import { owedOnReturn } from './rotation.ts';
import type { ClusterState, MemberState } from '../../model/state.ts';
import { makeStamp } from '../../model/stamps.ts';
import { DEFAULT_HOURS, formatHours, HOURS_PER_DAY, MAX_CLOCK_HOURS, passTime } from './time.ts';
import { canDeliver, faultsInUse, isCut, mayHold, mayHoldOnceIn, successor } from './topology.ts';
import { ownEntry } from '../../model/keyed.ts';
import type { Scope } from './enabled.ts';
import type { Slot } from './projection.ts';

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
 * Why a write of this record on this (up) member is not allowed, if it is not (docs/model.md, actions). A switch rather
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
 * One replication hop from `from` (docs/model.md, actions `replicate`): for each kind, to that kind's successor, every
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

/**
 * Whether an `upgrade` is a major one. An absent `major` means a major upgrade: before the flag every
 * upgrade stopped replication with members on the old release (KB 225396), and saved files keep that.
 */
export function isMajorUpgrade(action: Extract<Action, { type: 'upgrade' }>): boolean {
  return action.major !== false;
}

/**
 * The order of write candidates: first the kinds with rules of their own (Web Messenger accounts, private
 * keys, users that clients enroll as), then the key caches, then the rest. Random search leans towards
 * early candidates (fast-check favours small choices), so this puts the kinds properties are about first.
 */
const WRITE_ORDER: readonly RecordKind[] = ['wmAccount', 'privateKey', 'user', 'cachedKey', 'fetchedKey', 'domain', 'policy'];

type ActionOf<T extends ActionType> = Extract<Action, { type: T }>;

type Leaf<T> = [T] extends [string] ? 'string' : [T] extends [number] ? 'number' : [T] extends [boolean] ? 'boolean' : never;
/** A JSON field of a trace file: its type's name, or, for an object, its fields. */
export type FieldSpec<T> = [Leaf<T>] extends [never] ? { readonly [K in keyof T]-?: FieldSpec<T[K]> } : Leaf<T>;
/**
 * The JSON fields of an action besides `type`, in the order files write them. A field the type marks
 * optional is written with a `?` (`'boolean?'`): a file may leave it out. The type makes a missing,
 * extra or mistyped field a compile error.
 */
export type Fields<A> = {
  readonly [K in Exclude<keyof A, 'type'>]-?: undefined extends A[K] ? `${Leaf<Exclude<A[K], undefined>>}?` : FieldSpec<A[K]>;
};

/**
 * The component of a state an action belongs to (`model/projection.ts`): `'shared'` for an action that
 * reads and changes only the shared state (members' status and releases, cut links, the clock, the mode
 * of new accounts) and whatever it does to every record alike (a replication hop, a purge); else the one
 * record or client component whose state decides whether it is enabled and the only one whose own part
 * it changes.
 */
export type Owner<A> = 'shared' | ((action: A) => Slot);

/** Everything about one action type: what `ACTIONS` holds for each. */
export interface Declaration<A extends Action> {
  /** Its JSON fields in a trace file (the loader, `traces/counterexample.ts`, checks files against them). */
  readonly fields: Fields<A>;
  /** One line, like a sentence: `write user:alice on m2`. */
  readonly describe: (action: A) => string;
  /** Why it is not enabled in this state (docs/model.md, actions), or undefined when it is. */
  readonly precondition: (model: ClusterModel, state: ClusterState, action: A) => string | undefined;
  /** Its effect on a state in which it is enabled. */
  readonly effect: (model: ClusterModel, state: ClusterState, action: A) => ClusterState;
  /** The component it belongs to (the per-record rule, above `ACTIONS`). */
  readonly owner: Owner<A>;
  /** Every action of this type within a scope, enabled or not, in a fixed order. */
  readonly candidates: (model: ClusterModel, scope: Scope) => A[];
  /**
   * Its candidates alternate one for one with those of the declaration before it (`crash m1`, `recover
   * m1`, `crash m2`, ...): a fault and its undo stay side by side in the candidate order, which random
   * search leans towards the start of.
   */
  readonly interleaved?: true;
}

/**
 * Every action type, declared once: its JSON fields, its sentence, its precondition and effect, the
 * component it belongs to, and its candidates. The mapped type makes an action of the `Action` union
 * without a declaration (or a declaration without one of its parts) a compile error; the list of action
 * types (`ACTION_TYPES`), the loader's checks of trace files, `describeAction`, `whyDisabled`,
 * `applyAction`, the candidate actions of a scope (`candidateActions`, in this order) and the owner of
 * each (`ownerSlot`) all come from here, and `model/actions.test.ts` checks each declaration's parts
 * against each other for every type.
 *
 * The per-record rule: an action may read and change the shared state (members' status, releases, cut
 * links, the clock, the account mode) and at most ONE record or client component. Its precondition reads
 * the shared state and its owner's component alone; its effect on each component depends on that
 * component and the shared state alone (a write changes its one record, a replication hop moves each
 * record on its own). That is what makes splitting a state into one component per record and per client
 * exact (`model/projection.ts`), on which exploration, the component engine and the packed evaluation
 * (`model/packed.ts`, which mirrors each action's rules on packed rows) all rest. `model/decomposition.test.ts`
 * checks it deterministically: in every state of small configs to a fixed depth, every enabled action's
 * step commutes with projecting onto each component, its owner's component alone decides whether it is
 * enabled, and an owned action leaves every other component as it was. An action that needs two records
 * (a member restored from a backup that predates its last write, say) fails there, by name.
 */
export const ACTIONS: { readonly [T in ActionType]: Declaration<ActionOf<T>> } = {
  crash: {
    fields: { member: 'string' },
    describe: (a) => `crash ${a.member}`,
    precondition: (model, state, a) =>
      onMember(model, a.member, (m) =>
        needsUp(state, m) ?? (faultsInUse(state) < model.config.faults.maxDown ? undefined : budgetSpent(model, state)),
      ),
    effect: (model, state, a) =>
      produce(state, (d) => {
        const m = d.members[model.position.get(a.member)!]!;
        m.status = 'down';
        // A crash in the hour the member came back (no time between) continues the same outage.
        if (m.upSince !== d.clock) m.downSince = d.clock;
      }),
    owner: 'shared',
    candidates: eachMember('crash'),
  },
  recover: {
    fields: { member: 'string' },
    describe: (a) => `recover ${a.member}`,
    precondition: (model, state, a) =>
      onMember(model, a.member, (m) => {
        const member = state.members[m]!;
        if (member.status === 'down') return undefined;
        if (member.status === 'waiting') return notJoined(member);
        return `${a.member} is ${member.status === 'up' ? 'already up' : 'removed from the cluster'}`;
      }),
    effect: (model, state, a) => {
      const at = model.position.get(a.member)!;
      const owed = owedOnReturn(model, state, at);
      return produce(state, (d) => {
        const m = d.members[at]!;
        m.status = 'up';
        m.upSince = d.clock;
        m.owedAtReturn = owed;
      });
    },
    owner: 'shared',
    candidates: eachMember('recover'),
    interleaved: true,
  },
  partition: {
    fields: { a: 'string', b: 'string' },
    describe: (a) => `partition ${a.a} | ${a.b}`,
    precondition: (model, state, a) =>
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
    effect: (model, state, a) =>
      produce(state, (d) => {
        d.cutLinks[linkKey(model, model.position.get(a.a)!, model.position.get(a.b)!)] = true;
      }),
    owner: 'shared',
    candidates: eachLink('partition'),
  },
  heal: {
    fields: { a: 'string', b: 'string' },
    describe: (a) => `heal ${a.a} | ${a.b}`,
    precondition: (model, state, a) =>
      onLink(model, a.a, a.b, (x, y) => (isCut(model, state, x, y) ? undefined : `the link ${linkKey(model, x, y)} is not cut`)),
    effect: (model, state, a) =>
      produce(state, (d) => {
        delete d.cutLinks[linkKey(model, model.position.get(a.a)!, model.position.get(a.b)!)];
      }),
    owner: 'shared',
    candidates: eachLink('heal'),
    interleaved: true,
  },
  write: {
    fields: { member: 'string', record: { kind: 'string', key: 'string' } },
    describe: (a) => `write ${a.record.kind}:${a.record.key} on ${a.member}`,
    precondition: (model, state, a) =>
      onMember(model, a.member, (m) => {
        if (!isRecordKind(a.record?.kind)) return `unknown record kind ${JSON.stringify(a.record?.kind)}`;
        if (typeof a.record.key !== 'string' || a.record.key === '') return 'a record key is a non-empty string';
        return needsUp(state, m) ?? writeRule(model, state, m, a.record.kind, a.record.key);
      }),
    effect: (model, state, a) => produce(state, (d) => writeRecord(model, d, model.position.get(a.member)!, recordId(a.record))),
    owner: (a) => ({ type: 'record', id: recordId(a.record) }),
    candidates: (model, scope) =>
      model.members.flatMap((m) => WRITE_ORDER.flatMap((kind) => scope.keys[kind].map((key) => ({ type: 'write' as const, member: m.id, record: { kind, key } })))),
  },
  replicate: {
    fields: { member: 'string' },
    describe: (a) => `replicate ${a.member}`,
    precondition: (model, state, a) => onMember(model, a.member, (m) => needsUp(state, m)),
    effect: (model, state, a) => {
      const from = model.position.get(a.member)!;
      const sends = replicationHop(model, state, from);
      return sends.size === 0 ? state : deliver(model, state, [{ from, sends }]);
    },
    owner: 'shared',
    candidates: eachMember('replicate'),
  },
  remove: {
    fields: { member: 'string' },
    describe: (a) => `remove ${a.member}`,
    precondition: (model, state, a) =>
      onMember(model, a.member, (m) => {
        if (!model.config.faults.removeMember) return 'removing members is not allowed by this config (faults.removeMember is false)';
        const member = state.members[m]!;
        if (member.status === 'removed') return `${a.member} is already removed`;
        if (member.status === 'waiting') return `${notJoined(member)}; there is nothing to remove`;
        return member.status === 'down' || faultsInUse(state) < model.config.faults.maxDown ? undefined : budgetSpent(model, state);
      }),
    effect: (model, state, a) =>
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
    owner: 'shared',
    candidates: eachMember('remove'),
    interleaved: true,
  },
  enroll: {
    fields: { client: 'string', member: 'string' },
    describe: (a) => `enroll ${a.client} at ${a.member}`,
    precondition: (model, state, a) =>
      onMember(model, a.member, (m) => {
        if (typeof a.client !== 'string' || a.client === '') return 'a client id is a non-empty string';
        const enrolled = ownEntry(state.clients, a.client);
        if (enrolled) return `client ${a.client} is already enrolled (at ${enrolled.member})`;
        if (!runsService(model.members[m]!, 'desktop')) return `${a.member} does not run desktop`;
        return needsUp(state, m);
      }),
    effect: (model, state, a) =>
      produce(state, (d) => {
        // Enrolling is talking to the server: the client gets an SKM key valid 14 days (KB 157933).
        d.clients[a.client] = { member: a.member, skmIssued: d.clock, lastContact: d.clock };
        writeRecord(model, d, model.position.get(a.member)!, clientUser(a.client));
      }),
    owner: (a) => ({ type: 'client', client: a.client }),
    candidates: (model, scope) => scope.clients.flatMap((client) => model.members.map((m) => ({ type: 'enroll' as const, client, member: m.id }))),
  },
  join: {
    fields: { member: 'string' },
    describe: (a) => `join ${a.member}`,
    precondition: (model, state, a) =>
      onMember(model, a.member, (m) => {
        const member = state.members[m]!;
        if (!model.members[m]!.joinsLater) return `${a.member} is in the cluster from the start (joinsLater is false)`;
        if (member.status !== 'waiting') return `${a.member} has already joined the cluster`;
        const sponsor = joinSponsor(model, state, m);
        return typeof sponsor === 'string' ? `${a.member} cannot join: ${sponsor}` : undefined;
      }),
    effect: (model, state, a) => {
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
    owner: 'shared',
    // Only where the config has a member that joins later.
    candidates: (model) => model.members.filter((m) => m.joinsLater).map((m) => ({ type: 'join', member: m.id })),
  },
  upgrade: {
    fields: { member: 'string', major: 'boolean?' },
    describe: (a) => (isMajorUpgrade(a) ? `upgrade ${a.member}` : `upgrade ${a.member} (minor update)`),
    precondition: (model, state, a) =>
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
    effect: (model, state, a) =>
      produce(state, (d) => {
        const member = d.members[model.position.get(a.member)!]!;
        // KB 180162: updates are not propagated among members; each member updates its own software.
        if (isMajorUpgrade(a)) {
          // The new release is installed fresh (KB 153403: ISO install, then restore): none of its minor updates yet.
          member.version = NEXT_RELEASE;
          member.minor = 0;
        } else member.minor = MINOR_UPDATE;
      }),
    owner: 'shared',
    // Major upgrades and minor updates (KB 153403), as `faults.upgrades` allows.
    candidates: (model) => {
      const upgrades = model.config.faults.upgrades;
      const kinds = [true, false].filter((major) => allowsUpgrade(upgrades, major ? 'major' : 'minor'));
      return model.members.flatMap((m) => kinds.map((major) => ({ type: 'upgrade' as const, member: m.id, major })));
    },
  },
  advanceTime: {
    fields: { hours: 'number' },
    describe: (a) => `advance time by ${typeof a.hours === 'number' ? formatHours(a.hours) : String(a.hours)}`,
    precondition: (model, state, a) => {
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
    effect: (model, state, a) => {
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
    // Time passes for every component alike: each purges its own records, each client's SKM key is renewed or lapses on its own.
    owner: 'shared',
    candidates: (_model, scope) => (scope.hours ?? DEFAULT_HOURS).map((hours) => ({ type: 'advanceTime', hours })),
  },
  setAccountMode: {
    fields: { mode: 'string' },
    describe: (a) => `set the mode of new Web Messenger accounts to ${a.mode}`,
    precondition: (model, state, a) => {
      const { accountMode, switchTo } = model.config.webMessenger;
      if (switchTo === undefined) return 'switching the Web Messenger account mode is not allowed by this config (webMessenger.switchTo is not set)';
      if (!(ACCOUNT_MODES as readonly unknown[]).includes(a.mode)) return `unknown account mode ${JSON.stringify(a.mode)}; valid: ${ACCOUNT_MODES.join(', ')}`;
      if (a.mode !== accountMode && a.mode !== switchTo)
        return `this config switches only between ${accountMode} (webMessenger.accountMode) and ${switchTo} (webMessenger.switchTo)`;
      return a.mode === state.accountMode ? `new Web Messenger accounts already take ${a.mode} mode` : undefined;
    },
    effect: (_model, state, a) =>
      produce(state, (d) => {
        d.accountMode = a.mode;
      }),
    owner: 'shared',
    // Only where the config allows a switch.
    candidates: (model) => (model.config.webMessenger.switchTo === undefined ? [] : ACCOUNT_MODES.map((mode) => ({ type: 'setAccountMode', mode }))),
  },
};

/** The candidates of an action on a member: one per member, in ring order. */
function eachMember<T extends 'crash' | 'recover' | 'replicate' | 'remove'>(type: T): (model: ClusterModel) => ActionOf<T>[] {
  return (model) => model.members.map((m) => ({ type, member: m.id }) as ActionOf<T>);
}

/** The candidates of an action on a link: one per pair of members, in ring order. */
function eachLink<T extends 'partition' | 'heal'>(type: T): (model: ClusterModel) => ActionOf<T>[] {
  const ids = (model: ClusterModel) => model.members.map((m) => m.id);
  return (model) => ids(model).flatMap((a, i) => ids(model).slice(i + 1).map((b) => ({ type, a, b }) as ActionOf<T>));
}

/** The action types, in the order of their declarations (`ACTIONS`). */
export const ACTION_TYPES: readonly ActionType[] = Object.keys(ACTIONS) as ActionType[];

/** A type's declaration, for an action of any type. */
export function declarationOf(action: Action): Declaration<Action> {
  return ACTIONS[action.type] as unknown as Declaration<Action>;
}

/** One line, like a sentence: `write user:alice on m2`. */
export function describeAction(action: Action): string {
  return declarationOf(action).describe(action);
}

/**
 * Why an action is not enabled in this state, or undefined when it is. Generators produce only enabled
 * actions; replaying a disabled one is an error that names the step.
 */
export function whyDisabled(model: ClusterModel, state: ClusterState, action: Action): string | undefined {
  return declarationOf(action).precondition(model, state, action);
}

/** Applies an action assumed enabled. Use `step` unless the precondition was already checked. */
export function applyAction(model: ClusterModel, state: ClusterState, action: Action): ClusterState {
  return declarationOf(action).effect(model, state, action);
}

/** Applies an action, or throws `DisabledActionError` saying why it is not enabled. */
export function step(model: ClusterModel, state: ClusterState, action: Action): ClusterState {
  const why = whyDisabled(model, state, action);
  if (why !== undefined) throw new DisabledActionError(why);
  return applyAction(model, state, action);
}
