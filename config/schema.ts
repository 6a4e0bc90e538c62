/**
 * The cluster configuration file (docs/administrators.md, writing a config), declared once.
 *
 * This zod schema is the single source of: the TypeScript types of a config (input and resolved), the
 * runtime validation of a config file, the defaults, and the published JSON Schema
 * (`schema/cluster-config.schema.json`, generated from this file and kept in step by a test).
 *
 * Why zod (4) rather than valibot: zod 4 converts a schema to JSON Schema itself (`z.toJSONSchema`, draft
 * 2020-12), carrying each field's `.describe()` text, its default (with `io: "input"`) and, for strict
 * objects, `additionalProperties: false`; valibot needs a separate package for that. Its issues carry
 * the path, the expected type and the valid enum values, which is what `validate.ts` turns into
 * messages. `.meta()` adds JSON Schema keywords zod cannot derive (`uniqueItems`, "at most one sponsor").
 *
 * Cross-field rules (duplicate ids, two sponsors, unknown member ids, `maxDown` against the number of
 * members) are checked in `validate.ts`, because they need the whole document.
 */
import { z } from 'zod';

export const SERVICES = ['mail', 'webMessenger', 'keyserver', 'desktop', 'verifiedDirectory'] as const;
export type Service = (typeof SERVICES)[number];

export const ZONES = ['internal', 'dmz'] as const;
export type Zone = (typeof ZONES)[number];

export const ROLES = ['sponsor', 'node'] as const;
export type Role = (typeof ROLES)[number];

export const ACCOUNT_MODES = ['highAvailability', 'homeServer'] as const;
export type AccountMode = (typeof ACCOUNT_MODES)[number];

/**
 * The two kinds of software update (KB 153403): a minor update applied from a .pup file on the running
 * server, and a major upgrade (back up, install from ISO, restore). `faults.upgrades` allows either, both
 * (`true`) or neither (`false`).
 */
export const UPGRADE_KINDS = ['minor', 'major'] as const;
export type UpgradeKind = (typeof UPGRADE_KINDS)[number];

/** Whether a config's `faults.upgrades` allows this kind of update. */
export function allowsUpgrade(upgrades: boolean | UpgradeKind, kind: UpgradeKind): boolean {
  return upgrades === true || upgrades === kind;
}

/** What each enum value means, for editors (`enumDescriptions` in the JSON Schema; a test asks for every value). */
export const SERVICE_DESCRIPTIONS: Readonly<Record<Service, string>> = {
  mail: 'Email processing: the gateway proxy (SMTP) that encrypts, decrypts and signs; decrypting for internal users needs their private keys on this member.',
  webMessenger: 'Web Messenger (Web Email Protection): recipients read their messages in a browser on this member.',
  keyserver: "The keyserver: serves users' public keys to others.",
  desktop: 'The desktop client endpoint: enrollment, policy download and log upload for PGP Desktop clients (KB 156803).',
  verifiedDirectory: 'The Verified Directory: users publish and verify their own public keys.',
};
export const ZONE_DESCRIPTIONS: Readonly<Record<Zone, string>> = {
  internal: 'Inside the network: the member re-routes replication around a member that is down.',
  dmz: 'In the DMZ: the member keeps a fixed replication successor, the next member in ring order, even while it is down (KB 161304).',
};
export const ROLE_DESCRIPTIONS: Readonly<Record<Role, string>> = {
  sponsor: 'The Sponsor: the member the others joined through (KB 153721). A cluster has exactly one.',
  node: 'A cluster member that joined through the Sponsor.',
};
export const ACCOUNT_MODE_DESCRIPTIONS: Readonly<Record<AccountMode, string>> = {
  highAvailability: 'High Availability: each account replicates to every eligible member, so it survives an outage (KB 153723).',
  homeServer: 'Home Server: each account stays on the member that created it and is never replicated.',
};

/** An enum with a description per value, for editors (VS Code's `enumDescriptions`, `markdownEnumDescriptions`). */
function describedEnum<const T extends readonly [string, ...string[]]>(values: T, descriptions: Readonly<Record<T[number], string>>) {
  const texts = values.map((v) => descriptions[v as T[number]]);
  return z.enum(values).meta({ enumDescriptions: texts, markdownEnumDescriptions: texts });
}

