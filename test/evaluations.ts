/**
 * The evaluations the equivalence harness (`test/equivalence.ts`) compares, for one component of one
 * config and scope: the object backend (immer states, as replay and the narrator see them) and the row
 * backend (the rows exploration runs on, judged as the explorer judges them); and, while the rules move,
 * the frozen copy of the rules as they stood before (`test/oracle/`).
 */
import type { ClusterModel } from '../model/cluster.ts';
import { initialState } from '../model/cluster.ts';
import { RowComponent } from '../model/component.ts';
import { outsideScope, type Scope } from '../model/enabled.ts';
import { project, type Slot } from '../model/projection.ts';
import { KEEP_ALL, type Kept } from '../model/row.ts';
import { settle } from '../model/settle.ts';
import type { ClusterState } from '../model/state.ts';
import { applyAction, whyDisabled } from '../model/step.ts';
import { identity } from '../model/symmetry.ts';
import { subjectProperty } from '../pgp/target.ts';
import { readsSlot, SlotSpace } from '../pgp/verify.ts';
import { type ClusterProperty, PROPERTIES } from '../properties/index.ts';
import type { Evaluation, SettleMode } from './equivalence.ts';
import { candidateActions as oracleCandidates, outsideScope as oracleOutsideScope } from './oracle/enabled.ts';
import { stateKey } from './oracle/fingerprint.ts';
import { PackedSlot } from './oracle/packed.ts';
import { ownerSlot as oracleOwnerSlot, scopeSlots as oracleScopeSlots } from './oracle/projection.ts';
import { settle as oracleSettle } from './oracle/settle.ts';
import { applyAction as oracleApply, whyDisabled as oracleWhyDisabled } from './oracle/step.ts';

/** The properties and their subjects that apply to a config and read this component. */
export function judgedOn(cluster: ClusterModel, slot: Slot): ClusterProperty[] {
  return [...PROPERTIES, ...PROPERTIES.flatMap((p) => subjectProperty(p) ?? [])].filter((p) => p.notApplicable(cluster) === undefined && readsSlot(p, slot));
}

/** The canonical key of a component's state as the rules stood before (with the clock when the scope bounds it): the common currency. */
function canonical(cluster: ClusterModel, scope: Scope, state: ClusterState): string {
  return `${scope.maxClock === undefined ? '' : `${state.clock}#`}${stateKey(cluster, state, identity(cluster.size))}`;
}

function findingsOf(cluster: ClusterModel, judged: readonly ClusterProperty[], state: ClusterState): boolean[] {
  return judged.map((p) => {
    const outcome = p.check(cluster, state);
    return p.kind === 'sometimes' ? outcome.holds : !outcome.holds;
  });
}

/** The component's candidates, as the rules before listed them: every shared action of the scope and the component's own. */
function oracleSlotCandidates(cluster: ClusterModel, scope: Scope, slot: Slot) {
  const slots = oracleScopeSlots(scope);
  const index = slots.findIndex((s) => JSON.stringify(s) === JSON.stringify(slot));
  return oracleCandidates(cluster, scope).filter((action) => {
    const owner = oracleOwnerSlot(slots, action);
    return owner === 'shared' || owner === index;
  });
}

/** The object backend on one component's (projected) states. */
export function objectEvaluation(cluster: ClusterModel, scope: Scope, slot: Slot): Evaluation<ClusterState> {
  const candidates = new RowComponent(cluster, scope, slot).candidates.map((c) => c.action);
  const judged = judgedOn(cluster, slot);
  return {
    name: 'the object backend',
    candidates,
    judged: judged.map((p) => p.name),
    initial: () => project(initialState(cluster), slot),
    enabled: (state, c) => whyDisabled(cluster, state, candidates[c]!) === undefined && outsideScope(scope, cluster, state, candidates[c]!) === undefined,
    step: (state, c) => applyAction(cluster, state, candidates[c]!),
    settle: (state, mode: SettleMode) => {
      const settled = settle(cluster, state, mode);
      return { state: settled.state, quiescent: settled.quiescent };
    },
    findings: (state) => findingsOf(cluster, judged, state),
    key: (state) => canonical(cluster, scope, state),
    compare: (state) => canonical(cluster, scope, state),
  };
}

