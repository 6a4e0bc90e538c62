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
import type { Model, Property } from '../checker/types.ts';
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
import type { Scope } from '../model/enabled.ts';
import { type ClusterProperty, PROPERTIES } from '../properties/index.ts';
import { describeBounds, exploreScope } from './explore.ts';
import { checkableModel, instanceProperty, makeTarget, subjectProperty, type Target } from './target.ts';
import { exploreComponents } from './verify.ts';
import { timeExplorations, timeStepsText } from './check-time.ts';
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
 * decides are explored apart, each component with its own time steps: `pgp/check-time.ts`), and traces
 * of any length.
 */
export const CHECK_BOUNDS = { writes: 1, clients: 1, maxDepth: 100_000, hours: [] as number[] } as const;

/** The records, clients and time steps of `check`'s exploration (`CHECK_BOUNDS`). */
const CHECK_SCOPE = exploreScope({ ...CHECK_BOUNDS, maxStates: CHECK_STATE_BUDGET });

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
 * rules' row backend (`pgp/verify.ts`): the timeless properties with no time passing, then each
 * component a time-decided property reads with its own time steps (`pgp/check-time.ts`), while the
 * budget lasts. Returns what it decided, by property name: every property whose explorations all
 * finished (basis `exhaustive`), or only the findings (each a real trace, basis `partial`) where one ran
 * out first; and why it stopped.
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
  let used = 0;
  let stop: ExploredFirst<Action>['stop'] = null;
  /**
   * One exploration within what is left of the budget; undefined once the budget or the guard has stopped
   * one. A search for subjects (`subjects`) that runs out only leaves its verdicts as they are: it is not
   * the stop a report names.
   */
  const explore = (scope: Scope, props: readonly ClusterProperty[], subjects = false) => {
    if (stop !== null || props.length === 0) return undefined;
    const maxStates = budget - used;
    if (maxStates <= 0) {
      if (!subjects) stop = { cause: 'state-budget', states: used, budget };
      return undefined;
    }
    const offset = used;
    const run = exploreComponents(cluster, scope, props, ringSymmetries(cluster), {
      maxDepth: bounds.maxDepth,
      maxStates,
      stop: guard,
      parallel: pgpParallel(workers),
      ...(onProgress ? { onProgress: (p: ExploreProgress) => onProgress({ states: offset + p.states, seconds: (performance.now() - started) / 1000 }) } : {}),
    });
    used += run.states;
    // A stop before the budget is the guard's (the cap stops at the budget).
    if (run.stopped !== undefined && !subjects)
      stop = run.states < maxStates ? { cause: 'memory-guard', states: used, budget, detail: run.stopped } : { cause: 'state-budget', states: used, budget };
    return run;
  };
  // Every exploration: its scope, the properties judged in it, and the time steps its bounds name.
  const timeless = properties.filter((p) => p.needsTime !== true);
  const timed = timeExplorations(target.config, cluster, properties);
  const explorations = [
    { scope: CHECK_SCOPE, judged: timeless, time: undefined },
    ...timed.map((t) => ({ scope: t.scope, judged: t.judged, time: t })),
  ];
  const runs = explorations.map((e) => explore(e.scope, e.judged));
  const described = describeBounds(target.config, bounds);
  // Per property: its findings in every exploration that judged it.
  const judgedIn = (property: ClusterProperty) => explorations.flatMap((e, i) => (e.judged.includes(property) ? [i] : []));
  const boundsOf = (property: ClusterProperty) => {
    const time = judgedIn(property).flatMap((i) => explorations[i]!.time ?? []);
    return time.length === 0 ? described : { ...described, 'time steps (hours)': timeStepsText(time), 'time passes up to (hours)': 'unbounded' };
  };
  const complete = new Set<ClusterProperty>();
  for (const property of properties) {
    const findings = judgedIn(property).map((i) => {
      const run = runs[i];
      return run === undefined ? undefined : run.findings[explorations[i]!.judged.indexOf(property)]!;
    });
    const found = findings.filter((f) => f?.shortest != null).sort((a, b) => a!.shortest!.length - b!.shortest!.length)[0];
    // Every component this property reads explored to the end: its verdict is exhaustive, whatever the
    // budget did to the others'; otherwise only a finding counts (a real trace), and the rest is left to
    // random search.
    const whole = findings.every((f) => f?.coverage === 'complete');
    if (found === undefined && !whole) continue;
    if (whole) complete.add(property);
    const depths = judgedIn(property).map((i) => runs[i]?.depthComplete ?? 0);
    decided.set(property.name, {
      verdict: findingVerdict(property.kind, found !== undefined),
      basis: whole ? 'exhaustive' : 'partial',
      states: findings.reduce((sum, f) => sum + (f?.states ?? 0), 0),
      bounds: boundsOf(property),
      depthComplete: whole ? null : Math.min(...depths),
      shortest: found?.shortest ?? null,
    });
  }
  // A property that holds in every reachable state, yet whose subject occurs in none of them, is vacuous:
  // its subject is looked for in each of its explorations, while the budget lasts (a search for the
  // subjects stopped early leaves every verdict as it was: only a complete one says vacuous).
  const holding = properties.filter((p) => complete.has(p) && decided.get(p.name)?.verdict === 'holds' && subjectProperty(p) !== undefined);
  const subjectReached = new Map<ClusterProperty, boolean>();
  explorations.forEach((e) => {
    const mine = holding.filter((p) => e.judged.includes(p));
    const found = explore(
      e.scope,
      mine.map((p) => subjectProperty(p)!),
      true,
    );
    mine.forEach((p, i) => {
      const finding = found?.findings[i];
      const reached = finding === undefined || finding.shortest !== null || finding.coverage !== 'complete';
      subjectReached.set(p, (subjectReached.get(p) ?? false) || reached);
    });
  });
  for (const p of holding) if (subjectReached.get(p) === false) decided.set(p.name, { ...decided.get(p.name)!, verdict: 'vacuous' });
  return { decided, stop };
}

/**
 * The plain model within each bounds a property's exhaustive verdict in `check` rests on (what the
 * cross-check walks): `CHECK_SCOPE`'s for a timeless property, each component's time scope for a
 * time-decided one; one model per bounds, so that properties on the same bounds share their walks.
 */
function exploredModels(target: Target): { readonly timeless: Model<ClusterState, Action>; readonly of: (name: string) => readonly Model<ClusterState, Action>[] } {
  const timeless = checkableModel(target.cluster, CHECK_SCOPE);
  const timed = new Map<string, Model<ClusterState, Action>>();
  const of = (name: string) => {
    const property = target.properties.find((p) => p.property.name === name)?.property;
    if (property?.needsTime !== true) return [timeless];
    return timeExplorations(target.config, target.cluster, [property]).map((t) => {
      const known = timed.get(t.component) ?? checkableModel(target.cluster, t.scope);
      timed.set(t.component, known);
      return known;
    });
  };
  return { timeless, of };
}

/** A target as the generic checker takes it: random search on its component engine, exploration on the packed rows. */
/** `workers`: threads for the exhaustive exploration of a large space (the same result on any number). */
export function pgpInstance(target: Target, workers = 1): PgpInstance {
  const explored = exploredModels(target);
  return {
    target,
    model: target.model,
    // The cross-check of an exhaustive verdict walks the plain model within the exploration's own bounds.
    exploredModel: explored.timeless,
    properties: target.properties.map(({ property }) => instanceProperty(target.cluster, property)),
    exploredModelsOf: explored.of,
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
