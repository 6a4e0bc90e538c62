/**
 * A trace's events in words, and what the replication rules say of a send that did not happen: why a hop
 * delivered nothing (`idleReplication`) and which sends a state blocks (`blockedSends`), asked of the rules
 * themselves (`sendOf`, `deliveryBlock`, `successorOf` in `model/topology.ts`), never re-derived here.
 */
import type { ClusterConfig } from '../config/schema.ts';
import { type CompiledCluster, linkKey } from '../model/cluster.ts';
import { viewOf } from '../model/object-view.ts';
import { kindOf, type RecordId, type RecordKind } from '../model/records.ts';
import type { ClusterState } from '../model/state.ts';
import { formatHours } from '../model/time.ts';
import { deliveryBlock, LINK_CUT, OTHER_RELEASE, SITE_SPLIT, sendOf, successorOf, TARGET_NOT_UP } from '../model/topology.ts';
import { type RecordVersion, type StoryEvent, version, writerOf } from './story-events.ts';

/**
 * Why a replication hop delivered nothing: where the member sends each kind of record it holds, and why
 * that successor got nothing, as the topology rules say (`successorOf`, `deliveryBlock`). The point of
 * KB 161304 is that this happens silently, so the replay says it.
 */
export function idleReplication(cluster: CompiledCluster, state: ClusterState, member: string): string {
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
        : (undeliverable(cluster, state, from, to, deliveryBlock(cluster, v, from, to), 'its successor') ?? `its successor ${state.members[to]!.id} already holds everything it may take`) +
          (deliveryBlock(cluster, v, from, to) === 0 ? '' : fixed);
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
    case SITE_SPLIT:
      return `${whom === '' ? '' : `${whom} `}${target.id} is across a site split (${splitWords(cluster, state, from, to)})`.trimStart();
    default:
      return undefined;
  }
}

/** Which split separates two members, in words: `site dr is split off`. */
export function splitWords(cluster: CompiledCluster, state: ClusterState, a: number, b: number): string {
  const split = [cluster.siteOf[a]!, cluster.siteOf[b]!].filter((s) => s !== -1 && state.splitSites[cluster.sites[s]!] === true);
  return split.map((s) => `site ${cluster.sites[s]} is split off`).join(', and ');
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
      if (code !== TARGET_NOT_UP && code !== LINK_CUT && code !== OTHER_RELEASE && code !== SITE_SPLIT) return;
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
      case 'split':
        lines.push(
          e.split
            ? `site ${e.site} is split off: its members reach each other and no other member`
            : `site ${e.site} is joined again: its links to the other members are back`,
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