/** The row backend on one component's rows, judged as the explorer judges them. */
export function rowEvaluation(cluster: ClusterModel, scope: Scope, slot: Slot, kept: Kept = KEEP_ALL): Evaluation<Int32Array> {
  const component = new RowComponent(cluster, scope, slot, kept);
  const judged = judgedOn(cluster, slot);
  const space = new SlotSpace(cluster, component, judged, [identity(cluster.size)]);
  const words = new Int32Array(space.words);
  return {
    name: 'the row backend',
    candidates: component.candidates.map((c) => c.action),
    judged: judged.map((p) => p.name),
    initial: () => component.encode(project(initialState(cluster), slot)),
    enabled: (row, c) => component.enabled(row, c),
    step: (row, c) => {
      const next = Int32Array.from(row);
      component.apply(next, c);
      return next;
    },
    settle: (row, mode) => {
      const next = Int32Array.from(row);
      component.endFaults(next, mode);
      const quiescent = component.settle(next);
      return { state: next, quiescent };
    },
    findings: (row) => {
      component.pack(row, words);
      return judged.map((_, p) => space.judge(p, words, 0) !== undefined);
    },
    key: (row) => {
      component.pack(row, words);
      return words.join(',');
    },
    compare: (row) => canonical(cluster, scope, component.decode(row)),
  };
}

/** The immer model as it stood before the rules moved (`test/oracle/`). */
export function oracleObjectEvaluation(cluster: ClusterModel, scope: Scope, slot: Slot): Evaluation<ClusterState> {
  const candidates = oracleSlotCandidates(cluster, scope, slot);
  const judged = judgedOn(cluster, slot);
  return {
    name: 'the immer model before',
    candidates,
    judged: judged.map((p) => p.name),
    initial: () => project(initialState(cluster), slot),
    enabled: (state, c) => oracleWhyDisabled(cluster, state, candidates[c]!) === undefined && oracleOutsideScope(scope, state, candidates[c]!) === undefined,
    step: (state, c) => oracleApply(cluster, state, candidates[c]!),
    settle: (state, mode: SettleMode) => {
      const settled = oracleSettle(cluster, state, mode);
      return { state: settled.state, quiescent: settled.quiescent };
    },
    findings: (state) => findingsOf(cluster, judged, state),
    key: (state) => canonical(cluster, scope, state),
    compare: (state) => canonical(cluster, scope, state),
  };
}

/** The hand-written packed rules as they stood before the rules moved (`test/oracle/packed.ts`), judged on decoded rows. */
export function oracleRowEvaluation(cluster: ClusterModel, scope: Scope, slot: Slot): Evaluation<Int32Array> {
  const packed = new PackedSlot(cluster, scope, slot);
  const judged = judgedOn(cluster, slot);
  const words = new Int32Array(packed.words);
  return {
    name: 'the packed rules before',
    candidates: packed.candidates.map((c) => c.action),
    judged: judged.map((p) => p.name),
    initial: () => packed.encode(project(initialState(cluster), slot)),
    enabled: (row, c) => packed.enabled(row, c),
    step: (row, c) => {
      const next = Int32Array.from(row);
      packed.apply(next, c);
      return next;
    },
    settle: (row, mode) => {
      const next = Int32Array.from(row);
      packed.endFaults(next, mode);
      const quiescent = packed.settle(next);
      return { state: next, quiescent };
    },
    findings: (row) => findingsOf(cluster, judged, packed.decode(row)),
    key: (row) => {
      packed.pack(row, words);
      return words.join(',');
    },
    compare: (row) => canonical(cluster, scope, packed.decode(row)),
  };
}
