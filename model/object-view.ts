/**
 * The object backend of the rules (`model/view.ts`): a view of a `ClusterState`, with absolute hours and
 * version stamps. `step` runs a rule on a view of the whole state, its record lanes every record the state
 * holds or remembers (`recordLanes`) and its client lanes every enrolled client; a question about one record
 * (`mayHold`, say) reads a view with that record as its one lane.
 *
 * Writing is copy-on-write, as immer's `produce` does it (and with its result: `result()` is the new state,
 * sharing every part the rule left alone, and the state itself when nothing changed; what the view made is
 * frozen): the first write to a part copies it and its parents, once; a state the view was made on is never
 * changed. It is immer's structural sharing without its proxies, which cost most of a step.
 */
import { type CompiledCluster, linkKey } from './cluster.ts';
import { ownEntry } from './keyed.ts';
import { clientUser, DEFAULT_POLICY, isCacheKind, keyOf, kindOf, type RecordId, type RecordKind } from './records.ts';
import { makeStamp } from './stamps.ts';
import type { ClusterState, DesktopClient, MemberState, WebMessengerAccount } from './state.ts';
import {
  type ClientLane,
  HOME_SERVER,
  MODE_NAME,
  type ModeCode,
  NONE,
  type RecordLane,
  STATUS_CODE,
  STATUS_NAME,
  type StatusCode,
  type Version,
  type View,
} from './view.ts';

/** Every record a state holds or remembers: on a member, owed, acknowledged, or a Web Messenger account's directory entry. */
export function recordLanes(state: ClusterState): readonly RecordId[] {
  // A state is immutable: its lanes are listed once (a state is stepped by every enabled action, keyed, settled).
  let lanes = lanesOf.get(state);
  if (lanes === undefined) {
    lanes = listLanes(state);
    lanesOf.set(state, lanes);
  }
  return lanes;
}

const lanesOf = new WeakMap<ClusterState, readonly RecordId[]>();

function listLanes(state: ClusterState): RecordId[] {
  const ids = new Set<RecordId>();
  for (const m of state.members) {
    for (const id in m.records) ids.add(id as RecordId);
    for (const id in m.owedAtReturn) ids.add(id as RecordId);
  }
  for (const id in state.acknowledged) ids.add(id as RecordId);
  for (const id in state.overwritten) ids.add(id as RecordId);
  for (const key in state.accounts) ids.add(`wmAccount:${key}`);
  return [...ids];
}

export class ObjectView implements View {
  readonly size: number;
  records: number;
  clients: number;
  /** Each lane's kind, read off its record id when first asked. */
  private kinds: (RecordKind | undefined)[] = [];
  /** Which parts of `state` are this view's own copies, written in place (the rest is shared with the state it was made on). */
  private own = false;
  private ownTop = 0;
  private ownMembers = false;
  private ownMember: number[] = [];
  /** The parts this view made, to be frozen. */
  private made: object[] = [];

  constructor(
    readonly model: CompiledCluster,
    public state: ClusterState,
    /** The record of each record lane. */
    public ids: readonly RecordId[],
    /** The client of each client lane. */
    public names: readonly string[] = [],
  ) {
    this.size = model.size;
    this.records = ids.length;
    this.clients = names.length;
  }

  /** The view pointed at another state and lanes (a reader reused for one question at a time). */
  retarget(state: ClusterState, ids: readonly RecordId[], names: readonly string[]): this {
    this.state = state;
    this.own = false;
    this.ownTop = 0;
    this.ownMembers = false;
    this.ownMember = [];
    this.made = [];
    if (this.ids !== ids) {
      this.ids = ids;
      this.kinds = [];
    }
    this.names = names;
    this.records = ids.length;
    this.clients = names.length;
    return this;
  }

  /** The state the writes made (the state itself when nothing changed), what this view made frozen. */
  result(): ClusterState {
    for (const part of this.made) Object.freeze(part);
    this.made = [];
    return this.state;
  }

  /** A part this view made (a copy, or a new entry), frozen by `result`. */
  private mine<T extends object>(part: T): T {
    this.made.push(part);
    return part;
  }

