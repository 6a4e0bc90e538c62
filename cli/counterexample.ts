/**
 * Counterexample files (SPEC §8) and scenario files (SPEC §7 `replay`): their format, their names, and
 * loading them with a clear message for every problem (exit 2, naming the file and the field or step).
 *
 * A counterexample file:
 *
 * ```json
 * {
 *   "formatVersion": 1,
 *   "property": "survivor-convergence",
 *   "expect": "violated",
 *   "violation": { "step": 2, "message": "with m1 down ...", "rounds": 1 },
 *   "actions": [{ "type": "crash", "member": "m1" }, ...],
 *   "found": { "seed": 7, "runs": 4, "originalLength": 9, "path": "3:4", "maxRuns": 500, "maxLength": 12, "command": "npx ..." },
 *   "config": { ...the full resolved config... },
 *   "states": [{ "m1": { "up": false, "status": "down", "records": ["policy:default"] }, ...}, ...]
 * }
 * ```
 *
 * `expect` is what the file must keep showing: `"violated"` documents a known risk that must keep
 * reproducing; `"holds"` documents a risk that was fixed and must stay fixed (the trace must no longer
 * violate the property). `states` holds the members after each step as recorded when the file was saved:
 * when a replay no longer shows what the file records, it names the first step that now differs.
 *
 * A scenario file is `{"preset": NAME}` or `{"config": {...}}` plus `"actions": [...]` (and optionally
 * `"name"` and `"description"`): "what happens if...", replayed against every property.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { findPreset, PRESETS } from '../config/presets.ts';
import type { ClusterConfig } from '../config/schema.ts';
import { suggest } from '../config/suggest.ts';
import { formatPath, formatProblem, validateConfig, valueAt } from '../config/validate.ts';
import { ACTION_TYPES, type Action, type ActionType, describeAction } from '../model/actions.ts';
import { ACTIONS } from '../model/step.ts';
import { findProperty, PROPERTIES } from '../properties/index.ts';
import type { ClusterProperty } from '../properties/types.ts';
import { usageErrors } from './io.ts';
import { readJsonFile } from './load.ts';
import { type Snapshot, tellTrace } from './replay-story.ts';
import { makeTarget, type Target } from './target.ts';

/** The longest trace a counterexample or scenario file may hold. */
export const MAX_TRACE_ACTIONS = 10_000;

/** The format version this tool writes and reads. */
export const FORMAT_VERSION = 1;

export type Expectation = 'violated' | 'holds';

/** How the violation was found: enough to re-run the search that found it. */
export interface FoundBy {
  readonly seed: number;
  /** Traces run up to and including the first violating one. */
  readonly runs: number;
  /** Length of the violating trace as first generated, before shrinking. */
  readonly originalLength: number;
  /** fast-check's path to the failing case (`check --seed S --path P`). */
  readonly path?: string;
  /** The search's budget: traces per property and the longest trace. */
  readonly maxRuns?: number;
  readonly maxLength?: number;
  /** The command that re-runs the search straight to the failing case. */
  readonly command?: string;
}

export interface RecordedViolation {
  /** After this many actions (for `eventually` properties: the whole trace, then settling). */
  readonly step: number;
  readonly message: string;
  /** Replication rounds settling took. */
  readonly rounds?: number;
}

export interface CounterexampleDocument {
  readonly formatVersion: typeof FORMAT_VERSION;
  readonly property: string;
  readonly expect: Expectation;
  /** Free text for people, for example why a risk was marked fixed. */
  readonly note?: string;
  readonly violation: RecordedViolation;
  readonly actions: readonly Action[];
  readonly found: FoundBy;
  readonly config: ClusterConfig;
  /** The members after each step, as recorded when saved. */
  readonly states?: readonly Snapshot[];
}

export interface LoadedCounterexample {
  readonly kind: 'counterexample';
  readonly file: string;
  readonly document: CounterexampleDocument;
  readonly target: Target;
  readonly property: ClusterProperty;
}

