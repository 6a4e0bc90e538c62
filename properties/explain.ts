/**
 * The words the properties' advice is made of: small readings of a config and a state (which members run
 * a service, who holds a record, where a DMZ member strands a change), shared by the `advice` of each
 * property file. The advice itself lives with its property (`PropertyAdvice` in `./types.ts`).
 */
import type { ClusterConfig, Service } from '../config/schema.ts';
import { type CompiledCluster, runsService } from '../model/cluster.ts';
import { kindOf, type RecordId } from '../model/records.ts';
import type { ClusterState } from '../model/state.ts';
import { successor } from '../model/topology.ts';
import type { AdviceContext, AdviceOrigin, ConfigChange, ConfigPatch, PatchRule, Recommendation } from './types.ts';

/** `m1`, `m1 and m2`, `m1, m2 and m3` (or `m1 or m2` after a negative). */
export function list(items: readonly string[], conjunction: 'and' | 'or' = 'and'): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} ${conjunction} ${items[items.length - 1]}`;
}

export function ids(model: CompiledCluster, members: readonly number[], conjunction: 'and' | 'or' = 'and'): string {
  return list(
    members.map((m) => model.members[m]!.id),
    conjunction,
  );
}

export function indexes(model: CompiledCluster, keep: (m: CompiledCluster['members'][number], i: number) => boolean): number[] {
  return model.members.flatMap((m, i) => (keep(m, i) ? [i] : []));
}

export function running(model: CompiledCluster, service: Service): number[] {
  return indexes(model, (m) => runsService(m, service));
}

/** The fault budget left after removals: how many more members "any maxDown down" takes down. */
export function budgetLeft(model: CompiledCluster, state: ClusterState): number {
  const removed = state.members.filter((m) => m.status === 'removed').length;
  return Math.max(0, model.config.faults.maxDown - removed);
}

/** Live members that hold `id` and run `service`. */
export function liveHolders(model: CompiledCluster, state: ClusterState, id: RecordId, service: Service): number[] {
  return state.members.flatMap((m, i) =>
    m.status === 'up' && m.records[id] !== undefined && runsService(model.members[i]!, service) ? [i] : [],
  );
}

/**
 * Why a property holds, as an argument from what the config does (`premise`) to what that brings about
 * (`conclusion`). Only a proof (`context.proven`: every reachable state explored) draws the conclusion,
 * in the words `proof` gives (default `premise, so conclusion.`); on any other basis the conclusion is
 * only what the config should bring about, and the sentence says what the verdict rests on instead.
 */
export function argued(context: AdviceContext, premise: string, conclusion: string, proof = `${premise}, so ${conclusion}.`): string {
  return context.proven ? proof : `${premise}. That should mean ${conclusion}, but it is not proven: no violation in ${context.searched}.`;
}

/** The availability properties with no fault budget: nothing goes down, so there is nothing to survive. */
export function noOutages(context: AdviceContext): string | undefined {
  if (context.config.faults.maxDown !== 0) return undefined;
  return context.proven
    ? 'No member is ever down here (faults.maxDown: 0), so this was checked only with every member up; raise maxDown to check an outage.'
    : `No member is ever down here (faults.maxDown: 0): no violation in ${context.searched}, all with every member up; raise maxDown to check an outage.`;
}

/**
 * A DMZ member that holds the newest version of a record and whose fixed successor (KB 161304) is not
 * live: where a change stops. `status` says which kind of absence to look for.
 */
export function strandingDmzMember(
  model: CompiledCluster,
  state: ClusterState,
  id: RecordId,
  newest: number,
  status: 'down' | 'removed',
): { dmz: number; next: number } | undefined {
  for (let m = 0; m < model.size; m++) {
    if (!model.isDmz[m] || state.members[m]!.status !== 'up' || state.members[m]!.records[id] !== newest) continue;
    const next = successor(model, state, m, kindOf(id));
    if (next !== undefined && state.members[next]!.status === status) return { dmz: m, next };
  }
  return undefined;
}

const DMZ_SUCCESSOR_TEXT =
  'Do not let a DMZ member depend on a fixed successor that can fail silently: a DMZ member cannot re-route, so keep its successor up (check "pgprepctl topo" on each DMZ member: a blank host name means its successor is unreachable) and bring an unreachable member back quickly';

export const DMZ_SUCCESSOR: Recommendation = {
  text: `${DMZ_SUCCESSOR_TEXT}; DMZ members that do not host private keys get more replication links.`,
  source: 'KB 161304',
  by: 'vendor',
};

/** KB 161304's advice for this config: the private-key clause only for DMZ members that host private keys. */
export function dmzSuccessorFor(model: CompiledCluster): Recommendation {
  const dmz = indexes(model, (m) => m.zone === 'dmz');
  const withKeys = dmz.filter((m) => model.members[m]!.privateKeys);
  const fixed = dmz.map((m) => `${model.members[m]!.id}'s successor ${model.members[(m + 1) % model.size]!.id}`);
  const who = dmz.length === 0 ? '' : `: here ${list(fixed)}`;
  const keys =
    withKeys.length === 0
      ? ''
      : `; ${ids(model, withKeys)} ${withKeys.length === 1 ? 'hosts' : 'host'} private keys, and DMZ members that do not (privateKeys: false) get more replication links`;
  return { text: `${DMZ_SUCCESSOR_TEXT}${who}${keys}.`, source: 'KB 161304', by: 'vendor' };
}

