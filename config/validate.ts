/**
 * Turning an untrusted document into a resolved `ClusterConfig`, or into one clear message per problem.
 *
 * Every problem names its field path in the form users write it (`members[2].services[1]`), says what was
 * wrong and what would be valid, and offers a "did you mean" where a name is close to a valid one.
 */
import { z } from 'zod';
import { suggest } from './suggest.ts';
import {
  type ClusterConfig,
  clusterConfigSchema,
  MAX_MEMBERS,
  type MemberConfig,
  SUPPORTED_MEMBERS,
} from './schema.ts';

export interface ConfigProblem {
  /** Field path as users write it, for example `members[2].services[1]`; empty for the whole document. */
  readonly path: string;
  readonly message: string;
}

export type ConfigResult =
  | { readonly ok: true; readonly config: ClusterConfig; readonly warnings: readonly ConfigProblem[] }
  | { readonly ok: false; readonly errors: readonly ConfigProblem[] };

export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out === '' ? String(part) : `.${String(part)}`;
  }
  return out;
}

export function formatProblem(problem: ConfigProblem): string {
  return problem.path === '' ? problem.message : `${problem.path}: ${problem.message}`;
}

function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return `"${value}"`;
  if (typeof value === 'object') return 'an object';
  return String(value);
}

function valueAt(document: unknown, path: readonly PropertyKey[]): unknown {
  let here: unknown = document;
  for (const part of path) {
    if (here === null || typeof here !== 'object') return undefined;
    here = (here as Record<PropertyKey, unknown>)[part];
  }
  return here;
}

/** What a field is called in messages: `service` for `members[0].services[1]`, `zone` for `.zone`. */
function noun(path: readonly PropertyKey[]): string {
  const last = [...path].reverse().find((p) => typeof p === 'string');
  if (last === 'services') return 'service';
  if (last === 'replication') return 'member id';
  return typeof last === 'string' ? last : 'value';
}

function knownKeysAt(path: readonly PropertyKey[]): readonly string[] {
  let schema: z.ZodType = clusterConfigSchema;
  for (const part of path) {
    const def = unwrap(schema);
    if (def instanceof z.ZodObject) {
      const next = (def.shape as Record<string, z.ZodType>)[String(part)];
      if (!next) return [];
      schema = next;
    } else if (def instanceof z.ZodArray) {
      schema = def.element as z.ZodType;
    } else return [];
  }
  const def = unwrap(schema);
  return def instanceof z.ZodObject ? Object.keys(def.shape) : [];
}

function unwrap(schema: z.ZodType): z.ZodType {
  let s: z.ZodType = schema;
  for (;;) {
    if (s instanceof z.ZodDefault || s instanceof z.ZodPrefault || s instanceof z.ZodOptional) {
      s = s.unwrap() as z.ZodType;
    } else return s;
  }
}

function problemFromIssue(document: unknown, issue: z.core.$ZodIssue): ConfigProblem[] {
  const path = issue.path;
  const at = formatPath(path);
  switch (issue.code) {
    case 'invalid_value': {
      const actual = valueAt(document, path);
      const valid = issue.values.map((v) => String(v));
      const close = typeof actual === 'string' ? suggest(actual, valid) : undefined;
      return [
        {
          path: at,
          message: `unknown ${noun(path)} ${describeValue(actual)}; valid: ${valid.join(', ')}${close ? `; did you mean "${close}"?` : ''}`,
        },
      ];
    }
    case 'unrecognized_keys': {
      const known = knownKeysAt(path);
      return issue.keys.map((key) => {
        const close = suggest(key, known);
        return {
          path: formatPath([...path, key]),
          message: `unknown field; valid here: ${known.join(', ')}${close ? `; did you mean "${close}"?` : ''}`,
        };
      });
    }
    case 'invalid_type': {
      const actual = valueAt(document, path);
      if (actual === undefined) return [{ path: at, message: `missing required field (${issue.expected})` }];
      return [{ path: at, message: `expected ${issue.expected}, got ${describeValue(actual)}` }];
    }
    case 'invalid_union': {
      const actual = valueAt(document, path);
      if (path[path.length - 1] === 'replication') {
        return [{ path: at, message: `expected "all" or a non-empty list of member ids, got ${describeValue(actual)}` }];
      }
      return [{ path: at, message: `invalid value ${describeValue(actual)}` }];
    }
    case 'too_small':
    case 'too_big':
    case 'invalid_format':
      return [{ path: at, message: issue.message }];
    default:
      return [{ path: at, message: issue.message }];
  }
}

/** The first member is the sponsor when none is named (SPEC §4). */
function resolveRoles(members: readonly (Omit<MemberConfig, 'role'> & { readonly role?: string | undefined })[]): MemberConfig[] {
  const named = members.some((m) => m.role === 'sponsor');
  return members.map((m, i) => ({
    ...m,
    role: m.role === 'sponsor' || (!named && i === 0) ? 'sponsor' : 'node',
  }));
}

interface RawMember {
  readonly index: number;
  readonly id: string | undefined;
  readonly role: unknown;
}

