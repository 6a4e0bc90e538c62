/**
 * The PGP Encryption Server cluster as a plug-in of the checker (`checker/plugin.ts`): the one place that
 * assembles `config/` (parsing, presets), `model/` (the compiled cluster, its component and packed
 * engines), `properties/` (the catalogue) and the action codec (untrusted JSON checked against the
 * model's vocabulary). `check`, `explore` and `replay` run it through the generic code in `checker/`.
 */
import type { Explored, ExploredFirst, ExploreProgress, Instance, Parsed, Plugin } from '../checker/plugin.ts';
import { findingVerdict } from '../checker/explore.ts';
import { searchRandom } from '../checker/random.ts';
import { memoryGuard } from '../checker/memory.ts';
import { DEFAULT_STATE_BUDGET } from '../checker/explore-first.ts';
import type { Property } from '../checker/types.ts';
import { expectedViolations, PRESETS } from '../config/presets.ts';
import type { ClusterConfig } from '../config/schema.ts';
import { suggest } from '../io/suggest.ts';
import { formatProblem, validateConfig } from '../config/validate.ts';
import { describeValue } from '../io/zod-problems.ts';
import type { Action, ActionType } from '../model/actions.ts';
import { ACTION_TYPES, describeAction } from '../model/step.ts';
import { ACTIONS } from '../model/step.ts';
import type { ClusterState } from '../model/state.ts';
import { ringSymmetries } from '../model/symmetry.ts';
import { type ClusterProperty, PROPERTIES } from '../properties/index.ts';
import { describeBounds, exploreScope } from './explore.ts';
import { checkableModel, instanceProperty, makeTarget, subjectProperty, type Target } from './target.ts';
import { exploreComponents } from './verify.ts';
import { pgpParallel } from './worker-space.ts';

/**
 * The states `check` explores per config before it falls back to random search (`--max-states`): the
 * checker's default, which the vendor's largest supported deployment fits (six members, three down:
 * `examples/two-sites.json`, 7,162,302 states), so every timeless verdict of a supported cluster is a proof.
 */
export const CHECK_STATE_BUDGET = DEFAULT_STATE_BUDGET;

/**
 * The bounds of `check`'s exploration: one key per record kind and one client (they stand for any number:
 * every property is a conjunction over records and clients), no time passing (the properties time
 * decides are left to random search), and traces of any length.
 */
export const CHECK_BOUNDS = { writes: 1, clients: 1, maxDepth: 100_000, hours: [] as number[] } as const;

/** The records, clients and time steps of `check`'s exploration (`CHECK_BOUNDS`). */
const CHECK_SCOPE = exploreScope({ ...CHECK_BOUNDS, maxStates: CHECK_STATE_BUDGET });

/** Why `check`'s exploration (no time passing) leaves a property to random search. */
const ONLY_TIME = 'only time passing can break it, and time does not pass in these bounds';

/** A config made checkable: the generic instance, and the PGP target behind it (its cluster, its engines). */
export interface PgpInstance extends Instance<ClusterState, Action> {
  readonly target: Target;
}

/**
 * The most members `check` explores exhaustively: the vendor supports six (KB 153476); a larger cluster
 * (allowed, with a warning) is searched at random only, since its space would spend the whole state
 * budget before deciding anything.
 */
export const EXPLORED_MAX_MEMBERS = 8;

/**
 * Exhaustive exploration of a target's properties within `CHECK_BOUNDS` and the state budget, on the
 * rules' row backend (`pgp/verify.ts`). Returns what it decided, by property name: every property it
 * explored when it finished (basis `exhaustive`), or only the findings (each a real trace, basis
 * `partial`) when the budget ran out first; and why it stopped.
 */
