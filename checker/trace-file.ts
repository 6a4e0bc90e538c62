/**
 * Saved counterexamples for any plug-in (`checker/plugin.ts`): the trace-file format, building a file
 * from a `check` result, loading one with a located message for every problem, and replaying it once.
 *
 * ```json
 * { "formatVersion": 1, "property": "consistent", "expect": "violated",
 *   "violation": { "step": 4, "message": "RM 0 committed while RM 1 aborted" },
 *   "actions": [...the plug-in's encoded actions...],
 *   "found": { "seed": 7, "runs": 4, "originalLength": 9, "path": "3:4" },
 *   "config": { ...the plug-in's config... } }
 * ```
 *
 * `expect` is what the file must keep showing: `"violated"` (a known risk that must keep reproducing, at
 * the recorded step) or `"holds"` (a risk that was fixed and must stay fixed). A plug-in may add fields
 * of its own (`extra.shape`; the PGP files record the members after each step).
 *
 * Loading validates the file and runs its trace once (`runTrace`), judging its property at every step;
 * the replay's verdict is read off that one run (`replayTrace`).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { suggest } from '../io/suggest.ts';
import { describeValue, schemaProblems, type Words } from '../io/zod-problems.ts';
import type { Instance, InstanceProperty, Parsed, Plugin } from './plugin.ts';
import type { PropertyCheck } from './judge.ts';
import { runTrace } from './trace.ts';
import type { Violation } from './types.ts';

/** The format version this tool writes and reads. */
export const FORMAT_VERSION = 1;

/** The longest trace a trace file may hold. */
export const MAX_TRACE_ACTIONS = 10_000;

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
  /** After this many actions (0: the initial state). */
  readonly step: number;
  readonly message: string;
  /** Rounds settling took (eventually properties). */
  readonly rounds?: number;
}

export interface TraceDocument<C, A> {
  readonly formatVersion: typeof FORMAT_VERSION;
  readonly property: string;
  readonly expect: Expectation;
  /** Free text for people, for example why a risk was marked fixed. */
  readonly note?: string;
  readonly violation: RecordedViolation;
  readonly actions: readonly A[];
  readonly found: FoundBy;
  readonly config: C;
}

/** The fields of every trace file; a plug-in's own are added with `extra.shape`. */
export const TRACE_FILE_SHAPE = {
  formatVersion: z.literal(FORMAT_VERSION),
  property: z.string().min(1),
  expect: z.enum(['violated', 'holds']),
  note: z.string().optional(),
  violation: z.strictObject({
    step: z.number().int().min(0),
    message: z.string().min(1),
    rounds: z.number().int().min(0).optional(),
  }),
  actions: z.array(z.unknown()),
  found: z.looseObject({
    seed: z.number().int(),
    runs: z.number().int().min(0),
    originalLength: z.number().int().min(0),
    path: z.string().optional(),
    maxRuns: z.number().int().min(1).optional(),
    maxLength: z.number().int().min(1).optional(),
    command: z.string().optional(),
  }),
  /** A config is an object; what is in it is the plug-in's business (`parseConfig`). */
  config: z.record(z.string(), z.unknown()),
};

/** A trace file's own words for the shared translator (`io/zod-problems.ts`). */
export const TRACE_FILE_WORDS: Words = {
  noun: (path) => (path[path.length - 1] === 'expect' ? 'expectation' : undefined),
};

/** A loaded trace file: its document, its config's instance and property, and the one run of its trace. */
export interface LoadedTrace<C, S, A, I extends Instance<S, A>, D extends TraceDocument<C, A> = TraceDocument<C, A>> {
  readonly file: string;
  readonly document: D;
  readonly instance: I;
  readonly property: InstanceProperty<S>;
  /** Every state of the trace (the initial one first) and the violation it shows now, if any. */
  readonly run: { readonly states: readonly S[]; readonly violation: Violation | undefined };
}