export interface LoadedScenario {
  readonly kind: 'scenario';
  readonly file: string;
  readonly name: string;
  readonly description: string | undefined;
  /** The preset it names, if it names one. */
  readonly preset: string | undefined;
  readonly target: Target;
  readonly actions: readonly Action[];
}

export type LoadedTraceFile = LoadedCounterexample | LoadedScenario;

// ---------------------------------------------------------------------------------------------------
// Schemas. Actions are checked in two stages: here only that each is an object with a `type`; then
// against the model's own vocabulary (`actionFieldProblems`: each type's declared `fields`), so a new
// action type needs no change here.

const actionShape = z.looseObject({ type: z.string() });

const snapshotSchema = z.record(
  z.string(),
  z.strictObject({ up: z.boolean(), status: z.string(), records: z.array(z.string()) }),
);

const counterexampleSchema = z.strictObject({
  $schema: z.string().optional(),
  formatVersion: z.literal(FORMAT_VERSION),
  property: z.string().min(1),
  expect: z.enum(['violated', 'holds']),
  note: z.string().optional(),
  violation: z.strictObject({
    step: z.number().int().min(0),
    message: z.string().min(1),
    rounds: z.number().int().min(0).optional(),
  }),
  actions: z.array(actionShape),
  found: z.looseObject({
    seed: z.number().int(),
    runs: z.number().int().min(0),
    originalLength: z.number().int().min(0),
    path: z.string().optional(),
    maxRuns: z.number().int().min(1).optional(),
    maxLength: z.number().int().min(1).optional(),
    command: z.string().optional(),
  }),
  config: z.record(z.string(), z.unknown()),
  states: z.array(snapshotSchema).optional(),
});

const scenarioSchema = z.strictObject({
  $schema: z.string().optional(),
  name: z.string().min(1).optional(),
  description: z.string().optional(),
  preset: z.string().optional(),
  config: z.record(z.string(), z.unknown()).optional(),
  actions: z.array(actionShape),
});

/** Keys that only a counterexample file has: a file with any of them and no `formatVersion` lacks it. */
const COUNTEREXAMPLE_ONLY = ['formatVersion', 'property', 'expect', 'violation', 'found', 'states'];

// ---------------------------------------------------------------------------------------------------
// Messages for schema problems.

function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'object') return 'an object';
  return String(value);
}

function knownKeys(schema: z.ZodType, path: readonly PropertyKey[]): string[] {
  let here: z.ZodType | undefined = schema;
  for (const part of path) {
    while (here instanceof z.ZodOptional) here = here.unwrap() as z.ZodType;
    if (here instanceof z.ZodObject) here = (here.shape as Record<string, z.ZodType>)[String(part)];
    else if (here instanceof z.ZodArray) here = here.element as z.ZodType;
    else if (here instanceof z.ZodRecord) here = here.valueType as z.ZodType;
    else return [];
    if (here === undefined) return [];
  }
  while (here instanceof z.ZodOptional) here = here.unwrap() as z.ZodType;
  return here instanceof z.ZodObject ? Object.keys(here.shape) : [];
}

function schemaProblems(schema: z.ZodType, document: unknown, issues: readonly z.core.$ZodIssue[]): string[] {
  return issues.flatMap((issue) => {
    const at = formatPath(issue.path);
    const where = at === '' ? '' : `${at}: `;
    const actual = valueAt(document, issue.path);
    switch (issue.code) {
      case 'invalid_type': {
        const expected = issue.expected === 'record' ? 'object' : issue.expected;
        return [actual === undefined ? `${where}missing required field (${expected})` : `${where}expected ${expected}, got ${describeValue(actual)}`];
      }
      case 'invalid_value': {
        const valid = issue.values.map((v) => JSON.stringify(v));
        if (actual === undefined) return [`${where}missing required field (one of ${valid.join(', ')})`];
        const close = typeof actual === 'string' ? suggest(actual, issue.values.map(String)) : undefined;
        return [`${where}${describeValue(actual)} is not valid; valid: ${valid.join(', ')}${close ? `; did you mean "${close}"?` : ''}`];
      }
      case 'unrecognized_keys': {
        const known = knownKeys(schema, issue.path);
        return issue.keys.map((key) => {
          const close = suggest(key, known);
          return `${formatPath([...issue.path, key])}: unknown field; valid here: ${known.join(', ')}${close ? `; did you mean "${close}"?` : ''}`;
        });
      }
      default:
        return [`${where}${issue.message}`];
    }
  });
}