  // Copy-on-write: each part is copied at its first write, with its parents.

  private root(): Mutable<ClusterState> {
    if (!this.own) {
      this.state = this.mine(copyOf(this.state));
      this.own = true;
    }
    return this.state as Mutable<ClusterState>;
  }
  private member(m: number): Mutable<MemberState> {
    const root = this.root();
    if (!this.ownMembers) {
      root.members = this.mine(root.members.slice());
      this.ownMembers = true;
    }
    const members = root.members as MemberState[];
    const flags = this.ownMember[m] ?? 0;
    if ((flags & 1) === 0) {
      members[m] = this.mine(copyOf(members[m]!));
      this.ownMember[m] = flags | 1;
    }
    return members[m] as Mutable<MemberState>;
  }
  private memberPart<K extends 'records' | 'cachedAt' | 'owedAtReturn'>(m: number, part: K): Record<string, number> {
    const member = this.member(m);
    const bit = MEMBER_PARTS[part];
    const flags = this.ownMember[m]!;
    if ((flags & bit) === 0) {
      member[part] = this.mine(copyOf(member[part]));
      this.ownMember[m] = flags | bit;
    }
    return member[part] as Record<string, number>;
  }
  private top<K extends TopPart>(part: K): Mutable<ClusterState>[K] {
    const root = this.root();
    const bit = TOP_PARTS[part];
    if ((this.ownTop & bit) === 0) {
      root[part] = this.mine(copyOf(root[part]));
      this.ownTop |= bit;
    }
    return root[part];
  }
  /** Sets a field of a part, copying the part only when the value changes (as immer does). */
  private put<T>(read: Readonly<Record<string, T>>, write: () => Record<string, T>, key: string, value: T): void {
    if (Object.is(read[key], value) && (value !== undefined || Object.hasOwn(read, key))) return;
    write()[key] = value;
  }
  /** Deletes a field of a part, copying the part only when it has the field (as immer does). */
  private drop(read: Readonly<Record<string, unknown>>, write: () => Record<string, unknown>, key: string): void {
    if (!(key in read)) return;
    delete write()[key];
  }
  private putMember<K extends 'status' | 'version' | 'minor' | 'purgedAt' | 'downSince' | 'upSince'>(m: number, field: K, value: MemberState[K]): void {
    if (this.state.members[m]![field] === value) return;
    this.member(m)[field] = value;
  }

  // The shared part.

  status(m: number): StatusCode {
    return STATUS_CODE[this.state.members[m]!.status];
  }
  setStatus(m: number, status: StatusCode): void {
    this.putMember(m, 'status', STATUS_NAME[status]);
  }
  major(m: number): number {
    return this.state.members[m]!.version;
  }
  minor(m: number): number {
    return this.state.members[m]!.minor;
  }
  setRelease(m: number, major: number, minor: number): void {
    this.putMember(m, 'version', major);
    this.putMember(m, 'minor', minor);
  }
  isCut(a: number, b: number): boolean {
    return this.state.cutLinks[linkKey(this.model, a, b)] === true;
  }
  setCut(a: number, b: number, cut: boolean): void {
    const key = linkKey(this.model, a, b);
    const write = () => this.top('cutLinks');
    if (cut) this.put(this.state.cutLinks, write, key, true);
    else this.drop(this.state.cutLinks, write, key);
  }
  cutCount(): number {
    let count = 0;
    for (const _ in this.state.cutLinks) count++;
    return count;
  }
  isSplit(site: number): boolean {
    return ownEntry(this.state.splitSites, this.model.sites[site]!) === true;
  }
  setSplit(site: number, split: boolean): void {
    const name = this.model.sites[site]!;
    const write = () => this.top('splitSites');
    if (split) this.put(this.state.splitSites, write, name, true);
    else this.drop(this.state.splitSites, write, name);
  }
  splitCount(): number {
    let count = 0;
    for (const _ in this.state.splitSites) count++;
    return count;
  }
  newAccountMode(): ModeCode {
    return this.state.accountMode === 'homeServer' ? HOME_SERVER : 0;
  }
  setNewAccountMode(mode: ModeCode): void {
    const name = MODE_NAME[mode];
    if (this.state.accountMode !== name) this.root().accountMode = name;
  }
  clock(): number {
    return this.state.clock;
  }
  passHours(hours: number): void {
    if (hours !== 0) this.root().clock += hours;
  }
  downSince(m: number): number {
    return this.state.members[m]!.downSince;
  }
  setDownSince(m: number, hour: number): void {
    this.putMember(m, 'downSince', hour);
  }
  upSince(m: number): number {
    return this.state.members[m]!.upSince;
  }
  setUpSince(m: number, hour: number): void {
    this.putMember(m, 'upSince', hour);
  }
  markPurged(m: number, hour: number): void {
    this.putMember(m, 'purgedAt', hour);
  }

