/**
 * What one step of a trace changed, as events read off the difference between the states before and
 * after it (members' status and records, cut links, clients, Web Messenger accounts), never off the
 * action's type: an action type added later is told with no change here, and a state field added later
 * shows up as an `other` event (a plain `where: before → after` line) until it is given an event of its own.
 */
import type { StateChange } from '../checker/diff.ts';
import { formatChangePath } from '../checker/diff.ts';
import type { CompiledCluster } from '../model/cluster.ts';
import { type Stamp, stampWriter } from '../model/stamps.ts';
import type { ClusterState } from '../model/state.ts';
import { describeVersion } from '../properties/helpers.ts';

export interface RecordVersion {
  readonly id: string;
  /** `v1 by m3`, `the initial version`. */
  readonly version: string;
  /** Member that wrote this version, if any. */
  readonly writer: string | undefined;
  /** The version it replaced on this member, if it held one. */
  readonly replaced: string | undefined;
}

/** What one step changed, read off the state difference. */
export type StoryEvent =
  | { readonly kind: 'status'; readonly member: string; readonly before: string; readonly after: string }
  | { readonly kind: 'received'; readonly member: string; readonly records: readonly RecordVersion[] }
  | { readonly kind: 'lost'; readonly member: string; readonly records: readonly string[] }
  | { readonly kind: 'link'; readonly a: string; readonly b: string; readonly cut: boolean }
  /** A site split off from the rest (every link between its members and the others down), or joined again. */
  | { readonly kind: 'split'; readonly site: string; readonly split: boolean }
  | { readonly kind: 'client'; readonly client: string; readonly member: string }
  | { readonly kind: 'account'; readonly key: string; readonly mode: string; readonly home: string }
  /** A member came back while its live peers held Web Messenger accounts it lacks (KB 156803). */
  | { readonly kind: 'owed'; readonly member: string; readonly records: readonly RecordVersion[] }
  /** A member moved to another software release (KB 225396). */
  | { readonly kind: 'release'; readonly member: string; readonly release: number }
  /** A desktop client's SKM key was renewed (KB 157933). */
  | { readonly kind: 'renewed'; readonly client: string }
  /** Time passed: this many hours since the start of the trace now. */
  | { readonly kind: 'time'; readonly clock: number }
  /** New Web Messenger accounts take this mode from now on. */
  | { readonly kind: 'mode'; readonly mode: string }
  | { readonly kind: 'other'; readonly member: string | undefined; readonly where: string; readonly before: unknown; readonly after: unknown };

/** A version in words: `v1 by m3`, `the initial version`. */
export function version(cluster: CompiledCluster, stamp: Stamp): string {
  return describeVersion(cluster, stamp);
}

/**
 * Fields of a member that are the model's bookkeeping, not something an administrator sees: when a key
 * was cached (the record itself is told), when the key-cache purge last ran (a purge that drops a key is
 * told as the key leaving), when an outage began or ended (told as the status). Not told.
 */
const MEMBER_BOOKKEEPING: ReadonlySet<string> = new Set(['cachedAt', 'purgedAt', 'downSince', 'upSince']);

/**
 * Top-level bookkeeping, not told: the newest acknowledged versions and the count of writes
 * (`no-lost-writes`' and the version order's; a write already says its number), the hour acknowledged
 * cached keys were cached.
 */
const STATE_BOOKKEEPING: ReadonlySet<string> = new Set(['acknowledged', 'writes', 'acknowledgedCachedAt']);

/** The member that wrote a version, if any. */
export function writerOf(cluster: CompiledCluster, stamp: Stamp): string | undefined {
  const writer = stampWriter(stamp);
  return writer === undefined ? undefined : cluster.members[writer]?.id;
}