// ---------------------------------------------------------------------------------------------------
// Actions against the model's vocabulary.

function typeName(value: unknown): string {
  if (Array.isArray(value)) return 'array';
  if (value === null) return 'null';
  return typeof value;
}

/** A field of an action as its declaration gives it (`fields` in `ACTIONS`): a type's name, or an object's fields. */
type FieldSpec = string | { readonly [key: string]: FieldSpec };

/** The name of a field's type, without the `?` of an optional one. */
function specName(spec: FieldSpec): string {
  return typeof spec === 'string' ? spec.replace(/\?$/, '') : 'object';
}

function shapeProblems(value: unknown, spec: FieldSpec, path: string, what: string): string[] {
  if (typeof spec !== 'string') {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return [`${path}: expected an object, got ${describeValue(value)}`];
    const given = value as Record<string, unknown>;
    const problems: string[] = [];
    for (const [key, field] of Object.entries(spec)) {
      if (!Object.hasOwn(given, key)) {
        if (typeof field !== 'string' || !field.endsWith('?')) problems.push(`${path}.${key}: missing required field (${specName(field)}) of ${what}`);
      } else for (const p of shapeProblems(given[key], field, `${path}.${key}`, what)) problems.push(p);
    }
    for (const key of Object.keys(given)) {
      if (Object.hasOwn(spec, key)) continue;
      const close = suggest(key, Object.keys(spec));
      problems.push(`${path}.${key}: unknown field of ${what}; valid: ${Object.keys(spec).join(', ')}${close ? `; did you mean "${close}"?` : ''}`);
    }
    return problems;
  }
  return typeName(value) === specName(spec) ? [] : [`${path}: expected ${specName(spec)}, got ${describeValue(value)}`];
}

/**
 * Problems with one action of a file (at `at`, as in `actions[3]`) against the model's vocabulary: an
 * unknown type (with the closest one), missing or unknown fields, wrong types (its declaration's `fields`).
 */
export function actionFieldProblems(action: Record<string, unknown>, at: string): string[] {
  if (!(ACTION_TYPES as readonly string[]).includes(action.type as string)) {
    const close = suggest(String(action.type), ACTION_TYPES);
    return [`${at}.type: unknown action type ${JSON.stringify(action.type)}; valid: ${ACTION_TYPES.join(', ')}${close ? `; did you mean "${close}"?` : ''}`];
  }
  const type = action.type as ActionType;
  return shapeProblems(action, { type: 'string', ...(ACTIONS[type].fields as unknown as Record<string, FieldSpec>) }, at, `a ${type} action`);
}

/**
 * Problems with the actions of a file: unknown types, missing or unknown fields, wrong types (against the
 * model's vocabulary), then, if there are none and `replay` is set (nothing else is wrong with the file),
 * the first action that is not enabled at its step (`whyDisabled`).
 */
function actionProblems(target: Target, actions: readonly Record<string, unknown>[], replay: boolean): string[] {
  const problems = actions.flatMap((action, i) => actionFieldProblems(action, `actions[${i}]`));
  if (problems.length > 0 || !replay) return problems;
  const story = tellTrace(target, actions as unknown as Action[]);
  if (story.kind === 'disabled')
    return [`actions[${story.step - 1}] (step ${story.step}, "${describeAction(story.action)}"): not enabled at this step: ${story.why}`];
  return [];
}

// ---------------------------------------------------------------------------------------------------
// Loading.

