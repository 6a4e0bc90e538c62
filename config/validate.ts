/**
 * Turning an untrusted document into a resolved `ClusterConfig`, or into one clear message per problem.
 *
 * Every problem names its field path in the form users write it (`members[2].services[1]`), says what was
 * wrong and what would be valid, and offers a "did you mean" where a name is close to a valid one. All
 * problems are reported at once: the schema's issues and the cross-field rules below run on the same
 * raw document, whatever else is wrong with it.
 *
 * The file has two parts: a config's own words for zod's issues (the translator itself,
 * `io/zod-problems.ts`, is shared with the trace files); the cross-field rules (`CROSS_FIELD_RULES`),
 * one small function each, so a rule is added by writing one function and listing it.
 */
import { z } from 'zod';
import {
  type Acceptance,
  type ClusterConfig,
  clusterConfigSchema,
  MAX_MEMBERS,
  MEMBER_ID_PATTERN,
  type MemberConfig,
  SUPPORTED_MEMBERS,
  siteSplitBudget,
  sitesOf,
} from './schema.ts';
import {
  describeValue,
  didYouMean,
  formatPath,
  formatProblem,
  issueProblems,
  type SchemaProblem,
  schemaAt,
  valueAt,
  type Words,
} from '../io/zod-problems.ts';

export { formatPath, formatProblem, valueAt };

export interface ConfigProblem {
  /** Field path as users write it, for example `members[2].services[1]`; empty for the whole document. */
  readonly path: string;
  readonly message: string;
}

export type ConfigResult =
  | { readonly ok: true; readonly config: ClusterConfig; readonly accept: readonly Acceptance[]; readonly warnings: readonly ConfigProblem[] }
  | { readonly ok: false; readonly errors: readonly ConfigProblem[] };

// ---------------------------------------------------------------------------------------------------
// The schema's issues as messages: a config's own words for the shared translator

/** What a field is called in messages: `service` for `members[0].services[1]`, `zone` for `.zone`. */
function noun(path: readonly PropertyKey[]): string {
  const last = [...path].reverse().find((p) => typeof p === 'string');
  if (last === 'services') return 'service';
  if (last === 'replication' || last === 'id') return 'member id';
  return typeof last === 'string' ? last : 'value';
}

/** The expected type with an example, where one helps. */
function expectedText(expected: string, path: readonly PropertyKey[]): string | undefined {
  const last = path[path.length - 1];
  if (expected === 'array' && last === 'members') return 'an array of members, such as [{ "id": "m1" }, { "id": "m2" }]';
  if (expected === 'array' && last === 'services') return 'an array of services, such as ["mail", "desktop"]';
  if (expected === 'object' && typeof last === 'number') return 'an object, such as { "id": "m1" }';
  if (expected === 'string' && last === 'id') return 'a member id, such as "m1"';
  return undefined;
}

function rangeText(path: readonly PropertyKey[]): string {
  const def = schemaAt(clusterConfigSchema, path);
  if (def instanceof z.ZodNumber) {
    const min = def.minValue;
    const max = def.maxValue;
    if (min !== null && max !== null && Number.isFinite(min) && Number.isFinite(max)) return `${min} to ${max}`;
    if (min !== null && Number.isFinite(min)) return `${min} or more`;
    if (max !== null && Number.isFinite(max)) return `${max} or less`;
  }
  return 'see the schema';
}