/** Reads the state difference as events, grouped per member. */
export function eventsOf(cluster: CompiledCluster, before: ClusterState, after: ClusterState, changes: readonly StateChange[]): StoryEvent[] {
  const status: StoryEvent[] = [];
  const received = new Map<string, RecordVersion[]>();
  const owed = new Map<string, RecordVersion[]>();
  const lost = new Map<string, string[]>();
  const rest: StoryEvent[] = [];
  const memberAt = (i: number) => after.members[i]?.id ?? before.members[i]?.id ?? `members[${i}]`;
  for (const change of changes) {
    const [top, second, third, fourth] = change.path;
    if (top === 'members' && typeof second === 'number') {
      const member = memberAt(second);
      if (third === 'status' && change.path.length === 3) {
        status.push({ kind: 'status', member, before: String(change.before), after: String(change.after) });
        continue;
      }
      if (third === 'records' && typeof fourth === 'string' && change.path.length === 4) {
        if (change.after === undefined) {
          lost.set(member, [...(lost.get(member) ?? []), fourth]);
        } else if (typeof change.after === 'number') {
          const list = received.get(member) ?? [];
          list.push({
            id: fourth,
            version: version(cluster, change.after),
            writer: writerOf(cluster, change.after),
            replaced: typeof change.before === 'number' ? version(cluster, change.before) : undefined,
          });
          received.set(member, list);
        } else rest.push(other(member, change));
        continue;
      }
      if (third === 'owedAtReturn' && typeof fourth === 'string' && change.path.length === 4) {
        // Told when it is set (the member came back owing it); settling the debt is told as the record arriving.
        if (typeof change.after === 'number')
          owed.set(member, [
            ...(owed.get(member) ?? []),
            { id: fourth, version: version(cluster, change.after), writer: writerOf(cluster, change.after), replaced: undefined },
          ]);
        continue;
      }
      if (third === 'version' && change.path.length === 3 && typeof change.after === 'number') {
        rest.push({ kind: 'release', member, release: change.after });
        continue;
      }
      if (typeof third === 'string' && MEMBER_BOOKKEEPING.has(third)) continue;
      rest.push(other(member, change));
      continue;
    }
    if (top === 'splitSites' && typeof second === 'string' && change.path.length === 2) {
      rest.push({ kind: 'split', site: second, split: change.after === true });
      continue;
    }
    if (top === 'cutLinks' && typeof second === 'string' && change.path.length === 2) {
      const [a, b] = second.split('|') as [string, string];
      rest.push({ kind: 'link', a, b, cut: change.after === true });
      continue;
    }
    if (top === 'clients' && typeof second === 'string' && change.path.length === 2 && change.before === undefined) {
      const member = (change.after as { member?: unknown } | undefined)?.member;
      if (typeof member === 'string') {
        rest.push({ kind: 'client', client: second, member });
        continue;
      }
    }
    if (top === 'accounts' && typeof second === 'string' && change.path.length === 2 && change.before === undefined) {
      const account = change.after as { mode?: unknown; home?: unknown } | undefined;
      if (typeof account?.mode === 'string' && typeof account.home === 'string') {
        rest.push({ kind: 'account', key: second, mode: account.mode, home: account.home });
        continue;
      }
    }
    if (top === 'clients' && typeof second === 'string' && change.path.length === 3) {
      if (third === 'skmIssued') rest.push({ kind: 'renewed', client: second });
      // `lastContact`: the client talked to a server; a renewal or a lapse is what an administrator sees.
      if (third === 'skmIssued' || third === 'lastContact') continue;
    }
    if (top === 'clock' && typeof change.after === 'number') {
      rest.push({ kind: 'time', clock: change.after });
      continue;
    }
    if (top === 'accountMode' && typeof change.after === 'string') {
      rest.push({ kind: 'mode', mode: change.after });
      continue;
    }
    if (typeof top === 'string' && STATE_BOOKKEEPING.has(top)) continue;
    rest.push(other(undefined, change));
  }
  const events: StoryEvent[] = [...status];
  for (const [member, records] of received) events.push({ kind: 'received', member, records });
  for (const [member, records] of owed) events.push({ kind: 'owed', member, records });
  for (const [member, records] of lost) events.push({ kind: 'lost', member, records: [...records].sort() });
  return [...events, ...rest];

  function other(member: string | undefined, change: StateChange): StoryEvent {
    const path = formatChangePath(member === undefined ? change.path : [member, ...change.path.slice(2)]);
    return { kind: 'other', member, where: path, before: change.before, after: change.after };
  }
}