function configProblems(raw: unknown, field: string): { config?: ClusterConfig; problems: string[] } {
  const result = validateConfig(raw);
  if (!result.ok) return { problems: result.errors.map((p) => `${field}${p.path === '' ? '' : p.path.startsWith('[') ? '' : '.'}${formatProblem(p)}`) };
  return { config: result.config, problems: [] };
}

/** Validates a parsed counterexample or scenario document; throws a `UsageError` listing every problem. */
export function parseTraceDocument(file: string, document: unknown): LoadedTraceFile {
  const fail = (problems: readonly string[]) => usageErrors(problems, `${file}: `);
  if (document === null || typeof document !== 'object' || Array.isArray(document))
    throw fail([`a counterexample or scenario file is a JSON object, got ${describeValue(document)}`]);
  const doc = document as Record<string, unknown>;
  if (Array.isArray(doc.actions) && doc.actions.length > MAX_TRACE_ACTIONS)
    throw fail([`actions: ${doc.actions.length} actions; a trace file holds at most ${MAX_TRACE_ACTIONS} (check --length goes up to 1000)`]);
  if ('formatVersion' in doc) return parseCounterexample(doc, fail, file);
  const stray = COUNTEREXAMPLE_ONLY.filter((k) => k in doc);
  if (stray.length > 0)
    throw fail([
      `formatVersion: missing required field; a counterexample file starts with "formatVersion": ${FORMAT_VERSION} (this one has ${stray.map((k) => `"${k}"`).join(', ')}); a scenario file has only "preset" or "config", "actions", "name" and "description"`,
    ]);
  return parseScenario(doc, fail, file);
}

/** The raw `actions` of a document, when it is a list of objects with a string `type` (else the schema says why). */
function rawActions(doc: Record<string, unknown>): Record<string, unknown>[] | undefined {
  const actions = doc.actions;
  if (!Array.isArray(actions)) return undefined;
  if (!actions.every((a) => a !== null && typeof a === 'object' && !Array.isArray(a) && typeof (a as { type?: unknown }).type === 'string'))
    return undefined;
  return actions as Record<string, unknown>[];
}

function parseCounterexample(doc: Record<string, unknown>, fail: (p: readonly string[]) => Error, file: string): LoadedCounterexample {
  if (doc.formatVersion !== FORMAT_VERSION)
    throw fail([
      `formatVersion: unsupported format version ${describeValue(doc.formatVersion)}; this version of pgp-cluster-check reads version ${FORMAT_VERSION}`,
    ]);
  const parsed = counterexampleSchema.safeParse(doc);
  const problems = parsed.success ? [] : schemaProblems(counterexampleSchema, doc, parsed.error.issues);
  const property = typeof doc.property === 'string' ? findProperty(doc.property) : undefined;
  if (typeof doc.property === 'string' && property === undefined) {
    const names = PROPERTIES.map((p) => p.name);
    const close = suggest(doc.property, names);
    problems.push(`property: unknown property "${doc.property}"; valid: ${names.join(', ')}${close ? `; did you mean "${close}"?` : ''}`);
  }
  const { config, problems: configIssues } =
    doc.config !== null && typeof doc.config === 'object' && !Array.isArray(doc.config) ? configProblems(doc.config, 'config') : { problems: [] };
  for (const p of configIssues) problems.push(p);
  // The actions can be checked against the model as soon as the config is valid, whatever else is wrong.
  const target = config === undefined ? undefined : makeTarget(config);
  const actions = rawActions(doc);
  if (target !== undefined && actions !== undefined) for (const p of actionProblems(target, actions, problems.length === 0)) problems.push(p);
  if (parsed.success && actions !== undefined) {
    if (parsed.data.violation.step > actions.length)
      problems.push(`violation.step: ${parsed.data.violation.step} is past the last action (the file has ${actions.length})`);
    if (parsed.data.states !== undefined && parsed.data.states.length !== actions.length)
      problems.push(`states: ${parsed.data.states.length} recorded states for ${actions.length} actions; expected one per action`);
  }
  if (problems.length > 0 || !parsed.success || target === undefined || property === undefined) throw fail(problems);
  const { $schema: _schema, ...rest } = parsed.data;
  const document: CounterexampleDocument = {
    ...rest,
    formatVersion: FORMAT_VERSION,
    config: target.config,
    actions: parsed.data.actions as unknown as Action[],
    found: parsed.data.found as FoundBy,
  };
  return { kind: 'counterexample', file, document, target, property };
}

