/**
 * Maintenance plans (`plan`): ordered steps an administrator takes (take a member down, upgrade it, bring
 * it back, wait for replication), checked against every property with up to `faults.maxDown` further
 * unplanned failures at any point.
 *
 * The plan product: a state is the plan's position (the steps taken so far, and which members the plan
 * has down) with the cluster's state; its transitions are the plan's next step, or any unplanned action
 * the config allows (writes, replication, enrollments, joins, and members going down and coming back
 * within `maxDown`, besides the plan's own). It is explored on the rules' row backend (`model/component.ts`), one
 * component at a time (exact by the per-record rule: every plan step is a shared action), by the
 * model-agnostic packed explorer (`checker/packed.ts`), so a verdict rests on every reachable state
 * within the stated bounds. Each property is judged at each position separately, so the first unsafe
 * step is the earliest position with a violation, with its shortest trace.
 *
 * What a plan step is, in the model's own actions:
 * - `drain`: the member is taken out of mail and client traffic (KB 153476): from then until it is brought
 *   back, no write or enrollment happens at it, and it keeps replicating. The model has no such action
 *   (a member out of traffic still counts as serving in the availability properties): the plan product
 *   only keeps traffic away from it.
 * - `down`: once replication has gone quiet (an administrator lets the member send what it holds), the
 *   member goes down (`crash`), outside the fault budget: planned.
 * - A step on a member an unplanned failure took down waits until it is back.
 * - `up`: the member comes back (`recover`).
 * - `upgrade`: the model's `upgrade`, a major release or (with `"major": false`) a minor update. The model
 *   upgrades running members only; a member the plan has down is upgraded as if it came up, was upgraded
 *   and went down again at one instant, nothing else happening in between (no state in between is judged).
 * - `settle`: the administrator waits until replication among the live members has gone quiet.
 *
 * How the properties read a plan's state: what must hold "once faults stop" (`eventual-convergence`,
 * `no-lost-writes`) is judged as `check` judges it, every fault ended and every member on the newest
 * release: as if the maintenance were over. `survivor-convergence` keeps every member that is down
 * down (planned or not), as always. The availability properties ("with any maxDown members down") end
 * the unplanned faults only: the members the plan has down stay down, then any `maxDown` more are taken
 * down. Properties only time can break are not explored (no time passes).
 */
import type { Bounds } from '../checker/verdict.ts';
import { IntList, exploreRows, type RowFinding, type RowSpace, RowSet } from '../checker/packed.ts';
import type { ClusterConfig } from '../config/schema.ts';
import { formatProblem, validateConfig } from '../config/validate.ts';
import { suggest } from '../io/suggest.ts';
import { describeValue } from '../io/zod-problems.ts';
import type { Action, ActionType } from '../model/actions.ts';
import { type CompiledCluster, compileCluster, initialState, linkKey } from '../model/cluster.ts';
import { makeScope, type Scope, scopeFor } from '../model/enabled.ts';
import { RowComponent } from '../model/component.ts';
import { project, scopeSlots, type Slot } from '../model/projection.ts';
import { replicateToQuiescence } from '../model/settle.ts';
import type { ClusterState } from '../model/state.ts';
import { applyAction, describeAction, isMajorUpgrade, NEXT_RELEASE, MINOR_UPDATE } from '../model/step.ts';
import { PROPERTIES } from '../properties/index.ts';
import type { ClusterProperty, Outcome } from '../properties/types.ts';
import { readsSlot, viewFor } from './verify.ts';
import { searchOrder } from '../checker/order-search.ts';
import { ringSymmetries } from '../model/symmetry.ts';

// ---------------------------------------------------------------------------------------------------
// Plan files.

export type PlanStep =
  | { readonly type: 'drain'; readonly member: string }
  | { readonly type: 'down'; readonly member: string }
  | { readonly type: 'up'; readonly member: string }
  | { readonly type: 'upgrade'; readonly member: string; readonly major?: boolean }
  | { readonly type: 'settle' };

export interface Plan {
  readonly name: string;
  readonly description?: string;
  readonly steps: readonly PlanStep[];
}

/** Every step type, and what it does: the loader's "valid" list and the docs. */
export const PLAN_STEP_TYPES: Readonly<Record<PlanStep['type'], string>> = {
  drain: 'take the member out of mail and client traffic (KB 153476): no new writes or enrollments reach it, and it keeps replicating',
  down: 'take the member down for maintenance, once replication has gone quiet (nothing it holds is left unsent); down, it neither serves nor replicates',
  upgrade: 'upgrade the member: a major release (ISO install and restore), or with "major": false a minor update (.pup, KB 153403)',
  up: 'bring the member back, into traffic',
  settle: 'wait until replication among the live members has gone quiet',
};

/** The fields each step type takes besides `type`. */
const STEP_FIELDS: Readonly<Record<PlanStep['type'], readonly string[]>> = { drain: ['member'], down: ['member'], up: ['member'], upgrade: ['member', 'major'], settle: [] };

/** One line, like a sentence: `upgrade hq1 (major release)`. */
export function describeStep(step: PlanStep): string {
  switch (step.type) {
    case 'drain':
      return `take ${step.member} out of traffic`;
    case 'down':
      return `take ${step.member} down`;
    case 'up':
      return `bring ${step.member} back`;
    case 'upgrade':
      return `upgrade ${step.member} (${step.major === false ? 'minor update' : 'major release'})`;
    case 'settle':
      return 'wait for replication to go quiet';
    default: {
      const unhandled: never = step;
      return String(unhandled);
    }
  }
}

/**
 * A plan document (untrusted JSON from `file`) checked against the config: every problem at once, each
 * naming the file and the field (`steps[3].member`), with what would be valid; then the steps replayed
 * without faults, and a step that cannot be taken there (a member brought back that the plan did not
 * take down, a second major upgrade) named with why. Returns the plan, or the problems.
 */
