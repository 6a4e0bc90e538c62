/**
 * What a person reads beside each verdict: one sentence on *why*, in the terms of this config (and, for
 * a violation, of its shortest trace), and what the vendor recommends instead, with its KB number.
 *
 * The sentences are each property's own (`advice` in its file under `properties/`); this turns a result
 * into what they read, and speaks for the guards (`sometimes`), which say only whether the search got there.
 */
import type { Action } from '../model/actions.ts';
import { describeAction } from '../model/step.ts';
import { type CompiledCluster, initialState } from '../model/cluster.ts';
import type { ClusterState } from '../model/state.ts';
import { step } from '../model/step.ts';
import { findProperty } from '../properties/index.ts';
import type { AdviceContext, ClusterProperty, Recommendation } from '../properties/types.ts';
import type { Judgement } from './result.ts';
import { type RiskNeeds, riskNeeds } from './needs.ts';

export type { Recommendation } from '../properties/types.ts';
export { list } from '../properties/explain.ts';

/** What a result carries for a person: the `explanation` and `recommendation` fields of `--json`. */
export interface Advice {
  readonly explanation: string;
  readonly recommendation: Recommendation | null;
  /** For a violation: what it needs down or cut, hypothetical outages included (`pgp/needs.ts`). */
  readonly needs?: RiskNeeds | null;
}

function traces(runs: number): string {
  return `${runs} random trace${runs === 1 ? '' : 's'}`;
}

/** What a verdict rests on, in the words of a sentence: `500 random traces`, `every reachable state (12,345)`. */
export function searched({ basis }: Pick<Judgement, 'basis'>): string {
  if (basis === null) return traces(0);
  if (basis.basis === 'random') return traces(basis.runs);
  const states = basis.states.toLocaleString('en-US');
  if (basis.basis === 'exhaustive') return `every reachable state (${states} explored)`;
  return basis.stop?.cause === 'memory-guard' ? `the ${states} states explored before the exploration stopped` : `the ${states} states explored before the budget ran out`;
}

/** The state the trace leads to, or undefined when it does not replay (it always should). */
function replay(model: CompiledCluster, actions: readonly Action[]): ClusterState | undefined {
  try {
    return actions.reduce((state, action) => step(model, state, action), initialState(model));
  } catch {
    return undefined;
  }
}

/** The explanation and recommendation for one result of `property` (by default, the catalogue's of that name). */
export function advise(model: CompiledCluster, result: Judgement, property: ClusterProperty | undefined = findProperty(result.property)): Advice {
  const entry = property?.advice;
  const context: AdviceContext = { model, config: model.config, searched: searched(result), proven: result.basis?.basis === 'exhaustive' };
  if (result.verdict === 'not-applicable') {
    const why = entry?.notApplicable?.(context) ?? `It does not apply to this config: ${result.reason ?? 'see the property'}.`;
    return { explanation: why, recommendation: null };
  }
  if (result.kind === 'sometimes') {
    // A guard against vacuous passes: say whether the search got there, and how.
    if (result.verdict === 'reached') {
      const steps = (result.finding?.actions ?? []).map(describeAction).join(', then ');
      const after = result.basis?.basis === 'random' ? `after ${traces(result.basis.runs)}` : 'by exploration, in the fewest actions';
      return { explanation: `Reached ${after}: ${steps || 'in the initial state'}.`, recommendation: null };
    }
    if (result.basis?.basis === 'exhaustive')
      return {
        explanation: `Not reached in ${searched(result)}: no trace within these bounds reaches this fault, so the properties about it are not put to the test by this config.`,
        recommendation: null,
      };
    return {
      explanation: `Not reached in ${searched(result)}: the properties about this fault were not put to the test; raise --runs or --length, or use explore.`,
      recommendation: null,
    };
  }
  const recommendation = entry === undefined ? null : (entry.recommend?.(context) ?? entry.recommendation);
  if (result.verdict === 'vacuous') {
    const what = property?.subject?.description ?? 'what it is about';
    return {
      explanation: `Nothing was shown either way: in ${searched(result)} no state had its subject (${what}), so no state could break it; the config or the search never got there.`,
      recommendation,
    };
  }
  if (result.verdict === 'holds') {
    return { explanation: entry?.holds(context) ?? `No violation in ${searched(result)}.`, recommendation };
  }
  const found = result.finding;
  const state = found === null ? undefined : replay(model, found.actions.slice(0, found.step));
  const why = state === undefined || entry === undefined ? undefined : entry.violated({ ...context, state });
  const needs = found === null ? null : (riskNeeds(model.config, property, found.actions, found.step) ?? null);
  return { explanation: why ?? sentence(found?.message ?? 'violated'), recommendation, needs };
}

function sentence(text: string): string {
  const capital = text.charAt(0).toUpperCase() + text.slice(1);
  return /[.!?]$/.test(capital) ? capital : `${capital}.`;
}
