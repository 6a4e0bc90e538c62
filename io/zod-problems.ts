/**
 * The one translator from zod's issues to messages for people, for every untrusted document the tool
 * reads (a config, `config/validate.ts`; a counterexample or scenario file, `checker/trace-file.ts` and
 * `traces/counterexample.ts`). Each problem names its field path as users write it (`members[2].services[1]`),
 * says what was wrong and what would be valid, and offers a "did you mean" where a name is close.
 *
 * A document's own words (what a field is called, an example of a valid value, a special case for one
 * union or one list) come in as `Words`; without them the messages are plain and still located.
 */
import { z } from 'zod';
import { suggest } from './suggest.ts';

/** A located problem; a `range` problem gives way to a cross-field rule's at the same path (`config/validate.ts`). */
export interface SchemaProblem {
  /** Field path as users write it; empty for the whole document. */
  readonly path: string;
  readonly message: string;
  readonly range?: boolean;
}

export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out === '' ? String(part) : `.${String(part)}`;
  }
  return out;
}

/** `path: message`, or the message alone for the whole document. */
export function formatProblem(problem: { readonly path: string; readonly message: string }): string {
  return problem.path === '' ? problem.message : `${problem.path}: ${problem.message}`;
}

export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return value.length === 0 ? 'an empty array' : 'an array';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'object') return 'an object';
  return String(value);
}

/** The value at `path` in a parsed JSON document, or undefined where the path leads nowhere. */
export function valueAt(document: unknown, path: readonly PropertyKey[]): unknown {
  let here: unknown = document;
  for (const part of path) {
    if (here === null || typeof here !== 'object') return undefined;
    here = (here as Record<PropertyKey, unknown>)[part];
  }
  return here;
}

export function didYouMean(input: unknown, candidates: readonly string[]): string {
  const close = typeof input === 'string' ? suggest(input, candidates) : undefined;
  return close ? `; did you mean "${close}"?` : '';
}

function unwrap(schema: z.ZodType): z.ZodType {
  let s: z.ZodType = schema;
  for (;;) {
    if (s instanceof z.ZodDefault || s instanceof z.ZodPrefault || s instanceof z.ZodOptional) s = s.unwrap() as z.ZodType;
    else return s;
  }
}

/** The schema of the field at `path` (defaults and optionals unwrapped), if the path leads anywhere. */
export function schemaAt(schema: z.ZodType, path: readonly PropertyKey[]): z.ZodType | undefined {
  let here: z.ZodType = schema;
  for (const part of path) {
    const def = unwrap(here);
    let next: z.ZodType | undefined;
    if (def instanceof z.ZodObject) next = (def.shape as Record<string, z.ZodType>)[String(part)];
    else if (def instanceof z.ZodArray) next = def.element as z.ZodType;
    else if (def instanceof z.ZodRecord) next = def.valueType as z.ZodType;
    if (next === undefined) return undefined;
    here = next;
  }
  return unwrap(here);
}

export function knownKeysAt(schema: z.ZodType, path: readonly PropertyKey[]): readonly string[] {
  const def = schemaAt(schema, path);
  return def instanceof z.ZodObject ? Object.keys(def.shape) : [];
}

/** A hint for the usual slips: quotes around true/false or a number, a single value for a list. */
export function typeHint(expected: string, actual: unknown): string {
  if (expected === 'boolean' && (actual === 'true' || actual === 'false')) return ` (write ${actual} without quotes)`;
  if ((expected === 'number' || expected === 'int') && typeof actual === 'string' && /^-?\d+(\.\d+)?$/.test(actual.trim()))
    return ` (write ${actual.trim()} without quotes)`;
  if (expected === 'array' && typeof actual === 'string') return ` (write [${JSON.stringify(actual)}])`;
  if (expected === 'string' && (typeof actual === 'number' || typeof actual === 'boolean')) return ` (write "${actual}")`;
  return '';
}

/** A document's own words for its messages (all optional). */
export interface Words {
  /** What a field is called: `service` for `members[0].services[1]` (default: its name). */
  noun?(path: readonly PropertyKey[]): string | undefined;
  /** The expected type in words, with an example where one helps (default: `a string`, `an object`...). */
  expected?(expected: string, path: readonly PropertyKey[]): string | undefined;
  /** A message for a union no single branch of which fits. */
  union?(document: unknown, path: readonly PropertyKey[], actual: unknown): SchemaProblem | undefined;
  /** A message for a value too small or too big. */
  size?(document: unknown, issue: z.core.$ZodIssueTooSmall | z.core.$ZodIssueTooBig, path: readonly PropertyKey[]): SchemaProblem | undefined;
}