function sizeProblem(document: unknown, issue: z.core.$ZodIssueTooSmall | z.core.$ZodIssueTooBig, path: readonly PropertyKey[]): SchemaProblem {
  const at = formatPath(path);
  const actual = valueAt(document, path);
  const last = path[path.length - 1];
  if (issue.origin === 'number' || issue.origin === 'int' || issue.origin === 'bigint')
    return { path: at, message: `${describeValue(actual)} is out of range; valid: ${rangeText(path)}`, range: true };
  if (issue.origin === 'array' && Array.isArray(actual)) {
    if (last === 'members') {
      // KB 153198: a cluster is two or more servers; KB 153476: the vendor supports up to six.
      if (actual.length === 0) return { path: at, message: 'no members; a cluster has at least two (KB 153198)' };
      if (actual.length === 1) return { path: at, message: 'only one member; a cluster has at least two (KB 153198)' };
      return {
        path: at,
        message: `${actual.length} members; this tool models at most ${MAX_MEMBERS}, and the vendor supports at most ${SUPPORTED_MEMBERS} (KB 153476)`,
      };
    }
    if (last === 'replication') return { path: at, message: 'an empty array; give "all" or the ids of at least one member' };
    const bound = issue.code === 'too_small' ? `at least ${issue.minimum}` : `at most ${issue.maximum}`;
    return { path: at, message: `${actual.length} items; expected ${bound}` };
  }
  if (issue.origin === 'string' && issue.code === 'too_small' && Number(issue.minimum) === 1)
    return { path: at, message: 'empty; expected a non-empty string' };
  return { path: at, message: issue.message };
}

/** A config's own words for the shared translator (`io/zod-problems.ts`). */
const CONFIG_WORDS: Words = {
  noun,
  expected: expectedText,
  size: sizeProblem,
  union: (document, path, actual) => {
    const at = formatPath(path);
    if (path[path.length - 1] === 'replication') {
      const members = valueAt(document, ['members']);
      const namesMember = Array.isArray(members) && members.some((m) => isRecord(m) && m.id === actual);
      const hint = namesMember ? ` (for one member, write [${JSON.stringify(actual)}])` : didYouMean(actual, ['all']);
      return { path: at, message: `expected "all" or an array of member ids, got ${describeValue(actual)}${hint}` };
    }
    if (path[path.length - 1] === 'upgrades')
      return { path: at, message: `expected true, false, "minor" or "major", got ${describeValue(actual)}${typeof actual === 'string' ? didYouMean(actual, ['minor', 'major']) : ''}` };
    return undefined;
  },
};

// ---------------------------------------------------------------------------------------------------
// Cross-field rules

/** A member entry as written: its id only when it is a string. */
interface RawMember {
  readonly index: number;
  readonly id: string | undefined;
  readonly fields: Readonly<Record<string, unknown>>;
}

/** A document of unknown shape, read defensively for the cross-field rules. */
interface RawDocument {
  readonly root: Readonly<Record<string, unknown>>;
  /** The member entries, or undefined when `members` is not an array. */
  readonly members: readonly RawMember[] | undefined;
  /** Each string member id and the index of its first entry. */
  readonly ids: ReadonlyMap<string, number>;
  /** A top-level section (`faults`, `webMessenger`, ...) when it is an object. */
  section(name: string): Readonly<Record<string, unknown>> | undefined;
}

interface Findings {
  error(path: string, message: string): void;
  warning(path: string, message: string): void;
}

/** A rule that spans fields: reads the raw document, reports what it finds. */
type CrossFieldRule = (document: RawDocument, findings: Findings) => void;

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function readRaw(root: Record<string, unknown>): RawDocument {
  const list = root.members;
  const members = Array.isArray(list)
    ? list.map((m, index) => {
        const fields = isRecord(m) ? m : {};
        return { index, id: typeof fields.id === 'string' ? fields.id : undefined, fields };
      })
    : undefined;
  const ids = new Map<string, number>();
  for (const m of members ?? []) if (m.id !== undefined && !ids.has(m.id)) ids.set(m.id, m.index);
  return {
    root,
    members,
    ids,
    section: (name) => {
      const value = root[name];
      return isRecord(value) ? value : undefined;
    },
  };
}

/** The index of the sponsor as `resolveRoles` will decide it: the one named, else the first member. */
function sponsorIndex(members: readonly RawMember[]): number | undefined {
  const named = members.find((m) => m.fields.role === 'sponsor');
  if (named !== undefined) return named.index;
  return members.length > 0 && members[0]!.fields.role === undefined ? 0 : undefined;
}

