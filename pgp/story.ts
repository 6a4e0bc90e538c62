/**
 * A replayed trace told for people: for every step, the action (`describeAction`) and what it changed.
 *
 * The changes are read off the difference between the states before and after the step (members' status
 * and records, cut links, clients, Web Messenger accounts), never off the action's type, so an action type
 * added later is described with no change here; a state field added later shows up as a plain
 * `where: before → after` line until someone gives it nicer words below.
 */
import type { StateChange } from '../checker/diff.ts';
import { diffStates, formatChangePath } from '../checker/diff.ts';
import { replaySteps } from '../checker/replay.ts';
import type { ClusterConfig } from '../config/schema.ts';
import type { Action } from '../model/actions.ts';
import { describeAction } from '../model/step.ts';
import { type CompiledCluster, linkKey } from '../model/cluster.ts';
import { kindOf, type RecordId, type RecordKind } from '../model/records.ts';
import { viewOf } from '../model/object-view.ts';
import { deliveryBlock, LINK_CUT, OTHER_RELEASE, sendOf, successorOf, TARGET_NOT_UP } from '../model/topology.ts';
import { settleAll, settleSurvivors } from '../model/settle.ts';
import { isNewer, type Stamp, stampWriter } from '../model/stamps.ts';
import type { ClusterState } from '../model/state.ts';
import { formatHours } from '../model/time.ts';
import { describeVersion } from '../properties/helpers.ts';
import type { ClusterProperty } from '../properties/types.ts';
import type { Target } from './target.ts';

/** One member as `replay --json` shows it (`up`, `records` as `kind:key`), with its full status as well. */
export interface MemberSnapshot {
  readonly up: boolean;
  readonly status: string;
  readonly records: readonly string[];
}

/** The members of a state, by id, in ring order. */
export type Snapshot = Readonly<Record<string, MemberSnapshot>>;

export function snapshot(state: ClusterState): Snapshot {
  const out: Record<string, MemberSnapshot> = {};
  for (const m of state.members) out[m.id] = { up: m.status === 'up', status: m.status, records: Object.keys(m.records).sort() };
  return out;
}

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

export interface StoryStep {
  /** 1-based step number within its list (the trace, or the settling). */
  readonly step: number;
  readonly action: Action;
  readonly description: string;
  /** The member the action names in its `member` field, when it names one: the sender of what moves. */
  readonly actor: string | undefined;
  readonly events: readonly StoryEvent[];
  /** The events in words, one line each; `nothing changed` when there are none. */
  readonly lines: readonly string[];
  /** The members after this step. */
  readonly members: Snapshot;
  readonly changes: readonly StateChange[];
  /** The state after this step. */
  readonly state: ClusterState;
}

export type Story =
  | { readonly kind: 'ran'; readonly initial: ClusterState; readonly steps: readonly StoryStep[]; readonly final: ClusterState }
  | {
      readonly kind: 'disabled';
      readonly initial: ClusterState;
      readonly steps: readonly StoryStep[];
      readonly step: number;
      readonly action: Action;
      readonly why: string;
    };

/** Replays `actions` (from the initial state, or `from`) and tells each step. */
export function tellTrace(target: Target, actions: readonly Action[], from?: ClusterState): Story {
  const replay = replaySteps(target.model, actions, from);
  const steps = replay.steps.map((s) => tellStep(target.cluster, s.step, s.action, s.before, s.after, s.changes));
  if (replay.kind === 'disabled') return { kind: 'disabled', initial: replay.initial, steps, step: replay.step, action: replay.action, why: replay.why };
  return { kind: 'ran', initial: replay.initial, steps, final: replay.final };
}

/**
 * Tells a trace from the states one run of it passed through (`states[0]` the initial one, `states[i]`
 * after step i), without stepping the model again.
 */
export function tellStates(target: Target, actions: readonly Action[], states: readonly ClusterState[]): Extract<Story, { kind: 'ran' }> {
  if (states.length !== actions.length + 1) throw new Error(`internal error: ${states.length} states for ${actions.length} actions`);
  const steps = actions.map((action, i) => tellStep(target.cluster, i + 1, action, states[i]!, states[i + 1]!, diffStates(states[i]!, states[i + 1]!)));
  return { kind: 'ran', initial: states[0]!, steps, final: states[actions.length]! };
}

function actorOf(cluster: CompiledCluster, action: Action): string | undefined {
  const member = (action as { readonly member?: unknown }).member;
  return typeof member === 'string' && cluster.position.has(member) ? member : undefined;
}