  // Record lanes.

  kind(r: RecordLane): RecordKind {
    let kind = this.kinds[r];
    if (kind === undefined) {
      kind = kindOf(this.ids[r]!);
      this.kinds[r] = kind;
    }
    return kind;
  }
  held(r: RecordLane, m: number): Version {
    return this.state.members[m]!.records[this.ids[r]!] ?? NONE;
  }
  setHeld(r: RecordLane, m: number, version: Version): void {
    const member = this.state.members[m]!;
    const id = this.ids[r]!;
    if (version === NONE) {
      this.drop(member.records, () => this.memberPart(m, 'records'), id);
      this.drop(this.state.members[m]!.cachedAt, () => this.memberPart(m, 'cachedAt'), id);
    } else this.put(member.records, () => this.memberPart(m, 'records'), id, version);
  }
  cachedAt(r: RecordLane, m: number): number {
    return this.state.members[m]!.cachedAt[this.ids[r]!]!;
  }
  setCachedAt(r: RecordLane, m: number, hour: number): void {
    this.put(this.state.members[m]!.cachedAt, () => this.memberPart(m, 'cachedAt'), this.ids[r]!, hour);
  }
  owed(r: RecordLane, m: number): Version {
    return this.state.members[m]!.owedAtReturn[this.ids[r]!] ?? NONE;
  }
  setOwed(r: RecordLane, m: number, version: Version): void {
    const owed = this.state.members[m]!.owedAtReturn;
    const write = () => this.memberPart(m, 'owedAtReturn');
    const id = this.ids[r]!;
    if (version === NONE) this.drop(owed, write, id);
    else this.put(owed, write, id, version);
  }
  acked(r: RecordLane): Version {
    return this.state.acknowledged[this.ids[r]!] ?? NONE;
  }
  ackedCachedAt(r: RecordLane): number {
    return this.state.acknowledgedCachedAt[this.ids[r]!]!;
  }
  setAcked(r: RecordLane, version: Version, cachedAt: number): void {
    const id = this.ids[r]!;
    if (version === NONE) {
      this.drop(this.state.acknowledged, () => this.top('acknowledged'), id);
      this.drop(this.state.acknowledgedCachedAt, () => this.top('acknowledgedCachedAt'), id);
      return;
    }
    this.put(this.state.acknowledged, () => this.top('acknowledged'), id, version);
    if (isCacheKind(this.kinds[r]!)) this.put(this.state.acknowledgedCachedAt, () => this.top('acknowledgedCachedAt'), id, cachedAt);
  }
  overwritten(r: RecordLane): boolean {
    return this.state.overwritten[this.ids[r]!] === true;
  }
  markOverwritten(r: RecordLane): void {
    this.put(this.state.overwritten, () => this.top('overwritten'), this.ids[r]!, true as const);
  }
  accountHome(r: RecordLane): number {
    const account = ownEntry(this.state.accounts, keyOf(this.ids[r]!));
    return account === undefined ? -1 : this.model.position.get(account.home)!;
  }
  accountMode(r: RecordLane): ModeCode {
    return ownEntry(this.state.accounts, keyOf(this.ids[r]!))?.mode === 'homeServer' ? HOME_SERVER : 0;
  }
  setAccount(r: RecordLane, mode: ModeCode, home: number): void {
    (this.top('accounts') as Record<string, WebMessengerAccount>)[keyOf(this.ids[r]!)] = this.mine({ mode: MODE_NAME[mode], home: this.model.members[home]!.id });
  }
  newVersion(_r: RecordLane, writer: number): Version {
    // The cluster numbers its writes (`model/stamps.ts`): this is the next one, made by `writer`.
    const root = this.root();
    root.writes += 1;
    return makeStamp(root.writes, writer);
  }