// ---------------------------------------------------------------------------------------------------
// Config changes (`PropertyAdvice.patches`): the fields a recommendation sets, named by their path.

/** A top-level field set to a value (`['loadBalancer', 'clusterHostname']`); `undefined` removes it. */
export function setting(config: ClusterConfig, path: readonly string[], value: unknown): ConfigChange {
  const was = path.reduce<unknown>((at, key) => (at === undefined || at === null ? undefined : (at as Record<string, unknown>)[key]), config);
  return { path, value, was };
}

/** A member's field set to a value: `members[i].<field>`. */
export function memberSetting<F extends 'zone' | 'services' | 'privateKeys'>(model: CompiledCluster, member: number, field: F, value: MemberConfigOf<F>): ConfigChange {
  return { path: ['members', member, field], value, was: model.members[member]![field] };
}

type MemberConfigOf<F extends 'zone' | 'services' | 'privateKeys'> = CompiledCluster['members'][number][F];

/** A member's services with one more, after those it runs. */
export function withService(model: CompiledCluster, member: number, service: Service): ConfigChange {
  const has = model.members[member]!.services;
  return memberSetting(model, member, 'services', has.includes(service) ? [...has] : [...has, service]);
}

export function patch(summary: string, by: AdviceOrigin, source: string, changes: readonly ConfigChange[]): ConfigPatch | undefined {
  return changes.length === 0 ? undefined : { summary, changes, by, source };
}

/** The internal members the fault budget asks to run a service as well: more than maxDown run it, each named with its change. */
export function moreRunning(model: CompiledCluster, service: Service) {
  return membersToAdd(
    model,
    (m) => runsService(m, service),
    (member) => ({ words: `run ${service} on ${model.members[member]!.id}`, changes: [withService(model, member, service)] }),
    model.config.faults.maxDown + 1,
  );
}

/** KB 153476's advice as a config change: no member is broken out of the cluster. */
export const NO_REMOVALS: PatchRule = ({ config }) =>
  config.faults.removeMember
    ? patch('do not break members out of the cluster (take one out of mail and port traffic instead)', 'vendor', 'KB 153476', [setting(config, ['faults', 'removeMember'], false)])
    : undefined;

/** KB 156803's advice as a config change: clients reach the cluster by a host name on a load balancer or round-robin DNS. */
export const CLUSTER_HOSTNAME: PatchRule = ({ config }) =>
  config.loadBalancer.clusterHostname
    ? undefined
    : patch('give clients a cluster host name (a load balancer or round-robin DNS)', 'vendor', 'KB 156803', [setting(config, ['loadBalancer', 'clusterHostname'], true)]);

/**
 * What internal members lack to serve a record: `want` of them must have `has`, and the internal members
 * without it are listed with the changes each needs, fewest changes first (ring order among equals). A
 * DMZ member is never asked (keeping it out is the DMZ-mode choice, KB 153723).
 */
export function membersToAdd(
  model: CompiledCluster,
  has: (m: CompiledCluster['members'][number]) => boolean,
  lacks: (member: number) => { readonly words: string; readonly changes: readonly ConfigChange[] },
  want: number,
): { readonly member: number; readonly words: string; readonly changes: readonly ConfigChange[] }[] {
  const have = model.members.filter(has).length;
  if (have >= want) return [];
  return indexes(model, (m) => m.zone === 'internal' && !has(m))
    .map((member) => ({ member, ...lacks(member) }))
    .sort((a, b) => a.changes.length - b.changes.length || a.member - b.member)
    .slice(0, want - have);
}

/**
 * With site splits (`faults.maxSiteSplits`): in each site, the members asked to serve as well so that more
 * of its members than faults.maxDown serve (or all of them, in a smaller site), and the changes each takes:
 * then a split with members down still leaves every side a member that can serve. Internal members first,
 * then in ring order. Empty without site splits.
 */
export function sitesLacking(
  model: CompiledCluster,
  has: (m: CompiledCluster['members'][number]) => boolean,
  lacks: (member: number) => { readonly words: string; readonly changes: readonly ConfigChange[] },
): { readonly site: string; readonly member: number; readonly words: string; readonly changes: readonly ConfigChange[] }[] {
  if (model.config.faults.maxSiteSplits === 0) return [];
  return model.sites.flatMap((site, s) => {
    const members = indexes(model, (_m, i) => model.siteOf[i] === s);
    const want = Math.min(members.length, model.config.faults.maxDown + 1);
    const missing = want - members.filter((m) => has(model.members[m]!)).length;
    if (missing <= 0) return [];
    return members
      .filter((m) => !has(model.members[m]!))
      .sort((a, b) => Number(model.members[a]!.zone !== 'internal') - Number(model.members[b]!.zone !== 'internal') || a - b)
      .slice(0, missing)
      .map((member) => ({ site, member, ...lacks(member) }));
  });
}

/** The sites of a split, in words: `site dr`, `sites dr and lab`. */
export function siteWords(model: CompiledCluster, sites: readonly number[]): string {
  const names = sites.map((s) => model.sites[s]!);
  return `${names.length === 1 ? 'site' : 'sites'} ${names.join(' and ')}`;
}
