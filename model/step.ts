/**
 * The transition function, and the declaration of every action (`ACTIONS`): its fields, its sentence, how
 * its fields resolve, its precondition and effect (stated once, on a view: `model/view.ts`), the component
 * it belongs to and its candidates.
 *
 * Each rule is read by every engine: `step` runs it on a copy-on-write view of a whole `ClusterState` (the
 * object backend, `model/object-view.ts`), exploration on a row (`model/row.ts`). A precondition returns a
 * reason code (`Why`); the object backend renders it as a sentence (`REASONS`). An effect is lifted over a
 * view's lanes: `record` is a rule's effect on one record (given that record's lane alone), `client` on one
 * desktop client, `shared` on the shared part; a shared action's `record` and `client` run on every lane,
 * then its `shared` once; an owned action's on its owner's lane alone.
 */
import { ACCOUNT_MODES, allowsUpgrade } from '../config/schema.ts';
import type { Action, ActionType, MemberId } from './actions.ts';
import { type CompiledCluster, linkKey, runsService } from './cluster.ts';
import { reachesServer } from './desktop.ts';
import type { Scope } from './enabled.ts';
import { ownEntry } from './keyed.ts';
import { ObjectView, recordLanes } from './object-view.ts';
import type { Slot } from './projection.ts';
import { clientUser, isCacheKind, isRecordKind, type RecordId, type RecordKind, recordId } from './records.ts';
import { owedOf } from './rotation.ts';
import type { ClusterState } from './state.ts';
import { DEFAULT_HOURS, formatHours, MAX_CLOCK_HOURS, outageLimitHours, passTime } from './time.ts';
import { faultsIn, hopLane, linkDown, mayHoldOnceInLane, pastRetention, reachesHolder } from './topology.ts';
import {
  type ClientLane,
  DOWN,
  HIGH_AVAILABILITY,
  HOME_SERVER,
  type ModeCode,
  NONE,
  type RecordLane,
  REMOVED,
  type Version,
  type SharedView,
  UP,
  type View,
  WAITING,
} from './view.ts';

export class DisabledActionError extends Error {}

/** The release members start on, and the next one: each member upgrades at most once (keeps releases finite). */
export const CURRENT_RELEASE = 0;
export const NEXT_RELEASE = 1;
/** The minor update a member may take on its release (a .pup file, KB 153403): one per release keeps updates finite. */
export const MINOR_UPDATE = 1;

// -------------------------------------------------------------------------------------------------------
// The rules shared by several actions

/** Why a member that must be up is not: it has not joined, or it is down or removed. */
function needsUp(v: SharedView, m: number): Why | undefined {
  const status = v.status(m);
  if (status === UP) return undefined;
  return status === WAITING ? 'notJoined' : 'notUp';
}

/**
 * Why a write of the record of lane `r` on this (up) member is not allowed, if it is not (docs/model.md,
 * actions). A switch rather than a ts-pattern match because it runs for every write candidate on the hot
 * path; the `never` check keeps it exhaustive (a new record kind is a compile error here).
 */
function writeRule(model: CompiledCluster, v: View, r: RecordLane, m: number): Why | undefined {
  const config = model.members[m]!;
  const kind = v.kind(r);
  switch (kind) {
    case 'privateKey':
      return config.privateKeys ? undefined : 'noPrivateKeys';
    case 'cachedKey':
      return runsService(config, 'mail') ? undefined : 'noMailToCache';
    case 'fetchedKey':
      // Modelling choice: keys are fetched from external keyservers while processing mail.
      return runsService(config, 'mail') ? undefined : 'noMailToFetch';
    case 'wmAccount': {
      if (!model.runsWebMessenger[m]) return 'noWebMessenger';
      if (v.accountHome(r) !== -1 && v.accountMode(r) === HOME_SERVER && v.accountHome(r) !== m) return 'homeServerElsewhere';
      return undefined;
    }
    case 'user':
    case 'domain':
    case 'policy':
      return undefined;
    default: {
      const unhandled: never = kind;
      throw new Error(`unknown record kind ${JSON.stringify(unhandled)}`);
    }
  }
}

/** The sponsor of a join that cannot happen: why. */
const SPONSOR_CUT = -1;
const SPONSOR_DOWN_WAITS = -2;
const NO_MEMBER_REACHES = -3;

/**
 * The member a waiting member joins through, or why it cannot join now (a negative code).
 *
 * KB 153721: a member joins through the Sponsor, which must be up and reachable (here: no cut link between
 * them). What happens when the Sponsor is down or removed is undocumented; `assumptions.joinWhenSponsorDown`
 * decides: `"waits"` (the default) until the Sponsor is back, or `"anyMember"`: then the first live member
 * of the cluster in ring order that the joiner can reach sponsors the join (modelling choice: members are
 * peers, KB 153198).
 */
export function sponsorOf(model: CompiledCluster, v: SharedView, joiner: number): number {
  const sponsor = model.sponsor;
  if (v.status(sponsor) === UP) return linkDown(model, v, sponsor, joiner) ? SPONSOR_CUT : sponsor;
  if (model.config.assumptions.joinWhenSponsorDown === 'waits') return SPONSOR_DOWN_WAITS;
  for (let m = 0; m < model.size; m++) if (m !== joiner && v.status(m) === UP && !linkDown(model, v, m, joiner)) return m;
  return NO_MEMBER_REACHES;
}