function rawMembers(document: unknown): RawMember[] | undefined {
  if (document === null || typeof document !== 'object') return undefined;
  const members = (document as Record<string, unknown>).members;
  if (!Array.isArray(members)) return undefined;
  return members.map((m, index) => {
    const entry = m !== null && typeof m === 'object' ? (m as Record<string, unknown>) : {};
    return { index, id: typeof entry.id === 'string' ? entry.id : undefined, role: entry.role };
  });
}

/**
 * Rules that span fields. They run on the raw document, so that they are reported together with any
 * type errors elsewhere in the file ("every problem at once").
 */
function crossFieldProblems(document: unknown): { errors: ConfigProblem[]; warnings: ConfigProblem[] } {
  const errors: ConfigProblem[] = [];
  const warnings: ConfigProblem[] = [];
  const members = rawMembers(document);
  if (members === undefined) return { errors, warnings };
  if (members.length === 0) errors.push({ path: 'members', message: 'no members; a cluster has at least two (KB 153198)' });
  else if (members.length === 1)
    errors.push({ path: 'members', message: 'only one member; a cluster has at least two (KB 153198)' });
  if (members.length > MAX_MEMBERS)
    errors.push({ path: 'members', message: `${members.length} members; this tool models at most ${MAX_MEMBERS}` });
  else if (members.length > SUPPORTED_MEMBERS)
    warnings.push({
      path: 'members',
      message: `${members.length} members; the vendor supports at most ${SUPPORTED_MEMBERS} in one cluster (KB 153476, KB 154069); checking anyway`,
    });
  const seen = new Map<string, number>();
  for (const m of members) {
    if (m.id === undefined) continue;
    const first = seen.get(m.id);
    if (first !== undefined)
      errors.push({ path: `members[${m.index}].id`, message: `duplicate member id "${m.id}" (also members[${first}])` });
    else seen.set(m.id, m.index);
  }
  const sponsors = members.filter((m) => m.role === 'sponsor');
  const rawList = (document as { members: unknown[] }).members;
  const joinsLater = (i: number) => {
    const entry = rawList[i];
    return entry !== null && typeof entry === 'object' && (entry as Record<string, unknown>).joinsLater === true;
  };
  const sponsorIndex = sponsors[0]?.index ?? (members[0]?.role === undefined ? 0 : undefined);
  if (sponsorIndex !== undefined && joinsLater(sponsorIndex))
    errors.push({ path: `members[${sponsorIndex}].joinsLater`, message: 'the sponsor cannot join later: others join through it (KB 153721)' });
  if (members.length > 0 && members.every((m) => joinsLater(m.index)))
    errors.push({ path: 'members', message: 'every member joins later; at least the sponsor must start in the cluster' });
  if (sponsors.length > 1) {
    const [first, second] = sponsors as [RawMember, RawMember];
    errors.push({
      path: `members[${second.index}].role`,
      message: `a second sponsor ("${second.id}"); members[${first.index}] "${first.id}" is already the sponsor, and a cluster has one`,
    });
  }
  const root = document as Record<string, unknown>;
  const wm = root.webMessenger;
  const replication = wm !== null && typeof wm === 'object' ? (wm as Record<string, unknown>).replication : undefined;
  if (Array.isArray(replication)) {
    replication.forEach((id, i) => {
      if (typeof id === 'string' && !seen.has(id)) {
        const valid = [...seen.keys()];
        const close = suggest(id, valid);
        errors.push({
          path: `webMessenger.replication[${i}]`,
          message: `unknown member id "${id}"; valid: ${valid.join(', ')}${close ? `; did you mean "${close}"?` : ''}`,
        });
      }
    });
  }
  const faults = root.faults;
  const maxDown = faults !== null && typeof faults === 'object' ? (faults as Record<string, unknown>).maxDown : undefined;
  if (typeof maxDown === 'number' && Number.isInteger(maxDown) && members.length > 0 && maxDown > members.length - 1)
    errors.push({
      path: 'faults.maxDown',
      message: `${maxDown} is out of range; valid: 0 to ${members.length - 1} (members - 1)`,
    });
  return { errors, warnings };
}

/** Validates a parsed JSON document (of unknown shape) as a cluster config and resolves its defaults. */
export function validateConfig(document: unknown): ConfigResult {
  if (document === null || typeof document !== 'object' || Array.isArray(document))
    return { ok: false, errors: [{ path: '', message: `a config is a JSON object, got ${describeValue(document)}` }] };
  const parsed = clusterConfigSchema.safeParse(document);
  const crossField = crossFieldProblems(document);
  const errors = [
    ...(parsed.success ? [] : parsed.error.issues.flatMap((issue) => problemFromIssue(document, issue))),
    ...crossField.errors,
  ];
  if (!parsed.success || errors.length > 0) return { ok: false, errors };
  const { $schema: _ignored, ...rest } = parsed.data;
  const config: ClusterConfig = { ...rest, members: resolveRoles(rest.members) };
  return { ok: true, config, warnings: crossField.warnings };
}

/** Like `validateConfig`, for configs written in code (presets, tests): throws on a problem. */
export function resolveConfig(document: unknown): ClusterConfig {
  const result = validateConfig(document);
  if (!result.ok) throw new Error(`invalid config: ${result.errors.map(formatProblem).join('; ')}`);
  return result.config;
}
