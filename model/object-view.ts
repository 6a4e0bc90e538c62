/**
 * The object backend of the rules (`model/view.ts`): a view of a `ClusterState`, or of an immer draft of
 * one, with absolute hours and version stamps. `step` runs a rule on a draft of the whole state, its record
 * lanes every record the state holds or remembers (`recordLanes`) and its client lanes every enrolled client;
 * a question about one record (`mayHold`, say) reads a view with that record as its one lane.
 *
 * Writing through a view of a plain (frozen) state is a mistake the draft would have caught: only `step`'s
 * drafts are written.
 */
import type { Draft } from 'immer';
import { type CompiledCluster, linkKey } from './cluster.ts';
import { ownEntry } from './keyed.ts';
import { clientUser, DEFAULT_POLICY, isCacheKind, keyOf, kindOf, type RecordId, type RecordKind } from './records.ts';
import { makeStamp } from './stamps.ts';
import type { ClusterState } from './state.ts';
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
export function recordLanes(state: ClusterState): RecordId[] {
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
  /** The state, writable when it is a draft. */
  private d: Draft<ClusterState>;

  constructor(
    readonly model: CompiledCluster,
    public state: ClusterState | Draft<ClusterState>,
    /** The record of each record lane. */
    public ids: readonly RecordId[],
    /** The client of each client lane. */
    public names: readonly string[] = [],
  ) {
    this.size = model.size;
    this.records = ids.length;
    this.clients = names.length;
    this.d = state as Draft<ClusterState>;
  }

  /** The view pointed at another state and lanes (a reader reused for one question at a time). */
  retarget(state: ClusterState, ids: readonly RecordId[], names: readonly string[]): this {
    this.state = state;
    this.d = state as Draft<ClusterState>;
    if (this.ids !== ids) {
      this.ids = ids;
      this.kinds = [];
    }
    this.names = names;
    this.records = ids.length;
    this.clients = names.length;
    return this;
  }

  // The shared part.

  status(m: number): StatusCode {
    return STATUS_CODE[this.state.members[m]!.status];
  }
  setStatus(m: number, status: StatusCode): void {
    this.d.members[m]!.status = STATUS_NAME[status];
  }
  major(m: number): number {
    return this.state.members[m]!.version;
  }
  minor(m: number): number {
    return this.state.members[m]!.minor;
  }
  setRelease(m: number, major: number, minor: number): void {
    const member = this.d.members[m]!;
    member.version = major;
    member.minor = minor;
  }
  isCut(a: number, b: number): boolean {
    return this.state.cutLinks[linkKey(this.model, a, b)] === true;
  }
  setCut(a: number, b: number, cut: boolean): void {
    const key = linkKey(this.model, a, b);
    if (cut) this.d.cutLinks[key] = true;
    else delete this.d.cutLinks[key];
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
    if (split) this.d.splitSites[name] = true;
    else delete this.d.splitSites[name];
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
    this.d.accountMode = MODE_NAME[mode];
  }
  clock(): number {
    return this.state.clock;
  }
  passHours(hours: number): void {
    this.d.clock += hours;
  }
  downSince(m: number): number {
    return this.state.members[m]!.downSince;
  }
  setDownSince(m: number, hour: number): void {
    this.d.members[m]!.downSince = hour;
  }
  upSince(m: number): number {
    return this.state.members[m]!.upSince;
  }
  setUpSince(m: number, hour: number): void {
    this.d.members[m]!.upSince = hour;
  }
  markPurged(m: number, hour: number): void {
    this.d.members[m]!.purgedAt = hour;
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
    const member = this.d.members[m]!;
    const id = this.ids[r]!;
    if (version === NONE) {
      delete member.records[id];
      delete member.cachedAt[id];
    } else member.records[id] = version;
  }
  cachedAt(r: RecordLane, m: number): number {
    return this.state.members[m]!.cachedAt[this.ids[r]!]!;
  }
  setCachedAt(r: RecordLane, m: number, hour: number): void {
    this.d.members[m]!.cachedAt[this.ids[r]!] = hour;
  }
  owed(r: RecordLane, m: number): Version {
    return this.state.members[m]!.owedAtReturn[this.ids[r]!] ?? NONE;
  }
  setOwed(r: RecordLane, m: number, version: Version): void {
    const owed = this.d.members[m]!.owedAtReturn;
    const id = this.ids[r]!;
    if (version === NONE) delete owed[id];
    else owed[id] = version;
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
      delete this.d.acknowledged[id];
      delete this.d.acknowledgedCachedAt[id];
      return;
    }
    this.d.acknowledged[id] = version;
    if (isCacheKind(this.kinds[r]!)) this.d.acknowledgedCachedAt[id] = cachedAt;
  }
  overwritten(r: RecordLane): boolean {
    return this.state.overwritten[this.ids[r]!] === true;
  }
  markOverwritten(r: RecordLane): void {
    this.d.overwritten[this.ids[r]!] = true;
  }
  accountHome(r: RecordLane): number {
    const account = ownEntry(this.state.accounts, keyOf(this.ids[r]!));
    return account === undefined ? -1 : this.model.position.get(account.home)!;
  }
  accountMode(r: RecordLane): ModeCode {
    return ownEntry(this.state.accounts, keyOf(this.ids[r]!))?.mode === 'homeServer' ? HOME_SERVER : 0;
  }
  setAccount(r: RecordLane, mode: ModeCode, home: number): void {
    this.d.accounts[keyOf(this.ids[r]!)] = { mode: MODE_NAME[mode], home: this.model.members[home]!.id };
  }
  newVersion(_r: RecordLane, writer: number): Version {
    // The cluster numbers its writes (`model/stamps.ts`): this is the next one, made by `writer`.
    this.d.writes += 1;
    return makeStamp(this.d.writes, writer);
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
    this.d.clients[this.names[c]!] = { member: this.model.members[m]!.id, skmIssued: clock, lastContact: clock };
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
    this.d.clients[this.names[c]!] = { member: client.member, skmIssued: issued, lastContact };
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