export function parsePlan(document: unknown, file: string, config: ClusterConfig): { plan: Plan } | { problems: string[] } {
  const problems: string[] = [];
  const at = (field: string) => `${file}: ${field}`;
  if (document === null || typeof document !== 'object' || Array.isArray(document)) return { problems: [at(`expected a plan, an object with "steps", got ${describeValue(document)}`)] };
  const doc = document as Record<string, unknown>;
  const known = ['$schema', 'name', 'description', 'steps'];
  for (const key of Object.keys(doc))
    if (!known.includes(key)) {
      const close = suggest(key, known);
      problems.push(at(`${key}: unknown field; valid: ${known.join(', ')}${close ? `; did you mean "${close}"?` : ''}`));
    }
  if (doc.name !== undefined && typeof doc.name !== 'string') problems.push(at(`name: expected a string, got ${describeValue(doc.name)}`));
  if (doc.description !== undefined && typeof doc.description !== 'string') problems.push(at(`description: expected a string, got ${describeValue(doc.description)}`));
  if (!Array.isArray(doc.steps)) return { problems: [...problems, at(`steps: expected a list of steps, got ${describeValue(doc.steps)}`)] };
  if (doc.steps.length === 0) problems.push(at('steps: the plan has no steps'));
  if (doc.steps.length > MAX_PLAN_STEPS) return { problems: [...problems, at(`steps: ${doc.steps.length} steps; at most ${MAX_PLAN_STEPS}`)] };
  const ids = config.members.map((m) => m.id);
  const types = Object.keys(PLAN_STEP_TYPES) as PlanStep['type'][];
  const steps: PlanStep[] = [];
  doc.steps.forEach((raw: unknown, i: number) => {
    const where = `steps[${i}]`;
    if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
      problems.push(at(`${where}: expected a step, an object with a "type", got ${describeValue(raw)}`));
      return;
    }
    const s = raw as Record<string, unknown>;
    if (!types.includes(s.type as PlanStep['type'])) {
      const close = typeof s.type === 'string' ? suggest(s.type, types) : undefined;
      problems.push(at(`${where}.type: unknown step type ${JSON.stringify(s.type) ?? 'undefined'}; valid: ${types.join(', ')}${close ? `; did you mean "${close}"?` : ''}`));
      return;
    }
    const type = s.type as PlanStep['type'];
    const fields = STEP_FIELDS[type];
    let ok = true;
    for (const key of Object.keys(s))
      if (key !== 'type' && !fields.includes(key)) {
        problems.push(at(`${where}.${key}: unknown field of a ${type} step; valid: ${['type', ...fields].join(', ')}`));
        ok = false;
      }
    if (fields.includes('member')) {
      if (typeof s.member !== 'string') {
        problems.push(at(`${where}.member: expected a member id, got ${describeValue(s.member)}`));
        ok = false;
      } else if (!ids.includes(s.member)) {
        const close = suggest(s.member, ids);
        problems.push(at(`${where}.member: unknown member id "${s.member}"; valid: ${ids.join(', ')}${close ? `; did you mean "${close}"?` : ''}`));
        ok = false;
      }
    }
    if (s.major !== undefined && typeof s.major !== 'boolean') {
      problems.push(at(`${where}.major: expected true or false (or left out: a major release), got ${describeValue(s.major)}`));
      ok = false;
    }
    if (ok) steps.push(s as unknown as PlanStep);
  });
  if (problems.length > 0) return { problems };
  // The steps replayed with no fault: each must be possible where it stands.
  const model = planModel(config);
  let state = initialState(model);
  let marks: PlanMarks = NO_MARKS;
  for (const [i, step] of steps.entries()) {
    const taken = takeStep(model, state, marks, step);
    if (typeof taken === 'string') return { problems: [at(`steps[${i}]: cannot ${describeStep(step)} here: ${taken}`)] };
    state = taken.state;
    marks = taken.marks;
  }
  return { plan: { name: typeof doc.name === 'string' ? doc.name : file, ...(typeof doc.description === 'string' ? { description: doc.description } : {}), steps } };
}

/** The longest plan taken (positions are packed beside the rows). */
export const MAX_PLAN_STEPS = 1000;

// ---------------------------------------------------------------------------------------------------
// The model a plan runs on.

/** The config a plan runs on: the administrator's upgrades are always possible (the plan, not the faults, takes them). */
export function planConfig(config: ClusterConfig): ClusterConfig {
  const result = validateConfig({ ...config, faults: { ...config.faults, upgrades: true } });
  if (!result.ok) throw new Error(`internal error: ${result.errors.map(formatProblem).join('; ')}`);
  return result.config;
}

export function planModel(config: ClusterConfig): CompiledCluster {
  return compileCluster(planConfig(config));
}

function memberIndex(model: CompiledCluster, id: string): number {
  return model.position.get(id)!;
}

/**
 * Why a step waits: its member is down by an unplanned failure. The administrator takes the step as
 * written once the member is back (an unplanned recovery); until then the plan does not go on.
 */
const WAITS = (member: string) => `${member} is down by an unplanned failure: the step waits until it is back`;

/** What the plan holds of each member (a bit each): down by the plan, and out of traffic. */
export interface PlanMarks {
  readonly planned: number;
  readonly drained: number;
}

export const NO_MARKS: PlanMarks = { planned: 0, drained: 0 };

/**
 * One plan step on the plain model: the state after it and the plan's marks, or why it cannot be taken.
 * The packed space takes the same steps on rows (`PlanSpace.takeStep`); `pgp/plan.test.ts` checks that
 * they agree.
 */
