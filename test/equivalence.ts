/**
 * The equivalence harness: two evaluations of the same rules, run in lockstep over every reachable state
 * of one component (one record of the scope, or one client, with all of the shared state) to a fixed
 * depth, must agree on every enabled set, every successor, every settled state, every verdict and the
 * canonical key. Deterministic: breadth first, candidates in their fixed order.
 *
 * An evaluation is anything that can step a component: the object model (immer, the states replay and the
 * narrator see) or the row backend (the rows exploration runs on). States are compared in a common
 * currency, `compare(state)`: two states agree when their currencies are equal. Canonical keys are
 * compared as a bijection: two states one evaluation calls the same must be the same for the other.
 */
import { isDeepStrictEqual } from 'node:util';
import type { Action } from '../model/actions.ts';
import { describeAction } from '../model/step.ts';

export type SettleMode = 'all' | 'survivors';

export interface Evaluation<S> {
  readonly name: string;
  /** The component's candidates, in order (both evaluations list the same actions). */
  readonly candidates: readonly Action[];
  initial(): S;
  enabled(state: S, c: number): boolean;
  /** The successor under an enabled candidate. */
  step(state: S, c: number): S;
  /** The state with its faults ended as `mode` ends them, then replicated to quiescence; and whether it went quiet. */
  settle(state: S, mode: SettleMode): { readonly state: S; readonly quiescent: boolean };
  /** For each judged property, whether this state is a finding (a violation; for `sometimes`, reached). */
  findings(state: S): readonly boolean[];
  /** The names of the judged properties, in the order of `findings`. */
  readonly judged: readonly string[];
  /** The canonical key: states with equal keys are one. */
  key(state: S): string;
  /** The common currency states are compared in. */
  compare(state: S): string;
  /** What is wrong with a state on its own (a declaration it breaks), each naming what: checked on every state visited. */
  problems?(state: S): string[];
}

export interface Disagreement {
  /** What disagreed, in words, naming the rule (the action type, settling, a property, the key). */
  readonly what: string;
  /** The path of actions from the initial state to the state where it showed. */
  readonly path: readonly Action[];
}

export interface Comparison {
  readonly states: number;
  readonly transitions: number;
  readonly disagreements: readonly Disagreement[];
}

interface Node<A, B> {
  readonly a: A;
  readonly b: B;
  readonly path: readonly Action[];
}

/**
 * Compares `a` and `b` on every state reachable within `depth` actions (breadth first, deduplicated by
 * `a`'s key), stopping at the first `limit` disagreements.
 */
export function compareEvaluations<A, B>(a: Evaluation<A>, b: Evaluation<B>, depth: number, limit = 5): Comparison {
  const out: Disagreement[] = [];
  const candidates = a.candidates;
  if (JSON.stringify(candidates) !== JSON.stringify(b.candidates))
    return { states: 0, transitions: 0, disagreements: [{ what: `the candidates differ: ${a.name} lists ${candidates.length}, ${b.name} ${b.candidates.length}`, path: [] }] };
  const keyOfA = new Map<string, string>();
  const keyOfB = new Map<string, string>();
  const disagree = (what: string, path: readonly Action[]) => {
    if (out.length < limit) out.push({ what, path });
  };
  const checkKeys = (ka: string, kb: string, path: readonly Action[]) => {
    const knownB = keyOfA.get(ka);
    const knownA = keyOfB.get(kb);
    if (knownB !== undefined && knownB !== kb) disagree(`the canonical key: two states ${a.name} calls one are two for ${b.name}`, path);
    if (knownA !== undefined && knownA !== ka) disagree(`the canonical key: two states ${b.name} calls one are two for ${a.name}`, path);
    keyOfA.set(ka, kb);
    keyOfB.set(kb, ka);
  };
  const start: Node<A, B> = { a: a.initial(), b: b.initial(), path: [] };
  if (a.compare(start.a) !== b.compare(start.b)) disagree('the initial state', []);
  checkKeys(a.key(start.a), b.key(start.b), []);
  let level: Node<A, B>[] = [start];
  const seen = new Set<string>([a.key(start.a)]);
  let states = 1;
  let transitions = 0;
  // States reached by `depth` actions are compared by their currency (their successors' currency is
  // what the last transitions are compared by); every state before them is also judged, settled and stepped.
  for (let d = 0; d < depth && level.length > 0 && out.length < limit; d++) {
    const next: Node<A, B>[] = [];
    const last = d === depth - 1;
    for (const node of level) {
      transitions += compareAt(a, b, node, disagree, (na, nb, path, _c, ca, cb) => {
        // An evaluation whose key is its currency computes it once.
        const ka = a.key === a.compare ? ca : a.key(na);
        checkKeys(ka, b.key === b.compare ? cb : b.key(nb), path);
        if (seen.has(ka)) return;
        seen.add(ka);
        states++;
        if (!last) next.push({ a: na, b: nb, path });
      });
    }
    level = next;
  }
  return { states, transitions, disagreements: out };
}

