/**
 * A config compiled for fast lookups, and the initial state it starts from.
 */
import { type ClusterConfig, type MemberConfig, type Service, sitesOf } from '../config/schema.ts';
import type { MemberId } from './actions.ts';
import { type CacheKind, DEFAULT_POLICY, type RecordKind } from './records.ts';
import type { ClusterState, MemberState } from './state.ts';
import { INITIAL_STAMP } from './stamps.ts';
import { retentionHours } from './time.ts';
import { emptyKeyed } from './keyed.ts';

export interface CompiledCluster {
  readonly config: ClusterConfig;
  /** Member configs in ring order. */
  readonly members: readonly MemberConfig[];
  readonly size: number;
  /** Ring position of each member id. */
  readonly position: ReadonlyMap<MemberId, number>;
  /**
   * For each record kind, which ring positions are on that kind's ring: the members that may hold it
   * by configuration (docs/model.md, modelling assumptions: topology applies per kind to the members that may hold that kind).
   */
  readonly onRing: Readonly<Record<RecordKind, readonly boolean[]>>;
  readonly isDmz: readonly boolean[];
  /** Ring position of the Sponsor, the member others join through (KB 153721). */
  readonly sponsor: number;
  readonly runsWebMessenger: readonly boolean[];
  readonly runsDesktop: readonly boolean[];
  /** Hours each kind of cached key is kept (KB 162609). */
  readonly retention: Readonly<Record<CacheKind, number>>;
  /** The sites the members name (`members[].site`), in order of first appearance, and each member's (-1: none). */
  readonly sites: readonly string[];
  readonly siteOf: readonly number[];
}

export function runsService(member: MemberConfig, service: Service): boolean {
  return member.services.includes(service);
}

/**
 * Eligible for replicated Web Messenger data: runs Web Messenger and is in the replication set
 * (KB 153723: Web Messenger data replicates only to members running it, optionally to a subset).
 */
export function isWebMessengerEligible(config: ClusterConfig, member: MemberConfig): boolean {
  const set = config.webMessenger.replication;
  return runsService(member, 'webMessenger') && (set === 'all' || set.includes(member.id));
}

export function compileCluster(config: ClusterConfig): CompiledCluster {
  const members = config.members;
  const sites = sitesOf(members);
  const everyone = members.map(() => true);
  return {
    config,
    members,
    size: members.length,
    position: new Map(members.map((m, i) => [m.id, i])),
    onRing: {
      user: everyone,
      // KB 153723: whether internal users' private keys replicate is chosen per member ("DMZ mode").
      privateKey: members.map((m) => m.privateKeys),
      domain: everyone,
      policy: everyone,
      // KB 153198: keys cached from the mail flow are replicated across the cluster.
      cachedKey: everyone,
      // KB 153198 says cached keys replicate; it draws no line between keys from mail and from keyservers.
      fetchedKey: everyone,
      wmAccount: members.map((m) => isWebMessengerEligible(config, m)),
    },
    isDmz: members.map((m) => m.zone === 'dmz'),
    sponsor: Math.max(0, members.findIndex((m) => m.role === 'sponsor')),
    runsWebMessenger: members.map((m) => runsService(m, 'webMessenger')),
    runsDesktop: members.map((m) => runsService(m, 'desktop')),
    retention: { cachedKey: retentionHours(config, 'cachedKey'), fetchedKey: retentionHours(config, 'fetchedKey') },
    sites,
    siteOf: members.map((m) => (m.site === undefined ? -1 : sites.indexOf(m.site))),
  };
}

/**
 * Every member starts up with the cluster's default policy, on the current release, owing nothing; a
 * member with `joinsLater` starts outside the cluster, waiting.
 */
export function initialState(model: CompiledCluster): ClusterState {
  const member = (m: MemberConfig): MemberState => ({
    id: m.id,
    status: m.joinsLater ? 'waiting' : 'up',
    records: m.joinsLater ? {} : { [DEFAULT_POLICY]: INITIAL_STAMP },
    version: 0,
    minor: 0,
    cachedAt: {},
    purgedAt: 0,
    downSince: 0,
    upSince: 0,
    owedAtReturn: {},
  });
  return {
    members: model.members.map(member),
    cutLinks: {},
    splitSites: emptyKeyed(),
    // Keyed by names from the input: no prototype (model/keyed.ts).
    accounts: emptyKeyed(),
    clients: emptyKeyed(),
    writes: 0,
    acknowledged: {},
    acknowledgedCachedAt: {},
    overwritten: {},
    clock: 0,
    accountMode: model.config.webMessenger.accountMode,
  };
}

/** The key of the link between two members: both ids in ring order. */
export function linkKey(model: CompiledCluster, a: number, b: number): string {
  const [first, second] = a < b ? [a, b] : [b, a];
  return `${model.members[first]!.id}|${model.members[second]!.id}`;
}

export function memberAt(model: CompiledCluster, id: MemberId): number | undefined {
  return model.position.get(id);
}
