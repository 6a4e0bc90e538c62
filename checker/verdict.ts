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
  | { readonly basis: 'partial'; readonly states: number; readonly depthComplete: number; readonly bounds: Bounds; readonly stopped: string }
  | { readonly basis: 'random'; readonly runs: number };

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
