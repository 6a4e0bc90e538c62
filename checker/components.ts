/**
 * A fast engine for models whose states split into independent components (one per record, say), each
 * with a copy of the shared state.
 *
 * A state of the engine is a tuple of component ids. Each component state is interned once (by its
 * canonical key) and every transition of a component is computed once, with the model's own `step`, and
 * then looked up: after a short warm-up a step of the whole model is one table lookup per component.
 * Property verdicts are memoized per component the same way. Nothing about the model's semantics is
 * reimplemented here; the engine is exact exactly when the decomposition is (see `Decomposition`), which
 * the model's tests check against the plain model.
 */
import type { Model, Outcome, Property, PropertyKind } from './types.ts';

export interface Decomposition<S, A> {
  /** How many components every state splits into. */
  readonly slots: number;
  /** The state restricted to one component (with all of the shared state). */
  project(state: S, slot: number): S;
  /**
   * The component an action belongs to: its enabledness is decided there, and it changes that
   * component's own part and nothing that keys see of the shared state (so every other component is left
   * as it was). `'shared'` for an action that reads and changes only the shared state; undefined when the
   * decomposition does not cover the action.
   */
  owner(action: A): number | 'shared' | undefined;
  /** A canonical key of a component of `slot`: components with equal keys behave the same. */
  key(state: S, slot: number): string;
  /** Symmetry: the key of a component relabelled by element `g` of a group (`g = 0` is the identity). */
  keyUnder?(state: S, slot: number, g: number): string;
  readonly groupSize?: number;
  /** Names a component in messages (`user:alice`, `client laptop1`). */
  describeSlot?(slot: number): string;
  /** How states settle, for properties judged on settled states (see `ComponentProperty.settled`). */
  readonly settling?: Settling<S, A>;
}

/**
 * Settling a state for an `eventually` property, in steps the engine can memoize: the actions that end
 * the faults (shared actions of the candidates), then rounds of replication until one changes nothing.
 */
export interface Settling<S, A> {
  endings(state: S, mode: string): readonly A[];
  /** One round, or undefined when the state is quiet. */
  round(state: S): S | undefined;
  readonly roundLimit: number;
}

/** How a property over a whole state follows from its components. */
export type Combine = 'all' | 'any';

export interface ComponentProperty<S> {
  readonly name: string;
  readonly kind: PropertyKind;
  /** `all`: holds when every component satisfies it (always, eventually); `any`: when one does (sometimes). */
  readonly combine: Combine;
  check(state: S): Outcome;
  /**
   * For a property judged on the settled state: how it settles and the judgement. With a
   * `Settling` in the decomposition the engine then settles through its tables instead of calling
   * `check`; `check` must equal this judgement of the settled state.
   */
  readonly settled?: {
    readonly mode: string;
    judge(settled: { readonly state: S; readonly rounds: number; readonly quiescent: boolean }): Outcome;
  };
}

export type Tuple = Int32Array;

const UNKNOWN = -1;
const QUIET = -2;

export class ComponentEngine<S, A> {
  /** Representative state of each interned component, and the slot it is a component of. */
  readonly components: S[] = [];
  private readonly slotOf: number[] = [];
  private readonly ids = new Map<string, number>();
  /** next[slot][component][candidate]: the successor under an action the slot owns, UNKNOWN until computed. */
  private readonly next: Int32Array[][];
  /** sharedNext[component][candidate]: the successor under a shared action (the same for every slot). */
  private readonly sharedNext: Int32Array[] = [];
  /** enabled[component][candidate]: 0 unknown, 1 enabled, 2 not enabled (owned and shared actions only). */
  private readonly enabledMemo: Uint8Array[] = [];
  private readonly verdicts = new Map<string, Outcome[]>();
  private readonly owners: (number | 'shared')[];
  private readonly index = new Map<A, number>();
  private readonly indexByJson = new Map<string, number>();
  /** Each slot's own actions, and the shared ones (candidate indexes). */
  readonly owned: number[][];
  readonly shared: number[];
  /** Each candidate's class, as an index into `classNames` (in order of first appearance). */
  private readonly classOf: Int32Array;
  private readonly classNames: string[] = [];
  private readonly counts: Int32Array;
  /** The classes of each slot's own actions (a slot owns actions of a class or two: its writes, its enrollments). */
  private readonly ownedClasses: Int32Array[];
  /** How many times the model's own step or settling round ran (table misses). */
  modelSteps = 0;
  /**
   * Whether to time those calls (`modelSeconds`): off unless asked (the benchmark asks), so that a search
   * does not read the clock twice per table miss.
   */
  timing = false;
  /** With `timing`: seconds spent inside those calls, the model's own work (computing the new state), which no table can save the first time. */
  modelSeconds = 0;
  readonly initial: Tuple;