/** More than six members: supported by the vendor only up to six (KB 153476, KB 154069); check anyway. */
const supportedSize: CrossFieldRule = ({ members }, { warning }) => {
  if (members === undefined || members.length <= SUPPORTED_MEMBERS || members.length > MAX_MEMBERS) return;
  warning(
    'members',
    `${members.length} members; the vendor supports at most ${SUPPORTED_MEMBERS} in one cluster (KB 153476, KB 154069): the ring gets riskier as it grows; checking anyway`,
  );
};

const uniqueMemberIds: CrossFieldRule = ({ members, ids }, { error }) => {
  for (const m of members ?? []) {
    if (m.id === undefined) continue;
    const first = ids.get(m.id)!;
    if (first !== m.index) error(`members[${m.index}].id`, `duplicate member id "${m.id}" (also members[${first}])`);
  }
};

/**
 * One sponsor (KB 153198: "one of the servers is designated ... the Sponsor"): not two, and not none
 * when the first member is explicitly a "node" (the first member is the sponsor only when none is named
 * and it says nothing else).
 */
const oneSponsor: CrossFieldRule = ({ members }, { error }) => {
  if (members === undefined || members.length === 0) return;
  const sponsors = members.filter((m) => m.fields.role === 'sponsor');
  const first = sponsors[0];
  for (const extra of sponsors.slice(1)) {
    error(
      `members[${extra.index}].role`,
      `a second sponsor${extra.id ? ` ("${extra.id}")` : ''}; members[${first!.index}]${first!.id ? ` "${first!.id}"` : ''} is already the sponsor, and a cluster has one; valid here: node`,
    );
  }
  if (sponsors.length === 0 && members[0]!.fields.role === 'node')
    error(
      'members[0].role',
      'no member is the sponsor, and a cluster has one; set "role": "sponsor" on the member the others joined through, or leave "role" out here (the first member is the sponsor when none is named)',
    );
};

/** The lifecycle fields (issue 6): the sponsor is in the cluster from the start (KB 153721). */
const sponsorStartsInCluster: CrossFieldRule = ({ members }, { error }) => {
  if (members === undefined || members.length === 0) return;
  const sponsor = sponsorIndex(members);
  const joinsLater = (m: RawMember) => m.fields.joinsLater === true;
  if (sponsor !== undefined && joinsLater(members[sponsor]!))
    error(`members[${sponsor}].joinsLater`, 'the sponsor cannot join later: others join through it (KB 153721)');
  if (members.every(joinsLater)) error('members', 'every member joins later; at least the sponsor must start in the cluster');
};

/**
 * Every place a config names members by id. Each entry is the path of an array of member ids; a new
 * field that names members is one more line here.
 */
const MEMBER_REFERENCES: readonly (readonly string[])[] = [['webMessenger', 'replication']];

/** The member-id lists of a document: `MEMBER_REFERENCES`, and each accepted risk's `members`. */
function memberReferencePaths(root: Record<string, unknown>): (readonly PropertyKey[])[] {
  const accept = Array.isArray(root.accept) ? root.accept : [];
  return [...MEMBER_REFERENCES, ...accept.map((_, i) => ['accept', i, 'members'])];
}

const knownMemberReferences: CrossFieldRule = ({ root, ids }, { error }) => {
  if (ids.size === 0) return; // no valid ids to compare with: the members' own problems say why
  const valid = [...ids.keys()];
  for (const path of memberReferencePaths(root)) {
    const list = valueAt(root, path);
    if (!Array.isArray(list)) continue;
    list.forEach((id, i) => {
      // An id that is not even well formed has its own message from the schema.
      if (typeof id === 'string' && MEMBER_ID_PATTERN.test(id) && !ids.has(id))
        error(`${formatPath([...path, i])}`, `unknown member id "${id}"; valid: ${valid.join(', ')}${didYouMean(id, valid)}`);
    });
  }
};

/**
 * KB 153723: Web Messenger data replicates only to members that run Web Messenger; a member in the
 * replication set that does not run it receives nothing. Not an error: the model handles it, but it is
 * rarely what the administrator meant.
 */