export function takeStep(model: CompiledCluster, state: ClusterState, marks: PlanMarks, step: PlanStep): { state: ClusterState; marks: PlanMarks } | string {
  if (step.type === 'settle') return { state: replicateToQuiescence(model, state).state, marks };
  const m = memberIndex(model, step.member);
  const bit = 1 << m;
  const { planned, drained } = marks;
  const status = state.members[m]!.status;
  if (status === 'removed' || status === 'waiting') return `${step.member} is ${status === 'removed' ? 'removed from the cluster' : 'not in the cluster yet (joinsLater)'}`;
  switch (step.type) {
    case 'drain':
      if ((planned & bit) !== 0) return `the plan has ${step.member} down`;
      if (status !== 'up') return WAITS(step.member);
      if ((drained & bit) !== 0) return `the plan has ${step.member} out of traffic already`;
      return { state, marks: { planned, drained: drained | bit } };
    case 'down':
      if ((planned & bit) !== 0) return `the plan has ${step.member} down already`;
      if (status !== 'up') return WAITS(step.member);
      // Replication first goes quiet, then the member goes down: nothing it holds is left unsent.
      return { state: applyAction(model, replicateToQuiescence(model, state).state, { type: 'crash', member: step.member }), marks: { planned: planned | bit, drained } };
    case 'up':
      if ((planned & bit) === 0 && (drained & bit) === 0) return `the plan has not taken ${step.member} down or out of traffic`;
      return {
        state: (planned & bit) !== 0 ? applyAction(model, state, { type: 'recover', member: step.member }) : state,
        marks: { planned: planned & ~bit, drained: drained & ~bit },
      };
    case 'upgrade': {
      const action = { type: 'upgrade', member: step.member, major: step.major !== false } as const;
      const member = state.members[m]!;
      if (isMajorUpgrade(action) ? member.version >= NEXT_RELEASE : member.minor >= MINOR_UPDATE)
        return isMajorUpgrade(action) ? `${step.member} is upgraded to the next release already (each member takes one)` : `${step.member} has its minor update already (one per release)`;
      if (status === 'up') return { state: applyAction(model, state, action), marks };
      if ((planned & bit) === 0) return WAITS(step.member);
      // Down by the plan: upgraded as if it came up, was upgraded and went down again, with nothing in between.
      const up = applyAction(model, state, { type: 'recover', member: step.member });
      return { state: applyAction(model, applyAction(model, up, action), { type: 'crash', member: step.member }), marks };
    }
    default: {
      const unhandled: never = step;
      return String(unhandled);
    }
  }
}

/** Members down not by the plan: what counts against `maxDown`. */
function unplannedDown(state: ClusterState, planned: number): number {
  let count = 0;
  state.members.forEach((m, i) => {
    if (m.status === 'down' && (planned & (1 << i)) === 0) count++;
  });
  return count;
}

/** The member an action is taken at on behalf of clients (a write, an enrollment): what traffic brings. */
function trafficAt(action: Action): string | undefined {
  return action.type === 'write' || action.type === 'enroll' ? action.member : undefined;
}

/**
 * What a plan allows of each unplanned action, declared once for the plain model and the packed product:
 * `never` (upgrades are the plan's; a member broken out of the cluster is no failure a plan plans for; time
 * does not pass; no site splits in a plan's bounds, `planBounds`), `crash` (an up member, within the
 * unplanned budget), `recover` (a member the plan does not hold down), `cutLinks` (with `--cut-links`) or
 * `always`. A new action type is a compile error here until it is placed.
 */
const UNPLANNED: Readonly<Record<ActionType, 'never' | 'crash' | 'recover' | 'cutLinks' | 'always'>> = {
  upgrade: 'never',
  remove: 'never',
  advanceTime: 'never',
  splitSite: 'never',
  healSite: 'never',
  crash: 'crash',
  recover: 'recover',
  partition: 'cutLinks',
  heal: 'cutLinks',
  write: 'always',
  replicate: 'always',
  enroll: 'always',
  join: 'always',
  setAccountMode: 'always',
};

/** The member a crash or a recovery names. */
function memberOf(action: Action): string {
  if (action.type !== 'crash' && action.type !== 'recover') throw new Error(`internal error: ${action.type} names no member to take down or bring back`);
  return action.member;
}

/** An unplanned action the plan product allows in this state (besides the model's own preconditions). */
export function unplannedAllowed(model: CompiledCluster, state: ClusterState, marks: PlanMarks, action: Action, cutLinks: boolean): boolean {
  const traffic = trafficAt(action);
  if (traffic !== undefined && (marks.drained & (1 << memberIndex(model, traffic))) !== 0) return false;
  switch (UNPLANNED[action.type]) {
    case 'never':
      return false;
    case 'crash':
      return unplannedDown(state, marks.planned) < model.config.faults.maxDown && state.members[memberIndex(model, memberOf(action))]!.status === 'up';
    case 'recover':
      return (marks.planned & (1 << memberIndex(model, memberOf(action)))) === 0;
    case 'cutLinks':
      return cutLinks;
    case 'always':
      return true;
  }
}

/**
 * A property judged at a plan's position (module comment): the availability properties with the planned
 * members held down, the others as `check` judges them.
 */
export function judgeInPlan(model: CompiledCluster, property: ClusterProperty, state: ClusterState, planned: number): Outcome {
  if (!holdsPlannedDown(property)) return property.check(model, state);
  let s = state;
  state.members.forEach((m, i) => {
    if (m.status === 'down' && (planned & (1 << i)) === 0) s = applyAction(model, s, { type: 'recover', member: m.id });
  });
  for (const link of Object.keys(s.cutLinks)) {
    const [a, b] = link.split('|') as [string, string];
    s = applyAction(model, s, { type: 'heal', a, b });
  }
  const settled = replicateToQuiescence(model, s);
  return property.judge!(model, { state: settled.state, rounds: settled.rounds, quiescent: settled.quiescent });
}