  constructor(
    readonly base: Model<S, A>,
    readonly decomposition: Decomposition<S, A>,
    readonly candidates: readonly A[],
  ) {
    const slots = decomposition.slots;
    this.next = Array.from({ length: slots }, () => []);
    this.owned = Array.from({ length: slots }, () => []);
    this.ownedEnabled = Array.from({ length: slots }, () => []);
    this.ownedByClass = Array.from({ length: slots }, () => []);
    this.shared = [];
    this.owners = candidates.map((action, c) => {
      const owner = decomposition.owner(action);
      if (owner === undefined) throw new Error(`the decomposition does not cover ${base.describe(action)}`);
      if (owner === 'shared') this.shared.push(c);
      else this.owned[owner]!.push(c);
      this.index.set(action, c);
      this.indexByJson.set(JSON.stringify(action), c);
      return owner;
    });
    this.classOf = Int32Array.from(candidates, (action) => {
      const name = base.classify(action);
      let at = this.classNames.indexOf(name);
      if (at === -1) at = this.classNames.push(name) - 1;
      return at;
    });
    this.counts = new Int32Array(this.classNames.length);
    this.ownedClasses = this.owned.map((list) => Int32Array.from(new Set(list.map((c) => this.classOf[c]!))));
    this.initial = Int32Array.from({ length: slots }, (_, slot) => this.intern(decomposition.project(base.initial, slot), slot));
  }

  /** The id of a component of `slot` (each slot's components interned apart). */
  intern(state: S, slot: number): number {
    const key = `${slot}:${this.decomposition.key(state, slot)}`;
    let id = this.ids.get(key);
    if (id === undefined) {
      id = this.components.length;
      this.ids.set(key, id);
      this.components.push(state);
      this.slotOf.push(slot);
    }
    return id;
  }

  candidateIndex(action: A): number | undefined {
    return this.index.get(action) ?? this.indexByJson.get(JSON.stringify(action));
  }

  private componentAllows(component: number, c: number): boolean {
    let memo = this.enabledMemo[component];
    if (memo === undefined) {
      memo = new Uint8Array(this.candidates.length);
      this.enabledMemo[component] = memo;
    }
    if (memo[c] === 0) memo[c] = this.base.whyDisabled(this.components[component]!, this.candidates[c]!) === undefined ? 1 : 2;
    return memo[c] === 1;
  }

  /** The enabled shared actions of a component, and the enabled actions a slot owns, memoized. */
  private readonly sharedEnabled: number[][] = [];
  private readonly ownedEnabled: number[][][];

  enabledIndexes(tuple: Tuple): number[] {
    const out = this.sharedList(tuple).slice();
    for (let slot = 0; slot < tuple.length; slot++) for (const c of this.ownedList(slot, tuple[slot]!)) out.push(c);
    return out;
  }

  private sharedList(tuple: Tuple): number[] {
    return this.sharedOf(tuple[0]!);
  }

  /** The shared actions enabled in a component (every component of a state agrees on them). */
  sharedOf(component: number): number[] {
    let list = this.sharedEnabled[component];
    if (list === undefined) {
      list = this.shared.filter((c) => this.componentAllows(component, c));
      this.sharedEnabled[component] = list;
    }
    return list;
  }

  ownedList(slot: number, component: number): number[] {
    let list = this.ownedEnabled[slot]![component];
    if (list === undefined) {
      list = this.owned[slot]!.filter((c) => this.componentAllows(component, c));
      this.ownedEnabled[slot]![component] = list;
    }
    return list;
  }

