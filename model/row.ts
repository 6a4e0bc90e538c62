/**
 * The row backend of the rules (`model/view.ts`): one component of a cluster's state (one record of the
 * scope, or one desktop client, with all of the shared state: `model/projection.ts`) as a row of small
 * integers, which exploration runs the rules on (`RowView`), makes canonical (`RowLayout.normalize`) and
 * packs into a few 32-bit words.
 *
 * No rule is stated here: the transitions are `ACTIONS`' own, read through a `RowView`. What is here is
 * the representation, and what makes it canonical:
 * - versions are ranks among the versions present (only their order matters, `model/stamps.ts`);
 * - hours are kept relative to the clock (how long ago each thing happened) and capped where the rules stop
 *   reading them (an outage past its limit, a cached copy past its retention, an SKM key past its validity);
 *   a `RowView` shows them to a rule as absolute hours, against a clock of its own;
 * - what a returning member owes counts only while it matters (it is up and lacks that version).
 * So two rows are equal exactly when the two component states behave alike from then on. The state's
 * fields and how a row keeps each are declared in `STATE_ENCODING` (a field added to `ClusterState` or
 * `MemberState` without a line there is a compile error); `model/row.test.ts` changes each field in turn
 * and requires the row to change.
 *
 * A client's component has two record lanes: its user record (lane 0) and the default policy, of which it
 * keeps only whether each member holds it (lane 1: its versions belong to the policy's own component).
 *
 * One rule is out of the rows' reach: the model caps its clock at `MAX_CLOCK_HOURS` (1,000 years, so that
 * hours stay exact), and rows without a horizon keep no absolute clock. An exploration on rows is exact for
 * every trace whose time stays within that cap; the reports say time passes "unbounded" in that sense.
 */
import type { CompiledCluster } from './cluster.ts';
import { DEFAULT_HOURS, type Scope } from './enabled.ts';
import { emptyKeyed, ownEntry } from './keyed.ts';
import type { Slot } from './projection.ts';
import { type CacheKind, clientUser, DEFAULT_POLICY, isCacheKind, keyOf, kindOf, type RecordId, type RecordKind } from './records.ts';
import { makeStamp } from './stamps.ts';
import type { ClusterState, DesktopClient, MemberState } from './state.ts';
import { outageLimitHours, SKM_VALIDITY_HOURS } from './time.ts';
import {
  type ClientLane,
  DOWN,
  HIGH_AVAILABILITY,
  HOME_SERVER,
  type ModeCode,
  NONE,
  type RecordLane,
  STATUS_CODE,
  STATUS_NAME,
  type StatusCode,
  UP,
  type Version,
  type View,
} from './view.ts';


/**
 * How a row keeps each field of the state: every field of `ClusterState`, `MemberState` and
 * `DesktopClient` is named here, so a new one that no row keeps is a compile error until it is (and
 * `model/row.test.ts` then requires changing it to change the row).
 */
export const STATE_ENCODING: {
  readonly cluster: { readonly [K in keyof ClusterState]: string };
  readonly member: { readonly [K in keyof MemberState]: string };
  readonly client: { readonly [K in keyof DesktopClient]: string };
} = {
  cluster: {
    members: 'one column per member, in ring order',
    cutLinks: 'LINKS: a bit per pair of members',
    splitSites: 'SPLIT: a bit per site',
    accounts: "ACCOUNT: a Web Messenger account's mode and home (its component's own)",
    clients: "CLIENT, SKM_AGE, CONTACT (a client's component's own)",
    writes: 'not kept: only the order of versions matters (RANK)',
    acknowledged: 'ACK: the rank of the newest acknowledged version',
    acknowledgedCachedAt: 'ACK_AGE: hours since, capped at the retention',
    overwritten: 'OVERWRITTEN: a bit (kept where a property reads it)',
    clock: 'CLOCK when the scope bounds time (a horizon); else only hours relative to it',
    accountMode: 'MODE',
  },
  member: {
    id: 'the column (ring position)',
    status: 'STATUS',
    records: 'RANK per record lane: versions as ranks',
    version: 'RELEASE: major * 2 + minor',
    minor: 'RELEASE',
    cachedAt: 'CACHE_AGE: hours since, capped at the retention',
    purgedAt: 'STALE: whether the held copy was past its retention at the last purge',
    downSince: 'OUTAGE: hours since the outage began, while it matters, capped past the outage limit',
    upSince: 'BACK: came up this very hour after an outage',
    owedAtReturn: 'OWED: the rank owed, while it matters',
  },
  client: {
    member: 'CLIENT: 1 + the ring position it enrolled at',
    skmIssued: 'SKM_AGE: hours since, capped at its validity',
    lastContact: 'CONTACT: whether it has talked to a server since its key was issued',
  },
};

// The layout: one int per field; per-member fields at `field * n + member`, then the scalars.
const F_STATUS = 0;
/** The release, `major * 2 + minor` (0 to 3), so that numeric order is release order. */
const F_RELEASE = 1;
/** Hours since the current (or latest) outage began, capped at the outage limit + 1 (when it matters). */
const F_OUTAGE = 2;
/** Came up this very hour after an outage (a crash now continues that outage). */
const F_BACK = 3;
/** Rank of the version held (0: none) of record lane 0: the component's record, or a client's user record. */
const F_RANK = 4;
/** Hours since the held copy was cached, capped at the retention (cache kinds, with time). */
const F_CACHE_AGE = 5;
/** The held copy's retention ended at or before the member's last purge. */
const F_STALE = 6;
/** Rank of the version owed since the member returned, while it matters (0: none). */
const F_OWED = 7;
/** Record lane 1 of a client's component: whether the member holds the default policy (0 or 1). */
const F_POLICY = 8;
const MEMBER_FIELDS = 9;

const S_ACK = 0;
const S_ACK_AGE = 1;
/** 0: no account; else 1 + mode * n + home (mode 1: homeServer). */
const S_ACCOUNT = 2;
/** The mode new accounts take: 1 homeServer. */
const S_MODE = 3;
const S_CLOCK = 4;
/** 0: not enrolled; else 1 + its member. */
const S_CLIENT = 5;
const S_SKM_AGE = 6;
/** The client has talked to a server since its SKM key was issued. */
const S_CONTACT = 7;
/** The sites split off from the rest: a bit per site (`CompiledCluster.sites`). */
const S_SPLIT = 8;
/** The record's acknowledged version was superseded by a write that could not see it (`ClusterState.overwritten`). */
const S_OVERWRITTEN = 9;
const SCALARS = 10;
/** Cut links, a bit per pair of members, `LINK_BITS` to a word: the words before the scalars (`RowLayout.linksAt`). */
const LINK_BITS = 31;

