/**
 * Exhaustive exploration of a cluster config on the rules' row backend (`model/component.ts`),
 * one component (record or client) at a time, with the generic row explorer (`exploreRows`, `checker/packed.ts`).
 *
 * Each component is explored on its own against the shared faults; a property that must hold of every
 * component is violated when one component's exploration violates it (the shortest over all of them);
 * a `sometimes` property is reached when one component reaches it. Exact when the decomposition is
 * (`model/decomposition.test.ts`), and the row backend agrees with the object backend (`test/equivalence.ts`).
 *
 * Verdicts are the properties' own (`property.check` on a decoded state), memoized by what decides them:
 * an `eventually` property judged on the settled state depends only on the state once its faults have
 * ended (`settle` is a function of it), so its memo is keyed by that; other properties by the whole row.
 * A property that does not read a component (`reads` in its declaration) is not judged on it.
 */
import { IntList, type RowFinding, type RowExploreOptions, type RowExploration, type RowSpace, RowSet, exploreRows } from '../checker/packed.ts';
import type { Action } from '../model/actions.ts';
import { type CompiledCluster, initialState } from '../model/cluster.ts';
import type { Scope } from '../model/enabled.ts';
import { RowComponent } from '../model/component.ts';
import { project, type Slot, scopeSlots } from '../model/projection.ts';
import type { Kept, RelabelPlan } from '../model/row.ts';
import { kindOf, type RecordKind } from '../model/records.ts';
import type { ClusterProperty } from '../properties/index.ts';

/** One component's exploration: the explorer's figures, the component, and the words of its rows. */
export interface SlotExploration extends Omit<RowExploration, 'seconds' | 'findings'> {
  readonly slot: Slot;
  readonly words: number;
}

export interface VerifyFinding {
  readonly name: string;
  /**
   * How much of what the property reads was explored: every component it reads to the end (`complete`),
   * some of them or not to the end (`partial`), none at all (`none`: a cap stopped the search first).
   */
  readonly coverage: 'complete' | 'partial' | 'none';
  /** States explored in the components this property was judged on. */
  readonly states: number;
  /** The shortest trace to a finding over all components, or null. */
  readonly shortest: Action[] | null;
  readonly message: string | null;
}

export interface VerifyResult {
  readonly states: number;
  readonly transitions: number;
  /** The least depth completed over all components. */
  readonly depthComplete: number;
  /** Every component was exhausted, or decided every property it judges. */
  readonly complete: boolean;
  readonly stopped?: string;
  readonly seconds: number;
  readonly bytesPerState: number;
  readonly perSlot: readonly SlotExploration[];
  readonly findings: readonly VerifyFinding[];
}

/** The same as one packed exploration's: the caps apply to all the components' explorations together. */
export type VerifyOptions = RowExploreOptions;

/** Whether a property reads this component at all (`reads` in its declaration; by default it reads every one). */
export function readsSlot(property: ClusterProperty, slot: Slot): boolean {
  return readsComponent(property, slot.type === 'client' ? 'client' : kindOf(slot.id));
}

/** Whether a property reads desktop clients (`client`) or the records of a kind (`readsSlot`, for any slot of it). */
export function readsComponent(property: ClusterProperty, component: 'client' | RecordKind): boolean {
  const reads = property.reads;
  if (reads === undefined) return true;
  if (component === 'client') return reads.clients === true;
  return reads.kinds === undefined || reads.kinds.includes(component);
}

/** Whether a property reads the rotation on this config (`PropertyReads.rotation`). */
export function readsRotation(property: ClusterProperty, cluster: CompiledCluster): boolean {
  const rotation = property.reads?.rotation;
  return typeof rotation === 'function' ? rotation(cluster) : rotation === true;
}

