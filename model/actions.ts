/**
 * The trace vocabulary (docs/model.md, actions). A trace is a JSON array of these; a replay is a `reduce` over `step`.
 * A new member of `Action` is declared once, in `ACTIONS` (`model/step.ts`): until it is, the build fails.
 */
import type { AccountMode } from '../config/schema.ts';
import type { RecordRef } from './records.ts';

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
  /** A site (`members[].site`) is split off: every link between its members and the others is down at once. */
  | { readonly type: 'splitSite'; readonly site: string }
  /** The split site is joined again: every one of those links is back at once. */
  | { readonly type: 'healSite'; readonly site: string }
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

// Each action type's declaration (fields, sentence, precondition, effect, owner, candidates) is in
// `ACTIONS` (`model/step.ts`), which also exports what is derived from it (`ACTION_TYPES`,
// `describeAction`, `isMajorUpgrade`): this file holds the vocabulary only, and imports no rule.