/** The hour a row's clock stands at when the row keeps no clock of its own: far enough for every relative hour. */
const VIRTUAL_CLOCK = 1 << 20;

function bitsFor(max: number): number {
  let bits = 0;
  while ((1 << bits) <= max) bits++;
  return bits;
}

/** What a row keeps beyond what the rules read: the parts only some properties read (TLC's VIEW). */
export interface Kept {
  /** What a returning member owes (only `web-messenger-rejoin-freshness` reads it). */
  readonly rotation: boolean;
  /** The acknowledged version (read by `no-lost-writes`, `removal-took-a-write`, and a write-once scope). */
  readonly acknowledged: boolean;
  /** Whether the acknowledged version was overwritten unseen (`no-silent-overwrite`; it needs the acknowledged version). */
  readonly overwritten: boolean;
}

export const KEEP_ALL: Kept = { rotation: true, acknowledged: true, overwritten: true };

/** See `RowLayout.relabelPlan`. */
export interface RelabelPlan {
  /** For each packed field (in `fields` order), the row field its value comes from; or a code below for a field naming members. */
  readonly source: Int32Array;
  /**
   * The packed fields in the order the packed words compare (word by word, and in a word from its
   * highest bits down): the row field each comes from (or a code), and its word, shift and mask.
   */
  readonly bySignificance: { readonly source: Int32Array; readonly word: Int32Array; readonly shift: Int32Array; readonly mask: Int32Array };
  readonly linkMap: Int32Array;
  readonly inverse: Int32Array;
  /** Each site's relabelled site (a symmetry maps the members of one site onto those of one site). */
  readonly siteMap: Int32Array;
}

/** Where a relabelling of the members (`inverse[old]` = new) takes each site. */
function siteMapOf(model: CompiledCluster, inverse: readonly number[] | Int32Array): Int32Array {
  const map = new Int32Array(model.sites.length).fill(-1);
  model.siteOf.forEach((site, m) => {
    if (site !== -1) map[site] = model.siteOf[inverse[m]!]!;
  });
  return map;
}

/** A bit set of sites relabelled by a site map. */
function relabelSites(split: number, map: Int32Array): number {
  let out = 0;
  for (let s = 0; s < map.length; s++) if (split & (1 << s)) out |= 1 << map[s]!;
  return out;
}

/** `RelabelPlan.source` codes of the fields that name members: an account's home, a client's member, a word of cut links. */
const SOURCE_ACCOUNT = -2;
const SOURCE_CLIENT = -3;
const SOURCE_SPLIT = -4;
const SOURCE_LINKS = -10;

// Module-level helpers rather than closures: `encode` runs for every state a key is asked of.

/** Adds a version to the distinct versions seen. */
function noteVersion(stamps: number[], v: number | undefined): void {
  if (v !== undefined && !stamps.includes(v)) stamps.push(v);
}

/** A version's rank among the distinct versions (1 the oldest), 0 for none. */
function rankIn(stamps: readonly number[], v: number | undefined): number {
  return v === undefined ? 0 : stamps.indexOf(v) + 1;
}

/** The fields of hours relative to the clock, each per member. */
const HOUR_FIELDS = [F_OUTAGE, F_BACK, F_CACHE_AGE, F_STALE];

function byNumber(a: number, b: number): number {
  return a - b;
}

/** One component's rows: their layout, how a state becomes a row and back, canonical form, packing, relabelling. */
export class RowLayout {
  readonly n: number;
  readonly width: number;
  readonly words: number;
  readonly recordId: RecordId | undefined;
  readonly client: string | undefined;
  readonly kind: RecordKind | undefined;
  /** The record of each record lane (a client's: its user record, then the default policy). */
  readonly lanes: readonly RecordId[];
  readonly cache: boolean;
  readonly retention: number;
  /** Time passes in this scope (some time step fits within the horizon). */
  readonly time: boolean;
  /** The row keeps the clock itself (the scope bounds it). */
  readonly clocked: boolean;
  readonly outageLimit: number;
  /** Bits of each field, and its word and shift in the packed form. */
  private readonly bits: Int32Array;
  /** The fields with bits, and where each goes in the packed form. */
  private readonly fields: Int32Array;
  private readonly fieldWord: Int32Array;
  private readonly fieldShift: Int32Array;
  private readonly fieldMask: Int32Array;
  /** For members `a` and `b` (at `a * n + b`), the row field of their link's bit, and the bit. */
  readonly linkField: Int32Array;
  readonly linkMask: Int32Array;
  /** Each link's place among all links (`a < b`, in ring order). */
  private readonly linkIndex: Int32Array;
  /** How many words the cut links take, and the first of them in a row. */
  readonly linkWords: number;
  readonly linksAt: number;
  /** The indexes (into `fields`) of the packed debt fields (`F_OWED`), if the layout keeps any. */
  private readonly owedFields: Int32Array;
  /** Whether the layout keeps debts (`F_OWED`): else they are zero in every row. */
  readonly keepsOwed: boolean;
  /** Whether the layout keeps the overwritten mark (`S_OVERWRITTEN`). */
  readonly keepsOverwritten: boolean;
  private readonly ranks: Int32Array;