const replicationTargetsRunWebMessenger: CrossFieldRule = ({ members, section }, { warning }) => {
  const list = section('webMessenger')?.replication;
  if (!Array.isArray(list) || members === undefined) return;
  list.forEach((id, i) => {
    const member = members.find((m) => m.id === id);
    const services = member?.fields.services;
    if (member !== undefined && Array.isArray(services) && !services.includes('webMessenger'))
      warning(
        `webMessenger.replication[${i}]`,
        `member "${id}" does not run webMessenger, so it receives no Web Messenger data (KB 153723); add "webMessenger" to members[${member.index}].services, or leave it out here`,
      );
  });
};

/** The fault budget: 0 to members - 1 (docs/administrators.md, writing a config); the schema knows only the tool's own bounds. */
const faultBudget: CrossFieldRule = ({ members, section }, { error }) => {
  const maxDown = section('faults')?.maxDown;
  if (members === undefined || members.length < 2 || typeof maxDown !== 'number' || !Number.isInteger(maxDown)) return;
  if (maxDown < 0 || maxDown > members.length - 1)
    error('faults.maxDown', `${maxDown} is out of range; valid: 0 to ${members.length - 1} (members - 1)`);
};

/**
 * Settings that have no effect together: not errors (the check runs), but rarely what was meant. Each
 * looks at what the file says, not at defaults, so it never warns about a field the file leaves out.
 */

/** KB 156803: holding a returning member out of rotation is the load balancer's job; without a cluster host name there is none. */
const holdingWithoutBalancer: CrossFieldRule = ({ section }, { warning }) => {
  const balancer = section('loadBalancer');
  if (balancer?.holdsRejoiningMembers === true && balancer.clusterHostname === false)
    warning(
      'loadBalancer.holdsRejoiningMembers',
      'true has no effect in a real deployment without a cluster host name (clusterHostname: false): no load balancer stands between users and the members to hold a returning one out (KB 156803); the check still models it as held out, so its verdicts then describe a balancer you do not have. Set clusterHostname: true, or leave holdsRejoiningMembers out',
    );
};

/** Switching new accounts to the mode they already have changes nothing. */
const switchToSameMode: CrossFieldRule = ({ section }, { warning }) => {
  const wm = section('webMessenger');
  if (wm?.switchTo === undefined) return;
  const mode = wm.accountMode ?? 'highAvailability';
  if (wm.switchTo === mode)
    warning('webMessenger.switchTo', `"${String(wm.switchTo)}" is already the account mode (accountMode: "${String(mode)}"), so the switch has no effect; leave switchTo out, or name the other mode`);
};

/** With no member ever down, an outage length bounds nothing. */
const outageLengthWithoutOutages: CrossFieldRule = ({ section }, { warning }) => {
  const faults = section('faults');
  if (faults?.maxDown === 0 && faults.maxOutageDays !== undefined)
    warning('faults.maxOutageDays', 'has no effect with maxDown: 0: no member is ever down, so no outage lasts any time; raise maxDown to check outages');
};

/** A site split needs sites to split: at most as many at once as the members name. */
const siteSplits: CrossFieldRule = ({ members, section }, { error }) => {
  const splits = section('faults')?.maxSiteSplits;
  if (members === undefined || typeof splits !== 'number' || !Number.isInteger(splits) || splits <= 0) return;
  const sites = sitesOf(members.map((m) => ({ site: typeof m.fields.site === 'string' ? m.fields.site : undefined })));
  if (splits > sites.length)
    error(
      'faults.maxSiteSplits',
      sites.length === 0
        ? `${splits} needs sites to split, and no member names one: give members a site (members[].site), or leave maxSiteSplits out`
        : `${splits} is out of range; valid: 0 to ${sites.length} (the sites the members name: ${sites.map((s) => JSON.stringify(s)).join(', ')})`,
    );
};

export const CROSS_FIELD_RULES: readonly CrossFieldRule[] = [
  holdingWithoutBalancer,
  switchToSameMode,
  outageLengthWithoutOutages,
  supportedSize,
  uniqueMemberIds,
  oneSponsor,
  sponsorStartsInCluster,
  knownMemberReferences,
  replicationTargetsRunWebMessenger,
  faultBudget,
  siteSplits,
];