export function exploreForCheck(
  target: Target,
  names: readonly string[],
  budget: number,
  onProgress?: (progress: ExploreProgress) => void,
  /** Threads for a large space (`pgp/worker-space.ts`): the same result on any number. */
  workers = 1,
): ExploredFirst<Action> {
  const decided = new Map<string, Explored<Action>>();
  const cluster = target.cluster;
  if (cluster.size > EXPLORED_MAX_MEMBERS) return { decided, stop: null };
  const properties = names.map((name) => target.properties.find((p) => p.property.name === name)!.property);
  const bounds = { ...CHECK_BOUNDS, maxStates: budget };
  // Near the memory limit the exploration stops: what it did not finish is left to random search, and
  // what it found says why it is partial.
  // (The remedy is the stop's own: `stopRemedy` in checker/verdict.ts.)
  const guard = memoryGuard('');
  const started = performance.now();
  const explore = (props: readonly ClusterProperty[], maxStates: number, offset: number) => {
    const run = exploreComponents(cluster, CHECK_SCOPE, props, ringSymmetries(cluster), {
      maxDepth: bounds.maxDepth,
      maxStates,
      stop: guard,
      parallel: pgpParallel(workers),
      ...(onProgress ? { onProgress: (p: ExploreProgress) => onProgress({ states: offset + p.states, seconds: (performance.now() - started) / 1000 }) } : {}),
    });
    // A stop before the budget is the guard's (the cap stops at the budget).
    const stopped = run.stopped !== undefined && run.states < maxStates ? run.stopped : undefined;
    return { run, stopped };
  };
  const { run: result, stopped } = explore(properties, budget, 0);
  const stop: ExploredFirst<Action>['stop'] =
    result.stopped === undefined
      ? null
      : stopped === undefined
        ? { cause: 'state-budget', states: result.states, budget }
        : { cause: 'memory-guard', states: result.states, budget, detail: stopped };
  const described = describeBounds(target.config, bounds);
  properties.forEach((property, p) => {
    const finding = result.findings[p]!;
    const found = finding.shortest !== null;
    // Every component this property reads explored to the end: its verdict is exhaustive, whatever the
    // budget did to the others'; otherwise only a finding counts (a real trace), and the rest is left to
    // random search.
    const complete = finding.coverage === 'complete';
    if (!found && !complete) return;
    decided.set(property.name, {
      verdict: findingVerdict(property.kind, found),
      basis: complete ? 'exhaustive' : 'partial',
      states: finding.states,
      bounds: described,
      depthComplete: complete ? null : result.depthComplete,
      shortest: finding.shortest,
    });
  });
  // A property that holds in every reachable state, yet whose subject occurs in none, is vacuous.
  const holding = properties.filter((p) => decided.get(p.name)?.verdict === 'holds' && decided.get(p.name)?.basis === 'exhaustive');
  const subjects = holding.flatMap((p) => {
    const subject = subjectProperty(p);
    return subject === undefined ? [] : [{ property: p, subject }];
  });
  if (subjects.length > 0 && stopped === undefined) {
    // A search for the subjects stopped early leaves every verdict as it was (only a complete one says vacuous).
    const { run: found } = explore(
      subjects.map((s) => s.subject),
      Math.max(1, budget - result.states),
      result.states,
    );
    subjects.forEach(({ property }, i) => {
      const finding = found.findings[i]!;
      if (finding.shortest === null && finding.coverage === 'complete') decided.set(property.name, { ...decided.get(property.name)!, verdict: 'vacuous' });
    });
  }
  return { decided, stop };
}

/** A target as the generic checker takes it: random search on its component engine, exploration on the packed rows. */
/** `workers`: threads for the exhaustive exploration of a large space (the same result on any number). */
export function pgpInstance(target: Target, workers = 1): PgpInstance {
  return {
    target,
    model: target.model,
    // The cross-check of an exhaustive verdict walks the plain model within the exploration's own bounds.
    exploredModel: checkableModel(target.cluster, CHECK_SCOPE),
    properties: target.properties.map(({ property }) => instanceProperty(target.cluster, property, ONLY_TIME)),
    search: (name, options) => {
      const bound = target.properties.find((p) => p.property.name === name)!;
      return searchRandom(target.engineModel, bound.onEngine, { ...options, ...(bound.subject === undefined ? {} : { subject: bound.subject.onEngine as Property<unknown> }) });
    },
    exploreFirst: (names, budget, onProgress) => exploreForCheck(target, names, budget, onProgress, workers),
  };
}

// ---------------------------------------------------------------------------------------------------
// The action codec: untrusted JSON against the model's vocabulary.

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

/** An action of a trace file: its type and fields checked against the model's vocabulary (whether it is enabled is the replay's business). */
export function parseAction(json: unknown, at: string): Parsed<Action> {
  if (json === null || typeof json !== 'object' || Array.isArray(json) || typeof (json as { type?: unknown }).type !== 'string')
    return { ok: false, problems: [`${at}: expected an action, an object with a "type", got ${describeValue(json)}`] };
  const problems = actionFieldProblems(json as Record<string, unknown>, at);
  return problems.length > 0 ? { ok: false, problems } : { ok: true, value: json as unknown as Action };
}

/** A config document (under field `at`: `config`) to a resolved config, or one problem per fault. */
export function parseClusterConfig(document: unknown, at: string): Parsed<ClusterConfig> {
  const result = validateConfig(document);
  if (!result.ok)
    return { ok: false, problems: result.errors.map((p) => `${at}${at === '' || p.path === '' || p.path.startsWith('[') ? '' : '.'}${formatProblem(p)}`) };
  return { ok: true, value: result.config };
}

export const pgpPlugin: Plugin<ClusterConfig, ClusterState, Action, PgpInstance> = {
  name: 'pgp-cluster-check',
  parseConfig: parseClusterConfig,
  presets: PRESETS.map((p) => ({ name: p.name, config: p.config, expectedViolations: expectedViolations(p) })),
  configName: (config) => config.name,
  instantiate: (config) => pgpInstance(makeTarget(config)),
  propertyNames: PROPERTIES.map((p) => p.name),
  parseAction: (json, at) => parseAction(json, at),
  encodeAction: (action) => action,
  describeAction,
};
