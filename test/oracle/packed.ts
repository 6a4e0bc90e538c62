/**
 * A faster evaluation of the cluster model, for exhaustive exploration: one component of the state (one
 * record of the scope, or one desktop client, with all of the shared state: `model/projection.ts`) as a
 * row of small integers, and the transitions of `model/step.ts` computed on such rows directly.
 *
 * The immer model (`model/step.ts`) stays the one statement of the rules. This file evaluates the same
 * rules on a compact encoding, and is bound to the immer model by a differential test
 * (`model/packed.test.ts`): on random configs and traces, at every step, both agree on the enabled
 * actions, on the (projected) state (`encode(project(state))` equals the row reached here) and on every
 * property's verdict. Property verdicts are never re-implemented here: a row is decoded into a
 * `ClusterState` and judged by the property itself, memoized by the part of the row the property reads.
 *
 * The row is canonical in the same way as `model/fingerprint.ts`' key: versions are ranks (only their
 * order matters), time is relative to the clock and capped where the model stops reading it, a returning
 * member's debt (`owedAtReturn`) counts only while it matters. So two rows are equal exactly when the two
 * projected states have the same canonical key.
 *
 * Record ids that the row does not hold (other records) are not here at all: every action touches at most
 * one record component (the per-record rule, `model/projection.ts`).
 *
 * One rule is out of the rows' reach: the model caps its clock at `MAX_CLOCK_HOURS` (1,000 years, so that
 * hours stay exact), and rows without a horizon keep no absolute clock. An exploration on rows is exact for
 * every trace whose time stays within that cap; the reports say time passes "unbounded" in that sense.
 */
import { allowsUpgrade } from '../../config/schema.ts';
import type { Action } from '../../model/actions.ts';
import { isMajorUpgrade } from './step.ts';
import type { ClusterModel } from '../../model/cluster.ts';
import { type Scope, candidateActions, DEFAULT_HOURS } from './enabled.ts';
import type { Slot } from './projection.ts';
import { type CacheKind, clientUser, DEFAULT_POLICY, isCacheKind, keyOf, kindOf, type RecordId, type RecordKind, recordId } from '../../model/records.ts';
import { emptyKeyed, ownEntry } from '../../model/keyed.ts';
import type { ClusterState, MemberState } from '../../model/state.ts';
import { makeStamp } from '../../model/stamps.ts';
import { HOURS_PER_DAY, SKM_RENEWAL_LEAD_HOURS, SKM_VALIDITY_HOURS } from './time.ts';

// Member statuses as codes.
const UP = 0;
const DOWN = 1;
const REMOVED = 2;
const WAITING = 3;
const STATUS_CODE = { up: UP, down: DOWN, removed: REMOVED, waiting: WAITING } as const;
const STATUS_NAME = ['up', 'down', 'removed', 'waiting'] as const;

/** The most members the packed encoding takes (cut links as one 32-bit mask); larger clusters use the component engine. */
export const PACKED_MAX_MEMBERS = 8;

/** Candidate action codes. */
enum Op {
  Crash,
  Recover,
  Partition,
  Heal,
  Write,
  Replicate,
  Remove,
  Enroll,
  Join,
  Upgrade,
  AdvanceTime,
  SetAccountMode,
}

interface Candidate {
  readonly op: Op;
  readonly action: Action;
  /** Member (or first member of a link). */
  readonly m: number;
  /** Second member of a link. */
  readonly b: number;
  /** Bit of the link. */
  readonly bit: number;
  /** Hours for advanceTime; the mode code (1 = homeServer) for setAccountMode. */
  readonly value: number;
}

/** What the row keeps beyond what transitions need: the parts only some properties read (TLC's VIEW). */
export interface PackedView {
  /** Keep what a returning member owes (only `web-messenger-rejoin-freshness` reads it). */
  readonly rotation: boolean;
  /** Keep the acknowledged version (read by `no-lost-writes`, `removal-took-a-write`, and a write-once scope). */
  readonly acknowledged: boolean;
}

export const FULL_VIEW: PackedView = { rotation: true, acknowledged: true };

/**
 * The layout of a row: one int per field. `n` members; per-member fields at `field * n + member`, then
 * the scalars.
 */
const F_STATUS = 0;
/**
 * The release: `version * 2 + minor` (0 to 3), so that numeric order is release order. Members replicate
 * when their major releases (`>> 1`) match (`model/topology.ts` canDeliver); `& 1` is the minor update.
 */
const F_VERSION = 1;
/** Hours since the current (or latest) outage began, capped at the outage limit + 1 (when it matters). */
const F_AGE = 2;
/** Came up this very hour after an outage (a crash now continues that outage). */
const F_BACK = 3;
/** Rank of the version of the record held (0: none); for a client: of its user record. */
const F_RANK = 4;
/** Hours since the held copy was cached, capped at the retention (cache kinds, with time). */
const F_CACHE_AGE = 5;
/** The held copy's retention ended at or before the member's last purge. */
const F_CACHE_STALE = 6;
/** Rank of the version owed since the member returned, while it matters (0: none). */
const F_OWED = 7;
/** For a client: the member holds the default policy. */
const F_POLICY = 8;
const MEMBER_FIELDS = 9;

const S_LINKS = 0;
const S_ACK = 1;
const S_ACK_AGE = 2;
/** 0: no account; else 1 + mode * n + home (mode 1: homeServer). */
const S_ACCOUNT = 3;
/** The mode new accounts take: 1 homeServer. */
const S_MODE = 4;
const S_CLOCK = 5;
/** 0: not enrolled; else 1 + its member. */
const S_CLIENT = 6;
const S_SKM_AGE = 7;
/** The client has talked to a server since its SKM key was issued. */
const S_CONTACT = 8;
const SCALARS = 9;

/** The hour decoded rows start at when the clock itself is not kept: far enough for every relative hour. */
const DECODE_CLOCK = 1 << 20;

function bitsFor(max: number): number {
  let bits = 0;
  while ((1 << bits) <= max) bits++;
  return bits;
}

/** See `PackedSlot.relabelPlan`. */
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
}

/** `RelabelPlan.source` codes of the fields that name members. */
const SOURCE_LINKS = -1;
const SOURCE_ACCOUNT = -2;
const SOURCE_CLIENT = -3;