/** The properties judged "with any maxDown members down" after settling: in a plan, with the plan's members held down. */
export function holdsPlannedDown(property: ClusterProperty): boolean {
  return property.advice?.outage !== undefined && property.judge !== undefined && property.settles === 'all';
}

// ---------------------------------------------------------------------------------------------------
// The plan product on packed rows.

/** One action of a plan's trace: the plan's next step, or an unplanned action. */
export type PlanAction = { readonly kind: 'step'; readonly index: number; readonly step: PlanStep } | { readonly kind: 'unplanned'; readonly action: Action };

export function describePlanAction(a: PlanAction): string {
  return a.kind === 'step' ? `step ${a.index + 1}: ${describeStep(a.step)}` : `(unplanned) ${describeAction(a.action)}`;
}

/**
 * What the plan product needs of a component's rows, and where it gets them: the rules' row backend
 * (`model/component.ts`), used through these members only (candidates, enabledness and
 * effect by candidate, settling and ending faults on a row, packing and decoding), so that another row
 * backend with the same members takes its place in `componentRows` alone.
 */
type ComponentRows = Pick<
  RowComponent,
  'words' | 'candidates' | 'slot' | 'newRow' | 'pack' | 'unpack' | 'encode' | 'decode' | 'enabled' | 'apply' | 'settle' | 'endFaults' | 'clearOwed' | 'collapseForVerdict'
>;

function componentRows(model: CompiledCluster, scope: Scope, slot: Slot, judged: readonly ClusterProperty[]): ComponentRows {
  return new RowComponent(model, scope, slot, viewFor(judged, scope, model));
}

/** Where a row keeps the plan's position: the steps taken, the members the plan has down and those it has out of traffic. */
/** The most members a plan takes: its marks (members planned down, out of traffic) are bits of one word each. */
const PLAN_MAX_MEMBERS = 8;
const MARK_BITS = PLAN_MAX_MEMBERS;
const MARK_MASK = (1 << MARK_BITS) - 1;
const planWord = (at: number, marks: PlanMarks) => (at << (2 * MARK_BITS)) | (marks.drained << MARK_BITS) | marks.planned;
const positionOf = (word: number) => word >>> (2 * MARK_BITS);
const marksOf = (word: number): PlanMarks => ({ planned: word & MARK_MASK, drained: (word >>> MARK_BITS) & MARK_MASK });

type Mode = 'all' | 'survivors' | 'state' | 'plan';

function modeOf(property: ClusterProperty): Mode {
  if (property.kind !== 'eventually') return 'state';
  if (holdsPlannedDown(property)) return 'plan';
  return property.settles ?? property.settledBy ?? 'state';
}

const MODES: readonly Mode[] = ['all', 'survivors', 'state', 'plan'];

/**
 * The plan product for one component (a record, or a client) as a packed space: a row is the plan's
 * word (position and planned members) and the component's packed row. Each judged property is judged at
 * every position separately (property `p` at position `k` is entry `p * positions + k`), so that the
 * shortest finding at each position comes out of one exploration.
 */
export class PlanSpace implements RowSpace {
  readonly words: number;
  readonly properties: readonly { readonly name: string; readonly kind: ClusterProperty['kind'] }[];
  readonly positions: number;
  private readonly row: Int32Array;
  private readonly next: Int32Array;
  private readonly key: Int32Array;
  private readonly keyPacked: Int32Array;
  private readonly keySets: RowSet[];
  private readonly endedSets: RowSet[];
  private readonly endedKey: IntList[];
  private readonly memo: (string | null)[][];
  private readonly modes: Mode[];
  private readonly byMember: { crash: number; recover: number; upgrade: number; minor: number; replicate: number }[];
  /** The candidates unplanned actions are drawn from, with their actions. */
  private readonly actions: readonly Action[];
  /** Set once a finding is judged: an exploration that only asks "is it safe?" may stop there. */
  found = false;
  /** A digest of the rows at the plan's end (its last position): orders that reach the same rows there go on alike. */
  endDigest = 0;
  endRows = 0;
  private readonly ends: RowSet;

  constructor(
    readonly model: CompiledCluster,
    readonly packed: ComponentRows,
    readonly judged: readonly ClusterProperty[],
    readonly steps: readonly PlanStep[],
    readonly cutLinks: boolean,
  ) {
    this.words = 1 + packed.words;
    this.ends = new RowSet(this.words, 256);
    this.positions = steps.length + 1;
    this.properties = judged.flatMap((p) => Array.from({ length: this.positions }, (_, k) => ({ name: `${p.name}@${k}`, kind: p.kind })));
    this.row = packed.newRow();
    this.next = packed.newRow();
    this.key = packed.newRow();
    this.keyPacked = new Int32Array(packed.words);
    this.keySets = MODES.map(() => new RowSet(packed.words, 256));
    this.endedSets = MODES.map(() => new RowSet(packed.words, 256));
    this.endedKey = MODES.map(() => new IntList(256));
    this.memo = judged.map(() => []);
    this.modes = judged.map(modeOf);
    this.actions = packed.candidates.map((c) => c.action);
    const find = (match: (a: Action) => boolean) => this.actions.findIndex(match);
    this.byMember = model.members.map((m) => ({
      crash: find((a) => a.type === 'crash' && a.member === m.id),
      recover: find((a) => a.type === 'recover' && a.member === m.id),
      upgrade: find((a) => a.type === 'upgrade' && a.member === m.id && a.major !== false),
      minor: find((a) => a.type === 'upgrade' && a.member === m.id && a.major === false),
      replicate: find((a) => a.type === 'replicate' && a.member === m.id),
    }));
  }