/**
 * A persistent change on member `m`: a new version of the record, acknowledged to the writer. When the
 * record's acknowledged version is on a live member that `m` cannot reach (a cut link or a site split in
 * between) and `m` lacks it, this write supersedes it unseen (last writer wins, `model/stamps.ts`): the
 * record is marked overwritten (`no-silent-overwrite`). Modelling choice: the vendor documents no conflict
 * rule (the cluster is multi-master, KB 153198).
 */
function writeRecord(model: CompiledCluster, v: View, r: RecordLane, m: number): void {
  const acked = v.acked(r);
  if (acked !== NONE && v.held(r, m) < acked && !reachesHolder(model, v, r, m, acked) && heldLive(model, v, r, acked)) v.markOverwritten(r);
  const version = v.newVersion(r, m);
  v.setHeld(r, m, version);
  const clock = v.clock();
  const kind = v.kind(r);
  // The key is cached (from the mail flow, or fetched from a keyserver) now (KB 162609).
  if (isCacheKind(kind)) v.setCachedAt(r, m, clock);
  if (v.acked(r) < version) v.setAcked(r, version, clock);
  // A Web Messenger account's mode and home are fixed at its first creation anywhere in the cluster, with the
  // mode new accounts take at that moment (the vendor's note: a switch affects only accounts created afterwards).
  if (kind === 'wmAccount' && v.accountHome(r) === -1) v.setAccount(r, v.newAccountMode(), m);
}

/** Whether a live member holds the record of lane `r` at `version` or newer. */
function heldLive(model: CompiledCluster, v: View, r: RecordLane, version: Version): boolean {
  for (let m = 0; m < model.size; m++) if (v.status(m) === UP && v.held(r, m) >= version) return true;
  return false;
}

/**
 * Whether an `upgrade` is a major one. An absent `major` means a major upgrade: before the flag every
 * upgrade stopped replication with members on the old release (KB 225396), and saved files keep that.
 */
export function isMajorUpgrade(action: Extract<Action, { type: 'upgrade' }>): boolean {
  return action.major !== false;
}

// -------------------------------------------------------------------------------------------------------
// Reasons: what a precondition returns, and the sentence the object backend says

/** What a sentence about a disabled action reads: the model, the state, the action and its resolved fields. */
interface ReasonContext {
  readonly model: CompiledCluster;
  readonly state: ClusterState;
  readonly action: Action;
  readonly m: number;
}

function budgetSpent({ model, state }: ReasonContext): string {
  const out = state.members.filter((m) => m.status === 'down' || m.status === 'removed').map((m) => `${m.id} is ${m.status}`);
  return `the fault budget is spent (maxDown ${model.config.faults.maxDown}${out.length > 0 ? `: ${out.join(', ')}` : ''})`;
}

function memberId({ model, m }: ReasonContext): string {
  return model.members[m]!.id;
}