export class PackedSlot {
  readonly n: number;
  readonly width: number;
  readonly candidates: readonly Candidate[];
  /** Bits of each field, and its word and shift in the packed form. */
  private readonly bits: Int32Array;
  private readonly word: Int32Array;
  private readonly shift: Int32Array;
  readonly words: number;
  /** The fields with bits, and where each goes in the packed form. */
  private readonly fields: Int32Array;
  private readonly fieldWord: Int32Array;
  private readonly fieldShift: Int32Array;
  private readonly fieldMask: Int32Array;
  private readonly linkBit: Int32Array;
  /** Links (as bit masks) touching each member. */
  private readonly linksOf: Int32Array;
  readonly recordId: RecordId | undefined;
  readonly client: string | undefined;
  private readonly kind: RecordKind | undefined;
  private readonly cache: boolean;
  private readonly retention: number;
  private readonly ring: readonly boolean[];
  private readonly userRing: readonly boolean[];
  private readonly outageLimit: number;
  private readonly time: boolean;
  private readonly clocked: boolean;
  private readonly maxClock: number;
  private readonly stale: boolean;
  private readonly settleScratch: Int32Array;
  /** The indexes (into `fields`) of the packed debt fields (`F_OWED`), if the layout keeps any. */
  private readonly owedFields: Int32Array;
  /** Whether the layout keeps debts (`F_OWED`): else they are zero in every row. */
  private readonly keepsOwed: boolean;
  private readonly ranks: Int32Array;