/** What each component must keep for these properties and this scope (TLC's VIEW). */
export function viewFor(properties: readonly ClusterProperty[], scope: Scope, cluster: CompiledCluster): Kept {
  const rotation = properties.some((p) => readsRotation(p, cluster));
  const overwritten = properties.some((p) => p.reads?.overwritten === true);
  // Whether a write supersedes the acknowledged version unseen is read off the acknowledged version.
  const acknowledged = overwritten || scope.writeOnce === true || properties.some((p) => p.reads?.acknowledged === true);
  return { rotation, acknowledged, overwritten };
}

/** How a property's verdict on a row is memoized: on the row once its faults end, or on the row itself. */
function memoMode(property: ClusterProperty): 'all' | 'survivors' | 'state' {
  if (property.kind !== 'eventually') return 'state';
  return property.settles ?? property.settledBy ?? 'state';
}

export class ComponentSpace implements RowSpace {
  readonly words: number;
  readonly properties: readonly { name: string; kind: ClusterProperty['kind'] }[];
  private readonly row: Int32Array;
  private readonly next: Int32Array;
  private readonly key: Int32Array;
  private readonly settleTry: Int32Array;
  private readonly keyPacked: Int32Array;
  private readonly keySets: RowSet[];
  /** Per memo mode, the rows with their faults ended (before settling), and the key each settles to. */
  private readonly endedSets: RowSet[];
  private readonly endedKey: IntList[];
  /** Per memo mode, whether each key was settled on the row to quiescence (then it is the settled state). */
  private readonly keyQuiet: IntList[];
  private readonly memoResult: (string | null)[][];
  private readonly modes: ('all' | 'survivors' | 'state')[];
  private readonly withoutDebts: boolean[];
  private readonly modeIndex: Int32Array;
  private readonly inverses: number[][];
  private readonly plans: RelabelPlan[];

  /** For each judged property, the slot whose record (or client) it is judged on: rows of one layout decode as any of them. */
  readonly decoders: readonly RowComponent[];

  constructor(
    readonly cluster: CompiledCluster,
    readonly packed: RowComponent,
    readonly judged: readonly ClusterProperty[],
    readonly group: readonly (readonly number[])[],
    decoders?: readonly RowComponent[],
  ) {
    this.decoders = decoders ?? judged.map(() => packed);
    this.words = packed.words;
    this.properties = judged.map((p) => ({ name: p.name, kind: p.kind }));
    this.row = packed.newRow();
    this.next = packed.newRow();
    this.key = packed.newRow();
    this.settleTry = packed.newRow();
    this.keyPacked = new Int32Array(this.words);
    this.keySets = ComponentSpace.MODES.map(() => new RowSet(this.words, 256));
    this.endedSets = ComponentSpace.MODES.map(() => new RowSet(this.words, 256));
    this.endedKey = ComponentSpace.MODES.map(() => new IntList(256));
    this.keyQuiet = ComponentSpace.MODES.map(() => new IntList(256));
    this.memoResult = judged.map(() => []);
    this.modes = judged.map(memoMode);
    this.withoutDebts = judged.map((p) => p.holdsWithoutDebts === true);
    this.modeIndex = Int32Array.from(this.modes, (mode) => ComponentSpace.MODES.indexOf(mode));
    this.inverses = group.map((perm) => {
      const inverse = new Array<number>(perm.length);
      perm.forEach((from, p) => {
        inverse[from] = p;
      });
      return inverse;
    });
    this.plans = group.map((perm, g) => packed.relabelPlan(perm, this.inverses[g]!));
  }

  /** Packs the canonical form of `row` (the least packing over the symmetry group) into `out`. */
  canonical(row: Int32Array, out: Int32Array): void {
    // The least relabelling found by comparing the relabellings straight from the row, field by field
    // from the most significant; then only that one packed.
    const plans = this.plans;
    let best = 0;
    for (let g = 1; g < plans.length; g++) if (this.packed.compareRelabellings(row, plans[g]!, plans[best]!) < 0) best = g;
    if (best === 0) this.packed.pack(row, out);
    else this.packed.packRelabelled(row, plans[best]!, out);
  }

