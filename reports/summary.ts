/**
 * The top-level `summary` of `check --json` (README, command line): whether the check passed, how many results had
 * each verdict (`VERDICTS`), how many violations were accepted, the stale acceptances, the explorations
 * that did not finish, the config's name and the tool's version. A CI job reads `summary.ok` (the exit
 * status says the same). And the JSON edge of a result (`resultJson`).
 */
import { flatCheck, stopOfBasis } from '../checker/judge.ts';
import { type Basis, type ExplorationStop, type StopCause, stopNotice, stopReason, VERDICTS, type Verdict } from '../checker/verdict.ts';
import type { Acceptance } from '../config/schema.ts';
import type { Accepted } from '../pgp/accept.ts';
import type { PropertyResult } from '../pgp/result.ts';
import { TOOL_VERSION } from './version.ts';

interface Judged {
  readonly kind: string;
  readonly verdict: string;
  readonly reached?: boolean;
  readonly accepted?: Accepted | null;
}

/** What says whether a result's exploration stopped: its config, its property and its basis. */
interface Based {
  readonly config: string;
  readonly property: string;
  readonly basis?: Basis | null;
}

/**
 * A result's verdict in `checker/verdict.ts`'s vocabulary. A `sometimes` guard is `reached` or
 * `unreached`; results that still say holds/violated with a `reached` flag are read that way.
 */
export function verdictOf(r: Judged): Verdict {
  if (r.kind === 'sometimes' && r.verdict !== 'not-applicable' && r.verdict !== 'reached' && r.verdict !== 'unreached')
    return r.reached === false || r.verdict === 'violated' ? 'unreached' : 'reached';
  return (VERDICTS as readonly string[]).includes(r.verdict) ? (r.verdict as Verdict) : 'violated';
}

export interface CheckSummary {
  readonly ok: boolean;
  /** The config's name; null when every preset was checked. */
  readonly config: string | null;
  readonly version: string;
  readonly counts: Readonly<Record<Verdict, number>>;
  /** Violations covered by the config's `accept` (counted under `violated` too). */
  readonly accepted: number;
  readonly staleAcceptances: readonly Acceptance[];
  /** The explorations that did not finish: their verdicts are not proofs. */
  readonly stopped: readonly StoppedExploration[];
}

export function summarize(results: readonly (Judged & Based)[], ok: boolean, config: string | null, stale: readonly Acceptance[]): CheckSummary {
  const counts = Object.fromEntries(VERDICTS.map((v) => [v, 0])) as Record<Verdict, number>;
  for (const r of results) counts[verdictOf(r)]++;
  return { ok, config, version: TOOL_VERSION, counts, accepted: results.filter((r) => r.accepted).length, staleAcceptances: stale, stopped: stoppedExplorations(results) };
}

/** A config whose exploration did not finish, and the verdicts that are therefore not proofs. */
export interface StoppedExploration {
  readonly config: string;
  readonly cause: StopCause;
  /** The states it visited, and its budget (`--max-states`). */
  readonly states: number;
  readonly budget: number;
  /** The properties that fell back to random search. */
  readonly random: readonly string[];
  /** The one sentence every output prints (`stopNotice`): why, which verdicts, and how to let it finish. */
  readonly message: string;
}

/** Every config whose exploration stopped before it decided some of its properties (they fell back to random search), in the order of the results. */
export function stoppedExplorations(results: readonly Based[]): StoppedExploration[] {
  const byConfig = new Map<string, { stop: ExplorationStop; random: string[] }>();
  for (const r of results) {
    if (r.basis?.basis !== 'random' || r.basis.fellBack === undefined) continue;
    const entry = byConfig.get(r.config) ?? { stop: r.basis.fellBack, random: [] };
    byConfig.set(r.config, entry);
    entry.random.push(r.property);
  }
  return [...byConfig].map(([config, { stop, random }]) => ({
    config,
    cause: stop.cause,
    states: stop.states,
    budget: stop.budget,
    random,
    message: stopNotice(config, stop, random),
  }));
}

/**
 * A result as `--json` prints it, the one place its basis and finding are flattened (`flatCheck`), in the
 * key order `check --json` has always printed: the config's and the property's names, then the verdict
 * and what it rests on, then every other field as the result carries it (the advice, the saved file, an
 * acceptance, ...). The exploration's stop, when the verdict owes to one, is `stopped` (`stopReason`,
 * after the random search's own stop when there was one) and `budget`.
 */
export function resultJson(r: PropertyResult) {
  const { config, property, kind, counterexample, expected, seed: _seed, verdict: _verdict, basis, finding: _finding, reason: _reason, settlingRounds: _settlingRounds, generated: _generated, ...rest } = r;
  const stop = stopOfBasis(basis);
  const flat = flatCheck(r);
  const why = stop === undefined ? undefined : `the exploration did not finish: ${stopReason(stop)}`;
  return {
    config,
    property,
    kind,
    counterexample,
    expected,
    ...flat,
    ...rest,
    ...(stop === undefined ? {} : { stopped: 'stopped' in flat ? `${why}; then the random search stopped too: ${flat.stopped}` : why, budget: stop.budget }),
  };
}
