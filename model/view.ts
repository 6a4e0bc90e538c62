/**
 * What the rules of the model read and write: a view of a cluster's state, so that each rule is stated
 * once (`model/topology.ts`, `model/step.ts`, `model/settle.ts`, `model/time.ts`, `model/desktop.ts`,
 * `model/rotation.ts`) and evaluated on two backends:
 *
 * - the object backend (`model/object-view.ts`): a `ClusterState`, written copy-on-write, with
 *   absolute hours and version stamps: what `step`, replay, trace files, the narrator and the messages use;
 * - the row backend (`model/row.ts`): one component of the state (the shared part and one record, or one
 *   client) as a row of small integers, with versions as ranks and hours relative to the clock and capped
 *   where the rules stop reading them: what exploration runs on.
 *
 * A view has the shared part of the state (members' status and release, cut links, the clock and when
 * outages began and ended, the mode of new Web Messenger accounts) and lanes: record lanes (the version of
 * one record each member holds, when each copy was cached, what a returning member owes, the acknowledged
 * version, a Web Messenger account's mode and home) and client lanes (a desktop client's enrollment and SKM
 * key). A rule that changes records is lifted over the lanes (`model/step.ts`): its effect on one lane is
 * given that lane alone, so a rule cannot name a second record.
 *
 * Hours read through a view are absolute (the row backend keeps them relative to a clock of its own, which
 * is invisible to a rule: only differences of hours matter). Versions are numbers whose order is the order
 * of versions, `NONE` (-1) for "no copy"; only their order matters (`model/stamps.ts`).
 */
import type { RecordKind } from './records.ts';

/** Member statuses as codes: what `MemberState.status` names (`model/state.ts`). */
export const UP = 0;
export const DOWN = 1;
export const REMOVED = 2;
export const WAITING = 3;
export type StatusCode = typeof UP | typeof DOWN | typeof REMOVED | typeof WAITING;
export const STATUS_CODE = { up: UP, down: DOWN, removed: REMOVED, waiting: WAITING } as const;
export const STATUS_NAME = ['up', 'down', 'removed', 'waiting'] as const;

/** Web Messenger account modes as codes (`AccountMode`). */
export const HIGH_AVAILABILITY = 0;
export const HOME_SERVER = 1;
export type ModeCode = typeof HIGH_AVAILABILITY | typeof HOME_SERVER;
export const MODE_NAME = ['highAvailability', 'homeServer'] as const;

/** A version of a record: ordered as versions are; `NONE` for no copy. */
export type Version = number;
export const NONE: Version = -1;

/** A record lane of a view: an index the view gives (its lanes are `0 .. records - 1`). */
export type RecordLane = number;
/** A client lane of a view: `0 .. clients - 1`. */
export type ClientLane = number;

/** The shared part of a cluster's state. */
export interface SharedView {
  /** Members, in ring order. */
  readonly size: number;
  status(m: number): StatusCode;
  setStatus(m: number, status: StatusCode): void;
  /** The major release a member runs (0 the current, 1 the next), and its minor update on that release. */
  major(m: number): number;
  minor(m: number): number;
  setRelease(m: number, major: number, minor: number): void;
  isCut(a: number, b: number): boolean;
  setCut(a: number, b: number, cut: boolean): void;
  /** How many links are cut. */
  cutCount(): number;
  /** Whether site `site` (an index into the model's `sites`) is split off from the rest; set it so. */
  isSplit(site: number): boolean;
  setSplit(site: number, split: boolean): void;
  /** How many sites are split off. */
  splitCount(): number;
  /** The mode new Web Messenger accounts take. */
  newAccountMode(): ModeCode;
  setNewAccountMode(mode: ModeCode): void;
  /** The hour it is now. */
  clock(): number;
  /** Time passes: the clock moves on by `hours`, and every hour recorded stays what it was. */
  passHours(hours: number): void;
  /** The hour a member's current (or latest) outage began, and the hour it last came up. */
  downSince(m: number): number;
  setDownSince(m: number, hour: number): void;
  upSince(m: number): number;
  setUpSince(m: number, hour: number): void;
  /** The member's key-cache purge ran at this hour (`purgedAt`). */
  markPurged(m: number, hour: number): void;
}

/** The record lanes of a view: one record each. */
export interface RecordsView {
  /** How many record lanes the view has. */
  readonly records: number;
  kind(r: RecordLane): RecordKind;
  /** The version of the record member `m` holds, or `NONE`. */
  held(r: RecordLane, m: number): Version;
  /** Stores a version (`NONE`: drops the copy, and when it was cached). */
  setHeld(r: RecordLane, m: number, version: Version): void;
  /** For a cached key (`cachedKey`, `fetchedKey`): the hour the copy `m` holds was cached. */
  cachedAt(r: RecordLane, m: number): number;
  setCachedAt(r: RecordLane, m: number, hour: number): void;
  /** The version member `m` owed of this Web Messenger account when it last returned, or `NONE`. */
  owed(r: RecordLane, m: number): Version;
  setOwed(r: RecordLane, m: number, version: Version): void;
  /** The newest acknowledged version, or `NONE`; for a cached key, the hour it was cached. */
  acked(r: RecordLane): Version;
  ackedCachedAt(r: RecordLane): number;
  /** Sets the acknowledged version (`NONE`: the write no longer counts, a purged cached key) and, for a cached key, its hour. */
  setAcked(r: RecordLane, version: Version, cachedAt: number): void;
  /** Whether the record's acknowledged version was superseded by a write that could not see it; mark it so. */
  overwritten(r: RecordLane): boolean;
  markOverwritten(r: RecordLane): void;
  /** A Web Messenger account's home member and mode, fixed when it was first created; -1 when it was never created. */
  accountHome(r: RecordLane): number;
  accountMode(r: RecordLane): ModeCode;
  setAccount(r: RecordLane, mode: ModeCode, home: number): void;
  /** A version newer than every version of this record in the state (a write on member `writer` makes it). */
  newVersion(r: RecordLane, writer: number): Version;
}

/** The client lanes of a view: one desktop client each. */
export interface ClientsView {
  readonly clients: number;
  /** The member the client enrolled with, or -1 when it has not enrolled. */
  enrolledAt(c: ClientLane): number;
  /** Enrolls the client at member `m` now: its SKM key is issued now. */
  enroll(c: ClientLane, m: number): void;
  /** The record lane of the user record the client's enrollment creates. */
  userLane(c: ClientLane): RecordLane;
  /** Whether member `m` holds the client's user record, and the default policy (what serving it needs). */
  holdsUser(c: ClientLane, m: number): boolean;
  holdsPolicy(c: ClientLane, m: number): boolean;
  /** The hour its current SKM key was issued, and the last hour it talked to a server. */
  skmIssued(c: ClientLane): number;
  lastContact(c: ClientLane): number;
  setSkm(c: ClientLane, issued: number, lastContact: number): void;
}

export interface View extends SharedView, RecordsView, ClientsView {}
