/**
 * Built-in configs, each documenting a risk the vendor describes, with the verdicts expected of it
 * (docs/properties.md, presets). The test suite asserts every expectation; `npm start` checks every preset.
 */
import type { ClusterConfig, ClusterConfigInput } from './schema.ts';
import { resolveConfig } from './validate.ts';

export interface Preset {
  readonly name: string;
  readonly description: string;
  /** Among the seven core properties (docs/properties.md), those this preset is expected to violate (the table in docs/properties.md). */
  readonly violates: readonly string[];
  /**
   * Among the lifecycle properties (joining, time, the load balancer's rotation), those it is expected to
   * violate as well. Every property in neither list holds or is not applicable.
   */
  readonly alsoViolates: readonly string[];
  readonly config: ClusterConfig;
}

/** Every property a preset is expected to violate: the core ones, then the lifecycle ones. */
export function expectedViolations(preset: Preset): string[] {
  return [...preset.violates, ...preset.alsoViolates];
}

function preset(
  name: string,
  description: string,
  expected: { readonly violates: readonly string[]; readonly alsoViolates?: readonly string[] },
  input: Omit<ClusterConfigInput, 'name'>,
): Preset {
  return { name, description, violates: expected.violates, alsoViolates: expected.alsoViolates ?? [], config: resolveConfig({ name, ...input }) };
}

const threeDefaultMembers = [{ id: 'm1' }, { id: 'm2' }, { id: 'm3' }];
/** Three default members behind a load balancer that holds returning members out until they catch up. */
const base = { members: threeDefaultMembers, loadBalancer: { holdsRejoiningMembers: true } } as const;
/**
 * Without `holdsRejoiningMembers`, a member back from an outage re-enters the Web Messenger rotation before
 * it has the accounts created while it was down (KB 156803): every preset that leaves the balancer at its
 * default shows this, unless it has no account a returning member could owe.
 */
const REJOIN = 'web-messenger-rejoin-freshness';

export const PRESETS: readonly Preset[] = [
  preset(
    'recommended',
    "The vendor's recommended cluster: three members running every service, Web Messenger in High Availability mode replicated to all, a cluster host name behind a load balancer that holds returning members out until they catch up.",
    { violates: [] },
    { members: threeDefaultMembers, loadBalancer: { clusterHostname: true, holdsRejoiningMembers: true } },
  ),
  preset(
    'dmz-ring',
    "KB 161304's example: m1 and m2 internal, m3 and m4 in the DMZ hosting private keys. DMZ members keep a fixed successor, so with m1 down a change on m4 never leaves m4, silently.",
    { violates: ['survivor-convergence'], alsoViolates: [REJOIN] },
    {
      members: [{ id: 'm1' }, { id: 'm2' }, { id: 'm3', zone: 'dmz' }, { id: 'm4', zone: 'dmz' }],
    },
  ),
  preset(
    'home-server',
    'Web Messenger in Home Server mode: each account lives only on the member that created it, so it is unreachable while that member is down.',
    // Home Server accounts are never replicated, so a returning member owes none: rejoin freshness holds.
    { violates: ['web-messenger-availability'] },
    { members: threeDefaultMembers, webMessenger: { accountMode: 'homeServer' } },
  ),
  preset(
    'single-key-holder',
    "Only m1 may hold internal users' private keys (DMZ-mode private-key setting on the others): with m1 down, no member can decrypt or sign for them.",
    { violates: ['private-key-availability'], alsoViolates: [REJOIN] },
    { members: [{ id: 'm1' }, { id: 'm2', privateKeys: false }, { id: 'm3', privateKeys: false }] },
  ),
  preset(
    'pinned-clients',
    'No cluster host name: each desktop client is pinned to the member it enrolled with and cannot download policy while that member is down (KB 156803).',
    { violates: ['desktop-policy-availability'], alsoViolates: [REJOIN] },
    { members: threeDefaultMembers, loadBalancer: { clusterHostname: false } },
  ),
  preset(
    'broken-member',
    'Members may be broken out of the cluster, which the vendor discourages: changes made on a member and not yet replicated leave with it.',
    { violates: ['no-lost-writes'], alsoViolates: [REJOIN] },
    { members: threeDefaultMembers, faults: { removeMember: true } },
  ),
  preset(
    'growing',
    'A fourth member joins later, through the Sponsor (KB 153721). While the Sponsor is down it cannot join: what happens then is undocumented, and by default (assumptions.joinWhenSponsorDown "waits") it waits.',
    { violates: [], alsoViolates: ['join-under-outage'] },
    { ...base, members: [...threeDefaultMembers, { id: 'm4', joinsLater: true }] },
  ),
  preset(
    'rolling-upgrade',
    'Members take a major upgrade one at a time (back up, install from ISO, restore: KB 153403). Members a major release apart do not replicate with each other (KB 225396), so the cluster diverges until every member runs the new release.',
    { violates: ['survivor-convergence'] },
    { ...base, faults: { upgrades: 'major' } },
  ),
  preset(
    'rolling-minor-update',
    "KB 225396's two servers, taking a minor update (a .pup file, KB 153403) one at a time. Updates are not propagated among members, and while they run different versions they continue to share cluster data (KB 180162): unlike a major upgrade, nothing diverges.",
    { violates: [] },
    { ...base, members: [{ id: 'm1' }, { id: 'm2' }], faults: { upgrades: 'minor' } },
  ),
  preset(
    'long-outage',
    'No cluster host name, and a member may stay down three weeks: a desktop client pinned to it cannot download policy, and its SKM key, valid 14 days, lapses for want of a server to renew it (KB 156803, KB 157933).',
    { violates: ['desktop-policy-availability'], alsoViolates: ['skm-keys-stay-valid'] },
    { ...base, loadBalancer: { clusterHostname: false, holdsRejoiningMembers: true }, faults: { maxOutageDays: 21 } },
  ),
  preset(
    'mode-switch',
    'Web Messenger starts in Home Server mode and is switched to High Availability; the accounts created before the switch keep their mode, and stay on the one member that created them.',
    { violates: ['web-messenger-availability'] },
    { ...base, webMessenger: { accountMode: 'homeServer', switchTo: 'highAvailability' } },
  ),
  preset(
    'no-holdout',
    'The load balancer sends Web Messenger users to a member the moment it returns, before replication has brought it the accounts created while it was down (KB 156803).',
    { violates: [], alsoViolates: [REJOIN] },
    { members: threeDefaultMembers, loadBalancer: { holdsRejoiningMembers: false } },
  ),
];

export function findPreset(name: string): Preset | undefined {
  return PRESETS.find((p) => p.name === name);
}
