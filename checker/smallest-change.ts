/**
 * The smallest combination of candidate changes that passes a test: `repair`'s search (the fewest config
 * changes that make the chosen violations hold and nothing worse), and the combination a checked piece of
 * advice offers when on its own it makes something worse. Model-agnostic: a change is anything with a
 * key; what a combination costs, how it is judged and when it passes are the caller's.
 *
 * Best-first by cost: every combination of up to `maxSize` candidates (with the `base` ones always in) is
 * judged in order of its cost, cheapest first, then in the order the candidates were given; the first that
 * passes is returned. A judged combination may suggest more candidates (`more`: the changes that would
 * mend what it made worse), which join the pool; the combinations they open are judged in cost order
 * with the rest. So the result is the cheapest passing combination of the candidates known when it was
 * found: of every candidate, when `more` adds none. Judging is the expensive part (a check of a whole
 * config), so each combination is judged at most once and the search stops after `maxEvaluations`.
 */

export interface Judged<P, R> {
  /** The candidates judged together (the base ones first). */
  readonly set: readonly P[];
  readonly cost: number;
  readonly result: R;
}

export interface SmallestOptions<P, R> {
  /** Candidates every combination includes. */
  readonly base?: readonly P[];
  /** Candidates to choose from, in order of preference. */
  readonly candidates: readonly P[];
  /** What identifies a candidate (two with one key are one). */
  key(candidate: P): string;
  /** What a combination costs (the number of config fields it changes, say); not finite: it cannot be made. */
  cost(set: readonly P[]): number;
  judge(set: readonly P[]): Promise<R>;
  passes(result: R): boolean;
  /** Candidates a judged combination suggests, added to the pool. */
  more?(set: readonly P[], result: R): readonly P[];
  /** The most candidates (besides the base) in a combination. */
  readonly maxSize: number;
  /** The most combinations judged. */
  readonly maxEvaluations: number;
  /** Told after each judgement (a progress line). */
  onJudged?(judged: Judged<P, R>, count: number): void;
}

export interface SmallestResult<P, R> {
  /** The cheapest combination that passes, or undefined. */
  readonly found: Judged<P, R> | undefined;
  /** Every combination judged, in the order judged. */
  readonly judged: readonly Judged<P, R>[];
  /** True when every combination within `maxSize` was judged (so "none passes" is a proof over these candidates). */
  readonly exhausted: boolean;
}

/** Every choice of up to `maxSize` indexes out of `n`, each in increasing order (the empty choice first). */
function choices(n: number, maxSize: number): number[][] {
  const out: number[][] = [[]];
  const grow = (start: number, chosen: number[]) => {
    if (chosen.length === maxSize) return;
    for (let i = start; i < n; i++) {
      const next = [...chosen, i];
      out.push(next);
      grow(i + 1, next);
    }
  };
  grow(0, []);
  return out;
}

export async function smallestChange<P, R>(options: SmallestOptions<P, R>): Promise<SmallestResult<P, R>> {
  const base = options.base ?? [];
  const pool: P[] = [];
  const known = new Set(base.map(options.key));
  const add = (candidates: readonly P[]) => {
    for (const c of candidates) {
      const key = options.key(c);
      if (known.has(key)) continue;
      known.add(key);
      pool.push(c);
    }
  };
  add(options.candidates);
  const judged: Judged<P, R>[] = [];
  const seen = new Set<string>();
  for (;;) {
    // The cheapest combination not judged yet (an empty one only when there is a base to judge).
    let best: { set: P[]; cost: number; id: string } | undefined;
    for (const chosen of choices(pool.length, options.maxSize)) {
      if (chosen.length === 0 && base.length === 0) continue;
      const set = [...base, ...chosen.map((i) => pool[i]!)];
      const id = set.map(options.key).sort().join('\n');
      if (seen.has(id)) continue;
      const cost = options.cost(set);
      if (!Number.isFinite(cost)) {
        seen.add(id);
        continue;
      }
      if (best === undefined || cost < best.cost) best = { set, cost, id };
    }
    if (best === undefined) return { found: undefined, judged, exhausted: true };
    if (judged.length >= options.maxEvaluations) return { found: undefined, judged, exhausted: false };
    seen.add(best.id);
    const result = await options.judge(best.set);
    const entry: Judged<P, R> = { set: best.set, cost: best.cost, result };
    judged.push(entry);
    options.onJudged?.(entry, judged.length);
    if (options.passes(result)) return { found: entry, judged, exhausted: false };
    if (options.more) add(options.more(best.set, result));
  }
}
