/**
 * The state of a cluster: plain, immutable data (updated only through immer in `step.ts`).
 * Members are held in ring order (the order of `members` in the config, which is the join order).
 */
import type { AccountMode } from '../config/schema.ts';
import type { ClientId, MemberId } from './actions.ts';
import type { RecordId } from './records.ts';
import type { Stamp } from './stamps.ts';

/** `up`; `down` (an outage: it keeps its data); `removed` (broken out of the cluster with its data). */
export type MemberStatus = 'up' | 'down' | 'removed';

export interface MemberState {
  readonly id: MemberId;
  readonly status: MemberStatus;
  /** The version of each record this member stores. */
  readonly records: Readonly<Record<RecordId, Stamp>>;
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
}

export interface ClusterState {
  readonly members: readonly MemberState[];
  /** Cut links, keyed by `linkKey` (the two ids in ring order, joined by "|"). */
  readonly cutLinks: Readonly<Record<string, true>>;
  /** Web Messenger accounts by key (the account directory: mode and home member). */
  readonly accounts: Readonly<Record<string, WebMessengerAccount>>;
  /** Enrolled desktop clients. */
  readonly clients: Readonly<Record<ClientId, DesktopClient>>;
  /** How many writes the cluster has acknowledged: the number of the latest (`model/stamps.ts`). */
  readonly writes: number;
  /** The newest acknowledged version of every record ever written (what `no-lost-writes` answers for). */
  readonly acknowledged: Readonly<Record<RecordId, Stamp>>;
}
