/**
 * Advice as config changes (`PropertyAdvice.patches` in each property's file): the patches a property
 * declares for a config, applied to a config document, and described as a person reads them. Checking a
 * patched config is `pgp/checked-change.ts`'s business; this file only makes and shows the changes.
 */
import type { ClusterConfig } from '../config/schema.ts';
import { validateConfig, formatProblem } from '../config/validate.ts';
import { compileCluster } from '../model/cluster.ts';
import { PROPERTIES } from '../properties/index.ts';
import type { ClusterProperty, ConfigChange, ConfigPatch } from '../properties/types.ts';

export type { ConfigChange, ConfigPatch };

/** The patches `property` declares for `config`: every rule's, in declaration order. */
export function patchesOf(property: ClusterProperty, config: ClusterConfig): ConfigPatch[] {
  const model = compileCluster(config);
  // A rule reads the config only: it speaks before any check has run.
  const context = { model, config, searched: '', proven: false };
  return (property.advice?.patches ?? []).flatMap((rule) => {
    const made = rule(context);
    return made === undefined ? [] : Array.isArray(made) ? made : [made as ConfigPatch];
  });
}

/** Every property's patches for `config`, each once (two properties may ask for the same change). */
export function allPatches(config: ClusterConfig, properties: readonly ClusterProperty[] = PROPERTIES): ConfigPatch[] {
  const seen = new Set<string>();
  return properties.flatMap((p) =>
    patchesOf(p, config).filter((patch) => {
      const key = patchKey(patch);
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    }),
  );
}

/** What identifies a patch: the fields it sets and their values. */
export function patchKey(patch: ConfigPatch): string {
  return JSON.stringify(patch.changes.map((c) => [c.path, c.value ?? null]));
}

/** How many fields a set of patches changes (the measure `repair` minimizes): each field once. */
export function changeCount(patches: readonly ConfigPatch[]): number {
  return mergeChanges(patches)?.length ?? Number.POSITIVE_INFINITY;
}

/**
 * The changes of several patches as one list, each field once; undefined when two set one field to
 * different values (they cannot be applied together). Two changes of one member's services merge: each
 * adds a service.
 */
export function mergeChanges(patches: readonly ConfigPatch[]): ConfigChange[] | undefined {
  const byPath = new Map<string, ConfigChange>();
  for (const change of patches.flatMap((p) => p.changes)) {
    const key = JSON.stringify(change.path);
    const before = byPath.get(key);
    if (before === undefined) byPath.set(key, change);
    else if (change.path.at(-1) === 'services' && Array.isArray(before.value) && Array.isArray(change.value)) {
      // Each adds a service to the same member: all of them, in the order they were added.
      const union = [...new Set([...(before.value as unknown[]), ...(change.value as unknown[])])];
      byPath.set(key, { ...before, value: union });
    } else if (JSON.stringify(before.value) !== JSON.stringify(change.value)) return undefined;
  }
  return [...byPath.values()];
}

/**
 * A config document (the file as written, or a preset's config) with the changes applied: a copy, each
 * path set (objects made on the way where the document left them out), or removed for `undefined`.
 */
export function applyChanges(document: unknown, changes: readonly ConfigChange[]): unknown {
  const copy = structuredClone(document) as Record<string | number, unknown>;
  for (const { path, value } of changes) {
    let at = copy;
    for (const key of path.slice(0, -1)) {
      if (at[key] === undefined || at[key] === null || typeof at[key] !== 'object') at[key] = {};
      at = at[key] as Record<string | number, unknown>;
    }
    const last = path.at(-1)!;
    if (value === undefined) delete at[last];
    else at[last] = structuredClone(value);
  }
  return copy;
}

/** A config with patches applied, validated as any config is; an internal error if a declared patch makes it invalid. */
export function patchedConfig(config: ClusterConfig, patches: readonly ConfigPatch[]): ClusterConfig {
  const changes = mergeChanges(patches);
  if (changes === undefined) throw new Error(`internal error: the patches ${patches.map((p) => p.summary).join('; ')} set one field two ways`);
  const result = validateConfig(applyChanges(config, changes));
  if (!result.ok) throw new Error(`internal error: a declared patch makes the config invalid: ${result.errors.map(formatProblem).join('; ')}`);
  return result.config;
}

/** A change's field as a person writes it: `members[2].services`, `loadBalancer.holdsRejoiningMembers`. */
export function fieldOf(change: ConfigChange): string {
  return change.path.map((key, i) => (typeof key === 'number' ? `[${key}]` : i === 0 ? key : `.${key}`)).join('');
}

/** A value as JSON on one line, `(default)` for a field removed. */
function shown(value: unknown): string {
  return value === undefined ? '(left out: its default)' : JSON.stringify(value).replaceAll('","', '", "');
}

/** One change in a line: `members[2].services (branch1): ["keyserver", "desktop"] -> ["mail", "keyserver", "desktop"]`. */
export function describeChange(config: ClusterConfig, change: ConfigChange): string {
  const member = change.path[0] === 'members' && typeof change.path[1] === 'number' ? ` (${config.members[change.path[1]]?.id ?? '?'})` : '';
  return `${fieldOf(change)}${member}: ${shown(change.was)} -> ${shown(change.value)}`;
}

/** Patches with one origin together, in order: `our inference, from KB 161304: move dmz1 ...; move dmz2 ...`. */
export function byOrigin(patches: readonly Pick<ConfigPatch, 'summary' | 'by' | 'source'>[]): string[] {
  const groups: { origin: string; summaries: string[] }[] = [];
  for (const p of patches) {
    const origin = originLabel(p.by, p.source);
    if (groups.at(-1)?.origin === origin) groups.at(-1)!.summaries.push(p.summary);
    else groups.push({ origin, summaries: [p.summary] });
  }
  return groups.map((g) => `${g.origin}: ${g.summaries.join('; ')}`);
}

/** Who gives a piece of advice, as a report labels it: `vendor (KB 153723)`, `our inference (KB 156803 ...)`. */
export function originLabel(by: 'vendor' | 'inference', source: string): string {
  return by === 'vendor' ? `vendor (${source})` : `our inference, from ${source}`;
}