  /** The row of the initial state, as reached (not canonical). */
  private initialRow(): Int32Array {
    return this.packed.encode(project(initialState(this.cluster), this.packed.slot));
  }

  initial(out: Int32Array): void {
    this.canonical(this.initialRow(), out);
  }

  successors(from: Int32Array, offset: number, out: Int32Array, emit: (candidate: number) => void): void {
    const packed = this.packed;
    packed.unpack(from, offset, this.row);
    const count = packed.candidates.length;
    for (let c = 0; c < count; c++) {
      // A transition that changes nothing (a replication hop with nothing to send) leads back here.
      if (!packed.enabled(this.row, c)) continue;
      this.next.set(this.row);
      if (!packed.apply(this.next, c)) continue;
      this.canonical(this.next, out);
      emit(c);
    }
  }

  /** The state judged last (its offset), and its key's index per memo mode (-1: not computed yet). */
  private judgedOffset = -1;
  private readonly judgedWords: Int32Array = new Int32Array(64);
  private readonly keyIndex = new Int32Array(3);

  private static readonly MODES = ['all', 'survivors', 'state'] as const;

  /** The index of a state's verdict key in mode `m` (shared by every property memoized that way). */
  private keyOf(m: number, from: Int32Array, offset: number): number {
    // The explorer judges one state for every property in turn: its keys are computed once.
    let same = this.judgedOffset === offset;
    for (let w = 0; same && w < this.words; w++) same = this.judgedWords[w] === from[offset + w];
    if (!same) {
      this.judgedOffset = offset;
      for (let w = 0; w < this.words; w++) this.judgedWords[w] = from[offset + w]!;
      this.keyIndex.fill(-1);
    }
    const known = this.keyIndex[m]!;
    if (known !== -1) return known;
    const packed = this.packed;
    const key = this.key;
    packed.unpack(from, offset, key);
    const mode = ComponentSpace.MODES[m]!;
    let quiet = false;
    if (mode !== 'state') {
      packed.endFaults(key, mode);
      packed.clearOwed(key);
      // Rows whose faults end alike settle alike: settling (the dearer part) runs once per such row.
      packed.pack(key, this.keyPacked);
      const ended = this.endedSets[m]!.add(this.keyPacked);
      if (ended < 0) {
        const index = this.endedKey[m]!.data[-1 - ended]!;
        this.keyIndex[m] = index;
        return index;
      }
      // Settled on the row, so that rows that settle alike share one verdict and the property's own
      // settling of the decoded state finds nothing left to do. (A row that would not quiesce, which this
      // model never has, is judged unsettled, by the property's own settling.)
      this.settleTry.set(key);
      quiet = packed.settle(this.settleTry);
      if (quiet) key.set(this.settleTry);
    }
    packed.collapseForVerdict(key);
    packed.pack(key, this.keyPacked);
    const added = this.keySets[m]!.add(this.keyPacked);
    const index = added < 0 ? -1 - added : added;
    if (added >= 0) this.keyQuiet[m]!.push(quiet ? 1 : 0);
    if (mode !== 'state') this.endedKey[m]!.push(index);
    this.keyIndex[m] = index;
    return index;
  }

  judge(p: number, from: Int32Array, offset: number): string | undefined {
    // A property that holds wherever nobody owes anything (`holdsWithoutDebts`) needs no verdict key there.
    if (this.withoutDebts[p] && this.packed.owesNothing(from, offset)) return this.judged[p]!.kind === 'sometimes' ? `${this.judged[p]!.name} is reached` : undefined;
    const m = this.modeIndex[p]!;
    const index = this.keyOf(m, from, offset);
    const results = this.memoResult[p]!;
    const known = results[index];
    if (known !== undefined) return known ?? undefined;
    const packed = this.packed;
    // Decode the key itself: the state the verdict is memoized by.
    const key = this.key;
    packed.unpack(this.keySets[m]!.rows.data, index * this.words, key);
    const property = this.judged[p]!;
    const state = this.decoders[p]!.decode(key);
    // A key settled on the row (quietly) is the settled state: judged as the property judges one.
    const outcome =
      property.judge !== undefined && this.keyQuiet[m]!.data[index] === 1 ? property.judge(this.cluster, { state, rounds: 0, quiescent: true }) : property.check(this.cluster, state);
    const finding = property.kind === 'sometimes' ? outcome.holds : !outcome.holds;
    const message = finding ? (outcome.holds ? `${property.name} is reached` : outcome.message) : null;
    results[index] = message;
    return message ?? undefined;
  }