  constructor(
    readonly model: CompiledCluster,
    readonly scope: Scope,
    readonly slot: Slot,
    readonly kept: Kept = KEEP_ALL,
  ) {
    const n = model.size;
    this.n = n;
    const pairs = (n * (n - 1)) / 2;
    this.linkWords = Math.max(1, Math.ceil(pairs / LINK_BITS));
    this.linksAt = MEMBER_FIELDS * n;
    this.width = MEMBER_FIELDS * n + this.linkWords + SCALARS;
    this.recordId = slot.type === 'record' ? slot.id : undefined;
    this.client = slot.type === 'client' ? slot.client : undefined;
    this.kind = this.recordId === undefined ? undefined : kindOf(this.recordId);
    this.lanes = this.recordId !== undefined ? [this.recordId] : [clientUser(this.client!), DEFAULT_POLICY];
    this.cache = this.kind !== undefined && isCacheKind(this.kind);
    this.retention = this.cache ? model.retention[this.kind as CacheKind] : 0;
    this.outageLimit = outageLimitHours(model.config);
    const hours = scope.hours ?? DEFAULT_HOURS;
    const maxClock = scope.maxClock ?? Number.POSITIVE_INFINITY;
    this.time = hours.some((h) => h <= maxClock);
    this.clocked = scope.maxClock !== undefined;
    // Links as bits, in the order of the candidates' pairs.
    this.linkField = new Int32Array(n * n).fill(-1);
    this.linkMask = new Int32Array(n * n);
    this.linkIndex = new Int32Array(n * n).fill(-1);
    let link = 0;
    for (let i = 0; i < n; i++)
      for (let j = i + 1; j < n; j++) {
        for (const at of [i * n + j, j * n + i]) {
          this.linkIndex[at] = link;
          this.linkField[at] = this.linksAt + Math.floor(link / LINK_BITS);
          this.linkMask[at] = 1 << link % LINK_BITS;
        }
        link++;
      }
    // Field widths: only as many bits as the field can need.
    const maxRank = 2 * n + 1;
    const time = this.time;
    const perMember: number[] = [
      2,
      model.config.faults.upgrades ? 2 : 0,
      time ? bitsFor(this.outageLimit + 1) : 0,
      time ? 1 : 0,
      bitsFor(maxRank),
      this.cache && time ? bitsFor(this.retention) : 0,
      this.cache && time ? 1 : 0,
      this.kept.rotation && this.kind === 'wmAccount' ? bitsFor(maxRank) : 0,
      this.client !== undefined ? 1 : 0,
    ];
    const scalars: number[] = [
      ...Array.from({ length: this.linkWords }, (_, w) => Math.min(LINK_BITS, pairs - w * LINK_BITS)),
      this.kept.acknowledged ? bitsFor(maxRank) : 0,
      this.kept.acknowledged && this.cache && time ? bitsFor(this.retention) : 0,
      this.kind === 'wmAccount' ? bitsFor(2 * n) : 0,
      1,
      this.clocked ? bitsFor(Math.min(maxClock, 2 ** 30)) : 0,
      this.client !== undefined ? bitsFor(n) : 0,
      this.client !== undefined && time ? bitsFor(SKM_VALIDITY_HOURS) : 0,
      this.client !== undefined ? 1 : 0,
      model.config.faults.maxSiteSplits > 0 ? model.sites.length : 0,
      this.kept.overwritten && this.kept.acknowledged && this.recordId !== undefined ? 1 : 0,
    ];
    this.bits = new Int32Array(this.width);
    for (let f = 0; f < MEMBER_FIELDS; f++) for (let i = 0; i < n; i++) this.bits[f * n + i] = perMember[f]!;
    scalars.forEach((bits, s) => {
      this.bits[MEMBER_FIELDS * n + s] = bits;
    });
    const word = new Int32Array(this.width);
    const shift = new Int32Array(this.width);
    let w = 0;
    let used = 0;
    // Packing order: the versions held first, then everything else in field order. Rows that differ are
    // then most often told apart by their first word, which is where comparing relabelled rows stops.
    const order = [
      ...Array.from({ length: n }, (_, i) => F_RANK * n + i),
      ...Array.from({ length: this.width }, (_, f) => f).filter((f) => f < F_RANK * n || f >= (F_RANK + 1) * n),
    ];
    for (const f of order) {
      const b = this.bits[f]!;
      if (b === 0) continue;
      if (used + b > 32) {
        w++;
        used = 0;
      }
      word[f] = w;
      shift[f] = used;
      used += b;
    }
    this.words = w + 1;
    const packed = order.filter((f) => this.bits[f]! > 0);
    this.fields = Int32Array.from(packed);
    this.fieldWord = Int32Array.from(packed, (f) => word[f]!);
    this.fieldShift = Int32Array.from(packed, (f) => shift[f]!);
    this.fieldMask = Int32Array.from(packed, (f) => (this.bits[f]! === 32 ? -1 : (1 << this.bits[f]!) - 1));
    this.keepsOwed = this.bits[F_OWED * n]! > 0;
    this.keepsOverwritten = this.bits[this.sc(S_OVERWRITTEN)]! > 0;
    this.owedFields = Int32Array.from(packed.flatMap((f, k) => (f >= F_OWED * n && f < (F_OWED + 1) * n ? [k] : [])));
    this.ranks = new Int32Array(maxRank + 2);
    this.keyWords = new Int32Array(this.words);
    this.keyRow = new Int32Array(this.width);
  }

  at(field: number, member: number): number {
    return field * this.n + member;
  }

  sc(s: number): number {
    return this.linksAt + this.linkWords + s;
  }

  /** A fresh row of this layout. */
  newRow(): Int32Array {
    return new Int32Array(this.width);
  }

  // -------------------------------------------------------------------------------------------------
  // Packing

  pack(row: Int32Array, into: Int32Array, offset = 0): void {
    const fields = this.fields;
    const word = this.fieldWord;
    const shift = this.fieldShift;
    // The fields go word by word (every word holds some): each word is gathered, then stored once.
    let w = 0;
    let acc = 0;
    for (let k = 0; k < fields.length; k++) {
      if (word[k] !== w) {
        into[offset + w] = acc;
        w = word[k]!;
        acc = 0;
      }
      acc |= row[fields[k]!]! << shift[k]!;
    }
    into[offset + w] = acc;
  }

  unpack(from: Int32Array, offset: number, row: Int32Array): void {
    row.fill(0);
    const fields = this.fields;
    const word = this.fieldWord;
    const shift = this.fieldShift;
    const mask = this.fieldMask;
    for (let k = 0; k < fields.length; k++) row[fields[k]!] = (from[offset + word[k]!]! >>> shift[k]!) & mask[k]!;
  }

  // -------------------------------------------------------------------------------------------------
  // A (projected) state as a row, and a row as a state that stands for it

  /** The row of a state projected onto this component (`model/projection.ts`' `project`), canonical. */
  encode(state: ClusterState): Int32Array {
    return this.encodeInto(state, new Int32Array(this.width));
  }

