/**
 * The trace vocabulary (SPEC §3). A trace is a JSON array of these; a replay is a `reduce` over `step`.
 */
import { match } from 'ts-pattern';
import type { AccountMode } from '../config/schema.ts';
import type { RecordRef } from './records.ts';
import { formatHours } from './time.ts';

export type MemberId = string;
export type ClientId = string;

export type Action =
  /** The member goes down. */
  | { readonly type: 'crash'; readonly member: MemberId }
  /** It comes back, with its stored data. */
  | { readonly type: 'recover'; readonly member: MemberId }
  /** The link between two members is cut. */
  | { readonly type: 'partition'; readonly a: MemberId; readonly b: MemberId }
  /** The link is restored. */
  | { readonly type: 'heal'; readonly a: MemberId; readonly b: MemberId }
  /** A persistent change made on the member: creates or updates the record. */
  | { readonly type: 'write'; readonly member: MemberId; readonly record: RecordRef }
  /** One replication hop: the member sends to its current successor on each kind's ring. */
  | { readonly type: 'replicate'; readonly member: MemberId }
  /** The member is broken out of the cluster, with whatever it held. */
  | { readonly type: 'remove'; readonly member: MemberId }
  /** A desktop client enrolls at the member, which creates its user record; the client is pinned to it. */
  | { readonly type: 'enroll'; readonly client: ClientId; readonly member: MemberId }
  /** A member configured with `joinsLater` joins through the Sponsor: a full copy, then its place in the ring. */
  | { readonly type: 'join'; readonly member: MemberId }
  /**
   * A software update of the member: a major upgrade to the next release (ISO install and restore), or,
   * with `major: false`, a minor update within its release (a .pup file, KB 153403). Without `major` it is
   * a major upgrade: the only kind there was before the flag, so files saved then replay as they did.
   */
  | { readonly type: 'upgrade'; readonly member: MemberId; readonly major?: boolean }
  /** Time passes: key caches purge, SKM keys are renewed or lapse. */
  | { readonly type: 'advanceTime'; readonly hours: number }
  /** New Web Messenger accounts take this mode from now on; existing accounts keep theirs. */
  | { readonly type: 'setAccountMode'; readonly mode: AccountMode };

export type ActionType = Action['type'];

export const ACTION_TYPES: readonly ActionType[] = [
  'crash',
  'recover',
  'partition',
  'heal',
  'write',
  'replicate',
  'remove',
  'enroll',
  'join',
  'upgrade',
  'advanceTime',
  'setAccountMode',
];

/**
 * Whether an `upgrade` is a major one. An absent `major` means a major upgrade: before the flag every
 * upgrade stopped replication with members on the old release (KB 225396), and saved files keep that.
 */
export function isMajorUpgrade(action: Extract<Action, { type: 'upgrade' }>): boolean {
  return action.major !== false;
}

/**
 * Fields an action may leave out (the loader accepts files without them): `upgrade`'s `major` defaults
 * to a major upgrade (`isMajorUpgrade`).
 */
export const OPTIONAL_ACTION_FIELDS: Readonly<Partial<Record<ActionType, readonly string[]>>> = { upgrade: ['major'] };

/** One line, like a sentence: `write user:alice on m2`. */
export function describeAction(action: Action): string {
  return match(action)
    .with({ type: 'crash' }, (a) => `crash ${a.member}`)
    .with({ type: 'recover' }, (a) => `recover ${a.member}`)
    .with({ type: 'partition' }, (a) => `partition ${a.a} | ${a.b}`)
    .with({ type: 'heal' }, (a) => `heal ${a.a} | ${a.b}`)
    .with({ type: 'write' }, (a) => `write ${a.record.kind}:${a.record.key} on ${a.member}`)
    .with({ type: 'replicate' }, (a) => `replicate ${a.member}`)
    .with({ type: 'remove' }, (a) => `remove ${a.member}`)
    .with({ type: 'enroll' }, (a) => `enroll ${a.client} at ${a.member}`)
    .with({ type: 'join' }, (a) => `join ${a.member}`)
    .with({ type: 'upgrade' }, (a) => (isMajorUpgrade(a) ? `upgrade ${a.member}` : `upgrade ${a.member} (minor update)`))
    .with({ type: 'advanceTime' }, (a) => `advance time by ${typeof a.hours === 'number' ? formatHours(a.hours) : String(a.hours)}`)
    .with({ type: 'setAccountMode' }, (a) => `set the mode of new Web Messenger accounts to ${a.mode}`)
    .exhaustive();
}
