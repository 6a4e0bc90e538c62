/**
 * Counterexample files (docs/counterexamples.md, saving) and scenario files (README, command line `replay`): their format, their names, and
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
import { replaySteps } from '../checker/replay.ts';
import {
  type Expectation,
  FORMAT_VERSION,
  type FoundBy,
  MAX_TRACE_ACTIONS,
  parseTrace,
  type RecordedViolation,
  TRACE_FILE_WORDS,
  type TraceDocument,
  type TraceFileExtra,
} from '../checker/trace-file.ts';
import type { Violation } from '../checker/types.ts';
import { findPreset, PRESETS } from '../config/presets.ts';
import type { ClusterConfig } from '../config/schema.ts';
import { suggest } from '../io/suggest.ts';
import { validateConfig } from '../config/validate.ts';
import { describeValue, schemaProblems } from '../io/zod-problems.ts';
import type { Action } from '../model/actions.ts';
import { describeAction } from '../model/step.ts';
import type { ClusterState } from '../model/state.ts';
import { findProperty } from '../properties/index.ts';
import type { ClusterProperty } from '../properties/types.ts';
import { usageErrors } from '../io/io.ts';
import { readJsonFile } from '../pgp/load.ts';
import { parseAction, parseClusterConfig, type PgpInstance, pgpPlugin } from '../pgp/plugin.ts';

/** One action of a file against the model's vocabulary (the PGP codec, `pgp/plugin.ts`). */
export { actionFieldProblems } from '../pgp/plugin.ts';
import { tellTrace } from '../pgp/story.ts';
import type { Snapshot } from '../pgp/story-snapshot.ts';
import { makeTarget, type Target } from '../pgp/target.ts';

/** The longest trace a counterexample or scenario file may hold (`checker/trace-file.ts`). */
export { MAX_TRACE_ACTIONS };

/** The format version this tool writes and reads. */
export { FORMAT_VERSION };

export type { Expectation, FoundBy, RecordedViolation };

/** A counterexample file: the generic trace file (`checker/trace-file.ts`) and the members after each step. */
export interface CounterexampleDocument extends TraceDocument<ClusterConfig, Action> {
  /** The members after each step, as recorded when saved. */
  readonly states?: readonly Snapshot[];
}

export interface LoadedCounterexample {
  readonly kind: 'counterexample';
  readonly file: string;
  readonly document: CounterexampleDocument;
  readonly target: Target;
  readonly property: ClusterProperty;
  /** The one run of its trace (the loader's): every state, and the violation it shows now; absent, the replay runs it. */
  readonly run?: { readonly states: readonly ClusterState[]; readonly violation: Violation | undefined };
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
  /** The states of its one run (the loader's), the initial one first; absent, the replay runs it. */
  readonly states?: readonly ClusterState[];
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

/** What a counterexample file adds to the generic trace file. */
const COUNTEREXAMPLE_EXTRA: TraceFileExtra<Action> = {
  shape: { $schema: z.string().optional(), states: z.array(snapshotSchema).optional() },
  problems: (document, actions) => {
    const states = document.states as readonly unknown[] | undefined;
    return states !== undefined && states.length !== actions.length
      ? [`states: ${states.length} recorded states for ${actions.length} actions; expected one per action`]
      : [];
  },
};

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

// ---------------------------------------------------------------------------------------------------
// Actions against the model's vocabulary.

/**
 * Problems with the actions of a scenario: each through the PGP codec (`pgp/plugin.ts`), then, if
 * there are none and `replay` is set (nothing else is wrong with the file), the first action that is not
 * enabled at its step. Returns the states of that one run, for the replay to tell.
 */
function actionProblems(target: Target, actions: readonly unknown[], replay: boolean): { problems: string[]; states?: readonly ClusterState[] } {
  const problems = actions.flatMap((action, i) => {
    const parsed = parseAction(action, `actions[${i}]`);
    return parsed.ok ? [] : [...parsed.problems];
  });
  if (problems.length > 0 || !replay) return { problems };
  const run = replaySteps(target.model, actions as Action[]);
  if (run.kind === 'disabled')
    return { problems: [`actions[${run.step - 1}] (step ${run.step}, "${describeAction(run.action)}"): not enabled at this step: ${run.why}`] };
  return { problems: [], states: [run.initial, ...run.steps.map((s) => s.after)] };
}

// ---------------------------------------------------------------------------------------------------
// Loading.

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
  const parsed = parseTrace<ClusterConfig, ClusterState, Action, PgpInstance, CounterexampleDocument>(pgpPlugin, doc, COUNTEREXAMPLE_EXTRA);
  if (!parsed.ok) throw fail(parsed.problems);
  const { document, instance, property, run } = parsed.value;
  return { kind: 'counterexample', file, document, target: instance.target, property: findProperty(property.name)!, run };
}

function parseScenario(doc: Record<string, unknown>, fail: (p: readonly string[]) => Error, file: string): LoadedScenario {
  const parsed = scenarioSchema.safeParse(doc);
  const problems = parsed.success ? [] : schemaProblems(scenarioSchema, doc, parsed.error.issues, TRACE_FILE_WORDS);
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
    const checked = parseClusterConfig(doc.config, 'config');
    if (checked.ok) config = checked.value;
    else problems.push(...checked.problems);
  }
  const target = config === undefined ? undefined : makeTarget(config);
  const actions = rawActions(doc);
  const checked = target !== undefined && actions !== undefined ? actionProblems(target, actions, problems.length === 0) : undefined;
  if (checked !== undefined) problems.push(...checked.problems);
  if (problems.length > 0 || !parsed.success || target === undefined || checked?.states === undefined) throw fail(problems);
  return {
    kind: 'scenario',
    file,
    name: parsed.data.name ?? target.config.name,
    description: parsed.data.description,
    preset: parsed.data.preset,
    target,
    actions: parsed.data.actions as unknown as Action[],
    states: checked.states,
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