function tellStep(
  cluster: CompiledCluster,
  step: number,
  action: Action,
  before: ClusterState,
  after: ClusterState,
  changes: readonly StateChange[],
): StoryStep {
  const actor = actorOf(cluster, action);
  const events = eventsOf(cluster, before, after, changes);
  const idle = events.length === 0 && action.type === 'replicate' && actor !== undefined ? idleReplication(cluster, before, actor) : undefined;
  return {
    step,
    action,
    description: describeAction(action),
    actor,
    events,
    lines: idle === undefined ? describeEvents(cluster.config, events, actor) : [`nothing changed: ${idle}`],
    members: snapshot(after),
    changes,
    state: after,
  };
}

/**
 * Why a replication hop delivered nothing: where the member sends each kind of record it holds, and why
 * that successor got nothing, as the topology rules say (`successorOf`, `deliveryBlock`). The point of
 * KB 161304 is that this happens silently, so the replay says it.
 */
function idleReplication(cluster: CompiledCluster, state: ClusterState, member: string): string {
  const from = cluster.position.get(member)!;
  const v = viewOf(cluster, state);
  const kinds = [...new Set(Object.keys(state.members[from]!.records).map((id) => kindOf(id as RecordId)))].sort();
  const reasons = new Map<string, RecordKind[]>();
  const fixed = cluster.isDmz[from] ? ' (a DMZ member keeps its fixed successor, KB 161304)' : '';
  for (const kind of kinds) {
    const to = successorOf(cluster, v, from, kind);
    const reason =
      to === -1
        ? `no other member of the ${kind} ring is up and reachable`
        : (undeliverable(cluster, state, from, to, deliveryBlock(v, from, to), 'its successor') ?? `its successor ${state.members[to]!.id} already holds everything it may take`) +
          (deliveryBlock(v, from, to) === 0 ? '' : fixed);
    reasons.set(reason, [...(reasons.get(reason) ?? []), kind]);
  }
  if (reasons.size === 0) return `${member} holds nothing to send`;
  if (reasons.size === 1) return [...reasons.keys()][0]!;
  return [...reasons].map(([reason, list]) => `${list.join(', ')}: ${reason}`).join('; ');
}

/** Why `from` cannot deliver to `to`, in words, from the rule's code (`deliveryBlock`, `sendOf`); undefined when it can. */
function undeliverable(cluster: CompiledCluster, state: ClusterState, from: number, to: number, code: number, whom: string): string | undefined {
  const target = state.members[to]!;
  switch (code) {
    case TARGET_NOT_UP:
      return `${whom} ${target.id} is ${target.status}`;
    case LINK_CUT:
      return whom === 'its successor' ? `the link to its successor ${target.id} is cut` : `the link ${linkKey(cluster, from, to)} is cut`;
    case OTHER_RELEASE:
      return `${whom} ${target.id} runs another release (KB 225396)`;
    default:
      return undefined;
  }
}

/** A send a DMZ member cannot make: its fixed successor is down, removed, cut off or on another release. */
export interface BlockedSend {
  readonly from: string;
  readonly to: string;
  /** The records it holds that the successor may hold and lacks (or holds older). */
  readonly records: readonly RecordVersion[];
  /** Why nothing arrives, in words: `m1 is down (a DMZ member keeps its fixed successor, KB 161304)`. */
  readonly reason: string;
}

/**
 * The sends that cannot happen in a state: for every live DMZ member, what it holds for its fixed
 * successor (KB 161304: "the replication topology is fixed and does not update when a member becomes
 * unreachable") when that successor cannot receive it. Asked of the replication rule itself (`sendOf`: a
 * send the successor needs and cannot receive); an internal member re-routes, so it never appears here.
 */
