/**
 * One verdict vocabulary for every command (`check`, `explore`, `replay`) and for the JSON they print.
 *
 * - `holds`, `violated`, `not-applicable` (docs/properties.md);
 * - `vacuous`: the property's subject never occurred in what was searched (no private key was ever
 *   written, no client enrolled), so nothing was shown either way;
 * - `reached` / `unreached`: for `sometimes` properties (the guards against vacuous passes).
 *
 * And what a verdict rests on (its basis):
 * - `exhaustive`: every reachable state within the stated bounds was explored (`states` of them); only
 *   this basis may be called verified;
 * - `partial`: an exploration that stopped at a cap (`states` visited, every level up to `depthComplete`
 *   complete): a "holds" then means "no violation in the states visited";
 * - `random`: `runs` random traces: a "holds" then means "no violation in N traces".
 */

export const VERDICTS = ['holds', 'violated', 'not-applicable', 'vacuous', 'reached', 'unreached'] as const;
export type Verdict = (typeof VERDICTS)[number];

export const BASES = ['exhaustive', 'partial', 'random'] as const;
export type BasisKind = (typeof BASES)[number];

/** The bounds an exploration rests on, in words a report can print as they are (`{"time steps": "24, 336 hours"}`). */
export type Bounds = Readonly<Record<string, string | number | boolean>>;

export type Basis =
  | { readonly basis: 'exhaustive'; readonly states: number; readonly bounds: Bounds }
  | {
      readonly basis: 'partial';
      readonly states: number;
      readonly depthComplete: number;
      readonly bounds: Bounds;
      /** Why the exploration stopped, in words; `stop` when `check` knows it (its state budget, or the memory guard). */
      readonly stopped: string;
      readonly stop?: ExplorationStop;
    }
  | {
      readonly basis: 'random';
      readonly runs: number;
      /** Why the random search stopped before its runs (the memory guard). */
      readonly stopped?: string;
      /** The exploration that stopped before it decided this property, which therefore fell back to random search. */
      readonly fellBack?: ExplorationStop;
    };

/** A verdict that counts as a failure of the check (an unreached guard means other verdicts may be vacuous). */
export function isFailure(verdict: Verdict): boolean {
  return verdict === 'violated' || verdict === 'unreached';
}

/** A verdict and its basis in a few words: `holds (verified: 12,345 states)`, `holds (no violation in 500 traces)`. */
export function describeBasis(verdict: Verdict, basis: Basis | undefined): string {
  if (basis === undefined || verdict === 'not-applicable') return verdict;
  const n = (x: number) => x.toLocaleString('en-US');
  switch (basis.basis) {
    case 'exhaustive':
      return `${verdict} (${verdict === 'violated' || verdict === 'reached' ? 'shortest trace' : 'verified'}: every reachable state, ${n(basis.states)} states)`;
    case 'partial':
      return verdict === 'holds'
        ? `no violation in the ${n(basis.states)} states visited (exploration stopped: ${basis.stopped})`
        : `${verdict} (exploration stopped after ${n(basis.states)} states)`;
    case 'random':
      return verdict === 'holds' ? `no violation in ${n(basis.runs)} traces` : verdict === 'unreached' ? `not reached in ${n(basis.runs)} traces` : `${verdict} (random search, ${n(basis.runs)} traces)`;
    default: {
      const unhandled: never = basis;
      return String(unhandled);
    }
  }
}

/** Why an exhaustive exploration ended before it finished: its state budget ran out, or the memory guard stopped it. */
export const STOP_CAUSES = ['state-budget', 'memory-guard'] as const;
export type StopCause = (typeof STOP_CAUSES)[number];

/** An exhaustive exploration that did not finish: every verdict it left undecided rests on random search instead. */
export interface ExplorationStop {
  readonly cause: StopCause;
  /** The states it had visited. */
  readonly states: number;
  /** Its state budget (`--max-states`). */
  readonly budget: number;
  /** For the memory guard: what it measured. */
  readonly detail?: string;
}

/** The flag that raises the state budget of `check`'s exploration. */
export const STATE_BUDGET_FLAG = '--max-states';

/**
 * Why an exploration stopped, in the one wording every output uses (text, progress, JSON, HTML,
 * `compare`): `its state budget of 1,000 states ran out (--max-states 1000)`.
 */
export function stopReason(stop: ExplorationStop): string {
  const n = (x: number) => x.toLocaleString('en-US');
  return stop.cause === 'state-budget'
    ? `its state budget of ${n(stop.budget)} states ran out (${STATE_BUDGET_FLAG} ${stop.budget})`
    : `the memory guard stopped it after ${n(stop.states)} of at most ${n(stop.budget)} states${stop.detail ? `: ${stop.detail.trim()}` : ''}`;
}

/** What lets a stopped exploration finish: a larger budget, or more memory. */
export function stopRemedy(stop: ExplorationStop): string {
  return stop.cause === 'state-budget'
    ? `raise the budget with ${STATE_BUDGET_FLAG} N, above ${stop.budget.toLocaleString('en-US')}`
    : 'give Node more memory (NODE_OPTIONS=--max-old-space-size=MB)';
}

/** `a`, `a and b`, `a, b and c`. */
function names(items: readonly string[]): string {
  return items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}

/**
 * The sentence every output prints for a config whose exploration stopped before it decided some
 * properties: why, which properties fell back to random search, and how to let it finish. (A finding
 * made before the stop, basis `partial`, is a real trace: it needs no such word.)
 */
export function stopNotice(config: string, stop: ExplorationStop, random: readonly string[]): string {
  const one = random.length === 1;
  return `The exploration of "${config}" did not finish: ${stopReason(stop)}. So ${one ? '1 verdict is' : `${random.length} verdicts are`} not ${one ? 'a proof' : 'proofs'}: ${names(random)} fell back to random search. To prove ${one ? 'it' : 'them'}, ${stopRemedy(stop)}.`;
}