  /**
   * Random search's choice, without listing the enabled actions: a class first (by `choice` among the
   * classes with an enabled action, in candidate order), then one action of that class. Returns a
   * candidate index, or -1 when nothing is enabled.
   */
  pickIndex(tuple: Tuple, choice: number): number {
    const counts = this.counts;
    const shared = this.byClass(this.sharedOf(tuple[0]!), this.sharedByClass, tuple[0]!);
    for (let k = 0; k < counts.length; k++) counts[k] = shared[k]!.length;
    const owned = this.ownedScratch;
    for (let slot = 0; slot < tuple.length; slot++) {
      const lists = this.byClass(this.ownedList(slot, tuple[slot]!), this.ownedByClass[slot]!, tuple[slot]!);
      owned[slot] = lists;
      const classes = this.ownedClasses[slot]!;
      for (let i = 0; i < classes.length; i++) counts[classes[i]!]! += lists[classes[i]!]!.length;
    }
    let present = 0;
    for (let k = 0; k < counts.length; k++) if (counts[k]! > 0) present++;
    if (present === 0) return -1;
    let wanted = choice % present;
    let cls = 0;
    for (; cls < counts.length; cls++) if (counts[cls]! > 0 && wanted-- === 0) break;
    // The nth action of the class, in candidate order: the shared ones first, then slot by slot.
    let nth = Math.floor(choice / present) % counts[cls]!;
    const first = shared[cls]!;
    if (nth < first.length) return first[nth]!;
    nth -= first.length;
    for (let slot = 0; slot < tuple.length; slot++) {
      const list = owned[slot]![cls]!;
      if (nth < list.length) return list[nth]!;
      nth -= list.length;
    }
    return -1;
  }

  private readonly sharedByClass: (readonly number[][])[] = [];
  private readonly ownedByClass: (readonly number[][])[][];
  private readonly ownedScratch: (readonly number[][])[] = [];

  /** A component's enabled actions, class by class (each in candidate order), memoized. */
  private byClass(list: readonly number[], memo: (readonly number[][])[], component: number): readonly number[][] {
    let lists = memo[component];
    if (lists === undefined) {
      const made: number[][] = this.classNames.map(() => []);
      for (const c of list) made[this.classOf[c]!]!.push(c);
      lists = made;
      memo[component] = lists;
    }
    return lists;
  }

  /** The successor of one component of slot `slot` under candidate `c`. */
  componentStep(slot: number, component: number, c: number): number {
    const shared = this.owners[c] === 'shared';
    // A component's successors under shared actions are its own (a component belongs to one slot).
    const table = shared ? this.sharedNext : this.next[slot]!;
    let row = table[component];
    if (row === undefined) {
      row = new Int32Array(this.candidates.length).fill(UNKNOWN);
      table[component] = row;
    }
    let to = row[c]!;
    if (to === UNKNOWN) {
      this.modelSteps++;
      const started = this.timing ? performance.now() : 0;
      const after = this.base.step(this.components[component]!, this.candidates[c]!);
      if (this.timing) this.modelSeconds += (performance.now() - started) / 1000;
      // A shared action changes only the shared state, so its result needs no projection and is the
      // same for every slot; an owned action's result is projected back onto its slot.
      to = this.intern(shared ? after : this.decomposition.project(after, slot), slot);
      row[c] = to;
    }
    return to;
  }

  private readonly roundNext: number[] = [];
  private readonly settledMemo = new Map<string, { id: number; rounds: number; quiescent: boolean }[]>();

  /** A component settled in `mode`, through the tables: fault endings, then memoized rounds. */
  settledComponent(component: number, mode: string): { id: number; rounds: number; quiescent: boolean } {
    const settling = this.decomposition.settling!;
    let memo = this.settledMemo.get(mode);
    if (!memo) {
      memo = [];
      this.settledMemo.set(mode, memo);
    }
    const known = memo[component];
    if (known) return known;
    let at = component;
    const slot = this.slotOf[component]!;
    for (const action of settling.endings(this.components[component]!, mode)) at = this.componentStep(slot, at, this.candidateIndex(action)!);
    let rounds = 0;
    let quiescent = false;
    for (; rounds < settling.roundLimit; rounds++) {
      let next = this.roundNext[at];
      if (next === undefined) {
        this.modelSteps++;
        const started = this.timing ? performance.now() : 0;
        const after = settling.round(this.components[at]!);
        if (this.timing) this.modelSeconds += (performance.now() - started) / 1000;
        next = after === undefined ? QUIET : this.intern(after, slot);
        this.roundNext[at] = next;
      }
      if (next === QUIET) {
        quiescent = true;
        break;
      }
      at = next;
    }
    const result = { id: at, rounds, quiescent };
    memo[component] = result;
    return result;
  }