/** The vendor supports at most six members in one cluster (KB 153476, KB 154069). */
export const SUPPORTED_MEMBERS = 6;
/** A hard limit of this tool (member indexes are packed into version stamps): far above any real cluster. */
export const MAX_MEMBERS = 32;

/**
 * A list in which each value may appear once (services, member ids): JSON Schema's `uniqueItems`, and
 * the same rule at run time. The check also runs when an element is invalid, so that every problem is
 * reported at once.
 */
function setOf<T extends z.ZodType>(list: z.ZodArray<T>, what: string) {
  return list
    .superRefine(
      (values, ctx) => {
        values.forEach((value, i) => {
          const first = values.indexOf(value);
          if (first < i)
            ctx.addIssue({ code: 'custom', path: [i], input: value, message: `${what} ${JSON.stringify(value)} is listed twice (also [${first}])` });
        });
      },
      { when: (payload) => Array.isArray(payload.value) },
    )
    .meta({ uniqueItems: true });
}

/** What a member id may look like: a host name or a short label. */
export const MEMBER_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,31}$/;

const MEMBER_ID_RULE = 'a member id is 1 to 32 letters, digits, ".", "_" or "-"';
const memberId = z
  .string()
  .regex(MEMBER_ID_PATTERN, MEMBER_ID_RULE)
  // What an editor says (it cannot name the value, so it says what would be valid).
  .meta({ patternErrorMessage: `Not a member id: ${MEMBER_ID_RULE}, starting with a letter or digit (for example "pgp1").` });

export const memberSchema = z
  .strictObject({
    id: memberId.describe('Unique name of the member, for example its host name.'),
    role: describedEnum(ROLES, ROLE_DESCRIPTIONS)
      .optional()
      .describe('"sponsor" for the member others join through (KB 153721); default "node", and the first member is the sponsor when none is named.'),
    zone: describedEnum(ZONES, ZONE_DESCRIPTIONS)
      .default('internal')
      .describe('"dmz" members keep a fixed replication successor even when it is down (KB 161304).'),
    services: setOf(z.array(describedEnum(SERVICES, SERVICE_DESCRIPTIONS)), 'service')
      .default([...SERVICES])
      .describe('Services this member runs; default all five.'),
    privateKeys: z
      .boolean()
      .default(true)
      .describe("Whether internal users' private keys replicate to this member (KB 153723); false is the DMZ-mode choice."),
    joinsLater: z
      .boolean()
      .default(false)
      .describe('The member starts outside the cluster and joins later through the Sponsor (KB 153721).'),
    site: z
      .string()
      .min(1)
      .max(64)
      .optional()
      .describe('The site (data centre, office) the member is in: a site split cuts every link between its members and the rest at once (faults.maxSiteSplits).'),
  })
  .describe('A member of the cluster: a PGP Encryption Server. Given only an id, it is the vendor\'s recommended member.');

export const webMessengerSchema = z
  .strictObject({
    accountMode: describedEnum(ACCOUNT_MODES, ACCOUNT_MODE_DESCRIPTIONS)
      .default('highAvailability')
      .describe('Mode of new Web Messenger accounts: replicated to every eligible member, or kept on the member that created them.'),
    replication: z
      .union([z.literal('all'), setOf(z.array(memberId).min(1), 'member id')])
      .default('all')
      .describe('"all", or the ids of the members that receive replicated Web Messenger data (KB 153723).'),
    switchTo: describedEnum(ACCOUNT_MODES, ACCOUNT_MODE_DESCRIPTIONS)
      .optional()
      .describe('An administrator may switch the mode of new accounts to this one; existing accounts keep theirs.'),
  })
  .describe('Web Messenger (Web Email Protection) accounts and their replication (KB 153723).');

export const loadBalancerSchema = z
  .strictObject({
    clusterHostname: z
      .boolean()
      .default(true)
      .describe('Clients use a cluster host name served by a load balancer; without it a desktop client is pinned to the member it enrolled with (KB 156803).'),
    holdsRejoiningMembers: z
      .boolean()
      .default(false)
      .describe('The balancer keeps a returning member out of rotation until it has caught up (KB 156803).'),
  })
  .describe('How clients reach the cluster (KB 156803).');

