/**
 * The largest level of a fault budget at which each property still holds, for properties that are
 * monotone in it (more budget: every trace of a smaller budget is still a trace, and each judgement asks
 * more): `tolerance`'s members-down column. Model-agnostic: a level is a number, and `explore(level,
 * names)` decides the named properties at that level (an exhaustive exploration, say).
 *
 * The top level is explored first (what holds there holds everywhere below); then, for each property
 * that fails there, the first failing level is found by bisection, each level explored once for every
 * property whose range still contains it. So a property that holds costs one exploration, and the
 * explorations are logarithmic in the number of levels.
 */

export interface LevelVerdict<F> {
  /** Violated at this level: with the finding (its shortest trace, say). */
  readonly failed: F | undefined;
  /** True when the verdict is a proof at this level (the exploration finished). */
  readonly proven: boolean;
}

export interface LevelResult<F> {
  /** The largest level at which the property holds (-1: it fails at the lowest). */
  readonly holdsUpTo: number;
  /** The lowest level at which it fails, with what failed there; undefined when it holds at the top. */
  readonly firstFailing: { readonly level: number; readonly finding: F } | undefined;
  /** Every verdict it rests on was a proof. */
  readonly proven: boolean;
}

export async function largestHoldingLevels<F>(
  names: readonly string[],
  lowest: number,
  highest: number,
  explore: (level: number, names: readonly string[]) => Promise<ReadonlyMap<string, LevelVerdict<F>>>,
): Promise<Map<string, LevelResult<F>>> {
  // For each property: the highest level known to hold, and the lowest known to fail (with its finding).
  const holds = new Map(names.map((n) => [n, lowest - 1]));
  const fails = new Map<string, { level: number; finding: F }>();
  const proven = new Map(names.map((n) => [n, true]));
  const record = (level: number, decided: ReadonlyMap<string, LevelVerdict<F>>) => {
    for (const [name, verdict] of decided) {
      if (!verdict.proven) proven.set(name, false);
      if (verdict.failed === undefined) holds.set(name, Math.max(holds.get(name)!, level));
      else if (!fails.has(name) || fails.get(name)!.level > level) fails.set(name, { level, finding: verdict.failed });
    }
  };
  if (names.length > 0 && highest >= lowest) record(highest, await explore(highest, names));
  for (;;) {
    // The properties not yet pinned down: a gap between the level that holds and the one that fails.
    const open = names.filter((n) => fails.has(n) && fails.get(n)!.level - holds.get(n)! > 1);
    if (open.length === 0) break;
    const first = open[0]!;
    const level = Math.floor((holds.get(first)! + fails.get(first)!.level) / 2);
    const at = open.filter((n) => holds.get(n)! < level && level < fails.get(n)!.level);
    record(level, await explore(level, at));
  }
  return new Map(
    names.map((n) => [n, { holdsUpTo: fails.has(n) ? fails.get(n)!.level - 1 : highest, firstFailing: fails.get(n), proven: proven.get(n)! }]),
  );
}