  private isUp(row: Int32Array, m: number): boolean {
    return this.packed.enabled(row, this.byMember[m]!.replicate);
  }

  private isDown(row: Int32Array, m: number): boolean {
    return this.packed.enabled(row, this.byMember[m]!.recover);
  }

  private unplannedDown(row: Int32Array, planned: number): number {
    let count = 0;
    for (let m = 0; m < this.model.size; m++) if ((planned & (1 << m)) === 0 && this.isDown(row, m)) count++;
    return count;
  }

  initial(out: Int32Array): void {
    out[0] = planWord(0, NO_MARKS);
    this.packed.pack(this.packed.encode(project(initialState(this.model), this.packed.slot)), out, 1);
  }

  /** The plan's next step on a row, in place (as `takeStep` on the plain model); the new marks, or undefined when it cannot be taken. */
  takeStep(row: Int32Array, marks: PlanMarks, step: PlanStep): PlanMarks | undefined {
    const packed = this.packed;
    if (step.type === 'settle') {
      packed.settle(row);
      return marks;
    }
    const m = memberIndex(this.model, step.member);
    const bit = 1 << m;
    const c = this.byMember[m]!;
    const { planned, drained } = marks;
    const up = this.isUp(row, m);
    if (!up && !this.isDown(row, m)) return undefined;
    switch (step.type) {
      case 'drain':
        if ((planned & bit) !== 0 || (drained & bit) !== 0 || !up) return undefined;
        return { planned, drained: drained | bit };
      case 'down':
        if ((planned & bit) !== 0 || !up) return undefined;
        packed.settle(row);
        packed.apply(row, c.crash);
        return { planned: planned | bit, drained };
      case 'up':
        if ((planned & bit) === 0 && (drained & bit) === 0) return undefined;
        if ((planned & bit) !== 0) packed.apply(row, c.recover);
        return { planned: planned & ~bit, drained: drained & ~bit };
      case 'upgrade': {
        const candidate = step.major === false ? c.minor : c.upgrade;
        if (up) {
          if (!packed.enabled(row, candidate)) return undefined;
          packed.apply(row, candidate);
          return marks;
        }
        if ((planned & bit) === 0) return undefined;
        packed.apply(row, c.recover);
        if (!packed.enabled(row, candidate)) return undefined;
        packed.apply(row, candidate);
        packed.apply(row, c.crash);
        return marks;
      }
      default: {
        const unhandled: never = step;
        return unhandled;
      }
    }
  }

  successors(from: Int32Array, offset: number, out: Int32Array, emit: (candidate: number) => void): void {
    const packed = this.packed;
    const word = from[offset]!;
    const at = positionOf(word);
    const marks = marksOf(word);
    packed.unpack(from, offset + 1, this.row);
    if (at === this.positions - 1 && this.ends.add(from.subarray(offset, offset + this.words)) >= 0) {
      // The plan's end, a row not seen there before (a finding's trace replays rows already expanded): a
      // digest of the rows here, so that orders that reach the same rows go on alike.
      let h = 0x811c9dc5;
      for (let w = 1; w < this.words; w++) h = Math.imul(h ^ from[offset + w]!, 0x01000193);
      this.endDigest = (this.endDigest + (h ^ Math.imul(word, 0x9e3779b1))) | 0;
      this.endRows++;
    }
    const count = this.actions.length;
    for (let c = 0; c < count; c++) {
      const action = this.actions[c]!;
      if (!this.unplannedAllowed(this.row, marks, action, c)) continue;
      if (action.type !== 'crash' && !packed.enabled(this.row, c)) continue;
      this.next.set(this.row);
      // A transition that changes nothing (a replication hop with nothing to send) leads back here.
      if (!packed.apply(this.next, c)) continue;
      out[0] = word;
      packed.pack(this.next, out, 1);
      emit(c);
    }
    if (at < this.steps.length) {
      this.next.set(this.row);
      const after = this.takeStep(this.next, marks, this.steps[at]!);
      if (after === undefined) return;
      out[0] = planWord(at + 1, after);
      packed.pack(this.next, out, 1);
      emit(count);
    }
  }

  private unplannedAllowed(row: Int32Array, marks: PlanMarks, action: Action, c: number): boolean {
    const { planned, drained } = marks;
    const traffic = trafficAt(action);
    if (traffic !== undefined && (drained & (1 << memberIndex(this.model, traffic))) !== 0) return false;
    switch (UNPLANNED[action.type]) {
      case 'never':
        return false;
      case 'crash': {
        const m = memberIndex(this.model, memberOf(action));
        return this.isUp(row, m) && this.unplannedDown(row, planned) < this.model.config.faults.maxDown;
      }
      case 'recover':
        return (planned & (1 << memberIndex(this.model, memberOf(action)))) === 0 && this.packed.enabled(row, c);
      case 'cutLinks':
        return this.cutLinks;
      case 'always':
        return true;
    }
  }

  /** The index of a row's verdict key in a mode. */
  private keyOf(mode: number, from: Int32Array, offset: number): number {
    const packed = this.packed;
    const key = this.key;
    packed.unpack(from, offset + 1, key);
    const name = MODES[mode]!;
    if (name !== 'state') {
      if (name === 'plan') {
        // The unplanned faults end; the members the plan has down stay down.
        const { planned } = marksOf(from[offset]!);
        for (let m = 0; m < this.model.size; m++) if ((planned & (1 << m)) === 0 && this.isDown(key, m)) packed.apply(key, this.byMember[m]!.recover);
        packed.endFaults(key, 'survivors');
      } else packed.endFaults(key, name);
      packed.clearOwed(key);
      packed.pack(key, this.keyPacked);
      const ended = this.endedSets[mode]!.add(this.keyPacked);
      if (ended < 0) return this.endedKey[mode]!.data[-1 - ended]!;
      packed.settle(key);
    }
    packed.collapseForVerdict(key);
    packed.pack(key, this.keyPacked);
    const added = this.keySets[mode]!.add(this.keyPacked);
    const index = added < 0 ? -1 - added : added;
    if (name !== 'state') this.endedKey[mode]!.push(index);
    return index;
  }

