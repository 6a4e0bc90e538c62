/**
 * The top-level `summary` of `check --json` (README, command line): whether the check passed, how many results had
 * each verdict (`VERDICTS`), how many violations were accepted, the stale acceptances, the explorations
 * that did not finish, the config's name and the tool's version. A CI job reads `summary.ok` (the exit
 * status says the same). And the JSON edge of a result (`resultJson`).
 */
import { type ExplorationStop, type StopCause, stopNotice, stopReason, VERDICTS, type Verdict } from '../checker/verdict.ts';
import type { Acceptance } from '../config/schema.ts';
import type { Accepted } from '../pgp/accept.ts';
import { TOOL_VERSION } from './version.ts';

interface Judged {
  readonly config?: string;
  readonly property?: string;
  readonly basis?: string | null;
  readonly explorationStop?: ExplorationStop;
  readonly kind: string;
  readonly verdict: string;
  readonly reached?: boolean;
  readonly accepted?: Accepted | null;
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

export function summarize(results: readonly Judged[], ok: boolean, config: string | null, stale: readonly Acceptance[]): CheckSummary {
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
export function stoppedExplorations(
  results: readonly Pick<Judged, 'config' | 'property' | 'basis' | 'explorationStop'>[],
): StoppedExploration[] {
  const byConfig = new Map<string, { stop: ExplorationStop; random: string[] }>();
  for (const r of results) {
    if (r.explorationStop === undefined || r.basis !== 'random') continue;
    const config = r.config ?? '';
    const entry = byConfig.get(config) ?? { stop: r.explorationStop, random: [] };
    byConfig.set(config, entry);
    entry.random.push(r.property ?? '');
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
 * A result as `--json` prints it: the exploration's stop, when its verdict owes to one, flattened to
 * `stopped` (`stopReason`, after the random search's own stop when there was one) and `budget`.
 */
export function resultJson<R extends { readonly explorationStop?: ExplorationStop; readonly stopped?: string }>(result: R): Omit<R, 'explorationStop'> & { stopped?: string; budget?: number } {
  const { explorationStop, ...rest } = result;
  if (explorationStop === undefined) return rest;
  const reason = `the exploration did not finish: ${stopReason(explorationStop)}`;
  return { ...rest, stopped: rest.stopped === undefined ? reason : `${reason}; then the random search stopped too: ${rest.stopped}`, budget: explorationStop.budget };
}
