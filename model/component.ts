/**
 * One component's transitions on rows (`model/row.ts`): the rules of `ACTIONS` (`model/step.ts`) and of
 * settling (`model/settle.ts`), read through a `RowView`, for exploration. Nothing here states a rule: a
 * candidate's precondition and effect are its declaration's own, resolved once.
 */
import type { Action } from './actions.ts';
import type { CompiledCluster } from './cluster.ts';
import { candidateActions, type Scope, withinScope } from './enabled.ts';
import { ownerSlot, type Slot, scopeSlots } from './projection.ts';
import { KEEP_ALL, type Kept, RowLayout, RowView } from './row.ts';
import { type Ending, type EndingType, endingsOf, roundLimit, roundOn, type SettleMode } from './settle.ts';
import { ACTIONS, type Args, applyEffect, type Declaration, declarationOf } from './step.ts';
import { UP } from './view.ts';

/** A candidate action of a component, resolved once: its declaration, its fields, and its owner's lane (-1: shared). */
export interface Candidate {
  readonly action: Action;
  readonly declaration: Declaration<Action>;
  readonly args: Args;
  readonly lane: number;
  /** Whether the scope may bound it (a write in a write-once scope, time passing before a horizon). */
  readonly bounded: boolean;
}

export class RowComponent extends RowLayout {
  /** Every shared action of the scope, and the component's own (its record's writes, its client's enrollments). */
  readonly candidates: readonly Candidate[];
  private readonly view: RowView;
  private readonly endingArgs: { readonly [T in EndingType]: readonly Args[] };
  private readonly applyEnding: Ending;
  private readonly sent: RowView;
  private readonly scratch: Int32Array;

  constructor(model: CompiledCluster, scope: Scope, slot: Slot, kept: Kept = KEEP_ALL) {
    super(model, scope, slot, kept);
    const slots = scopeSlots(scope);
    const index = slots.findIndex((s) => (s.type === 'record' ? slot.type === 'record' && s.id === slot.id : slot.type === 'client' && s.client === slot.client));
    this.candidates = candidateActions(model, scope).flatMap((action): Candidate[] => {
      const owner = ownerSlot(slots, action);
      if (owner !== 'shared' && owner !== index) return [];
      const declaration = declarationOf(action);
      const args = declaration.resolve(model, action);
      if (typeof args === 'string') throw new Error(`internal error: the candidate ${JSON.stringify(action)} does not resolve: ${args}`);
      const bounded = (action.type === 'write' && scope.writeOnce === true) || (action.type === 'advanceTime' && scope.maxClock !== undefined);
      return [{ action, declaration, args, lane: owner === 'shared' ? -1 : 0, bounded }];
    });
    // The fields of each fault's ending (`endingsOf`), resolved once.
    const n = model.size;
    this.endingArgs = {
      recover: Array.from({ length: n }, (_, m) => ({ m, b: -1 })),
      healSite: model.sites.map((_, site) => ({ m: -1, b: -1, site })),
      heal: Array.from({ length: n * n }, (_, at) => ({ m: Math.floor(at / n), b: at % n })),
      upgrade: Array.from({ length: 2 * n }, (_, at) => ({ m: at >> 1, b: -1, major: (at & 1) === 1 })),
    };
    // Each fault's ending applied through its action's own effect (`endingsOf` decides them, in order).
    const recover = ACTIONS.recover as unknown as Declaration<Action>;
    const heal = ACTIONS.heal as unknown as Declaration<Action>;
    const upgrade = ACTIONS.upgrade as unknown as Declaration<Action>;
    const healSite = ACTIONS.healSite as unknown as Declaration<Action>;
    const { recover: recoverArgs, heal: healArgs, healSite: healSiteArgs, upgrade: upgradeArgs } = this.endingArgs;
    this.applyEnding = (type, m, b, major) => {
      if (type === 'recover') applyEffect(model, recover, this.view, recoverArgs[m]!, -1);
      else if (type === 'heal') applyEffect(model, heal, this.view, healArgs[m * n + b]!, -1);
      else if (type === 'healSite') applyEffect(model, healSite, this.view, healSiteArgs[m]!, -1);
      else applyEffect(model, upgrade, this.view, upgradeArgs[m * 2 + (major ? 1 : 0)]!, -1);
    };
    this.view = new RowView(this);
    this.sent = new RowView(this);
    this.scratch = this.newRow();
  }

  /** Whether candidate `c` is enabled in `row`: its precondition, and the scope's bounds. */
  enabled(row: Int32Array, c: number): boolean {
    const { declaration, args, lane, action, bounded } = this.candidates[c]!;
    const v = this.view.attach(row);
    return declaration.precondition(this.model, v, args, lane) === undefined && (!bounded || withinScope(this.scope, v, action.type, args, lane));
  }

  /**
   * Applies candidate `c` (assumed enabled) to `row`, in place, and makes the row canonical. Returns false
   * when nothing changed (a replication hop with nothing to send).
   */
  apply(row: Int32Array, c: number): boolean {
    const { declaration, args, lane } = this.candidates[c]!;
    const v = this.view.attach(row);
    applyEffect(this.model, declaration, v, args, lane);
    if (!v.changed) return false;
    this.normalize(row);
    return true;
  }

  /** The row with its faults ended as `mode` ends them (`endingsOf`), in place. */
  endFaults(row: Int32Array, mode: SettleMode): void {
    endingsOf(this.model, this.view.attach(row), mode, this.applyEnding);
    this.normalize(row);
  }

  /**
   * Replication to quiescence on the row, in place, by the rounds of `model/settle.ts` (`roundOn`): until
   * a round sends nothing (returns true) or the round limit passes (returns false, the row half settled).
   */
  settle(row: Int32Array): boolean {
    const limit = roundLimit(this.model);
    for (let round = 0; round < limit; round++) {
      this.scratch.set(row);
      if (!roundOn(this.model, this.view.attach(row), this.sent.attach(this.scratch))) return true;
      this.normalize(row);
    }
    return false;
  }

  /**
   * What decides this component's rows: their layout, the rules that read the component's record or client
   * (its ring, who may write it, whether it is a Web Messenger account, a cached key with its retention, a
   * client) and its initial row. Two components of one signature reach the same rows by the same candidates
   * (each one's own write at the same index), so one exploration serves both.
   */
  signature(initial: Int32Array): string {
    // Who may ever write the record: its write candidates' preconditions with every member up.
    const everyoneUp = Int32Array.from(initial);
    for (let m = 0; m < this.n; m++) everyoneUp[m] = UP;
    const writers = this.candidates.map((c, i) => (c.action.type === 'write' ? `${i}:${this.enabled(everyoneUp, i)}` : '')).join(',');
    return JSON.stringify([
      this.fieldBits(),
      this.kind === undefined ? 'client' : this.model.onRing[this.kind],
      writers,
      this.kind === 'wmAccount',
      // Without time a cached key follows the rules of any other record.
      this.cache && this.time,
      this.cache && this.time ? this.retention : 0,
      this.client !== undefined,
      this.kept,
      this.candidates.length,
      Array.from(initial),
    ]);
  }
}