  judge(p: number, from: Int32Array, offset: number): string | undefined {
    const position = p % this.positions;
    if (positionOf(from[offset]!) !== position) return undefined;
    const which = Math.floor(p / this.positions);
    const mode = MODES.indexOf(this.modes[which]!);
    const index = this.keyOf(mode, from, offset);
    const results = this.memo[which]!;
    const known = results[index];
    if (known !== undefined) {
      if (known !== null) this.found = true;
      return known ?? undefined;
    }
    const key = this.key;
    this.packed.unpack(this.keySets[mode]!.rows.data, index * this.packed.words, key);
    const property = this.judged[which]!;
    const state = this.packed.decode(key);
    const outcome = MODES[mode] === 'plan' ? property.judge!(this.model, { state, rounds: 0, quiescent: true }) : property.check(this.model, state);
    const message = outcome.holds ? null : outcome.message;
    results[index] = message;
    if (message !== null) this.found = true;
    return message ?? undefined;
  }

  /** The plan trace along a finding's path. */
  realize(finding: RowFinding): PlanAction[] {
    let index = 0;
    return finding.path!.map((c) => (c === this.actions.length ? { kind: 'step', index, step: this.steps[index++]! } : { kind: 'unplanned', action: this.actions[c]! }));
  }
}

// ---------------------------------------------------------------------------------------------------
// Checking a plan.

export interface PlanOptions {
  /** The state budget of each component's exploration. */
  readonly maxStates: number;
  /** Property names (empty: every property but the guards). */
  readonly properties: readonly string[];
  /** Unplanned cut links too (the config's partitions), not only members down. */
  readonly cutLinks: boolean;
  /** Stop at the first violation found (a search for a safe order asks only "is it safe?"). */
  readonly firstFinding?: boolean;
  onProgress?(states: number, seconds: number): void;
}

/** The first unsafe step of a plan: where, which properties fail there, and a shortest trace to one. */
export interface Unsafe {
  /** The position: 0 before the first step, k after step k. */
  readonly position: number;
  readonly properties: readonly string[];
  readonly property: string;
  readonly trace: readonly PlanAction[];
  readonly message: string;
}

/** What a plan's verdict rests on: the states explored, the bounds, the properties checked and not. */
export interface PlanBasis {
  readonly states: number;
  readonly seconds: number;
  readonly bounds: Bounds;
  readonly checked: readonly string[];
  readonly notExplored: readonly { readonly property: string; readonly reason: string }[];
}

/** One exploration of a plan's steps in one order. */
export interface PlanExploration extends PlanBasis {
  /** Every reachable state was explored and no property failed at any position. */
  readonly safe: boolean;
  readonly unsafe: Unsafe | null;
  /** Every component explored to the end (a safe verdict is a proof). */
  readonly exhausted: boolean;
  /** A digest of the rows at the plan's end, over every component (with `endRows`): equal for orders that end alike. */
  readonly endDigest: string;
}

/** The properties a plan is checked against: those that apply, time aside. */
export function planProperties(model: CompiledCluster, names: readonly string[]): { checked: ClusterProperty[]; notExplored: { property: string; reason: string }[] } {
  const selected = PROPERTIES.filter((p) => p.kind !== 'sometimes' && (names.length === 0 || names.includes(p.name)));
  const notExplored: { property: string; reason: string }[] = [];
  const checked: ClusterProperty[] = [];
  for (const p of selected) {
    const reason = p.notApplicable(model);
    if (reason !== undefined) notExplored.push({ property: p.name, reason: `not applicable: ${reason}` });
    else if (p.needsTime === true) notExplored.push({ property: p.name, reason: 'only time passing can break it, and no time passes in a plan' });
    else checked.push(p);
  }
  return { checked, notExplored };
}

/** The bounds a plan's verdict rests on, in words. */
export function planBounds(config: ClusterConfig, scope: Scope, cutLinks: boolean): Bounds {
  return {
    members: config.members.length,
    'unplanned members down at once': config.faults.maxDown,
    'links cut at once': cutLinks && config.faults.partitions ? config.faults.maxCutLinks : 0,
    ...(config.members.some((m) => m.site !== undefined) ? { 'sites split off at once': 0 } : {}),
    'keys per record kind': 1,
    clients: scope.clients.length,
    'time steps (hours)': 'none: time does not pass',
    'trace length': 'any',
  };
}

/**
 * Explores a plan (its steps in this order) against the properties, every component in turn: every
 * position's violations with their shortest traces, or (with `firstFinding`) until the first is found.
 */
