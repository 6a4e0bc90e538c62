/**
 * The cross-check of an exhaustive verdict, for any plug-in: after an exploration calls properties
 * verified (`holds`, `unreached` or `vacuous` on an `exhaustive` basis), a short random search on the
 * plain model within the same bounds (`Instance.exploredModelsOf` for a property, else `exploredModel`,
 * else `model`) looks for a state that contradicts any of them, all at once. The exploration may run on another engine (PGP's rows); the plain
 * model is the one replay, reports and trace files use, so a disagreement means that one of the two is
 * wrong and that no verdict can be trusted: `check` stops with an internal error naming the property and
 * the trace (`CrossCheckError`, exit 3 at the command line's boundary), and gives no verdict.
 *
 * Cheap by construction: `CROSS_CHECK_WALKS` short walks from the run's seed, each a path in one graph of
 * the states reached, so that a state two walks reach (by a shared prefix, or another way) is stepped from
 * and judged once; `always` and `sometimes` properties are judged in every state reached, `eventually`
 * properties (each a settling) where a walk ends, its length drawn from 1 to `CROSS_CHECK_LENGTH`. States
 * are told apart by their JSON: a model whose states are not plain data would be judged less often, never
 * wrongly (a trace is always the path by which a state was first reached).
 */
import { minimizeTrace } from './minimize.ts';
import type { ExploredFirst, Instance } from './plugin.ts';
import { pickEnabled } from './random.ts';
import { isFinding } from './trace.ts';
import type { Model, Property } from './types.ts';

/** Walks per config. */
export const CROSS_CHECK_WALKS = 200;
/** The longest walk, in actions. */
export const CROSS_CHECK_LENGTH = 4;

/** What an exhaustive exploration said of one property that the plain model could contradict. */
export interface Claim {
  readonly property: string;
  readonly verdict: 'holds' | 'unreached' | 'vacuous';
  /** The states the verdict rests on. */
  readonly states: number;
}

/** A state the exploration said cannot be, and a trace to it on the plain model. */
export interface Disagreement<A> {
  readonly claim: Claim;
  /** What the plain model shows instead: `violates it`, `reaches it`, `reaches its subject`. */
  readonly shows: string;
  /** The trace, shrunk, and the message of the state it ends in. */
  readonly actions: readonly A[];
  readonly message: string;
}

/** The properties an exploration called verified, on an exhaustive basis. */
export function claimsOf<A>(first: ExploredFirst<A>): Claim[] {
  const claims: Claim[] = [];
  for (const [property, decided] of first.decided) {
    if (decided.basis !== 'exhaustive') continue;
    if (decided.verdict === 'holds' || decided.verdict === 'unreached' || decided.verdict === 'vacuous')
      claims.push({ property, verdict: decided.verdict, states: decided.states });
  }
  return claims;
}

/** What contradicts a claim where it is found: the property itself, or for `vacuous` its subject too. */
interface Check<S> {
  readonly claim: Claim;
  readonly finding: Property<S>;
  readonly shows: string;
}

function checksOf<S, A>(instance: Instance<S, A>, claims: readonly Claim[]): Check<S>[] {
  return claims.flatMap((claim) => {
    const property = instance.properties.find((p) => p.name === claim.property);
    if (property === undefined) throw new Error(`internal error: the cross-check names no property of this config: ${claim.property}`);
    const itself = { claim, finding: property.property, shows: property.kind === 'sometimes' ? 'reaches it' : 'violates it' };
    if (claim.verdict !== 'vacuous' || property.subject === undefined) return [itself];
    return [itself, { claim, finding: { ...property.subject, kind: 'sometimes' as const }, shows: 'reaches its subject' }];
  });
}

/** A small, fast generator of 32-bit numbers (mulberry32): the walks depend only on the seed. */
function generator(seed: number): () => number {
  let s = seed | 0;
  return () => {
    s = (s + 0x6d2b79f5) | 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return (t ^ (t >>> 14)) >>> 0;
  };
}

/** A state reached: the action that first led to it, its enabled actions once asked, and the states reached from it. */
interface Reached<S, A> {
  readonly state: S;
  readonly parent: Reached<S, A> | undefined;
  readonly via: A | undefined;
  enabled?: readonly A[];
  readonly next: Map<number, Reached<S, A>>;
  /** Whether the checks judged where a walk ends were judged here. */
  endJudged: boolean;
}

function traceTo<S, A>(node: Reached<S, A>): A[] {
  const actions: A[] = [];
  for (let at: Reached<S, A> | undefined = node; at?.via !== undefined; at = at.parent) actions.push(at.via);
  return actions.reverse();
}