  /** `encode` into a row of zeros. */
  private encodeInto(state: ClusterState, row: Int32Array): Int32Array {
    const n = this.n;
    const clock = state.clock;
    const id = this.lanes[0]!;
    for (let i = 0; i < n; i++) {
      const m = state.members[i]!;
      row[this.at(F_STATUS, i)] = STATUS_CODE[m.status];
      row[this.at(F_RELEASE, i)] = m.version * 2 + m.minor;
      row[this.at(F_OUTAGE, i)] = clock - m.downSince;
      row[this.at(F_BACK, i)] = m.upSince === clock ? 1 : 0;
      if (this.client !== undefined) row[this.at(F_POLICY, i)] = m.records[DEFAULT_POLICY] !== undefined ? 1 : 0;
      const cachedAt = m.cachedAt[id];
      if (this.cache && cachedAt !== undefined && m.records[id] !== undefined) {
        row[this.at(F_CACHE_AGE, i)] = clock - cachedAt;
        row[this.at(F_STALE, i)] = cachedAt + this.retention <= m.purgedAt ? 1 : 0;
      }
    }
    // Versions as ranks among the versions present (held, owed, acknowledged): only their order matters.
    const acked = this.kept.acknowledged ? state.acknowledged[id] : undefined;
    const stamps: number[] = [];
    for (const m of state.members) {
      noteVersion(stamps, m.records[id]);
      if (this.keepsOwed) noteVersion(stamps, m.owedAtReturn[id]);
    }
    noteVersion(stamps, acked);
    if (stamps.length > 1) stamps.sort(byNumber);
    for (let i = 0; i < n; i++) {
      const m = state.members[i]!;
      row[this.at(F_RANK, i)] = rankIn(stamps, m.records[id]);
      row[this.at(F_OWED, i)] = this.keepsOwed ? rankIn(stamps, m.owedAtReturn[id]) : 0;
    }
    row[this.sc(S_ACK)] = rankIn(stamps, acked);
    row[this.sc(S_OVERWRITTEN)] = this.bits[this.sc(S_OVERWRITTEN)]! > 0 && state.overwritten[id] === true ? 1 : 0;
    const ackedAt = state.acknowledgedCachedAt[id];
    if (this.cache && acked !== undefined && ackedAt !== undefined) row[this.sc(S_ACK_AGE)] = clock - ackedAt;
    for (const link in state.cutLinks) {
      const bar = link.indexOf('|');
      const a = this.model.position.get(link.slice(0, bar))!;
      const b = this.model.position.get(link.slice(bar + 1))!;
      row[this.linkField[a * n + b]!]! |= this.linkMask[a * n + b]!;
    }
    if (this.kind === 'wmAccount') {
      const account = ownEntry(state.accounts, keyOf(this.recordId!));
      if (account !== undefined) row[this.sc(S_ACCOUNT)] = 1 + (account.mode === 'homeServer' ? n : 0) + this.model.position.get(account.home)!;
    }
    row[this.sc(S_MODE)] = state.accountMode === 'homeServer' ? 1 : 0;
    let split = 0;
    for (let s = 0; s < this.model.sites.length; s++) if (ownEntry(state.splitSites, this.model.sites[s]!) === true) split |= 1 << s;
    row[this.sc(S_SPLIT)] = split;
    if (this.clocked) row[this.sc(S_CLOCK)] = clock;
    if (this.client !== undefined) {
      const client = ownEntry(state.clients, this.client);
      if (client !== undefined) {
        row[this.sc(S_CLIENT)] = 1 + this.model.position.get(client.member)!;
        row[this.sc(S_SKM_AGE)] = clock - client.skmIssued;
        row[this.sc(S_CONTACT)] = client.lastContact > client.skmIssued ? 1 : 0;
      }
    }
    if (!this.time) {
      // Without time steps no hour ever differs from the start: the relative hours are all zero (and the
      // rules, read through a `RowView`, keep them so).
      for (const field of HOUR_FIELDS) for (let i = 0; i < n; i++) row[field * n + i] = 0;
      row[this.sc(S_ACK_AGE)] = 0;
      row[this.sc(S_SKM_AGE)] = 0;
    }
    this.normalize(row);
    return row;
  }

  /** A state that this row stands for: its projection onto this component encodes back to the row. */
  decode(row: Int32Array): ClusterState {
    const n = this.n;
    const model = this.model;
    const clock = this.clocked ? row[this.sc(S_CLOCK)]! : VIRTUAL_CLOCK;
    const id = this.lanes[0]!;
    const stamp = (rank: number) => makeStamp(rank, 0);
    let maxRank = 0;
    const members: MemberState[] = [];
    for (let i = 0; i < n; i++) {
      const status = STATUS_NAME[row[this.at(F_STATUS, i)]!]!;
      const age = row[this.at(F_OUTAGE, i)]!;
      const back = row[this.at(F_BACK, i)]! === 1;
      const rank = row[this.at(F_RANK, i)]!;
      const owed = row[this.at(F_OWED, i)]!;
      maxRank = Math.max(maxRank, rank, owed);
      const records: Record<RecordId, number> = {};
      const cachedAt: Record<RecordId, number> = {};
      let purgedAt = clock;
      if (rank > 0) {
        records[id] = stamp(rank);
        if (this.cache) {
          const cAge = row[this.at(F_CACHE_AGE, i)]!;
          cachedAt[id] = clock - cAge;
          purgedAt = row[this.at(F_STALE, i)] === 1 ? clock : Math.min(clock, clock - cAge + this.retention - 1);
        }
      }
      if (this.client !== undefined && row[this.at(F_POLICY, i)] === 1) records[DEFAULT_POLICY] = 0;
      const down = status === 'down' || back;
      members.push({
        id: model.members[i]!.id,
        status,
        records,
        version: row[this.at(F_RELEASE, i)]! >> 1,
        minor: row[this.at(F_RELEASE, i)]! & 1,
        cachedAt,
        purgedAt,
        downSince: down ? clock - age : clock,
        upSince: back ? clock : clock - 1,
        owedAtReturn: owed > 0 ? { [id]: stamp(owed) } : {},
      });
    }
    const cutLinks: Record<string, true> = {};
    for (let a = 0; a < n; a++)
      for (let b = a + 1; b < n; b++) if (row[this.linkField[a * n + b]!]! & this.linkMask[a * n + b]!) cutLinks[`${model.members[a]!.id}|${model.members[b]!.id}`] = true;
    const ack = row[this.sc(S_ACK)]!;
    maxRank = Math.max(maxRank, ack);
    const acknowledged: Record<RecordId, number> = ack > 0 ? { [id]: stamp(ack) } : {};
    const acknowledgedCachedAt: Record<RecordId, number> = ack > 0 && this.cache ? { [id]: clock - row[this.sc(S_ACK_AGE)]! } : {};
    const overwritten: Record<RecordId, true> = {};
    if (row[this.sc(S_OVERWRITTEN)] === 1) overwritten[id] = true;
    const accounts: ClusterState['accounts'] = emptyKeyed();
    const account = row[this.sc(S_ACCOUNT)]!;
    if (account > 0) {
      const code = account - 1;
      (accounts as Record<string, unknown>)[keyOf(this.recordId!)] = {
        mode: code >= n ? 'homeServer' : 'highAvailability',
        home: model.members[code % n]!.id,
      };
    }
    const clients: ClusterState['clients'] = emptyKeyed();
    const enrolled = row[this.sc(S_CLIENT)]!;
    if (this.client !== undefined && enrolled > 0) {
      const issued = clock - row[this.sc(S_SKM_AGE)]!;
      (clients as Record<string, unknown>)[this.client] = {
        member: model.members[enrolled - 1]!.id,
        skmIssued: issued,
        lastContact: row[this.sc(S_CONTACT)] === 1 ? clock : issued,
      };
    }
    const splitSites: Record<string, true> = emptyKeyed();
    const split = row[this.sc(S_SPLIT)]!;
    model.sites.forEach((site, s) => {
      if (split & (1 << s)) splitSites[site] = true;
    });
    return {
      members,
      cutLinks,
      splitSites,
      accounts,
      clients,
      writes: maxRank,
      acknowledged,
      acknowledgedCachedAt,
      overwritten,
      clock,
      accountMode: row[this.sc(S_MODE)] === 1 ? 'homeServer' : 'highAvailability',
    };
  }