  /** The real trace along a path of canonical states: under symmetry, the action whose successor matches each next state. */
  realize(finding: RowFinding, as: RowComponent = this.packed): Action[] {
    const packed = this.packed;
    const path = finding.path!;
    // Slots of one signature list their candidates alike: index c is the same action but for the record written.
    if (this.group.length === 1) return path.map((c) => as.candidates[c]!.action);
    const states = finding.states!;
    const actual = this.initialRow();
    const out = new Int32Array(this.words);
    const actions: Action[] = [];
    for (let i = 1; i < states.length; i++) {
      const target = states[i]!;
      let chosen = -1;
      for (let c = 0; c < packed.candidates.length && chosen === -1; c++) {
        if (!packed.enabled(actual, c)) continue;
        this.next.set(actual);
        packed.apply(this.next, c);
        this.canonical(this.next, out);
        if (out.every((w, k) => w === target[k])) chosen = c;
      }
      if (chosen === -1) throw new Error('internal error: a trace of the packed exploration does not replay');
      packed.apply(actual, chosen);
      actions.push(as.candidates[chosen]!.action);
    }
    return actions;
  }
}

/**
 * The explorations of a scope's components, each with the properties judged on it and what its rows keep:
 * every component once per view, the properties that read the rotation (a returning member's debt, which
 * multiplies a Web Messenger account's states) apart from the rest, so that the others never pay for it,
 * and a rotation property found violated early stops its own search early. The rotation's explorations
 * come last: they are the largest, and a budget that runs out in them leaves every other property decided.
 * Clients first: their components are the smallest, so a budget that runs out leaves them decided.
 */
export function componentExplorations(
  cluster: CompiledCluster,
  scope: Scope,
  properties: readonly ClusterProperty[],
): { readonly slot: Slot; readonly judged: ClusterProperty[]; readonly view: Kept }[] {
  const slotsInOrder = [...scopeSlots(scope)].sort((a, b) => (a.type === b.type ? 0 : a.type === 'client' ? -1 : 1));
  return [false, true].flatMap((rotation) =>
    slotsInOrder.flatMap((slot) => {
      const judged = properties.filter((p) => readsSlot(p, slot) && readsRotation(p, cluster) === rotation);
      return judged.length === 0 ? [] : [{ slot, judged, view: viewFor(judged, scope, cluster) }];
    }),
  );
}