function parseScenario(doc: Record<string, unknown>, fail: (p: readonly string[]) => Error, file: string): LoadedScenario {
  const parsed = scenarioSchema.safeParse(doc);
  const problems = parsed.success ? [] : schemaProblems(scenarioSchema, doc, parsed.error.issues);
  let config: ClusterConfig | undefined;
  if ('preset' in doc && 'config' in doc) problems.push('give "preset" or "config", not both');
  else if (!('preset' in doc) && !('config' in doc))
    problems.push('a scenario names a "preset" or gives a "config" (a counterexample file starts with "formatVersion")');
  else if (typeof doc.preset === 'string') {
    const preset = findPreset(doc.preset);
    if (preset) config = preset.config;
    else {
      const names = PRESETS.map((p) => p.name);
      const close = suggest(doc.preset, names);
      problems.push(`preset: unknown preset "${doc.preset}"; valid: ${names.join(', ')}${close ? `; did you mean "${close}"?` : ''}`);
    }
  } else if (doc.config !== null && typeof doc.config === 'object' && !Array.isArray(doc.config)) {
    const checked = configProblems(doc.config, 'config');
    for (const p of checked.problems) problems.push(p);
    config = checked.config;
  }
  const target = config === undefined ? undefined : makeTarget(config);
  const actions = rawActions(doc);
  if (target !== undefined && actions !== undefined) for (const p of actionProblems(target, actions, problems.length === 0)) problems.push(p);
  if (problems.length > 0 || !parsed.success || target === undefined) throw fail(problems);
  return {
    kind: 'scenario',
    file,
    name: parsed.data.name ?? target.config.name,
    description: parsed.data.description,
    preset: parsed.data.preset,
    target,
    actions: parsed.data.actions as unknown as Action[],
  };
}

/** Reads and validates a counterexample or scenario file; throws a `UsageError` (exit 2) on any problem. */
export function loadTraceFile(file: string): LoadedTraceFile {
  return parseTraceDocument(file, readJsonFile(file));
}

// ---------------------------------------------------------------------------------------------------
// Names, hashes and text.

/** JSON with every object's keys sorted, so equal data always gives equal text. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** What makes two counterexamples the same: the config, the property and the actions. */
export function identityOf(config: ClusterConfig, property: string, actions: readonly Action[]): string {
  return canonicalJson({ config, property, actions });
}

/**
 * The config fields that file names have been hashed over since format 1, section by section (`""`: the
 * top level, `members`: each member). A record of what the corpus was named with, not a copy of the
 * schema: a field the schema gains later enters a name's hash only where a config sets it to something
 * other than its default, so adding an option with a default renames no file, and the shipped names stay
 * valid.
 */
const NAMED_FIELDS: Readonly<Record<string, readonly string[]>> = {
  '': ['name', 'members', 'webMessenger', 'loadBalancer', 'faults', 'keyCache', 'assumptions'],
  members: ['id', 'role', 'zone', 'services', 'privateKeys', 'joinsLater'],
  webMessenger: ['accountMode', 'replication', 'switchTo'],
  loadBalancer: ['clusterHostname', 'holdsRejoiningMembers'],
  faults: ['maxDown', 'partitions', 'removeMember', 'upgrades', 'maxOutageDays'],
  keyCache: ['keyserverTtlHours'],
  assumptions: ['dmzAfterRemoval', 'joinWhenSponsorDown'],
};

type Loose = Record<string, unknown>;

/** Today's defaults: a minimal config resolved (its second member is a default node). */
function schemaDefaults(): { config: Loose; member: Loose } {
  const resolved = validateConfig({ members: [{ id: 'a' }, { id: 'b' }] });
  if (!resolved.ok) throw new Error('internal error: the minimal config is invalid');
  return { config: resolved.config as unknown as Loose, member: resolved.config.members[1] as unknown as Loose };
}