  // Client lanes.

  private client(c: ClientLane) {
    return ownEntry(this.state.clients, this.names[c]!);
  }
  enrolledAt(c: ClientLane): number {
    const client = this.client(c);
    return client === undefined ? -1 : this.model.position.get(client.member)!;
  }
  enroll(c: ClientLane, m: number): void {
    const clock = this.state.clock;
    (this.top('clients') as Record<string, DesktopClient>)[this.names[c]!] = this.mine({ member: this.model.members[m]!.id, skmIssued: clock, lastContact: clock });
  }
  userLane(c: ClientLane): RecordLane {
    return this.ids.indexOf(clientUser(this.names[c]!));
  }
  holdsUser(c: ClientLane, m: number): boolean {
    return this.state.members[m]!.records[clientUser(this.names[c]!)] !== undefined;
  }
  holdsPolicy(_c: ClientLane, m: number): boolean {
    return this.state.members[m]!.records[DEFAULT_POLICY] !== undefined;
  }
  skmIssued(c: ClientLane): number {
    return this.client(c)!.skmIssued;
  }
  lastContact(c: ClientLane): number {
    return this.client(c)!.lastContact;
  }
  setSkm(c: ClientLane, issued: number, lastContact: number): void {
    const client = this.client(c)!;
    if (client.skmIssued === issued && client.lastContact === lastContact) return;
    (this.top('clients') as Record<string, DesktopClient>)[this.names[c]!] = this.mine({ member: client.member, skmIssued: issued, lastContact });
  }
}

/** A read-only view of a state with these records as its lanes (and these clients). */
export function viewOf(model: CompiledCluster, state: ClusterState, ids: readonly RecordId[] = [], names: readonly string[] = []): ObjectView {
  return new ObjectView(model, state, ids, names);
}

const readers = new WeakMap<CompiledCluster, ObjectView>();
const NO_NAMES: readonly string[] = [];
const ONE_LANE = new Map<RecordId, readonly RecordId[]>();

/**
 * A read-only view of a state for one question about one record (or none), reused: the answer must be
 * read before the next question is asked (the one-line questions of `model/topology.ts` and
 * `model/desktop.ts` about a `ClusterState`, which properties ask in loops).
 */
export function readerOf(model: CompiledCluster, state: ClusterState, id?: RecordId, client?: string): ObjectView {
  let ids: readonly RecordId[] = NO_NAMES as readonly RecordId[];
  if (id !== undefined) {
    ids = ONE_LANE.get(id) ?? [id];
    if (ONE_LANE.size < 4096) ONE_LANE.set(id, ids);
  }
  const names = client === undefined ? NO_NAMES : [client];
  const reader = readers.get(model);
  if (reader === undefined) {
    const made = new ObjectView(model, state, ids, names);
    readers.set(model, made);
    return made;
  }
  return reader.retarget(state, ids, names);
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
type TopPart = 'cutLinks' | 'splitSites' | 'accounts' | 'clients' | 'acknowledged' | 'acknowledgedCachedAt' | 'overwritten';
const TOP_PARTS: Record<TopPart, number> = { cutLinks: 1, splitSites: 2, accounts: 4, clients: 8, acknowledged: 16, acknowledgedCachedAt: 32, overwritten: 64 };
const MEMBER_PARTS = { records: 2, cachedAt: 4, owedAtReturn: 8 } as const;

/** A shallow copy, as immer makes one: an array's elements, an object's own fields with its prototype (none, for `emptyKeyed` records). */
function copyOf<T>(value: T): T {
  if (Array.isArray(value)) return value.slice() as T;
  const proto = Object.getPrototypeOf(value);
  if (proto === Object.prototype) return { ...value };
  return Object.assign(Object.create(proto), value);
}