export function blockedSends(cluster: CompiledCluster, state: ClusterState): BlockedSend[] {
  const out: BlockedSend[] = [];
  const ids = [...new Set(state.members.flatMap((m) => Object.keys(m.records) as RecordId[]))].sort();
  const v = viewOf(cluster, state, ids);
  state.members.forEach((sender, from) => {
    if (!cluster.isDmz[from] || sender.status !== 'up') return;
    const byTarget = new Map<number, { code: number; records: RecordVersion[] }>();
    ids.forEach((id, r) => {
      const code = sendOf(cluster, v, r, from);
      if (code !== TARGET_NOT_UP && code !== LINK_CUT && code !== OTHER_RELEASE) return;
      const to = successorOf(cluster, v, from, kindOf(id));
      const known = byTarget.get(to) ?? { code, records: [] };
      known.records.push({ id, version: version(cluster, sender.records[id]!), writer: writerOf(cluster, sender.records[id]!), replaced: undefined });
      byTarget.set(to, known);
    });
    for (const [to, { code, records }] of byTarget) {
      const why = undeliverable(cluster, state, from, to, code, '')!.trimStart();
      out.push({ from: sender.id, to: state.members[to]!.id, records, reason: `${why}, and ${sender.id}, a DMZ member, keeps its fixed successor (KB 161304)` });
    }
  });
  return out;
}