  constructor(
    readonly model: ClusterModel,
    readonly scope: Scope,
    readonly slot: Slot,
    readonly view: PackedView = FULL_VIEW,
  ) {
    const n = model.size;
    if (n > PACKED_MAX_MEMBERS) throw new Error(`the packed encoding takes at most ${PACKED_MAX_MEMBERS} members`);
    this.n = n;
    this.width = MEMBER_FIELDS * n + SCALARS;
    this.recordId = slot.type === 'record' ? slot.id : undefined;
    this.client = slot.type === 'client' ? slot.client : undefined;
    this.kind = this.recordId === undefined ? undefined : kindOf(this.recordId);
    this.cache = this.kind !== undefined && isCacheKind(this.kind);
    this.retention = this.cache ? model.retention[this.kind as CacheKind] : 0;
    this.ring = this.kind === undefined ? model.onRing.user : model.onRing[this.kind];
    this.userRing = model.onRing.user;
    this.outageLimit = model.config.faults.maxOutageDays * HOURS_PER_DAY;
    const hours = scope.hours ?? DEFAULT_HOURS;
    this.maxClock = scope.maxClock ?? Number.POSITIVE_INFINITY;
    this.time = hours.some((h) => h <= this.maxClock);
    this.clocked = scope.maxClock !== undefined;
    this.stale = model.config.assumptions.dmzAfterRemoval === 'stale';
    // Links as bits, in the order of `candidateActions`' pairs.
    this.linkBit = new Int32Array(n * n).fill(-1);
    this.linksOf = new Int32Array(n);
    let bit = 0;
    for (let i = 0; i < n; i++)
      for (let j = i + 1; j < n; j++) {
        this.linkBit[i * n + j] = bit;
        this.linkBit[j * n + i] = bit;
        this.linksOf[i]! |= 1 << bit;
        this.linksOf[j]! |= 1 << bit;
        bit++;
      }
    this.candidates = this.slotCandidates();
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
      this.view.rotation && this.kind === 'wmAccount' ? bitsFor(maxRank) : 0,
      this.client !== undefined ? 1 : 0,
    ];
    const scalars: number[] = [
      (n * (n - 1)) / 2,
      this.view.acknowledged ? bitsFor(maxRank) : 0,
      this.view.acknowledged && this.cache && time ? bitsFor(this.retention) : 0,
      this.kind === 'wmAccount' ? bitsFor(2 * n) : 0,
      1,
      this.clocked ? bitsFor(Math.min(this.maxClock, 2 ** 30)) : 0,
      this.client !== undefined ? bitsFor(n) : 0,
      this.client !== undefined && time ? bitsFor(SKM_VALIDITY_HOURS) : 0,
      this.client !== undefined ? 1 : 0,
    ];
    this.bits = new Int32Array(this.width);
    for (let f = 0; f < MEMBER_FIELDS; f++) for (let i = 0; i < n; i++) this.bits[f * n + i] = perMember[f]!;
    for (let s = 0; s < SCALARS; s++) this.bits[MEMBER_FIELDS * n + s] = scalars[s]!;
    this.word = new Int32Array(this.width);
    this.shift = new Int32Array(this.width);
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
      this.word[f] = w;
      this.shift[f] = used;
      used += b;
    }
    this.words = w + 1;
    const kept = order.filter((f) => this.bits[f]! > 0);
    this.fields = Int32Array.from(kept);
    this.fieldWord = Int32Array.from(kept, (f) => this.word[f]!);
    this.fieldShift = Int32Array.from(kept, (f) => this.shift[f]!);
    this.fieldMask = Int32Array.from(kept, (f) => (this.bits[f]! === 32 ? -1 : (1 << this.bits[f]!) - 1));
    this.keepsOwed = this.bits[F_OWED * n]! > 0;
    this.owedFields = Int32Array.from(kept.flatMap((f, k) => (f >= F_OWED * n && f < (F_OWED + 1) * n ? [k] : [])));
    this.settleScratch = new Int32Array(this.width);
    this.ranks = new Int32Array(maxRank + 2);
  }

  private at(field: number, member: number): number {
    return field * this.n + member;
  }

  private sc(s: number): number {
    return MEMBER_FIELDS * this.n + s;
  }

  /** The candidates of this slot: every shared action of the scope, and the slot's own writes or enrollments. */
  private slotCandidates(): Candidate[] {
    const model = this.model;
    const out: Candidate[] = [];
    const index = (id: string) => model.position.get(id)!;
    for (const action of candidateActions(model, this.scope)) {
      const c = (op: Op, m = -1, b = -1, value = 0): Candidate => ({
        op,
        action,
        m,
        b,
        bit: m >= 0 && b >= 0 ? this.linkBit[m * this.n + b]! : -1,
        value,
      });
      switch (action.type) {
        case 'crash':
          out.push(c(Op.Crash, index(action.member)));
          break;
        case 'recover':
          out.push(c(Op.Recover, index(action.member)));
          break;
        case 'partition':
          out.push(c(Op.Partition, index(action.a), index(action.b)));
          break;
        case 'heal':
          out.push(c(Op.Heal, index(action.a), index(action.b)));
          break;
        case 'write':
          if (this.recordId !== undefined && recordId(action.record) === this.recordId) out.push(c(Op.Write, index(action.member)));
          break;
        case 'replicate':
          out.push(c(Op.Replicate, index(action.member)));
          break;
        case 'remove':
          out.push(c(Op.Remove, index(action.member)));
          break;
        case 'enroll':
          if (this.client !== undefined && action.client === this.client) out.push(c(Op.Enroll, index(action.member)));
          break;
        case 'join':
          out.push(c(Op.Join, index(action.member)));
          break;
        case 'upgrade':
          out.push(c(Op.Upgrade, index(action.member), -1, isMajorUpgrade(action) ? 1 : 0));
          break;
        case 'advanceTime':
          out.push(c(Op.AdvanceTime, -1, -1, action.hours));
          break;
        case 'setAccountMode':
          out.push(c(Op.SetAccountMode, -1, -1, action.mode === 'homeServer' ? 1 : 0));
          break;
        default: {
          const unhandled: never = action;
          throw new Error(`unhandled action ${JSON.stringify(unhandled)}`);
        }
      }
    }
    return out;
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
  // Encoding a (projected) state, and decoding a row into a representative state

  /** The row of a state projected onto this slot (`model/projection.ts`' `project`). */
  encode(state: ClusterState): Int32Array {
    const n = this.n;
    const row = new Int32Array(this.width);
    const clock = state.clock;
    const id = this.recordId ?? clientUser(this.client!);
    for (let i = 0; i < n; i++) {
      const m = state.members[i]!;
      row[this.at(F_STATUS, i)] = STATUS_CODE[m.status];
      row[this.at(F_VERSION, i)] = m.version * 2 + m.minor;
      const outage = Math.min(clock - m.downSince, this.outageLimit + 1);
      const back = m.status === 'up' && m.upSince === clock && outage > 0;
      row[this.at(F_AGE, i)] = m.status === 'down' || back ? outage : 0;
      row[this.at(F_BACK, i)] = back ? 1 : 0;
      if (this.client !== undefined) row[this.at(F_POLICY, i)] = m.records[DEFAULT_POLICY] !== undefined ? 1 : 0;
      const cachedAt = m.cachedAt[id];
      if (this.cache && cachedAt !== undefined && m.records[id] !== undefined) {
        row[this.at(F_CACHE_AGE, i)] = Math.min(clock - cachedAt, this.retention);
        row[this.at(F_CACHE_STALE, i)] = cachedAt + this.retention <= m.purgedAt ? 1 : 0;
      }
    }
    // Versions as ranks among the versions present (held, owed while it matters, acknowledged).
    const stamps: number[] = [];
    const note = (v: number | undefined) => {
      if (v !== undefined && !stamps.includes(v)) stamps.push(v);
    };
    const owing = (m: MemberState) => {
      const owed = this.view.rotation && this.kind === 'wmAccount' ? m.owedAtReturn[id] : undefined;
      return owed !== undefined && m.status === 'up' && (m.records[id] ?? -1) < owed ? owed : undefined;
    };
    for (const m of state.members) {
      note(m.records[id]);
      note(owing(m));
    }
    const acked = this.view.acknowledged ? state.acknowledged[id] : undefined;
    note(acked);
    stamps.sort((a, b) => a - b);
    const rank = (v: number | undefined) => (v === undefined ? 0 : stamps.indexOf(v) + 1);
    for (let i = 0; i < n; i++) {
      const m = state.members[i]!;
      row[this.at(F_RANK, i)] = rank(m.records[id]);
      row[this.at(F_OWED, i)] = rank(owing(m));
    }
    row[this.sc(S_ACK)] = rank(acked);
    const ackedAt = state.acknowledgedCachedAt[id];
    if (this.cache && acked !== undefined && ackedAt !== undefined) row[this.sc(S_ACK_AGE)] = Math.min(clock - ackedAt, this.retention);
    let links = 0;
    for (const link in state.cutLinks) {
      const bar = link.indexOf('|');
      const a = this.model.position.get(link.slice(0, bar))!;
      const b = this.model.position.get(link.slice(bar + 1))!;
      links |= 1 << this.linkBit[a * n + b]!;
    }
    row[this.sc(S_LINKS)] = links;
    if (this.kind === 'wmAccount') {
      const account = ownEntry(state.accounts, keyOf(this.recordId!));
      if (account !== undefined)
        row[this.sc(S_ACCOUNT)] = 1 + (account.mode === 'homeServer' ? n : 0) + this.model.position.get(account.home)!;
    }
    row[this.sc(S_MODE)] = state.accountMode === 'homeServer' ? 1 : 0;
    if (this.clocked) row[this.sc(S_CLOCK)] = clock;
    if (this.client !== undefined) {
      const client = ownEntry(state.clients, this.client);
      if (client !== undefined) {
        row[this.sc(S_CLIENT)] = 1 + this.model.position.get(client.member)!;
        row[this.sc(S_SKM_AGE)] = Math.min(clock - client.skmIssued, SKM_VALIDITY_HOURS);
        row[this.sc(S_CONTACT)] = client.lastContact > client.skmIssued ? 1 : 0;
      }
    }
    if (!this.time) {
      // Without time steps no hour ever differs from the start: the relative hours are all zero.
      for (let i = 0; i < n; i++) {
        row[this.at(F_AGE, i)] = 0;
        row[this.at(F_BACK, i)] = 0;
        row[this.at(F_CACHE_AGE, i)] = 0;
        row[this.at(F_CACHE_STALE, i)] = 0;
      }
      row[this.sc(S_ACK_AGE)] = 0;
      row[this.sc(S_SKM_AGE)] = 0;
    }
    return row;
  }

  /** A state that this row stands for: its projection onto this slot encodes back to the row. */
  decode(row: Int32Array): ClusterState {
    const n = this.n;
    const model = this.model;
    const clock = this.clocked ? row[this.sc(S_CLOCK)]! : DECODE_CLOCK;
    const id = this.recordId ?? clientUser(this.client!);
    const stamp = (rank: number) => makeStamp(rank, 0);
    let maxRank = 0;
    const members: MemberState[] = [];
    for (let i = 0; i < n; i++) {
      const status = STATUS_NAME[row[this.at(F_STATUS, i)]!]!;
      const age = row[this.at(F_AGE, i)]!;
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
          purgedAt = row[this.at(F_CACHE_STALE, i)] === 1 ? clock : Math.min(clock, clock - cAge + this.retention - 1);
        }
      }
      if (this.client !== undefined && row[this.at(F_POLICY, i)] === 1) records[DEFAULT_POLICY] = 0;
      const down = status === 'down' || back;
      members.push({
        id: model.members[i]!.id,
        status,
        records,
        version: row[this.at(F_VERSION, i)]! >> 1,
        minor: row[this.at(F_VERSION, i)]! & 1,
        cachedAt,
        purgedAt,
        downSince: down ? clock - age : clock,
        upSince: back ? clock : clock - 1,
        owedAtReturn: owed > 0 ? { [id]: stamp(owed) } : {},
      });
    }
    const cutLinks: Record<string, true> = {};
    const links = row[this.sc(S_LINKS)]!;
    for (let a = 0; a < n; a++)
      for (let b = a + 1; b < n; b++) if (links & (1 << this.linkBit[a * n + b]!)) cutLinks[`${model.members[a]!.id}|${model.members[b]!.id}`] = true;
    const ack = row[this.sc(S_ACK)]!;
    maxRank = Math.max(maxRank, ack);
    const acknowledged: Record<RecordId, number> = ack > 0 ? { [id]: stamp(ack) } : {};
    const acknowledgedCachedAt: Record<RecordId, number> = ack > 0 && this.cache ? { [id]: clock - row[this.sc(S_ACK_AGE)]! } : {};
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
    return {
      members,
      cutLinks,
      accounts,
      clients,
      writes: maxRank,
      acknowledged,
      acknowledgedCachedAt,
      clock,
      accountMode: row[this.sc(S_MODE)] === 1 ? 'homeServer' : 'highAvailability',
    };
  }

  // -------------------------------------------------------------------------------------------------
  // The rules, on rows (each mirrors a function of model/step.ts or model/topology.ts, named alike)

  private cut(row: Int32Array, a: number, b: number): boolean {
    return (row[this.sc(S_LINKS)]! & (1 << this.linkBit[a * this.n + b]!)) !== 0;
  }

  private faultsInUse(row: Int32Array): number {
    let count = 0;
    for (let i = 0; i < this.n; i++) {
      const s = row[i]!;
      if (s === DOWN || s === REMOVED) count++;
    }
    return count;
  }

  /** `mayHoldOnceIn`: by configuration, and a Home Server account only on its home member. */
  private mayHoldOnceIn(row: Int32Array, m: number): boolean {
    if (this.kind === 'wmAccount') {
      const account = row[this.sc(S_ACCOUNT)]!;
      if (account > 0 && account - 1 >= this.n) return (account - 1) % this.n === m;
    }
    return this.ring[m]!;
  }

  private mayHold(row: Int32Array, m: number): boolean {
    const s = row[m]!;
    return (s === UP || s === DOWN) && this.mayHoldOnceIn(row, m);
  }

  /** `successor` for the ring `ring`. */
  private successor(row: Int32Array, from: number, ring: readonly boolean[]): number {
    const n = this.n;
    const fixed = this.model.isDmz[from]!;
    for (let step = 1; step < n; step++) {
      const next = (from + step) % n;
      if (!ring[next]) continue;
      const status = row[next]!;
      if (status === WAITING) continue;
      if (fixed) {
        if (status === REMOVED && !this.stale) continue;
        return next;
      }
      if (status === UP && !this.cut(row, from, next)) return next;
    }
    return -1;
  }

  private canDeliver(row: Int32Array, from: number, to: number): boolean {
    return row[to] === UP && row[this.at(F_VERSION, to)]! >> 1 === row[this.at(F_VERSION, from)]! >> 1 && !this.cut(row, from, to);
  }

  private joinSponsor(row: Int32Array, joiner: number): number {
    const sponsor = this.model.sponsor;
    if (row[sponsor] === UP) return this.cut(row, sponsor, joiner) ? -1 : sponsor;
    if (this.model.config.assumptions.joinWhenSponsorDown === 'waits') return -1;
    for (let m = 0; m < this.n; m++) if (m !== joiner && row[m] === UP && !this.cut(row, m, joiner)) return m;
    return -1;
  }

  private pastRetention(row: Int32Array, m: number): boolean {
    return this.cache && row[this.at(F_CACHE_AGE, m)]! >= this.retention && this.time;
  }

  private writeAllowed(row: Int32Array, m: number): boolean {
    if (!this.writeAllowedStatic(m)) return false;
    if (this.kind !== 'wmAccount') return true;
    // A Home Server account is changed only on its home member.
    const account = row[this.sc(S_ACCOUNT)]!;
    return !(account > 0 && account - 1 >= this.n && (account - 1) % this.n !== m);
  }

  /** False when candidate `c`, enabled in `row`, would change nothing (a replication hop with nothing to send); else true. */
  changes(row: Int32Array, c: number): boolean {
    const cand = this.candidates[c]!;
    if (cand.op !== Op.Replicate) return true;
    const from = cand.m;
    if (this.client !== undefined) {
      const to = this.successor(row, from, this.userRing);
      if (to === -1 || !this.canDeliver(row, from, to) || !this.mayHold(row, to)) return false;
      const mine = row[this.at(F_RANK, from)]!;
      return (mine > 0 && row[this.at(F_RANK, to)]! < mine) || (row[this.at(F_POLICY, from)] === 1 && row[this.at(F_POLICY, to)] === 0);
    }
    const mine = row[this.at(F_RANK, from)]!;
    if (mine === 0) return false;
    const to = this.successor(row, from, this.ring);
    if (to === -1 || !this.canDeliver(row, from, to) || this.pastRetention(row, from)) return false;
    const theirs = row[this.at(F_RANK, to)]!;
    return (theirs < mine || (this.cache && theirs > 0 && this.pastRetention(row, to))) && this.mayHold(row, to);
  }

  /** Whether candidate `c` is enabled in `row` (`preconditions` and `outsideScope`). */
  enabled(row: Int32Array, c: number): boolean {
    const cand = this.candidates[c]!;
    const config = this.model.config;
    const m = cand.m;
    switch (cand.op) {
      case Op.Crash:
        return row[m] === UP && this.faultsInUse(row) < config.faults.maxDown;
      case Op.Recover:
        return row[m] === DOWN;
      case Op.Partition:
        return config.faults.partitions && row[m] !== REMOVED && row[cand.b] !== REMOVED && !this.cut(row, m, cand.b) && this.cutCount(row) < this.maxCutLinks();
      case Op.Heal:
        return this.cut(row, m, cand.b);
      case Op.Write:
        return row[m] === UP && this.writeAllowed(row, m) && !(this.scope.writeOnce === true && row[this.sc(S_ACK)]! > 0);
      case Op.Replicate:
        return row[m] === UP;
      case Op.Remove: {
        if (!config.faults.removeMember) return false;
        const s = row[m]!;
        if (s === REMOVED || s === WAITING) return false;
        return s === DOWN || this.faultsInUse(row) < config.faults.maxDown;
      }
      case Op.Enroll:
        return row[this.sc(S_CLIENT)] === 0 && this.model.runsDesktop[m]! && row[m] === UP;
      case Op.Join:
        return this.model.members[m]!.joinsLater && row[m] === WAITING && this.joinSponsor(row, m) !== -1;
      case Op.Upgrade:
        // A major upgrade (value 1) once, to the next release; a minor update (value 0) once per release.
        if (!allowsUpgrade(config.faults.upgrades, cand.value === 1 ? 'major' : 'minor') || row[m] !== UP) return false;
        return cand.value === 1 ? row[this.at(F_VERSION, m)]! >> 1 < 1 : (row[this.at(F_VERSION, m)]! & 1) < 1;
      case Op.AdvanceTime: {
        const hours = cand.value;
        if (this.clocked && row[this.sc(S_CLOCK)]! + hours > this.maxClock) return false;
        if (!this.clocked && hours > this.maxClock) return false;
        for (let i = 0; i < this.n; i++) if (row[i] === DOWN && row[this.at(F_AGE, i)]! + hours > this.outageLimit) return false;
        return true;
      }
      case Op.SetAccountMode: {
        const { accountMode, switchTo } = config.webMessenger;
        if (switchTo === undefined) return false;
        const mode = cand.value === 1 ? 'homeServer' : 'highAvailability';
        if (mode !== accountMode && mode !== switchTo) return false;
        return row[this.sc(S_MODE)] !== cand.value;
      }
    }
  }

  private cutCount(row: Int32Array): number {
    let x = row[this.sc(S_LINKS)]!;
    let count = 0;
    while (x !== 0) {
      x &= x - 1;
      count++;
    }
    return count;
  }

  private maxCutLinks(): number {
    return this.model.config.faults.maxCutLinks;
  }

  /** What a member returning now owes (`owedOnReturn`), as a rank (0: nothing). */
  private owedOnReturn(row: Int32Array, m: number): number {
    if (!this.view.rotation || this.kind !== 'wmAccount' || !this.model.runsWebMessenger[m] || !this.mayHoldOnceIn(row, m)) return 0;
    let owed = 0;
    for (let p = 0; p < this.n; p++) if (p !== m && row[p] === UP) owed = Math.max(owed, row[this.at(F_RANK, p)]!);
    return owed;
  }

  private maxRank(row: Int32Array): number {
    let most = row[this.sc(S_ACK)]!;
    for (let i = 0; i < this.n; i++) most = Math.max(most, row[this.at(F_RANK, i)]!, row[this.at(F_OWED, i)]!);
    return most;
  }

  /** Whether a client reaches a server (`clientReachesServer`). */
  private clientReaches(row: Int32Array): boolean {
    const enrolled = row[this.sc(S_CLIENT)]!;
    if (enrolled === 0) return false;
    const serves = (m: number) => row[m] === UP && this.model.runsDesktop[m]! && row[this.at(F_RANK, m)]! > 0 && row[this.at(F_POLICY, m)] === 1;
    if (!this.model.config.loadBalancer.clusterHostname) return serves(enrolled - 1);
    for (let m = 0; m < this.n; m++) if (serves(m)) return true;
    return false;
  }

  /**
   * Applies candidate `c` (assumed enabled) to `row`, in place, and makes the row canonical. Returns false
   * when nothing changed (a replication hop with nothing to send); every other enabled action changes the
   * row, or may be reported as changing it.
   */
  apply(row: Int32Array, c: number): boolean {
    const cand = this.candidates[c]!;
    const n = this.n;
    const m = cand.m;
    switch (cand.op) {
      case Op.Crash:
        // A crash in the hour the member came back continues the same outage.
        if (row[this.at(F_BACK, m)] !== 1) row[this.at(F_AGE, m)] = 0;
        row[m] = DOWN;
        row[this.at(F_BACK, m)] = 0;
        break;
      case Op.Recover:
        row[m] = UP;
        row[this.at(F_BACK, m)] = row[this.at(F_AGE, m)]! > 0 ? 1 : 0;
        row[this.at(F_OWED, m)] = this.owedOnReturn(row, m);
        break;
      case Op.Partition:
        row[this.sc(S_LINKS)]! |= 1 << cand.bit;
        break;
      case Op.Heal:
        row[this.sc(S_LINKS)]! &= ~(1 << cand.bit);
        break;
      case Op.Write: {
        const v = this.maxRank(row) + 1;
        row[this.at(F_RANK, m)] = v;
        if (this.view.acknowledged) row[this.sc(S_ACK)] = v;
        if (this.cache) {
          row[this.at(F_CACHE_AGE, m)] = 0;
          row[this.at(F_CACHE_STALE, m)] = 0;
          row[this.sc(S_ACK_AGE)] = 0;
        }
        if (this.kind === 'wmAccount' && row[this.sc(S_ACCOUNT)] === 0) row[this.sc(S_ACCOUNT)] = 1 + row[this.sc(S_MODE)]! * n + m;
        break;
      }
      case Op.Replicate:
        if (!this.replicate(row, m)) return false;
        break;
      case Op.Remove:
        row[m] = REMOVED;
        row[this.at(F_RANK, m)] = 0;
        row[this.at(F_CACHE_AGE, m)] = 0;
        row[this.at(F_CACHE_STALE, m)] = 0;
        row[this.at(F_OWED, m)] = 0;
        row[this.at(F_POLICY, m)] = 0;
        row[this.at(F_AGE, m)] = 0;
        row[this.at(F_BACK, m)] = 0;
        row[this.sc(S_LINKS)]! &= ~this.linksOf[m]!;
        break;
      case Op.Enroll: {
        const v = this.maxRank(row) + 1;
        row[this.sc(S_CLIENT)] = 1 + m;
        row[this.sc(S_SKM_AGE)] = 0;
        row[this.sc(S_CONTACT)] = 0;
        row[this.at(F_RANK, m)] = v;
        if (this.view.acknowledged) row[this.sc(S_ACK)] = v;
        break;
      }
      case Op.Join: {
        const sponsor = this.joinSponsor(row, m);
        const owed = this.owedOnReturn(row, m);
        let rank = 0;
        let cAge = 0;
        if (this.client !== undefined) {
          rank = row[this.at(F_RANK, sponsor)]!;
          row[this.at(F_POLICY, m)] = row[this.at(F_POLICY, sponsor)]!;
        } else if (row[this.at(F_RANK, sponsor)]! > 0 && this.mayHoldOnceIn(row, m) && !this.pastRetention(row, sponsor)) {
          rank = row[this.at(F_RANK, sponsor)]!;
          cAge = row[this.at(F_CACHE_AGE, sponsor)]!;
        }
        row[m] = UP;
        row[this.at(F_RANK, m)] = rank;
        row[this.at(F_CACHE_AGE, m)] = cAge;
        row[this.at(F_CACHE_STALE, m)] = 0;
        row[this.at(F_VERSION, m)] = row[this.at(F_VERSION, sponsor)]!;
        row[this.at(F_AGE, m)] = 0;
        row[this.at(F_BACK, m)] = 0;
        row[this.at(F_OWED, m)] = owed;
        break;
      }
      case Op.Upgrade:
        // A major upgrade installs the next release without its minor update; a minor update keeps the release.
        row[this.at(F_VERSION, m)] = cand.value === 1 ? 2 : row[this.at(F_VERSION, m)]! | 1;
        break;
      case Op.AdvanceTime:
        this.advanceTime(row, cand.value);
        break;
      case Op.SetAccountMode:
        row[this.sc(S_MODE)] = cand.value;
        break;
    }
    this.normalize(row);
    return true;
  }

  /** `replicationHop` then `deliver`, for this slot's record (or a client's user record and the policy). */
  private replicate(row: Int32Array, from: number): boolean {
    if (this.client !== undefined) {
      const to = this.successor(row, from, this.userRing);
      if (to === -1 || !this.canDeliver(row, from, to)) return false;
      // The user record and the policy are on the same ring (every member).
      let changed = false;
      const mine = row[this.at(F_RANK, from)]!;
      if (mine > 0 && row[this.at(F_RANK, to)]! < mine && this.mayHold(row, to)) {
        row[this.at(F_RANK, to)] = mine;
        changed = true;
      }
      if (row[this.at(F_POLICY, from)] === 1 && row[this.at(F_POLICY, to)] === 0 && this.mayHold(row, to)) {
        row[this.at(F_POLICY, to)] = 1;
        changed = true;
      }
      return changed;
    }
    const mine = row[this.at(F_RANK, from)]!;
    if (mine === 0) return false;
    const to = this.successor(row, from, this.ring);
    if (to === -1 || !this.canDeliver(row, from, to)) return false;
    if (this.pastRetention(row, from)) return false;
    const theirs = row[this.at(F_RANK, to)]!;
    const stale = theirs < mine || (this.cache && theirs > 0 && this.pastRetention(row, to));
    if (!stale || !this.mayHold(row, to)) return false;
    row[this.at(F_RANK, to)] = mine;
    if (this.cache) {
      row[this.at(F_CACHE_AGE, to)] = row[this.at(F_CACHE_AGE, from)]!;
      // Sent only before its retention ends, so after the receiver's last purge.
      row[this.at(F_CACHE_STALE, to)] = 0;
    }
    return true;
  }

  private advanceTime(row: Int32Array, hours: number): void {
    const n = this.n;
    const reaches = this.client !== undefined && this.clientReaches(row);
    if (this.clocked) row[this.sc(S_CLOCK)]! += hours;
    for (let i = 0; i < n; i++) {
      if (row[i] === DOWN) row[this.at(F_AGE, i)]! += hours;
      else {
        row[this.at(F_BACK, i)] = 0;
        row[this.at(F_AGE, i)] = 0;
      }
      if (this.cache && row[this.at(F_RANK, i)]! > 0) {
        const age = Math.min(row[this.at(F_CACHE_AGE, i)]! + hours, this.retention);
        row[this.at(F_CACHE_AGE, i)] = age;
        // Every live member's purge job runs as time passes (KB 162609).
        if (row[i] === UP) {
          if (age >= this.retention) {
            row[this.at(F_RANK, i)] = 0;
            row[this.at(F_CACHE_AGE, i)] = 0;
          }
          row[this.at(F_CACHE_STALE, i)] = 0;
        }
      }
    }
    if (this.cache && row[this.sc(S_ACK)]! > 0) {
      const age = Math.min(row[this.sc(S_ACK_AGE)]! + hours, this.retention);
      if (age >= this.retention) {
        row[this.sc(S_ACK)] = 0;
        row[this.sc(S_ACK_AGE)] = 0;
      } else row[this.sc(S_ACK_AGE)] = age;
    }
    if (this.client !== undefined && row[this.sc(S_CLIENT)]! > 0) this.passTime(row, hours, reaches);
  }

  /** `passTime` (KB 157933), with the key's age relative to the clock. */
  private passTime(row: Int32Array, hours: number, reaches: boolean): void {
    const age = row[this.sc(S_SKM_AGE)]!;
    const contact = row[this.sc(S_CONTACT)] === 1;
    const validity = SKM_VALIDITY_HOURS;
    const renewalAge = validity - SKM_RENEWAL_LEAD_HOURS;
    if (!(contact || reaches)) {
      row[this.sc(S_SKM_AGE)] = Math.min(age + hours, validity);
      return;
    }
    // Hours from now to the first renewal.
    const first = Math.max(renewalAge - age, 0);
    if (first > hours) {
      row[this.sc(S_SKM_AGE)] = Math.min(age + hours, validity);
      if (reaches) row[this.sc(S_CONTACT)] = 1;
      return;
    }
    let issuedAfter = first;
    if (reaches) issuedAfter += Math.floor((hours - first) / renewalAge) * renewalAge;
    const newAge = hours - issuedAfter;
    row[this.sc(S_SKM_AGE)] = Math.min(newAge, validity);
    row[this.sc(S_CONTACT)] = reaches && newAge > 0 ? 1 : 0;
  }

  /** Canonical form: debts only while they matter, outage hours only while they matter, versions as ranks. */
  private normalize(row: Int32Array): void {
    const n = this.n;
    const rank = F_RANK * n;
    const owedAt = F_OWED * n;
    // Outage hours are all zero without time steps, and debts zero where the layout keeps none.
    if (this.time) {
      const back = F_BACK * n;
      const age = F_AGE * n;
      for (let i = 0; i < n; i++) {
        const s = row[i]!;
        if (s === UP ? row[back + i] !== 1 || row[age + i] === 0 : s !== DOWN) {
          row[back + i] = 0;
          row[age + i] = 0;
        }
      }
    }
    // Which ranks are in use, as bits; when they are 1..k already there is nothing to renumber.
    let used = 1 << row[this.sc(S_ACK)]!;
    if (this.keepsOwed) {
      for (let i = 0; i < n; i++) {
        const owed = row[owedAt + i]!;
        if (owed > 0 && !(row[i] === UP && row[rank + i]! < owed)) row[owedAt + i] = 0;
        used |= (1 << row[rank + i]!) | (1 << row[owedAt + i]!);
      }
    } else for (let i = 0; i < n; i++) used |= 1 << row[rank + i]!;
    used &= ~1;
    if ((used & (used + 2)) === 0) return;
    const ranks = this.ranks;
    let next = 0;
    const top = 31 - Math.clz32(used);
    for (let r = 1; r <= top; r++) ranks[r] = used & (1 << r) ? ++next : 0;
    ranks[0] = 0;
    for (let i = 0; i < n; i++) row[rank + i] = ranks[row[rank + i]!]!;
    if (this.keepsOwed) for (let i = 0; i < n; i++) row[owedAt + i] = ranks[row[owedAt + i]!]!;
    row[this.sc(S_ACK)] = ranks[row[this.sc(S_ACK)]!]!;
  }

  /**
   * The row with the faults ended as `model/settle.ts`' `faultEndings` ends them (`all`: recoveries in
   * ring order, heals, upgrades of the laggards; `survivors`: heals only), in place.
   */
  endFaults(row: Int32Array, mode: 'all' | 'survivors'): void {
    if (mode === 'all') {
      for (let m = 0; m < this.n; m++) {
        if (row[m] !== DOWN) continue;
        row[m] = UP;
        row[this.at(F_BACK, m)] = row[this.at(F_AGE, m)]! > 0 ? 1 : 0;
        row[this.at(F_OWED, m)] = this.owedOnReturn(row, m);
      }
    }
    row[this.sc(S_LINKS)] = 0;
    if (mode === 'all') {
      let newest = 0;
      for (let m = 0; m < this.n; m++) if (row[m] === UP || row[m] === DOWN) newest = Math.max(newest, row[this.at(F_VERSION, m)]!);
      for (let m = 0; m < this.n; m++) if ((row[m] === UP || row[m] === DOWN) && row[this.at(F_VERSION, m)]! < newest) row[this.at(F_VERSION, m)] = newest;
    }
    this.normalize(row);
  }

  /**
   * The row as verdicts read it, in place: no property reads how long ago anything happened beyond
   * whether a cached copy is past its retention or an SKM key past its validity (`isPastRetention`,
   * `skmExpires`), nor the outage hours, the clock or the last contact (only the rules of time passing
   * do). `model/packed.test.ts` checks that verdicts on rows so collapsed equal the properties' own.
   */
  collapseForVerdict(row: Int32Array): void {
    const n = this.n;
    for (let i = 0; i < n; i++) {
      row[this.at(F_AGE, i)] = 0;
      row[this.at(F_BACK, i)] = 0;
      if (this.cache) row[this.at(F_CACHE_AGE, i)] = row[this.at(F_CACHE_AGE, i)]! >= this.retention && this.time ? this.retention : 0;
    }
    row[this.sc(S_ACK_AGE)] = 0;
    row[this.sc(S_CLOCK)] = 0;
    row[this.sc(S_CONTACT)] = 0;
    row[this.sc(S_SKM_AGE)] = row[this.sc(S_SKM_AGE)]! >= SKM_VALIDITY_HOURS ? SKM_VALIDITY_HOURS : 0;
  }

  /**
   * Replication to quiescence on the row, in place, as `replicateToQuiescence` runs it (`model/settle.ts`):
   * synchronous rounds, in which every live member's hop is computed on the state the round began with and
   * delivered in ring order, a receiver keeping a copy at least as new; until a round sends nothing
   * (returns true) or the round limit passes (returns false, the row then half settled).
   */
  settle(row: Int32Array): boolean {
    const n = this.n;
    const pre = this.settleScratch;
    const limit = 4 * n + 8;
    for (let round = 0; round < limit; round++) {
      pre.set(row);
      let sent = false;
      for (let from = 0; from < n; from++) {
        if (pre[from] !== UP) continue;
        if (this.client !== undefined) {
          const to = this.successor(pre, from, this.userRing);
          if (to === -1 || !this.canDeliver(pre, from, to)) continue;
          const mine = pre[this.at(F_RANK, from)]!;
          if (mine > 0 && pre[this.at(F_RANK, to)]! < mine && this.mayHold(pre, to)) {
            sent = true;
            if (row[this.at(F_RANK, to)]! < mine) row[this.at(F_RANK, to)] = mine;
          }
          if (pre[this.at(F_POLICY, from)] === 1 && pre[this.at(F_POLICY, to)] === 0 && this.mayHold(pre, to)) {
            sent = true;
            row[this.at(F_POLICY, to)] = 1;
          }
          continue;
        }
        const mine = pre[this.at(F_RANK, from)]!;
        if (mine === 0) continue;
        const to = this.successor(pre, from, this.ring);
        if (to === -1 || !this.canDeliver(pre, from, to) || this.pastRetention(pre, from)) continue;
        const theirs = pre[this.at(F_RANK, to)]!;
        const stale = theirs < mine || (this.cache && theirs > 0 && this.pastRetention(pre, to));
        if (!stale || !this.mayHold(pre, to)) continue;
        sent = true;
        // Two senders may reach one receiver in a round: it keeps a copy at least as new (`deliver`).
        const now = row[this.at(F_RANK, to)]!;
        if (now < mine || (this.cache && now > 0 && this.pastRetention(row, to))) {
          row[this.at(F_RANK, to)] = mine;
          if (this.cache) {
            row[this.at(F_CACHE_AGE, to)] = pre[this.at(F_CACHE_AGE, from)]!;
            row[this.at(F_CACHE_STALE, to)] = 0;
          }
        }
      }
      if (!sent) return true;
      this.normalize(row);
    }
    return false;
  }

  /** Whether no member owes anything in the packed row at `offset` of `from` (always so when the layout keeps no debts). */
  owesNothing(from: Int32Array, offset: number): boolean {
    const fields = this.owedFields;
    for (let k = 0; k < fields.length; k++) if (((from[offset + this.fieldWord[fields[k]!]!]! >>> this.fieldShift[fields[k]!]!) & this.fieldMask[fields[k]!]!) !== 0) return false;
    return true;
  }

  /** Clears what a returning member owes (for verdicts that do not read the rotation). */
  clearOwed(row: Int32Array): void {
    for (let m = 0; m < this.n; m++) row[this.at(F_OWED, m)] = 0;
    this.normalize(row);
  }

  /**
   * A plan for packing rows relabelled by one permutation without building the relabelled row: for each
   * packed field, the field of the original row its value comes from (member fields move with the
   * members), and the remapping of the fields that name members (cut links, an account's home, a
   * client's member).
   */
  relabelPlan(perm: readonly number[], inverse: readonly number[]): RelabelPlan {
    const n = this.n;
    const special = (f: number) =>
      f === this.sc(S_LINKS) ? SOURCE_LINKS : f === this.sc(S_ACCOUNT) ? SOURCE_ACCOUNT : f === this.sc(S_CLIENT) ? SOURCE_CLIENT : f;
    const source = Int32Array.from(this.fields, (f) => (f < MEMBER_FIELDS * n ? Math.floor(f / n) * n + perm[f % n]! : special(f)));
    const linkMap = new Int32Array(32).fill(-1);
    for (let a = 0; a < n; a++) for (let b = a + 1; b < n; b++) linkMap[this.linkBit[a * n + b]!] = this.linkBit[inverse[a]! * n + inverse[b]!]!;
    const order = Array.from(this.fields, (_, k) => k).sort((x, y) => this.fieldWord[x]! - this.fieldWord[y]! || this.fieldShift[y]! - this.fieldShift[x]!);
    const bySignificance = {
      source: Int32Array.from(order, (k) => source[k]!),
      word: Int32Array.from(order, (k) => this.fieldWord[k]!),
      shift: Int32Array.from(order, (k) => this.fieldShift[k]!),
      mask: Int32Array.from(order, (k) => this.fieldMask[k]!),
    };
    return { source, bySignificance, linkMap, inverse: Int32Array.from(inverse) };
  }

  /** The value of a field that names members (`source` one of the codes), relabelled by `plan`. */
  private relabelledSpecial(row: Int32Array, source: number, plan: RelabelPlan): number {
    if (source === SOURCE_LINKS) {
      let links = row[this.sc(S_LINKS)]!;
      let v = 0;
      while (links !== 0) {
        const low = links & -links;
        v |= 1 << plan.linkMap[31 - Math.clz32(low)]!;
        links ^= low;
      }
      return v;
    }
    if (source === SOURCE_ACCOUNT) {
      const account = row[this.sc(S_ACCOUNT)]!;
      return account === 0 ? 0 : 1 + (account - 1 >= this.n ? this.n : 0) + plan.inverse[(account - 1) % this.n]!;
    }
    const client = row[this.sc(S_CLIENT)]!;
    return client === 0 ? 0 : 1 + plan.inverse[client - 1]!;
  }

  /**
   * How the packing of `row` relabelled by `plan` compares with the packed words `best` (unsigned, word
   * by word): -1 less, 0 equal, 1 greater. Field by field from the most significant, so that it most
   * often stops after a field or two, and without packing anything.
   */
  compareRelabelled(row: Int32Array, plan: RelabelPlan, best: Int32Array): number {
    const { source, word, shift, mask } = plan.bySignificance;
    for (let j = 0; j < source.length; j++) {
      const from = source[j]!;
      const v = from >= 0 ? row[from]! : this.relabelledSpecial(row, from, plan);
      const b = (best[word[j]!]! >>> shift[j]!) & mask[j]!;
      if (v !== b) return v < b ? -1 : 1;
    }
    return 0;
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
    for (let s = 0; s < SCALARS; s++) out[base + s] = row[base + s]!;
    const links = row[this.sc(S_LINKS)]!;
    let relabelled = 0;
    if (links !== 0)
      for (let a = 0; a < n; a++)
        for (let b = a + 1; b < n; b++) if (links & (1 << this.linkBit[a * n + b]!)) relabelled |= 1 << this.linkBit[inverse[a]! * n + inverse[b]!]!;
    out[this.sc(S_LINKS)] = relabelled;
    const account = row[this.sc(S_ACCOUNT)]!;
    if (account > 0) {
      const code = account - 1;
      out[this.sc(S_ACCOUNT)] = 1 + (code >= n ? n : 0) + inverse[code % n]!;
    }
    const client = row[this.sc(S_CLIENT)]!;
    if (client > 0) out[this.sc(S_CLIENT)] = 1 + inverse[client - 1]!;
  }

  /**
   * What decides this slot's rows: their layout, the rules that read the slot's record or client (its
   * ring, who may write it, whether it is a Web Messenger account, a cached key with its retention, a
   * client) and its initial row. Two slots of one signature reach the same rows by the same candidates
   * (each slot's own write at the same index), so one exploration serves both.
   */
  signature(): string {
    const writers = this.candidates.map((c, i) => (c.op === Op.Write ? `${i}:${this.writeAllowedStatic(c.m)}` : '')).join(',');
    return JSON.stringify([
      Array.from(this.bits),
      this.ring,
      writers,
      this.kind === 'wmAccount',
      // Without time a cached key follows the rules of any other record.
      this.cache && this.time,
      this.cache && this.time ? this.retention : 0,
      this.client !== undefined,
      this.view,
      this.candidates.length,
      this.recordId === DEFAULT_POLICY,
    ]);
  }

  /** Whether a member may ever write this slot's record (`writeRule` without the state). */
  private writeAllowedStatic(m: number): boolean {
    const config = this.model.members[m]!;
    switch (this.kind) {
      case 'privateKey':
        return config.privateKeys;
      case 'cachedKey':
      case 'fetchedKey':
        return config.services.includes('mail');
      case 'wmAccount':
        return this.model.runsWebMessenger[m]!;
      default:
        return true;
    }
  }

  /** A fresh row of this slot's layout. */
  newRow(): Int32Array {
    return new Int32Array(this.width);
  }
}