/**
 * Compares `a` and `b` at one state: what is wrong with it on its own, its verdicts, its settling, and for
 * each candidate whether it is enabled and its successor; `agreed` gets each successor both agree on.
 * Returns the number of transitions (enabled candidates).
 */
function compareAt<A, B>(
  a: Evaluation<A>,
  b: Evaluation<B>,
  node: Node<A, B>,
  disagree: (what: string, path: readonly Action[]) => void,
  agreed: (na: A, nb: B, path: readonly Action[], c: number, ca: string, cb: string) => void,
): number {
  const candidates = a.candidates;
  let transitions = 0;
  for (const problem of [...(a.problems?.(node.a) ?? []), ...(b.problems?.(node.b) ?? [])]) disagree(problem, node.path);
  // Verdicts.
  const fa = a.findings(node.a);
  const fb = b.findings(node.b);
  fa.forEach((f, p) => {
    if (f !== fb[p]) disagree(`the verdict of ${a.judged[p]}: ${a.name} ${f ? 'finds' : 'does not find'} it, ${b.name} ${fb[p] ? 'does' : 'does not'}`, node.path);
  });
  // Settling.
  for (const mode of ['all', 'survivors'] as const) {
    const sa = a.settle(node.a, mode);
    const sb = b.settle(node.b, mode);
    if (sa.quiescent !== sb.quiescent || a.compare(sa.state) !== b.compare(sb.state))
      disagree(`settling (${mode === 'all' ? 'every fault ended' : 'links healed, survivors'}): the settled states differ`, node.path);
  }
  // Enabled sets and successors.
  for (let c = 0; c < candidates.length; c++) {
    const action = candidates[c]!;
    const ea = a.enabled(node.a, c);
    if (ea !== b.enabled(node.b, c)) {
      disagree(`${action.type}: ${describeAction(action)} is ${ea ? '' : 'not '}enabled for ${a.name}, ${ea ? 'not ' : ''}for ${b.name}`, node.path);
      continue;
    }
    if (!ea) continue;
    transitions++;
    const path = [...node.path, action];
    const na = a.step(node.a, c);
    const nb = b.step(node.b, c);
    const ca = a.compare(na);
    const cb = b.compare(nb);
    if (ca !== cb) {
      disagree(`${action.type}: the successor under ${describeAction(action)} differs`, path);
      continue;
    }
    agreed(na, nb, path, c, ca, cb);
  }
  return transitions;
}

/**
 * Compares `a` and `b` along one path of actions (each a candidate, enabled on both sides) as
 * `compareEvaluations` compares every state it reaches: at each state of the path, the last included,
 * its declarations, verdicts, settling, enabled set and every successor. For a state deeper than the
 * harness's depth, built on purpose. Returns the states of the path (the last where the path stopped).
 */
export function compareAlong<A, B>(a: Evaluation<A>, b: Evaluation<B>, path: readonly Action[], limit = 5): Comparison & { readonly a: A; readonly b: B } {
  const out: Disagreement[] = [];
  const disagree = (what: string, at: readonly Action[]) => {
    if (out.length < limit) out.push({ what, path: at });
  };
  const candidates = a.candidates;
  let node: Node<A, B> = { a: a.initial(), b: b.initial(), path: [] };
  if (JSON.stringify(candidates) !== JSON.stringify(b.candidates)) disagree(`the candidates differ: ${a.name} lists ${candidates.length}, ${b.name} ${b.candidates.length}`, []);
  else if (a.compare(node.a) !== b.compare(node.b)) disagree('the initial state', []);
  let states = 1;
  let transitions = 0;
  for (let i = 0; i <= path.length && out.length === 0; i++) {
    const want = i < path.length ? candidates.findIndex((c) => isDeepStrictEqual(c, path[i])) : -1;
    if (i < path.length && want === -1) {
      disagree(`the path's action ${describeAction(path[i]!)} is no candidate`, node.path);
      break;
    }
    let taken: Node<A, B> | undefined;
    transitions += compareAt(a, b, node, disagree, (na, nb, at, c) => {
      if (c === want) taken = { a: na, b: nb, path: at };
    });
    if (i === path.length || out.length > 0) break;
    if (taken === undefined) {
      disagree(`the path's action ${describeAction(path[i]!)} is not enabled`, node.path);
      break;
    }
    node = taken;
    states++;
  }
  return { states, transitions, disagreements: out, a: node.a, b: node.b };
}

/** A disagreement in words: what, and the path that shows it. */
export function describeDisagreement(d: Disagreement): string {
  return `${d.what}\n    after: ${d.path.length === 0 ? '(the initial state)' : d.path.map(describeAction).join('; ')}`;
}