/** Each reason an action is not enabled, as a sentence (a `Record` over `Why`, so every code has one). */
const REASONS = {
  notJoined: (c: ReasonContext) => `${memberId(c)} has not joined the cluster yet (joinsLater)`,
  notUp: (c: ReasonContext) => `${memberId(c)} is ${c.state.members[c.m]!.status}`,
  budgetSpent,
  alreadyUp: (c: ReasonContext) => `${memberId(c)} is already up`,
  removedNotRecoverable: (c: ReasonContext) => `${memberId(c)} is removed from the cluster`,
  partitionsOff: () => 'partitions are not allowed by this config (faults.partitions is false)',
  firstRemoved: (c: ReasonContext) => `${(c.action as { a: string }).a} is removed from the cluster`,
  secondRemoved: (c: ReasonContext) => `${(c.action as { b: string }).b} is removed from the cluster`,
  alreadyCut: (c: ReasonContext) => `the link ${linkOf(c)} is already cut`,
  cutBudgetSpent: ({ model, state }: ReasonContext) =>
    `the budget of cut links is spent (faults.maxCutLinks ${model.config.faults.maxCutLinks}: ${Object.keys(state.cutLinks).join(', ')})`,
  notCut: (c: ReasonContext) => `the link ${linkOf(c)} is not cut`,
  splitsOff: () => 'site splits are not allowed by this config (faults.maxSiteSplits is 0)',
  alreadySplit: ({ action }: ReasonContext) => `site ${(action as Extract<Action, { type: 'splitSite' }>).site} is already split off`,
  splitBudgetSpent: ({ model, state }: ReasonContext) =>
    `the budget of site splits is spent (faults.maxSiteSplits ${model.config.faults.maxSiteSplits}: ${Object.keys(state.splitSites).join(', ')} split off)`,
  notSplit: ({ action }: ReasonContext) => `site ${(action as Extract<Action, { type: 'healSite' }>).site} is not split off`,
  noPrivateKeys: (c: ReasonContext) => `${memberId(c)} has privateKeys: false and may not store private keys`,
  noMailToCache: (c: ReasonContext) => `${memberId(c)} does not run mail, so it caches no keys from the mail flow`,
  noMailToFetch: (c: ReasonContext) => `${memberId(c)} does not run mail, so it fetches no keys from keyservers`,
  noWebMessenger: (c: ReasonContext) => `${memberId(c)} does not run webMessenger`,
  homeServerElsewhere: ({ state, action }: ReasonContext) => {
    const key = (action as Extract<Action, { type: 'write' }>).record.key;
    return `Web Messenger account ${key} is a Home Server account of ${ownEntry(state.accounts, key)!.home}; only its home member changes it`;
  },
  removalOff: () => 'removing members is not allowed by this config (faults.removeMember is false)',
  alreadyRemoved: (c: ReasonContext) => `${memberId(c)} is already removed`,
  nothingToRemove: (c: ReasonContext) => `${memberId(c)} has not joined the cluster yet (joinsLater); there is nothing to remove`,
  alreadyEnrolled: ({ state, action }: ReasonContext) => {
    const client = (action as Extract<Action, { type: 'enroll' }>).client;
    return `client ${client} is already enrolled (at ${ownEntry(state.clients, client)!.member})`;
  },
  noDesktop: (c: ReasonContext) => `${memberId(c)} does not run desktop`,
  notJoinsLater: (c: ReasonContext) => `${memberId(c)} is in the cluster from the start (joinsLater is false)`,
  alreadyJoined: (c: ReasonContext) => `${memberId(c)} has already joined the cluster`,
  sponsorCut: (c: ReasonContext) =>
    c.state.cutLinks[linkKey(c.model, c.model.sponsor, c.m)] === true
      ? `${memberId(c)} cannot join: the link ${linkKey(c.model, c.model.sponsor, c.m)} between the Sponsor and ${memberId(c)} is cut`
      : `${memberId(c)} cannot join: a site split separates it from the Sponsor ${c.model.members[c.model.sponsor]!.id}`,
  sponsorDownWaits: (c: ReasonContext) =>
    `${memberId(c)} cannot join: ${sponsorStatus(c)}, and a member joins through the Sponsor (KB 153721; assumptions.joinWhenSponsorDown is "waits")`,
  noMemberReaches: (c: ReasonContext) => `${memberId(c)} cannot join: ${sponsorStatus(c)}, and no other live member can reach ${memberId(c)}`,
  upgradesOff: () => 'upgrades are not allowed by this config (faults.upgrades is false)',
  onlyMinorUpdates: () => 'this config allows only minor updates (faults.upgrades is "minor"), not major upgrades',
  alreadyNextRelease: (c: ReasonContext) => `${memberId(c)} already runs the next release (each member upgrades once)`,
  onlyMajorUpgrades: () => 'this config allows only major upgrades (faults.upgrades is "major"), not minor updates',
  alreadyMinorUpdate: (c: ReasonContext) => `${memberId(c)} already runs the minor update of its release (each member takes one per release)`,
  clockLimit: ({ state }: ReasonContext) =>
    `time goes no further than ${formatHours(MAX_CLOCK_HOURS)} (${MAX_CLOCK_HOURS} hours) after the start, so the clock stays exact; it is at ${state.clock} hours, so at most ${MAX_CLOCK_HOURS - state.clock} more`,
  outageLimit: ({ model, state, action }: ReasonContext) => {
    const hours = (action as Extract<Action, { type: 'advanceTime' }>).hours;
    const limit = outageLimitHours(model.config);
    const m = state.members.find((member) => member.status === 'down' && state.clock + hours - member.downSince > limit)!;
    return `${m.id} has been down for ${formatHours(state.clock - m.downSince)}; ${formatHours(hours)} more would keep it down longer than faults.maxOutageDays (${formatHours(limit)})`;
  },
  switchOff: () => 'switching the Web Messenger account mode is not allowed by this config (webMessenger.switchTo is not set)',
  switchOutside: ({ model }: ReasonContext) => {
    const { accountMode, switchTo } = model.config.webMessenger;
    return `this config switches only between ${accountMode} (webMessenger.accountMode) and ${switchTo} (webMessenger.switchTo)`;
  },
  modeAlready: ({ action }: ReasonContext) => `new Web Messenger accounts already take ${(action as Extract<Action, { type: 'setAccountMode' }>).mode} mode`,
} satisfies Record<string, (c: ReasonContext) => string>;

/** Why an action is not enabled: a code its precondition returns, said by `REASONS`. */
export type Why = keyof typeof REASONS;

function linkOf(c: ReasonContext): string {
  const { a, b } = c.action as Extract<Action, { type: 'partition' | 'heal' }>;
  return linkKey(c.model, c.model.position.get(a)!, c.model.position.get(b)!);
}

function sponsorStatus(c: ReasonContext): string {
  const sponsor = c.state.members[c.model.sponsor]!;
  return `the Sponsor ${sponsor.id} is ${sponsor.status}`;
}

// -------------------------------------------------------------------------------------------------------
// Declarations

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

/**
 * An action's fields resolved: its members as ring positions (`m`; a link's `a` and `b`), and the values
 * its rule reads. Every action has an `m` (-1 when it names no member), so that a reason can name it.
 */
