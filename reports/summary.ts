/**
 * The top-level `summary` of `check --json` (README, command line): whether the check passed, how many results had
 * each verdict (`VERDICTS`), how many violations were accepted, the stale acceptances, the config's name
 * and the tool's version. A CI job reads `summary.ok` (the exit status says the same).
 */
import { VERDICTS, type Verdict } from '../checker/verdict.ts';
import type { Acceptance } from '../config/schema.ts';
import type { Accepted } from '../pgp/accept.ts';
import { TOOL_VERSION } from './version.ts';

interface Judged {
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
}

export function summarize(results: readonly Judged[], ok: boolean, config: string | null, stale: readonly Acceptance[]): CheckSummary {
  const counts = Object.fromEntries(VERDICTS.map((v) => [v, 0])) as Record<Verdict, number>;
  for (const r of results) counts[verdictOf(r)]++;
  return { ok, config, version: TOOL_VERSION, counts, accepted: results.filter((r) => r.accepted).length, staleAcceptances: stale };
}