function version(cluster: CompiledCluster, stamp: Stamp): string {
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

function writerOf(cluster: CompiledCluster, stamp: Stamp): string | undefined {
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

export function formatValue(value: unknown): string {
  return value === undefined ? '(absent)' : JSON.stringify(value);
}

function recordList(records: readonly RecordVersion[]): string {
  return records
    .map((r) => `${r.id} (${r.version}${r.replaced === undefined ? '' : `, replacing ${r.replaced}`})`)
    .join(', ');
}

/** The events in words. */
export function describeEvents(config: ClusterConfig, events: readonly StoryEvent[], actor: string | undefined): string[] {
  if (events.length === 0) return ['nothing changed'];
  const lines: string[] = [];
  const removedWith = new Map<string, readonly string[]>();
  for (const e of events) if (e.kind === 'lost') removedWith.set(e.member, e.records);
  const removedMembers = new Set(events.flatMap((e) => (e.kind === 'status' && e.after === 'removed' ? [e.member] : [])));
  for (const e of events) {
    switch (e.kind) {
      case 'status': {
        if (e.after === 'removed') {
          const taken = removedWith.get(e.member);
          lines.push(`${e.member} was removed from the cluster${taken ? `, taking ${taken.join(', ')} with it` : ''}`);
        } else if (e.before === 'up' && e.after === 'down') lines.push(`${e.member} went down`);
        else if (e.before === 'down' && e.after === 'up') lines.push(`${e.member} came back up`);
        else lines.push(`${e.member} is now ${e.after} (was ${e.before})`);
        break;
      }
      case 'received': {
        const own = e.records.filter((r) => r.writer === e.member);
        const others = e.records.filter((r) => r.writer !== e.member);
        if (own.length > 0) lines.push(`${e.member} now holds ${recordList(own)}`);
        if (others.length > 0)
          lines.push(`${e.member} received ${recordList(others)}${actor !== undefined && actor !== e.member ? ` from ${actor}` : ''}`);
        break;
      }
      case 'lost':
        if (!removedMembers.has(e.member)) lines.push(`${e.member} no longer holds ${e.records.join(', ')}`);
        break;
      case 'link':
        lines.push(
          e.cut
            ? `the link ${e.a}|${e.b} is cut: ${e.a} and ${e.b} cannot reach each other`
            : `the link ${e.a}|${e.b} is restored`,
        );
        break;
      case 'client':
        lines.push(
          `client ${e.client} enrolled at ${e.member}${config.loadBalancer.clusterHostname ? '' : ` and is pinned to it (no cluster host name)`}`,
        );
        break;
      case 'account':
        lines.push(
          e.mode === 'homeServer'
            ? `Web Messenger account ${e.key} is a Home Server account of ${e.home}: it stays there`
            : `Web Messenger account ${e.key} is a High Availability account (created on ${e.home}): it replicates to every eligible member`,
        );
        break;
      case 'owed':
        lines.push(
          `${e.member} came back without ${e.records.map((r) => `${r.id} (${r.version})`).join(', ')}, which its live peers held: it lacks ${e.records.length === 1 ? 'that account' : 'those accounts'} until replication brings ${e.records.length === 1 ? 'it' : 'them'} (KB 156803)`,
        );
        break;
      case 'release':
        lines.push(
          `${e.member} now runs ${e.release === 0 ? 'the current release' : 'the next release'}: it does not replicate with members on another release (KB 225396)`,
        );
        break;
      case 'renewed':
        lines.push(`client ${e.client} reached a server and its SKM key was renewed (KB 157933)`);
        break;
      case 'time':
        lines.push(`it is now ${formatHours(e.clock)} after the start`);
        break;
      case 'mode':
        lines.push(`new Web Messenger accounts now take the mode ${e.mode}; existing accounts keep theirs`);
        break;
      case 'other':
        lines.push(`${e.where}: ${formatValue(e.before)} → ${formatValue(e.after)}`);
        break;
    }
  }
  return lines;
}

/** The members of a state in one line each: `m1  down  policy:default, user:bob`. */
export function describeMembers(members: Snapshot): string[] {
  const ids = Object.keys(members);
  const width = Math.max(...ids.map((id) => id.length));
  return ids.map((id) => {
    const m = members[id]!;
    return `${id.padEnd(width)}  ${m.status.padEnd(7)}  ${m.records.length === 0 ? '(nothing)' : m.records.join(', ')}`;
  });
}

/** Cut links of a state, as `m1|m2`. */
export function cutLinks(state: ClusterState): string[] {
  return Object.keys(state.cutLinks).sort();
}

/** One line describing a config's members and the settings that matter to replication. */
export function describeConfig(config: ClusterConfig): string {
  const members = config.members
    .map((m) => {
      const notes = [
        m.role === 'sponsor' ? 'sponsor' : undefined,
        m.zone === 'dmz' ? 'dmz' : undefined,
        m.privateKeys ? undefined : 'no private keys',
        m.services.length === 5 ? undefined : `services: ${m.services.join(', ') || 'none'}`,
      ].filter((n) => n !== undefined);
      return notes.length === 0 ? m.id : `${m.id} (${notes.join(', ')})`;
    })
    .join(', ');
  const wm = config.webMessenger;
  return [
    `members in ring order: ${members}`,
    `Web Messenger: ${wm.accountMode}${wm.replication === 'all' ? '' : `, replicated to ${wm.replication.join(', ')}`}`,
    `cluster host name: ${config.loadBalancer.clusterHostname ? 'yes' : 'no'}`,
    `faults: maxDown ${config.faults.maxDown}${config.faults.partitions ? ', partitions' : ''}${config.faults.removeMember ? ', removing members' : ''}`,
  ].join('; ');
}

export interface SettlingStory {
  /** `all`: every fault ends; `survivors`: links heal, down members stay down. */
  readonly mode: 'all' | 'survivors';
  readonly summary: string;
  readonly rounds: number;
  readonly quiescent: boolean;
  readonly actions: readonly Action[];
  /** The settling actions replayed one at a time from the trace's last state. */
  readonly steps: readonly StoryStep[];
}

/**
 * Which settling an `eventually` property looks at, for showing it (the verdict itself always comes from
 * the property's own check): the one it declares (`settles` or `settledBy`), else everything. A property
 * that settles some way of its own is shown the full settling, a true run of the model all the same.
 */
export function settlingMode(property: ClusterProperty): 'all' | 'survivors' {
  return (property.settles ?? property.settledBy) === 'survivors' ? 'survivors' : 'all';
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** The settling an `eventually` property's check makes of the trace's last state, told step by step. */
export function tellSettling(target: Target, property: ClusterProperty, final: ClusterState): SettlingStory | undefined {
  if (property.kind !== 'eventually') return undefined;
  const mode = settlingMode(property);
  const settled = mode === 'survivors' ? settleSurvivors(target.cluster, final) : settleAll(target.cluster, final);
  const story = tellTrace(target, settled.actions, final);
  const stops = settled.actions.filter((a) => a.type !== 'replicate').map(describeAction);
  const down = final.members.filter((m) => m.status === 'down').map((m) => m.id);
  const first =
    mode === 'survivors'
      ? `settling (faults end except outages: ${down.length === 0 ? 'no member is down' : `${down.join(', ')} stay${down.length === 1 ? 's' : ''} down`})`
      : 'settling (every fault ends)';
  const faults = stops.length === 0 ? (mode === 'survivors' ? 'no cut link to heal' : 'no fault to end') : stops.join(', ');
  const replication = !settled.quiescent
    ? `replication did not go quiet within ${plural(settled.rounds, 'round')}`
    : settled.rounds === 0
      ? 'replication has nothing left to deliver (0 rounds)'
      : `${plural(settled.rounds, 'round')} of replication until a round delivers nothing`;
  return {
    mode,
    summary: `${first}: ${faults}, then ${replication}`,
    rounds: settled.rounds,
    quiescent: settled.quiescent,
    actions: settled.actions,
    steps: story.steps,
  };
}