export function explorePlan(config: ClusterConfig, steps: readonly PlanStep[], options: PlanOptions): PlanExploration {
  const started = performance.now();
  const model = planModel(config);
  if (model.size > PLAN_MAX_MEMBERS) throw new Error(`a plan takes at most ${PLAN_MAX_MEMBERS} members (its marks are bits of one word)`);
  const { checked, notExplored } = planProperties(model, options.properties);
  const reads = scopeFor(checked);
  const scope: Scope = { ...makeScope(1, reads.clients.length, []), keys: reads.keys, hours: [] };
  const positions = steps.length + 1;
  /** Per property and position: the shortest finding over every component. */
  const best = new Map<string, { trace: PlanAction[]; message: string }>();
  let states = 0;
  let exhausted = true;
  let digest = 0;
  let endRows = 0;
  for (const slot of scopeSlots(scope)) {
    const judged = checked.filter((p) => readsSlot(p, slot));
    if (judged.length === 0) continue;
    const space = new PlanSpace(model, componentRows(model, scope, slot, judged), judged, steps, options.cutLinks);
    const result = exploreRows(space, {
      maxDepth: Number.MAX_SAFE_INTEGER,
      maxStates: options.maxStates,
      ...(options.firstFinding ? { stop: () => (space.found ? 'a violation was found' : undefined) } : {}),
      ...(options.onProgress ? { onProgress: (p: { states: number; seconds: number }) => options.onProgress!(states + p.states, (performance.now() - started) / 1000) } : {}),
    });
    states += result.states;
    if (!result.exhausted && !(options.firstFinding && space.found)) exhausted = false;
    digest = (digest + Math.imul(space.endDigest, 31 + slotHash(slot))) | 0;
    endRows += space.endRows;
    result.findings.forEach((finding, i) => {
      if (finding.path === null) return;
      const name = space.properties[i]!.name;
      const trace = space.realize(finding);
      const known = best.get(name);
      if (known === undefined || trace.length < known.trace.length) best.set(name, { trace, message: finding.message ?? '' });
    });
    if (options.firstFinding && best.size > 0) break;
  }
  let unsafe: Unsafe | null = null;
  for (let k = 0; k < positions && unsafe === null; k++) {
    const failing = checked.filter((p) => best.has(`${p.name}@${k}`));
    if (failing.length === 0) continue;
    const shortest = failing.reduce((a, b) => (best.get(`${b.name}@${k}`)!.trace.length < best.get(`${a.name}@${k}`)!.trace.length ? b : a));
    const found = best.get(`${shortest.name}@${k}`)!;
    unsafe = { position: k, properties: failing.map((p) => p.name), property: shortest.name, trace: found.trace, message: messageOf(model, steps, shortest, found.trace) ?? found.message };
  }
  return {
    safe: unsafe === null && exhausted,
    unsafe,
    exhausted,
    states,
    seconds: (performance.now() - started) / 1000,
    bounds: planBounds(config, scope, options.cutLinks),
    checked: checked.map((p) => p.name),
    notExplored,
    endDigest: `${digest >>> 0}:${endRows}`,
  };
}

function slotHash(slot: Slot): number {
  const text = slot.type === 'record' ? slot.id : `client ${slot.client}`;
  let h = 7;
  for (let i = 0; i < text.length; i++) h = Math.imul(h, 31) + text.charCodeAt(i);
  return h | 0;
}

/**
 * A plan trace replayed on the plain model, step by step: every state (the initial one first) and the
 * members the plan has down in each. Throws when a step does not replay (it always should).
 */
export function replayPlan(model: CompiledCluster, trace: readonly PlanAction[]): { states: ClusterState[]; marks: PlanMarks[] } {
  const states = [initialState(model)];
  const marks = [NO_MARKS];
  for (const a of trace) {
    const state = states.at(-1)!;
    if (a.kind === 'unplanned') {
      states.push(applyAction(model, state, a.action));
      marks.push(marks.at(-1)!);
    } else {
      const taken = takeStep(model, state, marks.at(-1)!, a.step);
      if (typeof taken === 'string') throw new Error(`internal error: step ${a.index + 1} of a plan trace does not replay: ${taken}`);
      states.push(taken.state);
      marks.push(taken.marks);
    }
  }
  return { states, marks };
}

/** The words of a violation at the end of a plan trace, from the plain model (as `check` takes them). */
function messageOf(model: CompiledCluster, _steps: readonly PlanStep[], property: ClusterProperty, trace: readonly PlanAction[]): string | undefined {
  const { states, marks } = replayPlan(model, trace);
  const outcome = judgeInPlan(model, property, states.at(-1)!, marks.at(-1)!.planned);
  if (outcome.holds) throw new Error(`internal error: the plan trace for ${property.name} does not violate it on the plain model`);
  return outcome.message;
}

/** A cut link's key, for reports. */
export function linkOf(model: CompiledCluster, a: string, b: string): string {
  return linkKey(model, memberIndex(model, a), memberIndex(model, b));
}

// ---------------------------------------------------------------------------------------------------
// The first unsafe step, and a safe order.

export interface PlanCheck extends PlanExploration {
  /** Explorations run (the plan, then prefixes of it: the first unsafe step by bisection). */
  readonly explorations: number;
}

/**
 * A plan checked: explored whole, stopping at the first violation found; if there is one, the first
 * unsafe step is found by bisection over the plan's prefixes (a prefix that is unsafe stays unsafe when
 * it is extended), each prefix explored until its first violation or to the end. The violation reported
 * is at that step, with the shortest trace the exploration of that prefix found.
 */
export function checkPlan(config: ClusterConfig, steps: readonly PlanStep[], options: Omit<PlanOptions, 'firstFinding'>): PlanCheck {
  const started = performance.now();
  let explorations = 0;
  let states = 0;
  const probe = (k: number) => {
    explorations++;
    const result = explorePlan(config, steps.slice(0, k), { ...options, firstFinding: true });
    states += result.states;
    return result;
  };
  const whole = probe(steps.length);
  if (whole.unsafe === null) return { ...whole, explorations, states, seconds: (performance.now() - started) / 1000 };
  // The least prefix that is unsafe: lo is safe (or -1: nothing explored), hi unsafe.
  let lo = -1;
  let hi = steps.length;
  let found = whole;
  let proven = true;
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    const result = probe(mid);
    if (result.unsafe !== null) {
      hi = mid;
      found = result;
    } else {
      lo = mid;
      if (!result.exhausted) proven = false;
    }
  }
  return { ...found, exhausted: found.exhausted && proven, explorations, states, seconds: (performance.now() - started) / 1000 };
}

