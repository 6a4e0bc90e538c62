/**
 * The state of a cluster: plain, immutable data (updated only copy-on-write, in `step.ts`).
 * Members are held in ring order (the order of `members` in the config, which is the join order).
 *
 * Everything here is JSON-like (no Maps, Sets or classes). Hours are absolute (since the start) and grow
 * without a bound, but the canonical key keeps them relative to the clock (`model/row.ts`); each
 * member takes at most one major upgrade and one minor update per release, and stamps grow only with writes.
 */
import type { AccountMode } from '../config/schema.ts';
import type { ClientId, MemberId } from './actions.ts';
import type { RecordId } from './records.ts';
import type { Stamp } from './stamps.ts';

/**
 * `up`; `down` (an outage: it keeps its data); `removed` (broken out of the cluster with its data);
 * `waiting` (configured with `joinsLater` and not yet joined: outside the cluster, in no ring, not counted
 * by the fault budget, holding nothing).
 */
export type MemberStatus = 'up' | 'down' | 'removed' | 'waiting';

export interface MemberState {
  readonly id: MemberId;
  readonly status: MemberStatus;
  /** The version of each record this member stores. */
  readonly records: Readonly<Record<RecordId, Stamp>>;
  /**
   * The major software release it runs: 0 the current one, 1 the next (each member takes at most one
   * major upgrade). Members on different major releases do not replicate with each other (KB 225396).
   */
  readonly version: number;
  /**
   * The minor updates (.pup files, KB 153403) it has taken on its release: 0 or 1 (at most one per
   * release keeps releases finite); a major upgrade starts the new release at 0. Members a minor update
   * apart still share cluster data (KB 180162); only `version` decides whether they replicate.
   */
  readonly minor: number;
  /**
   * For each key in its key cache (`cachedKey`, `fetchedKey`), the hour the version it holds was cached.
   * The time travels with the key when it replicates, so every copy expires together (KB 162609).
   */
  readonly cachedAt: Readonly<Record<RecordId, number>>;
  /** The hour this member's key-cache purge last ran (it runs while the member is up and time passes). */
  readonly purgedAt: number;
  /** The hour its current (or latest) outage began: no member stays down longer than `faults.maxOutageDays`. */
  readonly downSince: number;
  /** The hour it last came up (start, recovery, join); a crash in that same hour continues the outage. */
  readonly upSince: number;
  /**
   * The Web Messenger accounts its live peers held when it last returned (recovered or joined), at the
   * newest version they held, limited to accounts it may hold (KB 156803). Whether the load balancer has
   * it in rotation follows from this, its status and its records (`model/rotation.ts`).
   */
  readonly owedAtReturn: Readonly<Record<RecordId, Stamp>>;
}

/**
 * A Web Messenger account's mode and home are fixed when the account is first created anywhere in the
 * cluster (the vendor's note: switching modes affects only accounts created afterwards).
 */
export interface WebMessengerAccount {
  readonly mode: AccountMode;
  readonly home: MemberId;
}

export interface DesktopClient {
  /** The member the client enrolled with; without a cluster host name it is pinned to it (KB 156803). */
  readonly member: MemberId;
  /** The hour its current SKM key was issued (at enrollment, then at each renewal); valid 14 days (KB 157933). */
  readonly skmIssued: number;
  /** The last hour the client talked to a server (enrollment, or time passing while it reaches one). */
  readonly lastContact: number;
}

export interface ClusterState {
  readonly members: readonly MemberState[];
  /** Cut links, keyed by `linkKey` (the two ids in ring order, joined by "|"). */
  readonly cutLinks: Readonly<Record<string, true>>;
  /** Sites split off from the rest (`members[].site`): every link between a split site's members and the others is down. */
  readonly splitSites: Readonly<Record<string, true>>;
  /** Web Messenger accounts by key (the account directory: mode and home member). */
  readonly accounts: Readonly<Record<string, WebMessengerAccount>>;
  /** Enrolled desktop clients. */
  readonly clients: Readonly<Record<ClientId, DesktopClient>>;
  /** How many writes the cluster has acknowledged: the number of the latest (`model/stamps.ts`). */
  readonly writes: number;
  /**
   * The newest acknowledged version of every record ever written (what `no-lost-writes` answers for). A
   * cached key leaves this list when its acknowledged version passes its retention: purged, not lost.
   */
  readonly acknowledged: Readonly<Record<RecordId, Stamp>>;
  /** For acknowledged cached keys: the hour their acknowledged version was cached. */
  readonly acknowledgedCachedAt: Readonly<Record<RecordId, number>>;
  /**
   * Records whose acknowledged version was superseded by a write made where it could not be seen: on a
   * member that neither held it nor could reach a live member that did (a cut link or a site split in
   * between). Last writer wins (`model/stamps.ts`), so that acknowledged write is silently lost
   * (`no-silent-overwrite`). History: once set, it stays.
   */
  readonly overwritten: Readonly<Record<RecordId, true>>;
  /** Hours since the start of the trace. */
  readonly clock: number;
  /** The mode new Web Messenger accounts take (`webMessenger.accountMode`, until `setAccountMode`). */
  readonly accountMode: AccountMode;
}
