/**
 * The two-phase commit (`test/two-phase-commit.ts`) as a space of the packed explorer
 * (`checker/packed.ts`): a state packed into one word, its successors by the model's own `step`, its
 * findings by the instance's own properties. And its recipe, so that the parallel explorer's worker
 * threads build it too (`buildSpace`): it shows that the parallel explorer knows nothing of PGP.
 */
import type { RowSpace, SpaceRecipe } from '../checker/packed.ts';
import type { PropertyKind } from '../checker/types.ts';
import { type RmState, type TmState, type TwoPhaseAction, type TwoPhaseConfig, type TwoPhaseState, twoPhaseInstance } from './two-phase-commit.ts';

const RM: readonly RmState[] = ['working', 'prepared', 'committed', 'aborted'];
const TM: readonly TmState[] = ['init', 'committed', 'aborted'];

/** Bits: 2 per RM, 2 for the TM, 1 per RM for `tmPrepared` and for `prepared`, then `commit` and `abort`. */
export function packTwoPhase(s: TwoPhaseState): number {
  const n = s.rm.length;
  let word = 0;
  let bit = 0;
  const put = (value: number, bits: number) => {
    word |= value << bit;
    bit += bits;
  };
  for (let i = 0; i < n; i++) put(RM.indexOf(s.rm[i]!), 2);
  put(TM.indexOf(s.tm), 2);
  for (let i = 0; i < n; i++) put(s.tmPrepared[i] ? 1 : 0, 1);
  for (let i = 0; i < n; i++) put(s.prepared[i] ? 1 : 0, 1);
  put(s.commit ? 1 : 0, 1);
  put(s.abort ? 1 : 0, 1);
  return word;
}

export function unpackTwoPhase(word: number, n: number): TwoPhaseState {
  let bit = 0;
  const take = (bits: number) => {
    const value = (word >>> bit) & ((1 << bits) - 1);
    bit += bits;
    return value;
  };
  const rm = Array.from({ length: n }, () => RM[take(2)]!);
  const tm = TM[take(2)]!;
  const tmPrepared = Array.from({ length: n }, () => take(1) === 1);
  const prepared = Array.from({ length: n }, () => take(1) === 1);
  const commit = take(1) === 1;
  const abort = take(1) === 1;
  return { rm, tm, tmPrepared, prepared, commit, abort };
}

export class TwoPhaseSpace implements RowSpace {
  readonly words = 1;
  readonly properties: readonly { readonly name: string; readonly kind: PropertyKind }[];
  /** Every action there is, in one order: a candidate is an index into it. */
  readonly candidates: readonly TwoPhaseAction[];
  private readonly instance;

  constructor(readonly config: TwoPhaseConfig) {
    this.instance = twoPhaseInstance(config);
    this.properties = this.instance.properties.map((p) => ({ name: p.name, kind: p.kind }));
    const all: TwoPhaseAction[] = [];
    for (let rm = 0; rm < config.resourceManagers; rm++) all.push({ type: 'tmRcvPrepared', rm });
    all.push({ type: 'tmCommit' }, { type: 'tmAbort' });
    for (let rm = 0; rm < config.resourceManagers; rm++)
      all.push({ type: 'rmPrepare', rm }, { type: 'rmChooseToAbort', rm }, { type: 'rmRcvCommit', rm }, { type: 'rmRcvAbort', rm });
    this.candidates = all;
  }

  initial(out: Int32Array): void {
    out[0] = packTwoPhase(this.instance.model.initial);
  }

  /** Each state's successors (candidate, word), computed once by the model. */
  private readonly memo = new Map<number, number[]>();

  successors(from: Int32Array, offset: number, out: Int32Array, emit: (candidate: number) => void): void {
    const word = from[offset]!;
    let next = this.memo.get(word);
    if (next === undefined) {
      const model = this.instance.model;
      const state = unpackTwoPhase(word, this.config.resourceManagers);
      next = [];
      for (const [c, action] of this.candidates.entries())
        if (model.whyDisabled!(state, action) === undefined) next.push(c, packTwoPhase(model.step(state, action)));
      this.memo.set(word, next);
    }
    for (let i = 0; i < next.length; i += 2) {
      out[0] = next[i + 1]!;
      emit(next[i]!);
    }
  }

  judge(p: number, from: Int32Array, offset: number): string | undefined {
    const property = this.instance.properties[p]!;
    const outcome = property.property.check(unpackTwoPhase(from[offset]!, this.config.resourceManagers));
    const finding = property.kind === 'sometimes' ? outcome.holds : !outcome.holds;
    return finding ? (outcome.holds ? `${property.name} is reached` : (outcome.message ?? property.name)) : undefined;
  }

  recipe(): SpaceRecipe {
    return { module: import.meta.url, data: this.config };
  }
}

/** Builds the space of a recipe (in a worker thread of the parallel explorer). */
export function buildSpace(config: TwoPhaseConfig): TwoPhaseSpace {
  return new TwoPhaseSpace(config);
}