  /**
   * The canonical key of a state projected onto this component: its row, relabelled by a permutation of
   * the members when one is given (`perm[p]`: the member position `p` takes its part from), packed.
   */
  key(state: ClusterState, perm?: readonly number[]): string {
    // The row is packed at once, so one scratch row serves every key.
    let row = this.encodeInto(state, this.keyRow.fill(0));
    if (perm !== undefined) {
      const inverse = new Array<number>(perm.length);
      perm.forEach((from, p) => {
        inverse[from] = p;
      });
      const out = this.newRow();
      this.relabel(row, perm, inverse, out);
      row = out;
    }
    const words = this.keyWords;
    this.pack(row, words);
    let key = '';
    for (let w = 0; w < words.length; w++) key += `${words[w]},`;
    return key;
  }

  private readonly keyWords: Int32Array;
  private readonly keyRow: Int32Array;

  // -------------------------------------------------------------------------------------------------
  // Canonical form

  /**
   * Makes a row canonical, in place: hours capped where the rules stop reading them, an outage's hours
   * kept only while they matter, debts only while they matter, versions renumbered as ranks 1, 2, ….
   */
  normalize(row: Int32Array): void {
    const n = this.n;
    const rank = F_RANK * n;
    const owedAt = F_OWED * n;
    if (this.time) {
      const back = F_BACK * n;
      const age = F_OUTAGE * n;
      const cacheAge = F_CACHE_AGE * n;
      const stale = F_STALE * n;
      const outageCap = this.outageLimit + 1;
      for (let i = 0; i < n; i++) {
        const s = row[i]!;
        // The start of an outage matters while the member is down (no outage outlasts faults.maxOutageDays),
        // or in the hour it came back from one (a crash within that hour continues the same outage).
        if (s === DOWN) row[back + i] = 0;
        if (s === UP ? row[back + i] !== 1 || row[age + i] === 0 : s !== DOWN) {
          row[back + i] = 0;
          row[age + i] = 0;
        } else if (row[age + i]! > outageCap) row[age + i] = outageCap;
        if (this.cache) {
          if (row[rank + i] === 0) {
            row[cacheAge + i] = 0;
            row[stale + i] = 0;
          } else if (row[cacheAge + i]! > this.retention) row[cacheAge + i] = this.retention;
        }
      }
      if (this.cache) {
        const ackAge = this.sc(S_ACK_AGE);
        if (row[this.sc(S_ACK)] === 0) row[ackAge] = 0;
        else if (row[ackAge]! > this.retention) row[ackAge] = this.retention;
      }
      if (this.client !== undefined) {
        const skm = this.sc(S_SKM_AGE);
        if (row[this.sc(S_CLIENT)] === 0) {
          row[skm] = 0;
          row[this.sc(S_CONTACT)] = 0;
        } else if (row[skm]! > SKM_VALIDITY_HOURS) row[skm] = SKM_VALIDITY_HOURS;
      }
    }
    if (this.keepsOwed)
      for (let i = 0; i < n; i++) {
        const owed = row[owedAt + i]!;
        if (owed > 0 && !(row[i] === UP && row[rank + i]! < owed)) row[owedAt + i] = 0;
      }
    const ranks = this.ranks;
    if (this.ranks.length <= 31) {
      // Which ranks are in use, as bits; when they are 1..k already there is nothing to renumber.
      let used = 1 << row[this.sc(S_ACK)]!;
      if (this.keepsOwed) for (let i = 0; i < n; i++) used |= (1 << row[rank + i]!) | (1 << row[owedAt + i]!);
      else for (let i = 0; i < n; i++) used |= 1 << row[rank + i]!;
      used &= ~1;
      if ((used & (used + 2)) === 0) return;
      let next = 0;
      const top = 31 - Math.clz32(used);
      for (let r = 1; r <= top; r++) ranks[r] = used & (1 << r) ? ++next : 0;
    } else {
      // Too many members for the ranks to fit one word: the same, in an array.
      ranks.fill(0);
      ranks[row[this.sc(S_ACK)]!] = 1;
      for (let i = 0; i < n; i++) {
        ranks[row[rank + i]!] = 1;
        ranks[row[owedAt + i]!] = 1;
      }
      let next = 0;
      let gaps = false;
      for (let r = 1; r < ranks.length; r++) {
        if (ranks[r] === 0) continue;
        next++;
        if (next !== r) gaps = true;
        ranks[r] = next;
      }
      if (!gaps) return;
    }
    ranks[0] = 0;
    for (let i = 0; i < n; i++) row[rank + i] = ranks[row[rank + i]!]!;
    if (this.keepsOwed) for (let i = 0; i < n; i++) row[owedAt + i] = ranks[row[owedAt + i]!]!;
    row[this.sc(S_ACK)] = ranks[row[this.sc(S_ACK)]!]!;
  }

  /** Clears what a returning member owes (for verdicts that do not read the rotation). */
  clearOwed(row: Int32Array): void {
    for (let m = 0; m < this.n; m++) row[this.at(F_OWED, m)] = 0;
    this.normalize(row);
  }

