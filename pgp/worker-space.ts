/**
 * The PGP spaces of the packed explorer (`ComponentSpace`, `pgp/verify.ts`, on the rules' row backend) built again in a worker thread of
 * the parallel explorer (`checker/packed-parallel.ts`): the recipe of a space (what it was built from:
 * the config, the scope, the component and its view, the properties by name, the symmetry group), and
 * `buildSpace`, which a worker calls with it. A space judged on a property that is not in the catalogue
 * (nor a catalogue property's subject) has no recipe, and is explored in one thread.
 */
import { availableParallelism } from 'node:os';
import type { RowSpace, ParallelOptions, SpaceRecipe } from '../checker/packed.ts';
import type { ClusterConfig } from '../config/schema.ts';
import { compileCluster } from '../model/cluster.ts';
import type { Scope } from '../model/enabled.ts';
import { RowComponent } from '../model/component.ts';
import type { Kept } from '../model/row.ts';
import type { Slot } from '../model/projection.ts';
import { type ClusterProperty, findProperty, PROPERTIES } from '../properties/index.ts';
import { subjectProperty } from './target.ts';
import { ComponentSpace } from './verify.ts';

/** A property by name: a catalogue property, or the subject of one (`subjectProperty`). */
type PropertyName = { readonly property: string } | { readonly subjectOf: string };

interface SlotRecipe {
  readonly config: ClusterConfig;
  readonly scope: Scope;
  readonly component: { readonly slot: Slot; readonly view: Kept };
  readonly judged: readonly PropertyName[];
  /** For each judged property, the component it is judged on (`ComponentSpace.decoders`). */
  readonly decoders: readonly { readonly slot: Slot; readonly view: Kept }[];
  readonly group: readonly (readonly number[])[];
}

function nameOf(property: ClusterProperty): PropertyName | undefined {
  if (PROPERTIES.includes(property)) return { property: property.name };
  const base = property.name.endsWith(' (subject)') ? findProperty(property.name.slice(0, -' (subject)'.length)) : undefined;
  return base !== undefined && subjectProperty(base)?.name === property.name ? { subjectOf: base.name } : undefined;
}

function propertyOf(name: PropertyName): ClusterProperty {
  const property = 'property' in name ? findProperty(name.property) : subjectProperty(findProperty(name.subjectOf)!);
  if (property === undefined) throw new Error(`no property ${JSON.stringify(name)} to build a space with`);
  return property;
}

/** The recipe of a PGP space, or undefined when it cannot be built elsewhere. */
export function componentSpaceRecipe(space: RowSpace): SpaceRecipe | undefined {
  if (!(space instanceof ComponentSpace)) return undefined;
  const judged = space.judged.map(nameOf);
  if (judged.some((name) => name === undefined)) return undefined;
  const data: SlotRecipe = {
    config: space.cluster.config,
    scope: space.packed.scope,
    component: { slot: space.packed.slot, view: space.packed.kept },
    judged: judged as PropertyName[],
    decoders: space.decoders.map((d) => ({ slot: d.slot, view: d.kept })),
    group: space.group,
  };
  return { module: import.meta.url, data };
}

/** Builds the space of a recipe (in a worker thread). */
export function buildSpace(data: SlotRecipe): ComponentSpace {
  const cluster = compileCluster(data.config);
  const packed = new RowComponent(cluster, data.scope, data.component.slot, data.component.view);
  const decoders = data.decoders.map((d) => new RowComponent(cluster, data.scope, d.slot, d.view));
  return new ComponentSpace(cluster, packed, data.judged.map(propertyOf), data.group, decoders);
}

/**
 * The packed explorer's `parallel` option for PGP spaces on `workers` threads, at most one per core
 * (undefined for one).
 */
export function pgpParallel(workers: number): ParallelOptions | undefined {
  const threads = Math.min(workers, availableParallelism());
  return threads > 1 ? { workers: threads, recipe: componentSpaceRecipe } : undefined;
}