export interface Args {
  readonly m: number;
  readonly b: number;
  /** A write's record kind; an upgrade's `major`; the hours time passes; a mode switch's mode code. */
  readonly kind?: RecordKind;
  readonly major?: boolean;
  readonly hours?: number;
  readonly mode?: ModeCode;
  /** A site split's site (an index into the model's `sites`). */
  readonly site?: number;
}

/** Everything about one action type: what `ACTIONS` holds for each. */
export interface Declaration<A extends Action> {
  /** Its JSON fields in a trace file (the loader, `traces/counterexample.ts`, checks files against them). */
  readonly fields: Fields<A>;
  /** One line, like a sentence: `write user:alice on m2`. */
  readonly describe: (action: A) => string;
  /** Its fields resolved (`Args`), or what is wrong with them (an unknown member, a malformed field). */
  readonly resolve: (model: CompiledCluster, action: A) => Args | string;
  /**
   * Why it is not enabled in a view (docs/model.md, actions), or undefined when it is. It reads the shared
   * part and, for an owned action, its owner's lane (`lane`; -1 for a shared action).
   */
  readonly precondition: (model: CompiledCluster, v: View, args: Args, lane: number) => Why | undefined;
  /** Its effect on one record lane (a shared action: on every lane; a write: on its record's). */
  readonly record?: (model: CompiledCluster, v: View, r: RecordLane, args: Args) => void;
  /** Its effect on one client lane (a shared action: on every lane; an enrollment: on its client's). */
  readonly client?: (model: CompiledCluster, v: View, c: ClientLane, args: Args) => void;
  /** Its effect on the shared part, after its effects on the lanes. */
  readonly shared?: (model: CompiledCluster, v: View, args: Args) => void;
  /** The component it belongs to (the per-record rule, above `ACTIONS`). */
  readonly owner: Owner<A>;
  /** Every action of this type within a scope, enabled or not, in a fixed order. */
  readonly candidates: (model: CompiledCluster, scope: Scope) => A[];
  /**
   * Its candidates alternate one for one with those of the declaration before it (`crash m1`, `recover
   * m1`, `crash m2`, ...): a fault and its undo stay side by side in the candidate order, which random
   * search leans towards the start of.
   */
  readonly interleaved?: true;
}

function unknownMember(model: CompiledCluster, id: unknown): string {
  return `unknown member ${JSON.stringify(id)}; members are ${model.members.map((m) => m.id).join(', ')}`;
}

/** Resolves an action's `member` to its ring position. */
function onMember(model: CompiledCluster, id: MemberId, extra: Omit<Args, 'm' | 'b'> = {}): Args | string {
  const m = model.position.get(id);
  return m === undefined ? unknownMember(model, id) : { m, b: -1, ...extra };
}

/** Resolves a site's name to its index. */
function onSite(model: CompiledCluster, name: string): Args | string {
  const site = model.sites.indexOf(name);
  if (site !== -1) return { ...NO_MEMBER, site };
  return model.sites.length === 0
    ? `unknown site ${JSON.stringify(name)}: no member names a site (members[].site)`
    : `unknown site ${JSON.stringify(name)}; sites are ${model.sites.join(', ')}`;
}

/** Resolves a link's two members. */
function onLink(model: CompiledCluster, a: MemberId, b: MemberId): Args | string {
  const x = model.position.get(a);
  const y = model.position.get(b);
  if (x === undefined) return unknownMember(model, a);
  if (y === undefined) return unknownMember(model, b);
  if (x === y) return `a link joins two different members, not ${a} and itself`;
  return { m: x, b: y };
}

const NO_MEMBER: Args = { m: -1, b: -1 };

/**
 * The order of write candidates: first the kinds with rules of their own (Web Messenger accounts, private
 * keys, users that clients enroll as), then the key caches, then the rest. Random search leans towards
 * early candidates (fast-check favours small choices), so this puts the kinds properties are about first.
 */
const WRITE_ORDER: readonly RecordKind[] = ['wmAccount', 'privateKey', 'user', 'cachedKey', 'fetchedKey', 'domain', 'policy'];

/**
 * Every action type, declared once: its JSON fields, its sentence, how its fields resolve, its precondition
 * and effect, the component it belongs to, and its candidates. The mapped type makes an action of the
 * `Action` union without a declaration (or a declaration without one of its parts) a compile error; the
 * list of action types (`ACTION_TYPES`), the loader's checks of trace files, `describeAction`,
 * `whyDisabled`, `applyAction`, the row backend's transitions (`model/row.ts`), the candidate actions of a
 * scope (`candidateActions`, in this order) and the owner of each (`ownerSlot`) all come from here, and
 * `model/actions.test.ts` checks each declaration's parts against each other for every type.
 *
 * The per-record rule: an action may read and change the shared state (members' status, releases, cut
 * links, the clock, the account mode) and at most ONE record or client component. Its precondition reads
 * the shared state and its owner's lane alone; its effect on each lane is given that lane alone (a write
 * changes its one record, a replication hop moves each record on its own). That is what makes splitting a
 * state into one component per record and per client exact (`model/projection.ts`), on which exploration
 * and the component engine rest. `model/decomposition.test.ts` checks it deterministically: in every state
 * of small configs to a fixed depth, every enabled action's step commutes with projecting onto each
 * component, its owner's component alone decides whether it is enabled, and an owned action leaves every
 * other component as it was.
 */