/**
 * Walks the plain model at random (`walks` walks of 1 to `length` actions, from `seed`) and judges the
 * claims: the first state found that contradicts one, with a shrunk trace to it, or undefined.
 */
export function crossCheck<S, A>(
  instance: Instance<S, A>,
  claims: readonly Claim[],
  seed: number,
  walks = CROSS_CHECK_WALKS,
  length = CROSS_CHECK_LENGTH,
): Disagreement<A> | undefined {
  // Each claim is walked within every bounds its verdict rests on; claims on the same bounds share walks.
  const byModel = new Map<Model<S, A>, Check<S>[]>();
  for (const check of checksOf(instance, claims)) {
    const models = instance.exploredModelsOf?.(check.claim.property) ?? [instance.exploredModel ?? instance.model];
    for (const model of models) byModel.set(model, [...(byModel.get(model) ?? []), check]);
  }
  for (const [model, checks] of byModel) {
    const found = walkModel(model, checks, seed, walks, length);
    if (found !== undefined) return found;
  }
  return undefined;
}

/** The walks of one model (`crossCheck`): the first contradiction of these checks, shrunk, or undefined. */
function walkModel<S, A>(model: Model<S, A>, checks: readonly Check<S>[], seed: number, walks: number, length: number): Disagreement<A> | undefined {
  const everywhere = checks.filter((c) => c.finding.kind !== 'eventually');
  const atEnds = checks.filter((c) => c.finding.kind === 'eventually');
  const contradicted = (node: Reached<S, A>, judged: readonly Check<S>[]): Disagreement<A> | undefined => {
    for (const { claim, finding, shows } of judged) {
      if (!isFinding(finding, finding.check(node.state))) continue;
      const shrunk = minimizeTrace(model, finding, traceTo(node));
      if (shrunk === undefined) throw new Error(`internal error: the cross-check's trace for ${claim.property} does not replay`);
      return { claim, shows, actions: shrunk.actions, message: shrunk.violation.message };
    }
    return undefined;
  };
  const root: Reached<S, A> = { state: model.initial, parent: undefined, via: undefined, next: new Map(), endJudged: false };
  const atRoot = contradicted(root, everywhere);
  if (atRoot !== undefined) return atRoot;
  // A state reached again by another path is the same node (told apart by its JSON, as plain data is).
  const known = new Map<string, Reached<S, A>>([[JSON.stringify(root.state), root]]);
  const random = generator(seed);
  for (let walk = 0; walk < walks; walk++) {
    const steps = 1 + (random() % length);
    let node = root;
    for (let i = 0; i < steps; i++) {
      node.enabled ??= model.enabled(node.state);
      const action = pickEnabled(model, node.enabled, random() & 0x7fff);
      if (action === undefined) break;
      const index = node.enabled.indexOf(action);
      let reached = node.next.get(index);
      if (reached === undefined) {
        const state = model.step(node.state, action);
        const key = JSON.stringify(state);
        reached = known.get(key);
        if (reached === undefined) {
          reached = { state, parent: node, via: action, next: new Map(), endJudged: false };
          known.set(key, reached);
          const found = contradicted(reached, everywhere);
          if (found !== undefined) return found;
        }
        node.next.set(index, reached);
      }
      node = reached;
    }
    if (!node.endJudged) {
      node.endJudged = true;
      const found = contradicted(node, atEnds);
      if (found !== undefined) return found;
    }
  }
  return undefined;
}

/**
 * A disagreement between an exhaustive exploration and the plain model: no verdict of the run can be
 * trusted. Its message names the config, the property, what the exploration called it and the trace.
 */
export class CrossCheckError extends Error {
  constructor(
    readonly config: string,
    readonly disagreement: Disagreement<unknown>,
    /** The trace's actions, described. */
    readonly trace: readonly string[],
  ) {
    const { claim, shows, message } = disagreement;
    const where = trace.length === 0 ? 'in its initial state' : `after ${trace.length} action${trace.length === 1 ? '' : 's'}: ${trace.map((a, i) => `${i + 1}. ${a}`).join('; ')}`;
    super(
      `the exhaustive exploration of ${config} called ${claim.property} ${claim.verdict} (every reachable state within its bounds, ${claim.states.toLocaleString('en-US')} states), yet a random search on the plain model ${shows} ${where} (${message}); no verdict is given`,
    );
    this.name = 'CrossCheckError';
  }
}