/**
 * The default budget of cut links (modelling choice, in the spirit of Stateright's `max_crashes`): one link
 * cut at a time, as one member down at a time is the default fault budget (`maxDown`). It is what keeps a
 * six-member cluster's fifteen links from multiplying the state space; what it excludes (two or more links
 * cut at once) is named in every report's bounds, and a config may raise it.
 */
export const DEFAULT_MAX_CUT_LINKS = 1;

export const faultsSchema = z
  .strictObject({
    maxDown: z
      .number()
      .int()
      .min(0)
      // The bound that depends on the members (at most members - 1) is checked in validate.ts.
      .max(MAX_MEMBERS - 1)
      .default(1)
      .describe('Fault budget: at most this many members down or removed at once (0 to members - 1).'),
    partitions: z.boolean().default(true).describe('Whether links between members may be cut.'),
    maxCutLinks: z
      .number()
      .int()
      .min(1)
      .max((MAX_MEMBERS * (MAX_MEMBERS - 1)) / 2)
      .default(DEFAULT_MAX_CUT_LINKS)
      .describe(
        'With partitions: at most this many links cut at once (a fault budget for links, like maxDown for members; default 1). It bounds what is checked: a report names it among the bounds of every verdict.',
      ),
    maxSiteSplits: z
      .number()
      .int()
      .min(0)
      .max(MAX_MEMBERS)
      .optional()
      .describe(
        'At most this many sites split off from the rest at once: a site split cuts every link between the members of a site (members[].site) and all others, and heals them all at once. Default: 1 when the members name two or more sites, else 0 (at most the number of sites).',
      ),
    removeMember: z
      .boolean()
      .default(false)
      .describe('Whether a member may be broken out of the cluster (discouraged by the vendor).'),
    upgrades: z
      .union([
        z.boolean(),
        describedEnum(UPGRADE_KINDS, {
          minor: 'Minor updates only: .pup files applied on the running server (KB 153403); members a minor update apart still share cluster data (KB 180162).',
          major: 'Major upgrades only: back up, install from ISO, restore (KB 153403); members a major release apart do not replicate (KB 225396).',
        }),
      ])
      .default(false)
      .describe(
        'Whether members may be upgraded one at a time: true (major upgrades and minor updates), "major" (ISO install and restore only), "minor" (.pup updates only, KB 153403) or false. Members a major release apart do not replicate (KB 225396); a minor update apart they still share cluster data (KB 180162).',
      ),
    maxOutageDays: z
      .number()
      .int()
      .min(1)
      .max(3650)
      .default(2)
      .describe('No member stays down longer than this many days.'),
  })
  .describe('What may go wrong in the checked traces: the fault budget and the kinds of fault.');

export const keyCacheSchema = z
  .strictObject({
    keyserverTtlHours: z
      .number()
      .int()
      .min(1)
      .max(999 * 24)
      .default(24)
      .describe('Keys fetched from keyservers are purged after this many hours: 1 hour to 999 days, default 1 day (KB 162609).'),
  })
  .describe('The key cache (KB 162609): keys cached from mail flow are purged after a fixed 180 days.');

const rate = (what: string, fallback: number, why: string) =>
  z.number().min(0).max(1e9).default(fallback).describe(`${what} per hour, across the cluster (default ${fallback}: ${why}).`);

/**
 * The change rates and the replication throughput `resync` scales the model's backlog by. The vendor
 * documents none of these (no replication-queue or throughput figure was found, FACTS.md §6): every
 * default is a modelling choice for a mid-sized deployment, the README's assumptions table gives the
 * reasoning, and a deployment should put its own figures here (from its cluster log,
 * /var/log/ovid/cluster-*.log). Only `resync` reads this block; the checked properties do not.
 */