  /** Whether no member owes anything in the packed row at `offset` of `from` (always so when the layout keeps no debts). */
  owesNothing(from: Int32Array, offset: number): boolean {
    const fields = this.owedFields;
    for (let k = 0; k < fields.length; k++) if (((from[offset + this.fieldWord[fields[k]!]!]! >>> this.fieldShift[fields[k]!]!) & this.fieldMask[fields[k]!]!) !== 0) return false;
    return true;
  }

  /**
   * The row as verdicts read it, in place: no property reads how long ago anything happened beyond
   * whether a cached copy is past its retention or an SKM key past its validity (`isPastRetention`,
   * `skmExpires`), nor the outage hours, the clock or the last contact (only the rules of time passing
   * do). The equivalence harness (`test/equivalence.ts`) checks that verdicts on rows so collapsed equal the
   * properties' own.
   */
  collapseForVerdict(row: Int32Array): void {
    const n = this.n;
    for (let i = 0; i < n; i++) {
      row[this.at(F_OUTAGE, i)] = 0;
      row[this.at(F_BACK, i)] = 0;
      if (this.cache) row[this.at(F_CACHE_AGE, i)] = row[this.at(F_CACHE_AGE, i)]! >= this.retention && this.time ? this.retention : 0;
    }
    row[this.sc(S_ACK_AGE)] = 0;
    row[this.sc(S_CLOCK)] = 0;
    row[this.sc(S_CONTACT)] = 0;
    row[this.sc(S_SKM_AGE)] = row[this.sc(S_SKM_AGE)]! >= SKM_VALIDITY_HOURS ? SKM_VALIDITY_HOURS : 0;
  }

  // -------------------------------------------------------------------------------------------------
  // Symmetry: rows relabelled by a permutation of the members

  /**
   * A plan for packing rows relabelled by one permutation without building the relabelled row: for each
   * packed field, the field of the original row its value comes from (member fields move with the
   * members), and the remapping of the fields that name members (cut links, an account's home, a
   * client's member).
   */
  relabelPlan(perm: readonly number[], inverse: readonly number[]): RelabelPlan {
    const n = this.n;
    const links = this.linksAt;
    const special = (f: number) =>
      f >= links && f < links + this.linkWords
        ? SOURCE_LINKS - (f - links)
        : f === this.sc(S_ACCOUNT)
          ? SOURCE_ACCOUNT
          : f === this.sc(S_CLIENT)
            ? SOURCE_CLIENT
            : f === this.sc(S_SPLIT)
              ? SOURCE_SPLIT
              : f;
    const source = Int32Array.from(this.fields, (f) => (f < MEMBER_FIELDS * n ? Math.floor(f / n) * n + perm[f % n]! : special(f)));
    // Each link's place, relabelled.
    const linkMap = new Int32Array(Math.max(1, (n * (n - 1)) / 2)).fill(-1);
    for (let a = 0; a < n; a++) for (let b = a + 1; b < n; b++) linkMap[this.linkIndex[a * n + b]!] = this.linkIndex[inverse[a]! * n + inverse[b]!]!;
    const order = Array.from(this.fields, (_, k) => k).sort((x, y) => this.fieldWord[x]! - this.fieldWord[y]! || this.fieldShift[y]! - this.fieldShift[x]!);
    const bySignificance = {
      source: Int32Array.from(order, (k) => source[k]!),
      word: Int32Array.from(order, (k) => this.fieldWord[k]!),
      shift: Int32Array.from(order, (k) => this.fieldShift[k]!),
      mask: Int32Array.from(order, (k) => this.fieldMask[k]!),
    };
    return { source, bySignificance, linkMap, inverse: Int32Array.from(inverse), siteMap: siteMapOf(this.model, inverse) };
  }

  /** The value of a field that names members (`source` one of the codes), relabelled by `plan`. */
  private relabelledSpecial(row: Int32Array, source: number, plan: RelabelPlan): number {
    if (source <= SOURCE_LINKS) {
      // Word `word` of the relabelled links: every cut link whose relabelled place falls in it.
      const word = SOURCE_LINKS - source;
      const base = this.linksAt;
      let v = 0;
      for (let w = 0; w < this.linkWords; w++) {
        let links = row[base + w]!;
        while (links !== 0) {
          const low = links & -links;
          const to = plan.linkMap[w * LINK_BITS + 31 - Math.clz32(low)]!;
          if (Math.floor(to / LINK_BITS) === word) v |= 1 << to % LINK_BITS;
          links ^= low;
        }
      }
      return v;
    }
    if (source === SOURCE_SPLIT) return relabelSites(row[this.sc(S_SPLIT)]!, plan.siteMap);
    if (source === SOURCE_ACCOUNT) {
      const account = row[this.sc(S_ACCOUNT)]!;
      return account === 0 ? 0 : 1 + (account - 1 >= this.n ? this.n : 0) + plan.inverse[(account - 1) % this.n]!;
    }
    const client = row[this.sc(S_CLIENT)]!;
    return client === 0 ? 0 : 1 + plan.inverse[client - 1]!;
  }

  /**
   * How the packing of `row` relabelled by `a` compares with its packing relabelled by `b` (unsigned,
   * word by word): -1 less, 0 equal, 1 greater. Field by field from the most significant, without packing.
   */
  compareRelabellings(row: Int32Array, a: RelabelPlan, b: RelabelPlan): number {
    const fromA = a.bySignificance.source;
    const fromB = b.bySignificance.source;
    for (let j = 0; j < fromA.length; j++) {
      const x = fromA[j]!;
      const y = fromB[j]!;
      if (x === y && x >= 0) continue;
      const va = x >= 0 ? row[x]! : this.relabelledSpecial(row, x, a);
      const vb = y >= 0 ? row[y]! : this.relabelledSpecial(row, y, b);
      if (va !== vb) return va < vb ? -1 : 1;
    }
    return 0;
  }

  /** Packs `row` relabelled by `plan` into `into`. */
  packRelabelled(row: Int32Array, plan: RelabelPlan, into: Int32Array): void {
    const word = this.fieldWord;
    const shift = this.fieldShift;
    const source = plan.source;
    let w = 0;
    let acc = 0;
    for (let k = 0; k < source.length; k++) {
      if (word[k] !== w) {
        into[w] = acc;
        w = word[k]!;
        acc = 0;
      }
      const from = source[k]!;
      acc |= (from >= 0 ? row[from]! : this.relabelledSpecial(row, from, plan)) << shift[k]!;
    }
    into[w] = acc;
  }