/** A plan's steps for one member, in order, with the waits for replication that follow them. */
export interface PlanGroup {
  readonly member: string | undefined;
  readonly steps: readonly PlanStep[];
}

/**
 * The plan's per-member groups (`plan --find` orders them): each run of consecutive steps on one member,
 * with the `settle` steps after it; `settle` steps before any member's step form a group of their own,
 * kept first.
 */
export function planGroups(steps: readonly PlanStep[]): PlanGroup[] {
  const groups: { member: string | undefined; steps: PlanStep[] }[] = [];
  for (const step of steps) {
    const member = step.type === 'settle' ? undefined : step.member;
    const last = groups.at(-1);
    if (last !== undefined && (member === undefined || member === last.member) && !(member !== undefined && last.member === undefined)) last.steps.push(step);
    else groups.push({ member, steps: [step] });
  }
  return groups;
}

export interface PlanFind extends PlanBasis {
  /** A safe order of the groups, as steps; undefined when none was found. */
  readonly steps: readonly PlanStep[] | undefined;
  readonly groups: readonly PlanGroup[];
  readonly order: readonly PlanGroup[] | undefined;
  /** No order is safe, proven (every order ruled out by an exhaustive exploration). */
  readonly noneExists: boolean;
  readonly undecided: string | undefined;
  /** The unsafe prefixes met: their groups, and the first violation each exploration found. */
  readonly unsafe: readonly { readonly prefix: readonly PlanGroup[]; readonly unsafe: Unsafe }[];
  readonly explorations: number;
  /** How many groups the search tried first (one per class of groups alike under the config's symmetries). */
  readonly firstClasses: number;
}

/** A group relabelled by a permutation of ring positions (a symmetry of the config). */
function relabelled(model: CompiledCluster, group: PlanGroup, perm: readonly number[]): string {
  const id = (member: string) => model.members[perm[memberIndex(model, member)]!]!.id;
  return JSON.stringify(group.steps.map((s) => (s.type === 'settle' ? s : { ...s, member: id(s.member) })));
}

/**
 * Why `--find` cannot order this plan's steps, or undefined: it orders per-member groups, so each
 * member's steps must come together (a member taken down and brought back in one run).
 */
export function findProblem(steps: readonly PlanStep[]): string | undefined {
  const seen = new Set<string>();
  let current: string | undefined;
  for (const [i, step] of steps.entries()) {
    if (step.type === 'settle' || step.member === current) continue;
    if (seen.has(step.member))
      return `steps[${i}]: ${step.member}'s steps do not come together (other members' steps are between them); --find orders whole per-member groups, so write each member's steps in one run`;
    seen.add(step.member);
    current = step.member;
  }
  return undefined;
}

/**
 * A safe order of the plan's per-member groups (`checker/order-search.ts`): leading `settle` groups stay
 * first; every order of the others is tried depth first, each prefix explored until its first
 * violation, a prefix that ends in the states of one already found to lead nowhere skipped, and groups
 * alike under a symmetry of the config tried once at the start.
 */
export async function findPlanOrder(config: ClusterConfig, steps: readonly PlanStep[], options: Omit<PlanOptions, 'firstFinding'> & { readonly maxExplorations: number }): Promise<PlanFind> {
  const started = performance.now();
  const model = planModel(config);
  const all = planGroups(steps);
  const lead = all.filter((g, i) => g.member === undefined && all.slice(0, i).every((x) => x.member === undefined));
  const groups = all.filter((g) => !lead.includes(g));
  let states = 0;
  let last: PlanExploration | undefined;
  // Groups alike at the start: one maps onto the other under some symmetry of the config.
  const symmetries = ringSymmetries(model);
  const classes: PlanGroup[][] = [];
  for (const group of groups) {
    const images = new Set(symmetries.map((perm) => relabelled(model, group, perm)));
    const known = classes.find((c) => images.has(JSON.stringify(c[0]!.steps)));
    if (known !== undefined) known.push(group);
    else classes.push([group]);
  }
  const search = await searchOrder<PlanGroup, Unsafe>({
    groups,
    key: (g) => JSON.stringify(g.steps),
    firstClasses: classes,
    maxProbes: options.maxExplorations,
    probe: async (prefix) => {
      const result = explorePlan(config, [...lead, ...prefix].flatMap((g) => g.steps), { ...options, firstFinding: true });
      states += result.states;
      last = result;
      if (result.unsafe !== null) return { verdict: 'unsafe', finding: result.unsafe };
      if (!result.exhausted) return { verdict: 'undecided', reason: 'an exploration stopped at its state budget (--max-states) before it finished' };
      return { verdict: 'safe', digest: result.endDigest };
    },
  });
  const { checked, notExplored } = planProperties(model, options.properties);
  const reads = scopeFor(checked);
  return {
    steps: search.order === undefined ? undefined : [...lead, ...search.order].flatMap((g) => g.steps),
    groups: all,
    order: search.order === undefined ? undefined : [...lead, ...search.order],
    noneExists: search.noneExists,
    undecided: search.undecided,
    unsafe: search.unsafe.map((u) => ({ prefix: [...lead, ...u.prefix], unsafe: u.finding })),
    explorations: search.probes,
    states,
    seconds: (performance.now() - started) / 1000,
    bounds: last?.bounds ?? planBounds(config, { ...makeScope(1, reads.clients.length, []), keys: reads.keys }, options.cutLinks),
    checked: checked.map((p) => p.name),
    notExplored,
    firstClasses: classes.length,
  };
}