function crossFieldProblems(root: Record<string, unknown>): { errors: ConfigProblem[]; warnings: ConfigProblem[] } {
  const errors: ConfigProblem[] = [];
  const warnings: ConfigProblem[] = [];
  const findings: Findings = {
    error: (path, message) => errors.push({ path, message }),
    warning: (path, message) => warnings.push({ path, message }),
  };
  const document = readRaw(root);
  for (const rule of CROSS_FIELD_RULES) rule(document, findings);
  return { errors, warnings };
}

// ---------------------------------------------------------------------------------------------------
// Validation

/**
 * Where a path sits in the document, for listing problems from the top of the file down: each step is
 * the position of the key among its object's keys (a key the document lacks comes after those it has)
 * or the array index.
 */
function documentPosition(document: unknown, path: string): number[] {
  const steps = path.match(/[^.[\]]+/g) ?? [];
  const position: number[] = [];
  let here: unknown = document;
  for (const step of steps) {
    if (Array.isArray(here) && /^\d+$/.test(step)) {
      position.push(Number(step));
      here = here[Number(step)];
    } else if (isRecord(here)) {
      const keys = Object.keys(here);
      const i = keys.indexOf(step);
      position.push(i < 0 ? keys.length : i);
      here = here[step];
    } else {
      position.push(Number.MAX_SAFE_INTEGER);
      here = undefined;
    }
  }
  return position;
}

function byDocumentOrder(document: unknown, problems: readonly ConfigProblem[]): ConfigProblem[] {
  const keyed = problems.map((problem, i) => ({ problem, i, at: documentPosition(document, problem.path) }));
  keyed.sort((x, y) => {
    for (let k = 0; k < Math.min(x.at.length, y.at.length); k++) if (x.at[k] !== y.at[k]) return x.at[k]! - y.at[k]!;
    return x.at.length - y.at.length || x.i - y.i;
  });
  return keyed.map((k) => k.problem);
}

/** The first member is the sponsor when none is named (docs/administrators.md, writing a config). */
function resolveRoles(members: readonly (Omit<MemberConfig, 'role'> & { readonly role?: string | undefined })[]): MemberConfig[] {
  const named = members.some((m) => m.role === 'sponsor');
  return members.map((m, i) => ({
    ...m,
    role: m.role === 'sponsor' || (!named && i === 0) ? 'sponsor' : 'node',
  }));
}

/** Validates a parsed JSON document (of unknown shape) as a cluster config and resolves its defaults. */
export function validateConfig(document: unknown): ConfigResult {
  if (!isRecord(document))
    return { ok: false, errors: [{ path: '', message: `a config is a JSON object, such as { "members": [...] }; got ${describeValue(document)}` }] };
  const parsed = clusterConfigSchema.safeParse(document);
  const crossField = crossFieldProblems(document);
  const schemaProblems = parsed.success ? [] : parsed.error.issues.flatMap((issue) => issueProblems(clusterConfigSchema, document, issue, CONFIG_WORDS));
  const errors: ConfigProblem[] = [
    // A cross-field rule that speaks about a value's range knows more (e.g. the number of members).
    ...schemaProblems
      .filter((p) => !(p.range && crossField.errors.some((e) => e.path === p.path)))
      .map(({ path, message }) => ({ path, message })),
    ...crossField.errors,
  ];
  if (!parsed.success || errors.length > 0) return { ok: false, errors: byDocumentOrder(document, errors) };
  const { $schema: _ignored, accept, ...rest } = parsed.data;
  const members = resolveRoles(rest.members);
  const config: ClusterConfig = { ...rest, members, faults: { ...rest.faults, maxSiteSplits: rest.faults.maxSiteSplits ?? siteSplitBudget(members) } };
  return { ok: true, config, accept, warnings: byDocumentOrder(document, crossField.warnings) };
}

/** Like `validateConfig`, for configs written in code (presets, tests): throws on a problem. */
export function resolveConfig(document: unknown): ClusterConfig {
  const result = validateConfig(document);
  if (!result.ok) throw new Error(`invalid config: ${result.errors.map(formatProblem).join('; ')}`);
  return result.config;
}
