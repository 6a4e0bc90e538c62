/**
 * How a verdict changed from one config to another (a change review: `compare`, a checked config change,
 * `repair`): better, worse, the same, or merely changed. Model-agnostic: it reads verdicts only.
 */

export type Change = 'better' | 'worse' | 'same' | 'changed';

/** How bad a verdict is, for a promise or a guard: higher is worse; equal ranks are merely "changed". */
const RANK: Readonly<Record<string, number>> = { holds: 0, 'not-applicable': 0, vacuous: 0, reached: 0, violated: 1, unreached: 1 };

/** From one verdict to another: an accepted violation counts as a violation (the risk is still there). */
export function changeOf(before: string, after: string): Change {
  if (before === after) return 'same';
  const b = RANK[before] ?? 0;
  const a = RANK[after] ?? 0;
  return a > b ? 'worse' : a < b ? 'better' : 'changed';
}