export const ACTIONS: { readonly [T in ActionType]: Declaration<ActionOf<T>> } = {
  crash: {
    fields: { member: 'string' },
    describe: (a) => `crash ${a.member}`,
    resolve: (model, a) => onMember(model, a.member),
    precondition: (model, v, { m }) => needsUp(v, m) ?? (faultsIn(v) < model.config.faults.maxDown ? undefined : 'budgetSpent'),
    shared: (_model, v, { m }) => {
      v.setStatus(m, DOWN);
      // A crash in the hour the member came back (no time between) continues the same outage.
      if (v.upSince(m) !== v.clock()) v.setDownSince(m, v.clock());
    },
    owner: 'shared',
    candidates: eachMember('crash'),
  },
  recover: {
    fields: { member: 'string' },
    describe: (a) => `recover ${a.member}`,
    resolve: (model, a) => onMember(model, a.member),
    precondition: (_model, v, { m }) => {
      const status = v.status(m);
      if (status === DOWN) return undefined;
      if (status === WAITING) return 'notJoined';
      return status === UP ? 'alreadyUp' : 'removedNotRecoverable';
    },
    // A returning member owes the Web Messenger accounts its live peers hold (KB 156803, `model/rotation.ts`).
    record: (model, v, r, { m }) => v.setOwed(r, m, owedOf(model, v, r, m)),
    shared: (_model, v, { m }) => {
      v.setStatus(m, UP);
      v.setUpSince(m, v.clock());
    },
    owner: 'shared',
    candidates: eachMember('recover'),
    interleaved: true,
  },
  partition: {
    fields: { a: 'string', b: 'string' },
    describe: (a) => `partition ${a.a} | ${a.b}`,
    resolve: (model, a) => onLink(model, a.a, a.b),
    precondition: (model, v, { m: x, b: y }) => {
      if (!model.config.faults.partitions) return 'partitionsOff';
      if (v.status(x) === REMOVED) return 'firstRemoved';
      if (v.status(y) === REMOVED) return 'secondRemoved';
      if (v.isCut(x, y)) return 'alreadyCut';
      return v.cutCount() < model.config.faults.maxCutLinks ? undefined : 'cutBudgetSpent';
    },
    shared: (_model, v, { m: x, b: y }) => v.setCut(x, y, true),
    owner: 'shared',
    candidates: eachLink('partition'),
  },
  heal: {
    fields: { a: 'string', b: 'string' },
    describe: (a) => `heal ${a.a} | ${a.b}`,
    resolve: (model, a) => onLink(model, a.a, a.b),
    precondition: (_model, v, { m: x, b: y }) => (v.isCut(x, y) ? undefined : 'notCut'),
    shared: (_model, v, { m: x, b: y }) => v.setCut(x, y, false),
    owner: 'shared',
    candidates: eachLink('heal'),
    interleaved: true,
  },
  splitSite: {
    fields: { site: 'string' },
    describe: (a) => `split site ${a.site} off`,
    resolve: (model, a) => onSite(model, a.site),
    precondition: (model, v, { site }) => {
      const budget = model.config.faults.maxSiteSplits;
      if (budget === 0) return 'splitsOff';
      if (v.isSplit(site!)) return 'alreadySplit';
      return v.splitCount() < budget ? undefined : 'splitBudgetSpent';
    },
    // Every link between the site's members and the others goes down at once (`linkDown`), and comes back at once.
    shared: (_model, v, { site }) => v.setSplit(site!, true),
    owner: 'shared',
    candidates: eachSite('splitSite'),
  },
  healSite: {
    fields: { site: 'string' },
    describe: (a) => `join site ${a.site} again`,
    resolve: (model, a) => onSite(model, a.site),
    precondition: (_model, v, { site }) => (v.isSplit(site!) ? undefined : 'notSplit'),
    shared: (_model, v, { site }) => v.setSplit(site!, false),
    owner: 'shared',
    candidates: eachSite('healSite'),
    interleaved: true,
  },
  write: {
    fields: { member: 'string', record: { kind: 'string', key: 'string' } },
    describe: (a) => `write ${a.record.kind}:${a.record.key} on ${a.member}`,
    resolve: (model, a) => {
      if (!model.position.has(a.member)) return unknownMember(model, a.member);
      if (!isRecordKind(a.record?.kind)) return `unknown record kind ${JSON.stringify(a.record?.kind)}`;
      if (typeof a.record.key !== 'string' || a.record.key === '') return 'a record key is a non-empty string';
      return onMember(model, a.member, { kind: a.record.kind });
    },
    precondition: (model, v, { m }, r) => needsUp(v, m) ?? writeRule(model, v, r, m),
    record: (model, v, r, { m }) => writeRecord(model, v, r, m),
    owner: (a) => ({ type: 'record', id: recordId(a.record) }),
    candidates: (model, scope) =>
      model.members.flatMap((m) => WRITE_ORDER.flatMap((kind) => scope.keys[kind].map((key) => ({ type: 'write' as const, member: m.id, record: { kind, key } })))),
  },
  replicate: {
    fields: { member: 'string' },
    describe: (a) => `replicate ${a.member}`,
    resolve: (model, a) => onMember(model, a.member),
    precondition: (_model, v, { m }) => needsUp(v, m),
    // One replication hop (docs/model.md, actions `replicate`): each record to its ring's successor (`sendOf`).
    record: (model, v, r, { m }) => {
      hopLane(model, v, v, r, m);
    },
    owner: 'shared',
    candidates: eachMember('replicate'),
  },
  remove: {
    fields: { member: 'string' },
    describe: (a) => `remove ${a.member}`,
    resolve: (model, a) => onMember(model, a.member),
    precondition: (model, v, { m }) => {
      if (!model.config.faults.removeMember) return 'removalOff';
      const status = v.status(m);
      if (status === REMOVED) return 'alreadyRemoved';
      if (status === WAITING) return 'nothingToRemove';
      return status === DOWN || faultsIn(v) < model.config.faults.maxDown ? undefined : 'budgetSpent';
    },
    // The member leaves with whatever it held (KB 153476: discouraged).
    record: (_model, v, r, { m }) => {
      v.setHeld(r, m, NONE);
      v.setOwed(r, m, NONE);
    },
    shared: (model, v, { m }) => {
      v.setStatus(m, REMOVED);
      for (let other = 0; other < model.size; other++) if (other !== m && v.isCut(m, other)) v.setCut(m, other, false);
    },
    owner: 'shared',
    candidates: eachMember('remove'),
    interleaved: true,
  },
  enroll: {
    fields: { client: 'string', member: 'string' },
    describe: (a) => `enroll ${a.client} at ${a.member}`,
    resolve: (model, a) => {
      if (!model.position.has(a.member)) return unknownMember(model, a.member);
      if (typeof a.client !== 'string' || a.client === '') return 'a client id is a non-empty string';
      return onMember(model, a.member);
    },
    precondition: (model, v, { m }, c) => {
      if (v.enrolledAt(c) !== -1) return 'alreadyEnrolled';
      if (!model.runsDesktop[m]) return 'noDesktop';
      return needsUp(v, m);
    },
    // Enrolling is talking to the server: the client gets an SKM key valid 14 days (KB 157933), and the member
    // creates its user record.
    client: (model, v, c, { m }) => {
      v.enroll(c, m);
      writeRecord(model, v, v.userLane(c), m);
    },
    owner: (a) => ({ type: 'client', client: a.client }),
    candidates: (model, scope) => scope.clients.flatMap((client) => model.members.map((m) => ({ type: 'enroll' as const, client, member: m.id }))),
  },
  join: {
    fields: { member: 'string' },
    describe: (a) => `join ${a.member}`,
    resolve: (model, a) => onMember(model, a.member),
    precondition: (model, v, { m }) => {
      if (!model.members[m]!.joinsLater) return 'notJoinsLater';
      if (v.status(m) !== WAITING) return 'alreadyJoined';
      const sponsor = sponsorOf(model, v, m);
      return sponsor === SPONSOR_CUT ? 'sponsorCut' : sponsor === SPONSOR_DOWN_WAITS ? 'sponsorDownWaits' : sponsor === NO_MEMBER_REACHES ? 'noMemberReaches' : undefined;
    },
    // KB 153721: a normal join is a full copy over the wire from the Sponsor: of everything the joiner may
    // hold, except cached keys already past their retention (they would go at its first purge).
    record: (model, v, r, { m }) => {
      const sponsor = sponsorOf(model, v, m);
      const version = v.held(r, sponsor);
      const copied = version !== NONE && mayHoldOnceInLane(model, v, r, m) && !pastRetention(model, v, r, sponsor, v.clock());
      v.setHeld(r, m, copied ? version : NONE);
      if (copied && isCacheKind(v.kind(r))) v.setCachedAt(r, m, v.cachedAt(r, sponsor));
      // A join counts as a return: the member owes the accounts its live peers hold (`model/rotation.ts`).
      v.setOwed(r, m, owedOf(model, v, r, m));
    },
    shared: (model, v, { m }) => {
      const sponsor = sponsorOf(model, v, m);
      v.setStatus(m, UP);
      // A joining server runs the cluster's release (KB 225396: all members must run the same version).
      v.setRelease(m, v.major(sponsor), v.minor(sponsor));
      const clock = v.clock();
      v.markPurged(m, clock);
      v.setUpSince(m, clock);
      v.setDownSince(m, clock);
    },
    owner: 'shared',
    // Only where the config has a member that joins later.
    candidates: (model) => model.members.filter((m) => m.joinsLater).map((m) => ({ type: 'join', member: m.id })),
  },
  upgrade: {
    fields: { member: 'string', major: 'boolean?' },
    describe: (a) => (isMajorUpgrade(a) ? `upgrade ${a.member}` : `upgrade ${a.member} (minor update)`),
    resolve: (model, a) => {
      if (!model.position.has(a.member)) return unknownMember(model, a.member);
      if (!model.config.faults.upgrades) return REASONS.upgradesOff();
      if (a.major !== undefined && typeof a.major !== 'boolean') return `major is true or false (or left out: a major upgrade), not ${JSON.stringify(a.major)}`;
      return onMember(model, a.member, { major: isMajorUpgrade(a) });
    },
    precondition: (model, v, { m, major }) => {
      const allowed = model.config.faults.upgrades;
      if (!allowed) return 'upgradesOff';
      // KB 153403: a minor update is a .pup file applied on the server; a major upgrade an ISO install and restore.
      if (major) {
        if (!allowsUpgrade(allowed, 'major')) return 'onlyMinorUpdates';
        if (v.major(m) >= NEXT_RELEASE) return 'alreadyNextRelease';
      } else {
        if (!allowsUpgrade(allowed, 'minor')) return 'onlyMajorUpgrades';
        if (v.minor(m) >= MINOR_UPDATE) return 'alreadyMinorUpdate';
      }
      // Modelling choice: an upgrade is one step taken on a running member; the hours it takes can be
      // modelled as a crash and a recovery around it.
      return needsUp(v, m);
    },
    // KB 180162: updates are not propagated among members; each member updates its own software. A major
    // upgrade installs the new release fresh (KB 153403: ISO install, then restore): none of its minor updates yet.
    shared: (_model, v, { m, major }) => (major ? v.setRelease(m, NEXT_RELEASE, 0) : v.setRelease(m, v.major(m), MINOR_UPDATE)),
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
    resolve: (_model, a) => {
      const hours = a.hours;
      if (typeof hours !== 'number' || !Number.isInteger(hours) || hours < 1) return `hours is a whole number, at least 1, not ${JSON.stringify(hours)}`;
      return { ...NO_MEMBER, hours };
    },
    precondition: (model, v, { hours }) => {
      const clock = v.clock();
      if (hours! > MAX_CLOCK_HOURS - clock) return 'clockLimit';
      const to = clock + hours!;
      const limit = outageLimitHours(model.config);
      for (let m = 0; m < model.size; m++) if (v.status(m) === DOWN && to - v.downSince(m) > limit) return 'outageLimit';
      return undefined;
    },
    // Every live member's purge job runs as time passes (KB 162609); a down member purges only once it is
    // back. A cached key whose acknowledged version was purged at its retention is not a lost write.
    record: (model, v, r, { hours }) => {
      const kind = v.kind(r);
      if (!isCacheKind(kind)) return;
      const now = v.clock() + hours!;
      for (let m = 0; m < model.size; m++) if (v.status(m) === UP && pastRetention(model, v, r, m, now)) v.setHeld(r, m, NONE);
      if (v.acked(r) !== NONE && v.ackedCachedAt(r) + model.retention[kind] <= now) v.setAcked(r, NONE, 0);
    },
    // SKM keys are renewed or lapse (KB 157933); who a client reaches does not change while time passes (the
    // records it reads, its user record and the policy, are never purged).
    client: (model, v, c, { hours }) => {
      if (v.enrolledAt(c) === -1) return;
      const from = v.clock();
      const after = passTime({ skmIssued: v.skmIssued(c), lastContact: v.lastContact(c) }, from, from + hours!, reachesServer(model, v, c));
      v.setSkm(c, after.skmIssued, after.lastContact);
    },
    shared: (model, v, { hours }) => {
      const now = v.clock() + hours!;
      for (let m = 0; m < model.size; m++) if (v.status(m) === UP) v.markPurged(m, now);
      v.passHours(hours!);
    },
    // Time passes for every component alike: each purges its own records, each client's SKM key is renewed or lapses on its own.
    owner: 'shared',
    candidates: (_model, scope) => (scope.hours ?? DEFAULT_HOURS).map((hours) => ({ type: 'advanceTime', hours })),
  },
  setAccountMode: {
    fields: { mode: 'string' },
    describe: (a) => `set the mode of new Web Messenger accounts to ${a.mode}`,
    resolve: (model, a) => {
      if (model.config.webMessenger.switchTo === undefined) return REASONS.switchOff();
      if (!(ACCOUNT_MODES as readonly unknown[]).includes(a.mode)) return `unknown account mode ${JSON.stringify(a.mode)}; valid: ${ACCOUNT_MODES.join(', ')}`;
      return { ...NO_MEMBER, mode: a.mode === 'homeServer' ? HOME_SERVER : HIGH_AVAILABILITY };
    },
    precondition: (model, v, { mode }) => {
      const { accountMode, switchTo } = model.config.webMessenger;
      if (switchTo === undefined) return 'switchOff';
      const name = mode === HOME_SERVER ? 'homeServer' : 'highAvailability';
      if (name !== accountMode && name !== switchTo) return 'switchOutside';
      return mode === v.newAccountMode() ? 'modeAlready' : undefined;
    },
    shared: (_model, v, { mode }) => v.setNewAccountMode(mode!),
    owner: 'shared',
    // Only where the config allows a switch.
    candidates: (model) => (model.config.webMessenger.switchTo === undefined ? [] : ACCOUNT_MODES.map((mode) => ({ type: 'setAccountMode', mode }))),
  },
};