  step(tuple: Tuple, c: number): Tuple {
    const owner = this.owners[c]!;
    if (owner !== 'shared') {
      // An owned action leaves every other component as it was.
      const next = Int32Array.from(tuple);
      next[owner] = this.componentStep(owner, tuple[owner]!, c);
      return next;
    }
    const next = new Int32Array(tuple.length);
    for (let slot = 0; slot < tuple.length; slot++) next[slot] = this.componentStep(slot, tuple[slot]!, c);
    return next;
  }

  /** A property's verdict on one component, memoized. */
  componentVerdict(property: ComponentProperty<S>, component: number): Outcome {
    let memo = this.verdicts.get(property.name);
    if (!memo) {
      memo = [];
      this.verdicts.set(property.name, memo);
    }
    let outcome = memo[component];
    if (outcome === undefined) {
      if (property.settled && this.decomposition.settling) {
        const settled = this.settledComponent(component, property.settled.mode);
        outcome = property.settled.judge({ state: this.components[settled.id]!, rounds: settled.rounds, quiescent: settled.quiescent });
      } else outcome = property.check(this.components[component]!);
      memo[component] = outcome;
    }
    return outcome;
  }

  /** A property's verdict on a whole state, from its components' verdicts. */
  verdict(property: ComponentProperty<S>, tuple: Tuple): Outcome {
    let rounds: number | undefined;
    for (let slot = 0; slot < tuple.length; slot++) {
      const outcome = this.componentVerdict(property, tuple[slot]!);
      if (outcome.settlingRounds !== undefined) rounds = Math.max(rounds ?? 0, outcome.settlingRounds);
      if (property.combine === 'all' && !outcome.holds) return outcome;
      if (property.combine === 'any' && outcome.holds) return outcome;
    }
    if (property.combine === 'any') return { holds: false, message: 'no component reaches it' };
    return rounds === undefined ? { holds: true } : { holds: true, settlingRounds: rounds };
  }

  private readonly relabelled: Int32Array[] = [];
  private readonly relabelledIds = new Map<string, number>();

  /** An id for a component relabelled by symmetry `g` (equal ids: equal relabelled states). */
  relabelledId(component: number, g: number): number {
    let row = this.relabelled[component];
    if (row === undefined) {
      row = new Int32Array(this.groupSize).fill(UNKNOWN);
      this.relabelled[component] = row;
    }
    if (row[g] === UNKNOWN) {
      const slot = this.slotOf[component]!;
      const state = this.components[component]!;
      const key = `${slot}:${g === 0 ? this.decomposition.key(state, slot) : this.decomposition.keyUnder!(state, slot, g)}`;
      let id = this.relabelledIds.get(key);
      if (id === undefined) {
        id = this.relabelledIds.size;
        this.relabelledIds.set(key, id);
      }
      row[g] = id;
    }
    return row[g]!;
  }

  get groupSize(): number {
    return this.decomposition.keyUnder ? (this.decomposition.groupSize ?? 1) : 1;
  }

  /** The engine as a `Model` over tuples, for the random search, shrinking and exploration. */
  asModel(): Model<Tuple, A> {
    return {
      initial: this.initial,
      enabled: (tuple) => this.enabledIndexes(tuple).map((c) => this.candidates[c]!),
      step: (tuple, action) => this.step(tuple, this.candidateIndex(action)!),
      whyDisabled: (tuple, action) => {
        const c = this.candidateIndex(action);
        if (c === undefined) return `${this.base.describe(action)} is outside the scope being checked`;
        const owner = this.owners[c]!;
        const why = this.base.whyDisabled(this.components[tuple[owner === 'shared' ? 0 : owner]!]!, action);
        return why;
      },
      describe: (action) => this.base.describe(action),
      classify: (action) => this.base.classify(action),
      pick: (tuple, choice) => {
        const c = this.pickIndex(tuple, choice);
        return c === -1 ? undefined : this.candidates[c];
      },
    };
  }

  bind(property: ComponentProperty<S>): Property<Tuple> {
    return { name: property.name, kind: property.kind, check: (tuple) => this.verdict(property, tuple) };
  }

  /** The full state a tuple stands for is not kept; this is the representative of one component. */
  component(tuple: Tuple, slot: number): S {
    return this.components[tuple[slot]!]!;
  }
}
