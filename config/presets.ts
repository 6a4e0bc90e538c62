/**
 * Built-in configs, each documenting a risk the vendor describes, with the verdicts expected of it
 * (SPEC §6). The test suite asserts every expectation; `npm start` checks every preset.
 */
import type { ClusterConfig, ClusterConfigInput } from './schema.ts';
import { resolveConfig } from './validate.ts';

export interface Preset {
  readonly name: string;
  readonly description: string;
  /** The properties this preset is expected to violate; every other one holds or is not applicable. */
  readonly violates: readonly string[];
  readonly config: ClusterConfig;
}

function preset(name: string, description: string, violates: readonly string[], input: Omit<ClusterConfigInput, 'name'>): Preset {
  return { name, description, violates, config: resolveConfig({ name, ...input }) };
}

const threeDefaultMembers = [{ id: 'm1' }, { id: 'm2' }, { id: 'm3' }];

export const PRESETS: readonly Preset[] = [
  preset(
    'recommended',
    "The vendor's recommended cluster: three members running every service, Web Messenger in High Availability mode replicated to all, a cluster host name behind a load balancer that holds returning members out until they catch up.",
    [],
    { members: threeDefaultMembers, loadBalancer: { clusterHostname: true, holdsRejoiningMembers: true } },
  ),
  preset(
    'dmz-ring',
    "KB 161304's example: m1 and m2 internal, m3 and m4 in the DMZ hosting private keys. DMZ members keep a fixed successor, so with m1 down a change on m4 never leaves m4, silently.",
    ['survivor-convergence'],
    {
      members: [{ id: 'm1' }, { id: 'm2' }, { id: 'm3', zone: 'dmz' }, { id: 'm4', zone: 'dmz' }],
    },
  ),
  preset(
    'home-server',
    'Web Messenger in Home Server mode: each account lives only on the member that created it, so it is unreachable while that member is down.',
    ['web-messenger-availability'],
    { members: threeDefaultMembers, webMessenger: { accountMode: 'homeServer' } },
  ),
  preset(
    'single-key-holder',
    "Only m1 may hold internal users' private keys (DMZ-mode private-key setting on the others): with m1 down, no member can decrypt or sign for them.",
    ['private-key-availability'],
    { members: [{ id: 'm1' }, { id: 'm2', privateKeys: false }, { id: 'm3', privateKeys: false }] },
  ),
  preset(
    'pinned-clients',
    'No cluster host name: each desktop client is pinned to the member it enrolled with and cannot download policy while that member is down (KB 156803).',
    ['desktop-policy-availability'],
    { members: threeDefaultMembers, loadBalancer: { clusterHostname: false } },
  ),
  preset(
    'broken-member',
    'Members may be broken out of the cluster, which the vendor discourages: changes made on a member and not yet replicated leave with it.',
    ['no-lost-writes'],
    { members: threeDefaultMembers, faults: { removeMember: true } },
  ),
];

export function findPreset(name: string): Preset | undefined {
  return PRESETS.find((p) => p.name === name);
}