  /** The row relabelled by a permutation (`perm[p]`: the member position `p` takes its part from), into `out`. */
  relabel(row: Int32Array, perm: readonly number[], inverse: readonly number[], out: Int32Array): void {
    const n = this.n;
    for (let f = 0; f < MEMBER_FIELDS; f++) for (let p = 0; p < n; p++) out[f * n + p] = row[f * n + perm[p]!]!;
    const base = MEMBER_FIELDS * n;
    for (let s = base; s < this.width; s++) out[s] = row[s]!;
    for (let w = 0; w < this.linkWords; w++) out[this.linksAt + w] = 0;
    for (let a = 0; a < n; a++)
      for (let b = a + 1; b < n; b++)
        if (row[this.linkField[a * n + b]!]! & this.linkMask[a * n + b]!) {
          const to = inverse[a]! * n + inverse[b]!;
          out[this.linkField[to]!]! |= this.linkMask[to]!;
        }
    const account = row[this.sc(S_ACCOUNT)]!;
    if (account > 0) {
      const code = account - 1;
      out[this.sc(S_ACCOUNT)] = 1 + (code >= n ? n : 0) + inverse[code % n]!;
    }
    const client = row[this.sc(S_CLIENT)]!;
    if (client > 0) out[this.sc(S_CLIENT)] = 1 + inverse[client - 1]!;
    out[this.sc(S_SPLIT)] = relabelSites(row[this.sc(S_SPLIT)]!, siteMapOf(this.model, inverse));
  }

  /** The bits of each field: with the rules that read the component, what decides which rows it reaches. */
  fieldBits(): readonly number[] {
    return Array.from(this.bits);
  }
}

/**
 * The rules' view of a row (`model/view.ts`): every read and write of a rule goes to the row's fields.
 * Hours are shown against a clock of the view's own (the row's clock when it keeps one), and rows keep
 * them relative to it: passing time ages every hour the row keeps, so every recorded hour stays what it
 * was. Versions are ranks minus one. A rule's writes may leave a row out of canonical form (an age past
 * its cap, ranks with gaps): `RowLayout.normalize` follows every transition.
 */
export class RowView implements View {
  readonly size: number;
  readonly records: number;
  readonly clients: number;
  row: Int32Array;
  /** Whether a write since `attach` changed the row. */
  changed = false;
  private c = VIRTUAL_CLOCK;
  private readonly n: number;
  private readonly rank: number;
  private readonly cacheAge: number;
  private readonly stale: number;
  private readonly owedAt: number;
  private readonly policy: number;
  private readonly outage: number;
  private readonly back: number;
  private readonly release: number;
  private readonly links: number;
  private readonly linkWords: number;
  private readonly ack: number;
  private readonly ackAge: number;
  private readonly account: number;
  private readonly mode: number;
  private readonly split: number;
  private readonly overwrite: number;
  private readonly keepsOverwrite: boolean;
  private readonly clockAt: number;
  private readonly clientAt: number;
  private readonly skm: number;
  private readonly contact: number;
  private readonly linkField: Int32Array;
  private readonly linkMask: Int32Array;
  private readonly kinds: readonly RecordKind[];

  constructor(readonly layout: RowLayout) {
    const n = layout.n;
    this.n = n;
    this.size = n;
    this.records = layout.lanes.length;
    this.clients = layout.client === undefined ? 0 : 1;
    this.kinds = layout.lanes.map(kindOf);
    this.row = layout.newRow();
    this.release = F_RELEASE * n;
    this.outage = F_OUTAGE * n;
    this.back = F_BACK * n;
    this.rank = F_RANK * n;
    this.cacheAge = F_CACHE_AGE * n;
    this.stale = F_STALE * n;
    this.owedAt = F_OWED * n;
    this.policy = F_POLICY * n;
    this.links = layout.linksAt;
    this.ack = layout.sc(S_ACK);
    this.ackAge = layout.sc(S_ACK_AGE);
    this.account = layout.sc(S_ACCOUNT);
    this.mode = layout.sc(S_MODE);
    this.split = layout.sc(S_SPLIT);
    this.overwrite = layout.sc(S_OVERWRITTEN);
    this.keepsOverwrite = layout.keepsOverwritten;
    this.clockAt = layout.sc(S_CLOCK);
    this.clientAt = layout.sc(S_CLIENT);
    this.skm = layout.sc(S_SKM_AGE);
    this.contact = layout.sc(S_CONTACT);
    this.linkField = layout.linkField;
    this.linkMask = layout.linkMask;
    this.linkWords = layout.linkWords;
  }

  /** Points the view at a row (its clock the row's own, when the row keeps one). */
  attach(row: Int32Array): this {
    this.row = row;
    this.changed = false;
    this.c = this.layout.clocked ? row[this.clockAt]! : VIRTUAL_CLOCK;
    return this;
  }

  private put(at: number, value: number): void {
    if (this.row[at] === value) return;
    this.row[at] = value;
    this.changed = true;
  }

  // The shared part.

