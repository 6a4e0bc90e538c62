/**
 * A safe order of a plan's groups of steps (`plan --find`): depth-first over the orders, each prefix of
 * groups explored before it is extended (a prefix found unsafe is never extended: every order that
 * starts with it is unsafe), with two reductions. Orders whose prefixes end in the same set of groups
 * taken and in the same states (`digest`) go on alike, so a prefix from which no safe completion was
 * found marks that (set, digest) dead for every other order that reaches it. And at the start, groups
 * that a symmetry of the model maps onto each other (`classes`) are tried once per class. Model-agnostic:
 * `probe` explores a prefix and says unsafe (with what it found), safe (with a digest of where it ends),
 * or undecided (its exploration did not finish).
 *
 * The search proves that no order is safe when every order was ruled out by an unsafe prefix or a dead
 * (set, digest), and no probe was undecided.
 */

export type Probe<F> =
  | { readonly verdict: 'unsafe'; readonly finding: F }
  | { readonly verdict: 'safe'; readonly digest: string }
  | { readonly verdict: 'undecided'; readonly reason: string };

export interface OrderSearchOptions<G, F> {
  readonly groups: readonly G[];
  /** What identifies a group (to name the set of groups taken). */
  key(group: G): string;
  /** Explores the plan made of these groups in this order. */
  probe(prefix: readonly G[]): Promise<Probe<F>>;
  /** The groups tried first, one per class of groups alike at the start (default: every group). */
  readonly firstClasses?: readonly (readonly G[])[];
  /** The most prefixes explored. */
  readonly maxProbes: number;
  onProbe?(prefix: readonly G[], result: Probe<F>, count: number): void;
}

export interface OrderSearch<G, F> {
  /** A safe order, or undefined. */
  readonly order: readonly G[] | undefined;
  /** No order is safe, and that is proven (every order ruled out, every exploration finished). */
  readonly noneExists: boolean;
  /** The unsafe prefixes met, in order, with what was found. */
  readonly unsafe: readonly { readonly prefix: readonly G[]; readonly finding: F }[];
  readonly probes: number;
  /** Why the search is not a proof, when it is not (an undecided exploration, the probe limit). */
  readonly undecided: string | undefined;
}

export async function searchOrder<G, F>(options: OrderSearchOptions<G, F>): Promise<OrderSearch<G, F>> {
  const unsafe: { prefix: readonly G[]; finding: F }[] = [];
  const dead = new Set<string>();
  let probes = 0;
  let undecided: string | undefined;
  const setKey = (prefix: readonly G[]) => prefix.map(options.key).sort().join('\u0000');
  const visit = async (prefix: readonly G[]): Promise<readonly G[] | undefined> => {
    const taken = new Set(prefix);
    const remaining = options.groups.filter((g) => !taken.has(g));
    if (remaining.length === 0) return prefix;
    const choices = prefix.length === 0 && options.firstClasses !== undefined ? options.firstClasses.map((c) => c[0]!) : remaining;
    for (const group of choices) {
      if (probes >= options.maxProbes) {
        undecided ??= `the search stopped after ${options.maxProbes} explorations`;
        return undefined;
      }
      const next = [...prefix, group];
      const result = await options.probe(next);
      probes++;
      options.onProbe?.(next, result, probes);
      if (result.verdict === 'unsafe') {
        unsafe.push({ prefix: next, finding: result.finding });
        continue;
      }
      if (result.verdict === 'undecided') {
        undecided ??= result.reason;
        continue;
      }
      const node = `${setKey(next)}\u0001${result.digest}`;
      if (dead.has(node)) continue;
      const found = await visit(next);
      if (found !== undefined) return found;
      dead.add(node);
    }
    return undefined;
  };
  const order = await visit([]);
  return { order, noneExists: order === undefined && undecided === undefined, unsafe, probes, undecided };
}