export const workloadSchema = z
  .strictObject({
    usersPerHour: rate('Users (with their public keys) added or changed', 20, '10,000 users, as in KB 153476\'s licence example, a twentieth of them changed a working day by Directory Synchronization and enrollments, over 24 hours'),
    privateKeysPerHour: rate("Internal users' private keys created or changed", 2, 'new enrollments and key renewals, a tenth of the user changes'),
    domainsPerHour: rate('Managed domains added or changed', 0.01, 'an administrator change every few days'),
    policiesPerHour: rate('Policies added or changed', 0.05, 'an administrator change a day or so'),
    cachedKeysPerHour: rate('Keys cached from the mail flow', 50, 'new external correspondents in inbound mail'),
    fetchedKeysPerHour: rate('Keys fetched from external keyservers and cached', 10, 'lookups for outbound mail to recipients whose key is not cached'),
    wmAccountsPerHour: rate('Web Messenger accounts created', 2, 'new external recipients of Web Messenger mail'),
    wmMessagesPerHour: rate('Web Messenger messages stored (each a change of its account)', 100, 'a few thousand messages a day to external recipients'),
    hopThroughputPerHour: z
      .number()
      .min(1)
      .max(1e12)
      .default(3600)
      .describe('Changes one replication hop (a member sending to its successor) carries per hour (default 3600, one a second: an order-of-magnitude guess; no vendor figure).'),
  })
  .describe('Change rates and replication throughput for `resync` (backlog and resync time against outage length); modelling choices, see the README.');

export type Workload = z.output<typeof workloadSchema>;

/** A config's workload with every default applied (the block is optional). */
export function resolveWorkload(config: { readonly workload?: Partial<Workload> | undefined }): Workload {
  return workloadSchema.parse(config.workload ?? {});
}

/**
 * Choices this model makes where the vendor documents nothing. Each is named, documented in the README,
 * and can be changed here.
 */
export const assumptionsSchema = z
  .strictObject({
    dmzAfterRemoval: describedEnum(['stale', 'repointed'], {
      stale: 'The DMZ member keeps sending to its removed successor (our reading of KB 161304).',
      repointed: 'The DMZ member is re-pointed to the next member in ring order.',
    })
      .default('stale')
      .describe('Whether a DMZ member whose fixed successor was removed keeps sending to it ("stale", our reading of KB 161304) or is re-pointed to the next member ("repointed").'),
    joinWhenSponsorDown: describedEnum(['waits', 'anyMember'], {
      waits: 'A joining member waits for the Sponsor (KB 153721: joins go through the Sponsor).',
      anyMember: 'A joining member may join through any live member.',
    })
      .default('waits')
      .describe('Whether a joining member waits for the Sponsor ("waits": KB 153721 joins go through the Sponsor) or may join through any live member ("anyMember").'),
  })
  .describe('Choices the model makes where the vendor documents nothing (modelling choices; see the README).');

/**
 * A risk chosen on purpose: a violation of `property` that the administrator accepts, with the reason.
 * With `members`, only a violation whose shortest trace involves no other member is accepted. The property
 * names are checked against the catalogue when a config is loaded (`pgp/accept.ts`): the config layer
 * does not know the properties. Not part of the resolved config: accepting a risk changes how a result
 * is judged, never what the model does, so counterexample files and their names do not depend on it.
 */
export const acceptanceSchema = z
  .strictObject({
    property: z.string().min(1).describe('The name of the property whose violation is accepted (`pgp-cluster-check list` names them all).'),
    reason: z.string().min(1).describe('Why the risk is accepted: printed beside the violation in every report.'),
    members: setOf(z.array(memberId).min(1), 'member id')
      .optional()
      .describe('Accept the violation only when its shortest trace involves no member but these.'),
  })
  .describe('A risk accepted on purpose: a violation of this property is reported as accepted and does not fail the exit status.');

export type Acceptance = z.output<typeof acceptanceSchema>;

/** JSON Schema for "this member is the sponsor": used to say "at most one sponsor" (checked in validate.ts). */
const SPONSOR_MEMBER = { type: 'object', properties: { role: { const: 'sponsor' } }, required: ['role'] } as const;