const EXPECTED: Readonly<Record<string, string>> = {
  string: 'a string',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  array: 'an array',
  object: 'an object',
  record: 'an object',
};

/** Issues of a union: those of the one branch whose shape fits the value, when exactly one does. */
function fittingBranch(issue: z.core.$ZodIssueInvalidUnion): readonly z.core.$ZodIssue[] | undefined {
  const wrongShape = (branch: readonly z.core.$ZodIssue[]) => branch.some((i) => i.path.length === 0 && (i.code === 'invalid_type' || i.code === 'invalid_value'));
  const fitting = issue.errors.filter((branch) => !wrongShape(branch));
  return fitting.length === 1 ? fitting[0] : undefined;
}

function nounOf(path: readonly PropertyKey[], words: Words): string {
  const named = words.noun?.(path);
  if (named !== undefined) return named;
  const last = [...path].reverse().find((p) => typeof p === 'string');
  return typeof last === 'string' ? last : 'value';
}

/** The messages for one of zod's issues on `document` (checked against `schema`). */
export function issueProblems(
  schema: z.ZodType,
  document: unknown,
  issue: z.core.$ZodIssue,
  words: Words = {},
  prefix: readonly PropertyKey[] = [],
): SchemaProblem[] {
  const path = [...prefix, ...issue.path];
  const at = formatPath(path);
  const actual = valueAt(document, path);
  switch (issue.code) {
    case 'invalid_value': {
      const valid = issue.values.map((v) => String(v));
      if (actual === undefined) return [{ path: at, message: `missing required field; expected one of ${valid.join(', ')}` }];
      if (typeof actual !== 'string') return [{ path: at, message: `expected one of ${valid.join(', ')}; got ${describeValue(actual)}` }];
      return [{ path: at, message: `unknown ${nounOf(path, words)} ${describeValue(actual)}; valid: ${valid.join(', ')}${didYouMean(actual, valid)}` }];
    }
    case 'unrecognized_keys': {
      const known = knownKeysAt(schema, path);
      return issue.keys.map((key) => ({ path: formatPath([...path, key]), message: `unknown field; valid here: ${known.join(', ')}${didYouMean(key, known)}` }));
    }
    case 'invalid_type': {
      const expected = words.expected?.(issue.expected, path) ?? EXPECTED[issue.expected] ?? issue.expected;
      if (actual === undefined) return [{ path: at, message: `missing required field; expected ${expected}` }];
      return [{ path: at, message: `expected ${expected}, got ${describeValue(actual)}${typeHint(issue.expected, actual)}` }];
    }
    case 'invalid_union': {
      const branch = fittingBranch(issue);
      if (branch !== undefined) return branch.flatMap((inner) => issueProblems(schema, document, inner, words, path));
      const special = words.union?.(document, path, actual);
      return [special ?? { path: at, message: `invalid value ${describeValue(actual)}` }];
    }
    case 'too_small':
    case 'too_big': {
      const special = words.size?.(document, issue, path);
      if (special !== undefined) return [special];
      if (issue.origin === 'number' || issue.origin === 'int' || issue.origin === 'bigint') {
        const bound = issue.code === 'too_small' ? `${issue.minimum} or more` : `${issue.maximum} or less`;
        return [{ path: at, message: `${describeValue(actual)} is out of range; valid: ${bound}`, range: true }];
      }
      if (issue.origin === 'string' && issue.code === 'too_small' && Number(issue.minimum) === 1) return [{ path: at, message: 'empty; expected a non-empty string' }];
      return [{ path: at, message: issue.message }];
    }
    case 'invalid_format':
      return [{ path: at, message: `invalid ${nounOf(path, words)} ${describeValue(actual)}: ${issue.message}` }];
    default:
      return [{ path: at, message: issue.message }];
  }
}

/** Every issue's messages, as `path: message` lines. */
export function schemaProblems(schema: z.ZodType, document: unknown, issues: readonly z.core.$ZodIssue[], words: Words = {}): string[] {
  return issues.flatMap((issue) => issueProblems(schema, document, issue, words)).map(formatProblem);
}