  status(m: number): StatusCode {
    return this.row[m] as StatusCode;
  }
  setStatus(m: number, status: StatusCode): void {
    this.put(m, status);
  }
  major(m: number): number {
    return this.row[this.release + m]! >> 1;
  }
  minor(m: number): number {
    return this.row[this.release + m]! & 1;
  }
  setRelease(m: number, major: number, minor: number): void {
    this.put(this.release + m, major * 2 + minor);
  }
  isCut(a: number, b: number): boolean {
    const at = a * this.n + b;
    return (this.row[this.linkField[at]!]! & this.linkMask[at]!) !== 0;
  }
  setCut(a: number, b: number, cut: boolean): void {
    const at = a * this.n + b;
    const field = this.linkField[at]!;
    this.put(field, cut ? this.row[field]! | this.linkMask[at]! : this.row[field]! & ~this.linkMask[at]!);
  }
  cutCount(): number {
    let count = 0;
    for (let w = 0; w < this.linkWords; w++) {
      let x = this.row[this.links + w]!;
      while (x !== 0) {
        x &= x - 1;
        count++;
      }
    }
    return count;
  }
  isSplit(site: number): boolean {
    return (this.row[this.split]! & (1 << site)) !== 0;
  }
  setSplit(site: number, split: boolean): void {
    this.put(this.split, split ? this.row[this.split]! | (1 << site) : this.row[this.split]! & ~(1 << site));
  }
  splitCount(): number {
    let x = this.row[this.split]!;
    let count = 0;
    while (x !== 0) {
      x &= x - 1;
      count++;
    }
    return count;
  }
  newAccountMode(): ModeCode {
    return this.row[this.mode] as ModeCode;
  }
  setNewAccountMode(mode: ModeCode): void {
    this.put(this.mode, mode);
  }
  clock(): number {
    return this.c;
  }
  passHours(hours: number): void {
    const row = this.row;
    this.c += hours;
    this.changed = true;
    if (this.layout.clocked) row[this.clockAt]! += hours;
    if (!this.layout.time) return;
    // Every hour the row keeps is an age: it grows, so the hour it stands for stays the same.
    for (let m = 0; m < this.n; m++) {
      row[this.outage + m]! += hours;
      row[this.back + m] = 0;
      if (row[this.rank + m]! > 0) row[this.cacheAge + m]! += hours;
    }
    if (row[this.ack]! > 0) row[this.ackAge]! += hours;
    if (row[this.clientAt]! > 0) row[this.skm]! += hours;
  }
  downSince(m: number): number {
    return this.c - this.row[this.outage + m]!;
  }
  setDownSince(m: number, hour: number): void {
    this.put(this.outage + m, this.c - hour);
  }
  upSince(m: number): number {
    // Only whether a member came up this very hour is kept.
    return this.row[this.back + m] === 1 ? this.c : this.c - 1;
  }
  setUpSince(m: number, hour: number): void {
    // Without time every hour is this one, and no outage has hours to continue.
    this.put(this.back + m, hour === this.c && this.layout.time ? 1 : 0);
  }
  markPurged(m: number, hour: number): void {
    // A copy is stale when its retention ended at or before the member's last purge.
    if (!this.layout.cache || this.row[this.rank + m] === 0) return;
    this.put(this.stale + m, this.cachedAt(0, m) + this.layout.retention <= hour ? 1 : 0);
  }

  // Record lanes: lane 0 the component's record (or a client's user record), lane 1 a client's policy.

  kind(r: RecordLane): RecordKind {
    return this.kinds[r]!;
  }
  held(r: RecordLane, m: number): Version {
    return this.row[(r === 0 ? this.rank : this.policy) + m]! - 1;
  }
  setHeld(r: RecordLane, m: number, version: Version): void {
    this.put((r === 0 ? this.rank : this.policy) + m, version + 1);
    if (version === NONE && r === 0) {
      this.put(this.cacheAge + m, 0);
      this.put(this.stale + m, 0);
    }
  }
  cachedAt(_r: RecordLane, m: number): number {
    return this.c - this.row[this.cacheAge + m]!;
  }
  setCachedAt(_r: RecordLane, m: number, hour: number): void {
    this.put(this.cacheAge + m, this.c - hour);
    // The rules cache a copy only while it is within its retention, so after the member's last purge.
    this.put(this.stale + m, 0);
  }
  owed(r: RecordLane, m: number): Version {
    return r === 0 ? this.row[this.owedAt + m]! - 1 : NONE;
  }
  setOwed(r: RecordLane, m: number, version: Version): void {
    if (r === 0 && this.layout.keepsOwed) this.put(this.owedAt + m, version + 1);
  }
  acked(r: RecordLane): Version {
    return r === 0 ? this.row[this.ack]! - 1 : NONE;
  }
  ackedCachedAt(_r: RecordLane): number {
    return this.c - this.row[this.ackAge]!;
  }
  setAcked(r: RecordLane, version: Version, cachedAt: number): void {
    if (r !== 0 || !this.layout.kept.acknowledged) return;
    this.put(this.ack, version + 1);
    this.put(this.ackAge, version !== NONE && this.layout.cache ? this.c - cachedAt : 0);
  }
  overwritten(r: RecordLane): boolean {
    return r === 0 && this.row[this.overwrite] === 1;
  }
  markOverwritten(r: RecordLane): void {
    if (r === 0 && this.keepsOverwrite) this.put(this.overwrite, 1);
  }
  accountHome(_r: RecordLane): number {
    const account = this.row[this.account]!;
    return account === 0 ? -1 : (account - 1) % this.n;
  }
  accountMode(_r: RecordLane): ModeCode {
    const account = this.row[this.account]!;
    return account > 0 && account - 1 >= this.n ? HOME_SERVER : HIGH_AVAILABILITY;
  }
  setAccount(_r: RecordLane, mode: ModeCode, home: number): void {
    this.put(this.account, 1 + mode * this.n + home);
  }
  newVersion(r: RecordLane, _writer: number): Version {
    // A rank above every rank of the record present (held, owed, acknowledged); `normalize` renumbers.
    // The acknowledged rank counts even though ranks are dense: when it is above every copy (its only holder
    // was removed), a rank beside it would be taken for the acknowledged version itself, and the write would
    // not be acknowledged anew (a cached key's acknowledgement would keep the lost write's hour and lapse
    // early): `model/row-ack.test.ts`.
    const row = this.row;
    if (r !== 0) {
      let most = 0;
      for (let m = 0; m < this.n; m++) most = Math.max(most, row[this.policy + m]!);
      return most;
    }
    let most = row[this.ack]!;
    for (let m = 0; m < this.n; m++) most = Math.max(most, row[this.rank + m]!, row[this.owedAt + m]!);
    return most;
  }

  // The client lane of a client's component.

  enrolledAt(_c: ClientLane): number {
    return this.row[this.clientAt]! - 1;
  }
  enroll(_c: ClientLane, m: number): void {
    this.put(this.clientAt, m + 1);
    this.put(this.skm, 0);
    this.put(this.contact, 0);
  }
  userLane(_c: ClientLane): RecordLane {
    return 0;
  }
  holdsUser(_c: ClientLane, m: number): boolean {
    return this.row[this.rank + m]! > 0;
  }
  holdsPolicy(_c: ClientLane, m: number): boolean {
    return this.row[this.policy + m]! > 0;
  }
  skmIssued(_c: ClientLane): number {
    return this.c - this.row[this.skm]!;
  }
  lastContact(_c: ClientLane): number {
    // Only whether the client has talked to a server since its key was issued is kept.
    return this.row[this.contact] === 1 ? this.c : this.c - this.row[this.skm]!;
  }
  setSkm(_c: ClientLane, issued: number, lastContact: number): void {
    this.put(this.skm, this.c - issued);
    this.put(this.contact, lastContact > issued ? 1 : 0);
  }
}