/** Explores every component of the scope on rows (a `ComponentSpace` each, by `exploreRows`), with the properties that read it; combines the findings. */
export function exploreComponents(
  cluster: CompiledCluster,
  scope: Scope,
  properties: readonly ClusterProperty[],
  group: readonly (readonly number[])[],
  options: VerifyOptions,
): VerifyResult {
  const started = performance.now();
  const perSlot: SlotExploration[] = [];
  const best: (Omit<VerifyFinding, 'coverage' | 'states'> | undefined)[] = properties.map(() => undefined);
  /** Per property: explorations of its components that finished, that started, and that it needs. */
  const finished = properties.map(() => 0);
  const started_ = properties.map(() => 0);
  const statesOf = properties.map(() => 0);
  let states = 0;
  let transitions = 0;
  let bytes = 0;
  let stopped: string | undefined;
  // Each component is explored once per view (`componentExplorations`).
  //
  // Components whose rows follow the same rules from the same initial row (`RowComponent.signature`: a
  // user, a domain and a private key where every member may hold one, say) are explored once, and each
  // property judged on the rows decoded as its own component.
  const groups: { slot: Slot; packed: RowComponent; judged: ClusterProperty[]; decoders: RowComponent[] }[] = [];
  const bySignature = new Map<string, (typeof groups)[number]>();
  for (const { slot, judged, view } of componentExplorations(cluster, scope, properties)) {
    // The view of a merged exploration is the union of its members' views.
    const packed = new RowComponent(cluster, scope, slot, view);
    const signature = packed.signature(packed.encode(project(initialState(cluster), slot)));
    const known = bySignature.get(signature);
    if (known !== undefined) {
      for (const p of judged) {
        known.judged.push(p);
        known.decoders.push(packed);
      }
      continue;
    }
    const entry = { slot, packed, judged: [...judged], decoders: judged.map(() => packed) };
    bySignature.set(signature, entry);
    groups.push(entry);
  }
  const needed = properties.map((p) => groups.filter((g) => g.judged.includes(p)).length);
  for (const { slot, packed, judged, decoders } of groups) {
    for (const p of new Set(judged)) started_[properties.indexOf(p)]!++;
    const space = new ComponentSpace(cluster, packed, judged, group, decoders);
    const before = { states, transitions };
    const result = exploreRows(space, {
      maxDepth: options.maxDepth,
      maxStates: options.maxStates - states,
      ...(options.stop ? { stop: options.stop } : {}),
      ...(options.parallel ? { parallel: options.parallel } : {}),
      ...(options.onProgress
        ? {
            onProgress: (p) =>
              options.onProgress!({ ...p, states: before.states + p.states, transitions: before.transitions + p.transitions, seconds: (performance.now() - started) / 1000 }),
          }
        : {}),
    });
    states += result.states;
    transitions += result.transitions;
    bytes += result.bytesPerState * result.states;
    perSlot.push({
      slot,
      states: result.states,
      transitions: result.transitions,
      depthComplete: result.depthComplete,
      exhausted: result.exhausted,
      decided: result.decided,
      ...(result.stopped === undefined ? {} : { stopped: result.stopped }),
      bytesPerState: result.bytesPerState,
      words: space.words,
    });
    const counted = new Set<number>();
    const unfinished = new Set<number>();
    result.findings.forEach((finding, f) => {
      const p = properties.indexOf(judged[f]!);
      if (!(result.exhausted || result.decided || finding.path !== null)) unfinished.add(p);
      if (!counted.has(p)) {
        counted.add(p);
        statesOf[p]! += result.states;
      }
      if (finding.path === null) return;
      const known = best[p];
      if (known !== undefined && known.shortest!.length <= finding.path.length) return;
      best[p] = { name: finding.name, shortest: space.realize(finding, decoders[f]), message: finding.message };
    });
    for (const p of counted) if (!unfinished.has(p)) finished[p]!++;
    if (result.stopped !== undefined) {
      stopped = states >= options.maxStates ? `the cap of ${options.maxStates.toLocaleString('en-US')} states (--max-states)` : result.stopped;
      break;
    }
  }
  const complete = stopped === undefined && perSlot.every((s) => s.exhausted || s.decided);
  return {
    states,
    transitions,
    depthComplete: perSlot.length === 0 ? 0 : Math.min(...perSlot.map((s) => (s.exhausted || s.decided ? Number.POSITIVE_INFINITY : s.depthComplete))),
    complete,
    ...(stopped === undefined ? {} : { stopped }),
    seconds: (performance.now() - started) / 1000,
    bytesPerState: Math.round(bytes / Math.max(1, states)),
    perSlot,
    findings: properties.map((p, i) => ({
      ...(best[i] ?? { name: p.name, shortest: null, message: null }),
      coverage: finished[i] === needed[i] ? 'complete' : started_[i] === 0 && needed[i]! > 0 ? 'none' : 'partial',
      states: statesOf[i]!,
    })),
  };
}