export const clusterConfigSchema = z
  .strictObject({
    $schema: z.string().optional().describe('Path or URL of this JSON Schema, for editors.'),
    name: z.string().min(1).default('custom').describe('Name of the deployment, used in reports and file names.'),
    members: z
      .array(memberSchema)
      // KB 153198: a cluster is two or more servers. More than six is unsupported (KB 153476) but
      // allowed, with a warning (validate.ts).
      .min(2)
      .max(MAX_MEMBERS)
      // One sponsor at most (validate.ts checks it, with the other cross-field rules).
      .meta({
        contains: SPONSOR_MEMBER,
        minContains: 0,
        maxContains: 1,
        // What an editor says when this list is wrong, most often a second sponsor.
        errorMessage: 'members: a list of 2 or more members, at most one of them with "role": "sponsor" (a cluster has one Sponsor, KB 153198); the others are "node".',
      })
      .describe('The members in ring order (join order): replication flows from each to the next. At least two; the vendor supports up to six (KB 153476).'),
    webMessenger: webMessengerSchema.prefault({}),
    loadBalancer: loadBalancerSchema.prefault({}),
    faults: faultsSchema.prefault({}),
    keyCache: keyCacheSchema.prefault({}),
    assumptions: assumptionsSchema.prefault({}),
    accept: z
      .array(acceptanceSchema)
      .default([])
      .describe('Risks accepted on purpose (for CI): each violation listed here is reported as accepted, with its reason, and does not fail the exit status; an entry that no longer matches a violation is reported as stale.'),
    // Optional and left out of a resolved config when absent (so saved counterexamples keep their
    // content hash); `resync` fills in the defaults (`resolveWorkload`).
    workload: workloadSchema.optional(),
  })
  .meta({
    title: 'pgp-cluster-check cluster configuration',
    description:
      'A PGP Encryption Server cluster for pgp-cluster-check: its members in ring order, Web Messenger, load balancer, fault budget and modelling assumptions. Every field but members has a default.',
  });

export type ClusterConfigInput = z.input<typeof clusterConfigSchema>;
type ParsedConfig = z.output<typeof clusterConfigSchema>;
type ParsedMember = ParsedConfig['members'][number];

/** A member with every default applied and its role decided. */
export type MemberConfig = Omit<ParsedMember, 'role'> & { readonly role: Role };

/** The fault budget with every default applied (`maxSiteSplits` follows from the sites: `siteSplitBudget`). */
export type FaultsConfig = Omit<ParsedConfig['faults'], 'maxSiteSplits'> & { readonly maxSiteSplits: number };

/** A config with every default applied: what the model runs on and what counterexample files record. */
export type ClusterConfig = Omit<ParsedConfig, 'members' | '$schema' | 'accept' | 'faults'> & {
  readonly members: readonly MemberConfig[];
  readonly faults: FaultsConfig;
};

/** The sites the members name, in the order they first appear. */
export function sitesOf(members: readonly { readonly site?: string | undefined }[]): string[] {
  return [...new Set(members.flatMap((m) => (m.site === undefined ? [] : [m.site])))];
}

/** The default budget of site splits: one when the members name two or more sites (one can split off), else none. */
export function siteSplitBudget(members: readonly { readonly site?: string | undefined }[]): number {
  return sitesOf(members).length >= 2 ? 1 : 0;
}

/**
 * The published JSON Schema (`schema/cluster-config.schema.json`): generated from `clusterConfigSchema`
 * by `npm run schema`; a test fails when the committed file differs from this.
 */
export function clusterConfigJsonSchema(): Record<string, unknown> {
  // `io: "input"`: the shape a person writes, where fields with a default are optional.
  return withHoverText(z.toJSONSchema(clusterConfigSchema, { io: 'input', target: 'draft-2020-12' }) as Record<string, unknown>);
}

/**
 * Editors show `markdownDescription` on hover in place of `description`: each field's description with
 * its default, so the default is in the hover as well as in completions.
 */
function withHoverText(node: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    if (Array.isArray(value)) out[key] = value.map((v) => (v !== null && typeof v === 'object' ? withHoverText(v as Record<string, unknown>) : v));
    else if (value !== null && typeof value === 'object' && key !== 'default') out[key] = withHoverText(value as Record<string, unknown>);
    else out[key] = value;
  }
  if (typeof node.description === 'string' && !('markdownDescription' in node))
    out.markdownDescription = 'default' in node ? `${node.description}\n\nDefault: \`${JSON.stringify(node.default)}\`` : node.description;
  return out;
}

/** The published file's text: what `npm run schema` writes and the test compares. */
export function clusterConfigJsonSchemaText(): string {
  return `${JSON.stringify(clusterConfigJsonSchema(), null, 2)}\n`;
}

/** Where the published JSON Schema lives, from the repository root; examples name it in `"$schema"`. */
export const JSON_SCHEMA_FILE = 'schema/cluster-config.schema.json';
