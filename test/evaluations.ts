/**
 * The two evaluations of the rules the equivalence harness (`test/equivalence.ts`) compares, for one
 * exploration of one component (a record of the scope, or a client) of one config and scope, as the
 * explorer makes it (`componentExplorations`: which properties it judges, what its rows keep):
 *
 * - the object backend: `step`, `whyDisabled` and `settle` on `ClusterState` objects (copied on write: `model/object-view.ts`), the properties' own `check`
 *   (what replay, trace files and the narrator see);
 * - the row backend: the same rules through a `RowView`, judged as the explorer judges them
 *   (`ComponentSpace.judge`, memoized on collapsed rows).
 *
 * States are compared as rows: an object state by its row (`RowLayout.encode`), a row by itself. Each side
 * also checks what holds of a state on its own: the object backend, each property's declaration (`reads`:
 * a property holds on a component it does not read; `holdsWithoutDebts`); the row backend, with the
 * config's symmetries, that a row's canonical form is the least of its relabellings and judged alike.
 */
import type { CompiledCluster } from '../model/cluster.ts';
import { initialState } from '../model/cluster.ts';
import { RowComponent } from '../model/component.ts';
import { outsideScope, type Scope } from '../model/enabled.ts';
import { describeSlot, project, type Slot } from '../model/projection.ts';
import type { Kept } from '../model/row.ts';
import { settle } from '../model/settle.ts';
import type { ClusterState } from '../model/state.ts';
import { applyAction, whyDisabled } from '../model/step.ts';
import { identity } from '../model/symmetry.ts';
import { readsSlot, ComponentSpace } from '../pgp/verify.ts';
import type { ClusterProperty } from '../properties/index.ts';
import type { Evaluation, SettleMode } from './equivalence.ts';

/** One exploration, as `componentExplorations` makes them. */
export interface Exploration {
  readonly slot: Slot;
  readonly judged: readonly ClusterProperty[];
  readonly view: Kept;
}

function findingOf(p: ClusterProperty, cluster: CompiledCluster, state: ClusterState): boolean {
  const outcome = p.check(cluster, state);
  return p.kind === 'sometimes' ? outcome.holds : !outcome.holds;
}

/** The object backend on one component's (projected) states. `all` are every applicable property and subject, for the declaration checks. */
export function objectEvaluation(
  cluster: CompiledCluster,
  scope: Scope,
  { slot, judged, view }: Exploration,
  all: readonly ClusterProperty[],
): Evaluation<ClusterState> {
  const component = new RowComponent(cluster, scope, slot, view);
  const candidates = component.candidates.map((c) => c.action);
  const words = new Int32Array(component.words);
  const asRow = (state: ClusterState) => {
    component.pack(component.encode(state), words);
    return words.join(',');
  };
  const unread = all.filter((p) => !readsSlot(p, slot));
  const withoutDebts = judged.filter((p) => p.holdsWithoutDebts === true);
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
    findings: (state) => {
      const out: boolean[] = [];
      for (const p of judged) out.push(findingOf(p, cluster, state));
      return out;
    },
    key: asRow,
    compare: asRow,
    problems: (state) => [
      // `reads`: a property that does not read this component holds on it (or, `sometimes`, is not reached).
      ...unread
        .filter((p) => findingOf(p, cluster, state))
        .map(
          (p) =>
            `${p.name}: its \`reads\` leaves out ${describeSlot(slot)}, yet it ${p.kind === 'sometimes' ? 'is reached' : 'fails'} on that component alone: declare what it reads (properties/types.ts, PropertyReads)`,
        ),
      // `holdsWithoutDebts`: where no member owes anything, the property holds.
      ...(state.members.every((m) => Object.keys(m.owedAtReturn).length === 0)
        ? withoutDebts.filter((p) => findingOf(p, cluster, state) !== (p.kind === 'sometimes')).map((p) => `${p.name}: holdsWithoutDebts, yet it fails where nobody owes anything`)
        : []),
    ],
  };
}

/** The row backend on one component's rows, judged as the explorer judges them, with the config's symmetries. */
export function rowEvaluation(cluster: CompiledCluster, scope: Scope, { slot, judged, view }: Exploration, group: readonly (readonly number[])[]): Evaluation<Int32Array> {
  const component = new RowComponent(cluster, scope, slot, view);
  const space = new ComponentSpace(cluster, component, judged, [identity(cluster.size)]);
  const symmetric = new ComponentSpace(cluster, component, judged, group);
  const words = new Int32Array(space.words);
  const canonical = new Int32Array(space.words);
  const asRow = (row: Int32Array) => {
    component.pack(row, words);
    return words.join(',');
  };
  const relabelled = component.newRow();
  const least = (row: Int32Array) =>
    group
      .map((perm) => {
        const inverse = perm.map((_, p) => perm.indexOf(p));
        component.relabel(row, perm, inverse, relabelled);
        component.pack(relabelled, words);
        return Array.from(words, (w) => w >>> 0);
      })
      .reduce((a, b) => {
        const k = b.findIndex((w, i) => w !== a[i]);
        return k !== -1 && b[k]! < a[k]! ? b : a;
      });
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
      const out: boolean[] = [];
      for (let p = 0; p < judged.length; p++) out.push(space.judge(p, words, 0) !== undefined);
      return out;
    },
    key: asRow,
    compare: asRow,
    problems: (row) => {
      if (group.length === 1) return [];
      const problems: string[] = [];
      // The canonical row under the ring's symmetries is the least packing of its relabellings, and judged alike.
      symmetric.canonical(row, canonical);
      if (Array.from(canonical, (w) => w >>> 0).join(',') !== least(row).join(',')) problems.push('symmetry: the canonical row is not the least of its relabellings');
      component.pack(row, words);
      judged.forEach((p, i) => {
        if ((symmetric.judge(i, canonical, 0) !== undefined) !== (space.judge(i, words, 0) !== undefined)) problems.push(`symmetry: ${p.name} is judged differently on a relabelled row`);
      });
      return problems;
    },
  };
}
