/**
 * Each violated property's advice, checked (the risk report's `change:` and `checked:` lines): its
 * declared patches applied together and the changed config checked as `check` checks one. Where that
 * makes another property worse, the smallest combination with more declared patches that makes nothing
 * worse is looked for and checked too. A patch is printed only with such a result.
 */
import type { ClusterConfig } from '../config/schema.ts';
import { findProperty } from '../properties/index.ts';
import type { AdviceOrigin } from '../properties/types.ts';
import type { PropertyResult } from './check.ts';
import { type CheckedChange, checkChange, type ConfigCheck, searchChange, succeeds } from './checked-change.ts';
import { describeChange, fieldOf, patchesOf } from './patches.ts';

/** A checked change as `--json` gives it, and as the text report reads it. */
export interface CheckedChangeJson {
  readonly patches: readonly { readonly summary: string; readonly by: AdviceOrigin; readonly source: string }[];
  readonly changes: readonly { readonly field: string; readonly member: string | null; readonly was: unknown; readonly value: unknown; readonly text: string }[];
  /** The properties it is for that no longer fail, and those still failing. */
  readonly fixed: readonly string[];
  readonly unfixed: readonly string[];
  readonly worse: readonly { readonly property: string; readonly before: string; readonly after: string }[];
  readonly better: readonly { readonly property: string; readonly before: string; readonly after: string }[];
  /** What the changed config's verdicts rest on, in words. */
  readonly basis: string;
}

/** A violated property's advice, checked. */
export interface CheckedAdvice {
  /** The property's own patches, applied together; null when its advice is no config change. */
  readonly change: CheckedChangeJson | null;
  /** When that makes something worse: the smallest combination found that makes nothing worse, or null. */
  readonly combination: CheckedChangeJson | null;
}

/** What a changed config's verdicts rest on: `every reachable state (1,234 states) for 8; 500 random traces for 3`. */
export function basisWords(results: readonly PropertyResult[]): string {
  const judged = results.filter((r) => r.verdict !== 'not-applicable' && r.kind !== 'sometimes');
  const exhaustive = judged.flatMap((r) => (r.basis?.basis === 'exhaustive' ? [r.basis] : []));
  const parts: string[] = [];
  if (exhaustive.length > 0) {
    const states = Math.max(...exhaustive.map((b) => b.states)).toLocaleString('en-US');
    parts.push(`exhaustive for ${exhaustive.length} propert${exhaustive.length === 1 ? 'y' : 'ies'}, up to ${states} states`);
  }
  const random = judged.flatMap((r) => (r.basis?.basis === 'random' ? [{ property: r.property, runs: r.basis.runs }] : []));
  if (random.length > 0) parts.push(`${Math.max(...random.map((r) => r.runs)).toLocaleString('en-US')} random traces for ${random.map((r) => r.property).join(' and ')}`);
  const partial = judged.filter((r) => r.basis?.basis === 'partial');
  if (partial.length > 0) parts.push(`an exploration cut short for ${partial.map((r) => r.property).join(' and ')}`);
  return parts.join('; ') || 'nothing to check';
}

export function checkedChangeJson(config: ClusterConfig, checked: CheckedChange): CheckedChangeJson {
  return {
    patches: checked.patches.map(({ summary, by, source }) => ({ summary, by, source })),
    changes: checked.changes.map((c) => ({
      field: fieldOf(c),
      member: c.path[0] === 'members' && typeof c.path[1] === 'number' ? (config.members[c.path[1]]?.id ?? null) : null,
      was: c.was ?? null,
      value: c.value ?? null,
      text: describeChange(config, c),
    })),
    fixed: checked.fixed,
    unfixed: checked.unfixed,
    worse: checked.worse.map(({ property, before, after }) => ({ property, before, after })),
    better: checked.better.map(({ property, before, after }) => ({ property, before, after })),
    basis: basisWords(checked.results),
  };
}

/**
 * Checks the advice of every violated property of `results` (guards aside) on `config`. `onProgress` is
 * told before each property's checks start.
 */
export async function checkAdvice(
  config: ClusterConfig,
  results: readonly PropertyResult[],
  check: ConfigCheck,
  onProgress?: (property: string, done: number, of: number) => void,
): Promise<Map<string, CheckedAdvice>> {
  const advised = new Map<string, CheckedAdvice>();
  const violated = results.filter((r) => r.verdict === 'violated' && r.kind !== 'sometimes');
  for (const [i, r] of violated.entries()) {
    onProgress?.(r.property, i, violated.length);
    const property = findProperty(r.property);
    const own = property === undefined ? [] : patchesOf(property, config);
    if (own.length === 0) {
      advised.set(r.property, { change: null, combination: null });
      continue;
    }
    const checked = await checkChange(config, results, own, [r.property], check);
    let combination: CheckedChange | undefined;
    if (!succeeds(checked) && checked.worse.length > 0 && checked.unfixed.length === 0) {
      // The advice works but costs something elsewhere: what must go with it (the worsened properties' own advice).
      const search = await searchChange(config, results, [r.property], check, { base: own, candidates: [], maxSize: 2, maxChecks: 6 });
      combination = search.found;
    }
    advised.set(r.property, { change: checkedChangeJson(config, checked), combination: combination === undefined ? null : checkedChangeJson(config, combination) });
  }
  return advised;
}