/** An object without the fields outside `named` that hold their default. */
function withoutNewDefaults(value: Loose, named: readonly string[] | undefined, defaults: Loose | undefined): Loose {
  return Object.fromEntries(
    Object.entries(value).filter(([key, v]) => named === undefined || named.includes(key) || canonicalJson(v) !== canonicalJson(defaults?.[key])),
  );
}

/** The config as names hash it: format 1's fields, and any later field that differs from its default. */
export function namedConfig(config: ClusterConfig, defaults: { config: Loose; member: Loose } = schemaDefaults()): Loose {
  const top = withoutNewDefaults(config as unknown as Loose, NAMED_FIELDS[''], defaults.config);
  for (const [section, value] of Object.entries(top)) {
    if (section === 'members' && Array.isArray(value)) top.members = value.map((m: Loose) => withoutNewDefaults(m, NAMED_FIELDS.members, defaults.member));
    else if (NAMED_FIELDS[section] !== undefined && value !== null && typeof value === 'object')
      top[section] = withoutNewDefaults(value as Loose, NAMED_FIELDS[section], defaults.config[section] as Loose | undefined);
  }
  return top;
}

/** A short content hash of config (as `namedConfig` gives it) + property + actions (8 hex digits of SHA-256). */
export function contentHash(config: ClusterConfig, property: string, actions: readonly Action[]): string {
  return createHash('sha256')
    .update(canonicalJson({ config: namedConfig(config), property, actions }))
    .digest('hex')
    .slice(0, 8);
}

/** A config name made safe for a file name. */
export function fileSlug(name: string): string {
  const slug = name
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/^[-.]+|-+$/g, '')
    .slice(0, 48);
  return slug === '' ? 'config' : slug;
}

/** `dmz-ring--survivor-convergence--1a2b3c4d.json`: stable and readable. */
export function counterexampleName(config: ClusterConfig, property: string, actions: readonly Action[]): string {
  return `${fileSlug(config.name)}--${property}--${contentHash(config, property, actions)}.json`;
}

/**
 * JSON for people: a value that fits in `width` characters stays on one line (an action, a member's
 * snapshot), larger ones are spread out with two-space indentation.
 */
export function prettyJson(value: unknown, width = 110, indent = ''): string {
  const flat = oneLineJson(value);
  if (value === null || typeof value !== 'object' || indent.length + flat.length <= width) return flat;
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    return `[\n${value.map((v) => inner + prettyJson(v, width, inner)).join(',\n')}\n${indent}]`;
  }
  const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
  if (entries.length === 0) return '{}';
  return `{\n${entries.map(([k, v]) => `${inner}${JSON.stringify(k)}: ${prettyJson(v, width, inner)}`).join(',\n')}\n${indent}}`;
}

/** JSON on one line with a space after each comma and colon: `{"type": "crash", "member": "m1"}`. */
function oneLineJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(oneLineJson).join(', ')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}: ${oneLineJson(v)}`).join(', ')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** The text of a counterexample file, keys in the order people read them. */
export function counterexampleText(document: CounterexampleDocument): string {
  const { formatVersion, property, expect, note, violation, actions, found, config, states } = document;
  return `${prettyJson({ formatVersion, property, expect, note, violation, actions, found, config, states })}\n`;
}

/** Builds the document for a violation found by `check`, with the members after each step. */
export function buildCounterexample(
  target: Target,
  property: string,
  actions: readonly Action[],
  violation: RecordedViolation,
  found: FoundBy,
): CounterexampleDocument {
  const story = tellTrace(target, actions);
  if (story.kind === 'disabled') throw new Error(`internal error: step ${story.step} of a found counterexample is not enabled: ${story.why}`);
  return {
    formatVersion: FORMAT_VERSION,
    property,
    expect: 'violated',
    violation,
    actions,
    found,
    config: target.config,
    states: story.steps.map((s) => s.members),
  };
}