/** What a plug-in adds to its trace files. */
export interface TraceFileExtra<A> {
  /** Fields of its own (zod shapes). */
  readonly shape?: z.ZodRawShape;
  /** Checks of its own fields against the parsed document and its actions. */
  problems?(document: Record<string, unknown>, actions: readonly A[]): string[];
  /** Words for the names it uses in messages (the tool's name in a version message). */
  readonly tool?: string;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** The actions of a document through the plug-in's codec, or their problems. */
function parseActions<C, S, A, I extends Instance<S, A>>(plugin: Plugin<C, S, A, I>, instance: I, raw: readonly unknown[]): Parsed<A[]> {
  const actions: A[] = [];
  const problems: string[] = [];
  raw.forEach((json, i) => {
    const parsed = plugin.parseAction(json, `actions[${i}]`, instance);
    if (parsed.ok) actions.push(parsed.value);
    else problems.push(...parsed.problems);
  });
  return problems.length > 0 ? { ok: false, problems } : { ok: true, value: actions };
}

/**
 * Validates a parsed trace file (a JSON object) and runs its trace once: every problem, each naming its
 * field or step, or the loaded file.
 */
export function parseTrace<C, S, A, I extends Instance<S, A>, D extends TraceDocument<C, A> = TraceDocument<C, A>>(
  plugin: Plugin<C, S, A, I>,
  doc: Record<string, unknown>,
  extra: TraceFileExtra<A> = {},
): Parsed<{ document: D; instance: I; property: InstanceProperty<S>; run: LoadedTrace<C, S, A, I>['run'] }> {
  if (Array.isArray(doc.actions) && doc.actions.length > MAX_TRACE_ACTIONS)
    return { ok: false, problems: [`actions: ${doc.actions.length} actions; a trace file holds at most ${MAX_TRACE_ACTIONS}`] };
  if (doc.formatVersion !== FORMAT_VERSION)
    return {
      ok: false,
      problems: [
        doc.formatVersion === undefined
          ? `formatVersion: missing required field; a trace file starts with "formatVersion": ${FORMAT_VERSION}`
          : `formatVersion: unsupported format version ${describeValue(doc.formatVersion)}; this version of ${extra.tool ?? plugin.name} reads version ${FORMAT_VERSION}`,
      ],
    };
  const schema = z.strictObject({ ...TRACE_FILE_SHAPE, ...(extra.shape ?? {}) });
  const parsed = schema.safeParse(doc);
  const problems = parsed.success ? [] : schemaProblems(schema, doc, parsed.error.issues, TRACE_FILE_WORDS);
  const known = typeof doc.property === 'string' && plugin.propertyNames.includes(doc.property);
  if (typeof doc.property === 'string' && !known) {
    const close = suggest(doc.property, plugin.propertyNames);
    problems.push(`property: unknown property "${doc.property}"; valid: ${plugin.propertyNames.join(', ')}${close ? `; did you mean "${close}"?` : ''}`);
  }
  const config = isRecord(doc.config) ? plugin.parseConfig(doc.config, 'config') : undefined;
  if (config !== undefined && !config.ok) problems.push(...config.problems);
  // The actions can be checked against the model as soon as the config is valid, whatever else is wrong.
  const instance = config?.ok ? plugin.instantiate(config.value) : undefined;
  const raw = Array.isArray(doc.actions) ? doc.actions : undefined;
  const actions = instance !== undefined && raw !== undefined ? parseActions(plugin, instance, raw) : undefined;
  if (actions !== undefined && !actions.ok) problems.push(...actions.problems);
  const property = known && instance !== undefined ? instance.properties.find((p) => p.name === doc.property) : undefined;
  // The trace runs once, judged at every step, when nothing else is wrong with the file.
  const run = problems.length === 0 && actions?.ok && property !== undefined ? runTrace(instance!.model, property.property, actions.value) : undefined;
  if (run?.kind === 'disabled') {
    const action = (actions as { value: A[] }).value[run.step - 1]!;
    problems.push(`actions[${run.step - 1}] (step ${run.step}, "${plugin.describeAction(action)}"): not enabled at this step: ${run.why}`);
  }
  if (parsed.success && raw !== undefined && parsed.data.violation.step > raw.length)
    problems.push(`violation.step: ${parsed.data.violation.step} is past the last action (the file has ${raw.length})`);
  if (parsed.success && actions?.ok && extra.problems) problems.push(...extra.problems(parsed.data as Record<string, unknown>, actions.value));
  if (problems.length > 0 || !parsed.success || run?.kind !== 'ran' || !config?.ok || !actions?.ok) return { ok: false, problems };
  const { $schema: _schema, ...rest } = parsed.data as Record<string, unknown>;
  const document = { ...rest, config: config.value, actions: actions.value } as unknown as D;
  return { ok: true, value: { document, instance: instance!, property: property!, run: { states: run.states, violation: run.violation } } };
}

/** Reads and validates a trace file (problems prefixed with the file's name). */
export function loadTrace<C, S, A, I extends Instance<S, A>>(plugin: Plugin<C, S, A, I>, file: string): Parsed<LoadedTrace<C, S, A, I>> {
  let doc: unknown;
  try {
    doc = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    return { ok: false, problems: [`${file}: ${error instanceof Error ? error.message : String(error)}`] };
  }
  if (!isRecord(doc)) return { ok: false, problems: [`${file}: a trace file is a JSON object, got ${describeValue(doc)}`] };
  const parsed = parseTrace(plugin, doc);
  if (!parsed.ok) return { ok: false, problems: parsed.problems.map((p) => `${file}: ${p}`) };
  return { ok: true, value: { file, ...parsed.value } };
}

export type ReplayOutcome =
  /** `expect: violated`, and the trace still violates the property at the recorded step. */
  | 'reproduced'
  /** `expect: holds`, and the trace still does not violate it. */
  | 'still-fixed'
  /** `expect: violated`, but the trace no longer violates the property. */
  | 'no-longer-violated'
  /** `expect: violated`, and it is violated, but at another step. */
  | 'moved'
  /** `expect: holds`, but the trace violates the property again. */
  | 'violated-again'
  /** The property no longer applies to the recorded config. */
  | 'not-applicable';

/** Whether a loaded file still shows what it records, read off its one run. */
export function replayTrace<C, S, A, I extends Instance<S, A>>(
  loaded: Pick<LoadedTrace<C, S, A, I>, 'document' | 'property' | 'run'>,
): { readonly violation: Violation | undefined; readonly outcome: ReplayOutcome; readonly ok: boolean } {
  const { document, property, run } = loaded;
  const violation = property.notApplicable === undefined ? run.violation : undefined;
  const outcome: ReplayOutcome =
    property.notApplicable !== undefined
      ? 'not-applicable'
      : document.expect === 'holds'
        ? violation === undefined
          ? 'still-fixed'
          : 'violated-again'
        : violation === undefined
          ? 'no-longer-violated'
          : violation.step === document.violation.step
            ? 'reproduced'
            : 'moved';
  return { violation, outcome, ok: outcome === 'reproduced' || outcome === 'still-fixed' };
}

/** The document for a violation `check` found (its result must carry a trace and a step). */
export function traceDocument<C, A>(
  plugin: Pick<Plugin<C, unknown, A>, 'encodeAction'>,
  config: C,
  check: PropertyCheck<A>,
  found: Partial<FoundBy> = {},
): TraceDocument<C, unknown> {
  const finding = check.finding;
  if (finding === null) throw new Error(`internal error: ${check.property} has no violation to save`);
  return {
    formatVersion: FORMAT_VERSION,
    property: check.property,
    expect: 'violated',
    violation: { step: finding.step, message: finding.message, ...(check.settlingRounds === null ? {} : { rounds: check.settlingRounds }) },
    actions: finding.actions.map((a) => plugin.encodeAction(a)),
    found: {
      seed: check.seed,
      runs: check.basis?.basis === 'random' ? check.basis.runs : 0,
      originalLength: finding.originalLength,
      ...(finding.path === null ? {} : { path: finding.path }),
      ...found,
    },
    config,
  };
}

/** Writes a trace file into `dir` as `CONFIG--PROPERTY.json` and returns its path. */
export function saveTrace<C>(dir: string, name: string, document: TraceDocument<C, unknown>): string {
  const file = join(dir, `${name.replace(/[^A-Za-z0-9._-]+/g, '-')}--${document.property}.json`);
  writeFileSync(file, `${JSON.stringify(document, null, 2)}\n`);
  return file;
}