/** The candidates of an action on a member: one per member, in ring order. */
function eachMember<T extends 'crash' | 'recover' | 'replicate' | 'remove'>(type: T): (model: CompiledCluster) => ActionOf<T>[] {
  return (model) => model.members.map((m) => ({ type, member: m.id }) as ActionOf<T>);
}

/** The candidates of an action on a site: one per site the members name, in order of first appearance. */
function eachSite<T extends 'splitSite' | 'healSite'>(type: T): (model: CompiledCluster) => ActionOf<T>[] {
  return (model) => model.sites.map((site) => ({ type, site }) as ActionOf<T>);
}

/** The candidates of an action on a link: one per pair of members, in ring order. */
function eachLink<T extends 'partition' | 'heal'>(type: T): (model: CompiledCluster) => ActionOf<T>[] {
  const ids = (model: CompiledCluster) => model.members.map((m) => m.id);
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

// -------------------------------------------------------------------------------------------------------
// The lift: a rule on every lane of a view

/**
 * Applies a declaration's effect to a view: an owned action's on its owner's lane (`lane`), a shared
 * action's on every record lane and every client lane, then on the shared part.
 */
export function applyEffect(model: CompiledCluster, declaration: Declaration<Action>, v: View, args: Args, lane: number): void {
  if (declaration.owner !== 'shared') {
    // An owned action changes its owner's lane alone: a write its record, an enrollment its client.
    if (declaration.record !== undefined) declaration.record(model, v, lane, args);
    else declaration.client!(model, v, lane, args);
    return;
  }
  const { record, client, shared } = declaration;
  if (record !== undefined) for (let r = 0; r < v.records; r++) record(model, v, r, args);
  if (client !== undefined) for (let c = 0; c < v.clients; c++) client(model, v, c, args);
  if (shared !== undefined) shared(model, v, args);
}

/** The lanes of a state an action reads and changes: its owner's, or every record and client. */
/** An action with its fields resolved against a model, once (`resolvedOf`). */
interface Resolved {
  readonly declaration: Declaration<Action>;
  /** Its fields, or what is wrong with them. */
  readonly args: Args | string;
  /** Its owner's component; undefined for a shared action. */
  readonly owner: Slot | undefined;
  /** The lanes of the owner's component (for an owned action). */
  readonly ids: readonly RecordId[];
  readonly names: readonly string[];
}

const resolutions = new WeakMap<CompiledCluster, WeakMap<Action, Resolved>>();

/** An action resolved against a model, memoized by the action object (candidates are resolved once). */
function resolvedOf(model: CompiledCluster, action: Action): Resolved {
  let byAction = resolutions.get(model);
  if (byAction === undefined) {
    byAction = new WeakMap();
    resolutions.set(model, byAction);
  }
  let resolved = byAction.get(action);
  if (resolved === undefined) {
    const declaration = declarationOf(action);
    const args = declaration.resolve(model, action);
    const owner = declaration.owner === 'shared' || typeof args === 'string' ? undefined : declaration.owner(action);
    const ids = owner === undefined ? [] : owner.type === 'record' ? [owner.id] : [clientUser(owner.client)];
    const names = owner?.type === 'client' ? [owner.client] : [];
    resolved = { declaration, args, owner, ids, names };
    byAction.set(action, resolved);
  }
  return resolved;
}

/** The reason code of a resolved action's precondition in a state (its owner's lanes only). */
function preconditionIn(model: CompiledCluster, state: ClusterState, { declaration, args, owner, ids, names }: Resolved): Why | undefined {
  return declaration.precondition(model, new ObjectView(model, state, ids, names), args as Args, owner === undefined ? -1 : 0);
}

/**
 * Why an action is not enabled in this state, or undefined when it is. Generators produce only enabled
 * actions; replaying a disabled one is an error that names the step.
 */
export function whyDisabled(model: CompiledCluster, state: ClusterState, action: Action): string | undefined {
  const resolved = resolvedOf(model, action);
  if (typeof resolved.args === 'string') return resolved.args;
  const why = preconditionIn(model, state, resolved);
  return why === undefined ? undefined : REASONS[why]({ model, state, action, m: resolved.args.m });
}

/** Whether an action is enabled in this state (`whyDisabled` without its sentence). */
export function isEnabled(model: CompiledCluster, state: ClusterState, action: Action): boolean {
  const resolved = resolvedOf(model, action);
  return typeof resolved.args !== 'string' && preconditionIn(model, state, resolved) === undefined;
}

/** Applies an action assumed enabled. Use `step` unless the precondition was already checked. */
export function applyAction(model: CompiledCluster, state: ClusterState, action: Action): ClusterState {
  const { declaration, args, owner, ids, names } = resolvedOf(model, action);
  // A shared action changes every record and client the state holds; an owned one its owner's.
  const lanes = owner === undefined ? recordLanes(state) : ids;
  const clients = owner === undefined ? Object.keys(state.clients) : names;
  const v = new ObjectView(model, state, lanes, clients);
  applyEffect(model, declaration, v, args as Args, owner === undefined ? -1 : 0);
  return v.result();
}

/** Applies an action, or throws `DisabledActionError` saying why it is not enabled. */
export function step(model: CompiledCluster, state: ClusterState, action: Action): ClusterState {
  const why = whyDisabled(model, state, action);
  if (why !== undefined) throw new DisabledActionError(why);
  return applyAction(model, state, action);
}
