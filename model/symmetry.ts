/**
 * Symmetry: relabellings of members under which the cluster behaves the same, so that an explorer can
 * treat states that differ only by such a relabelling as one.
 *
 * Members are interchangeable when everything the model reads about them is equal: zone, services,
 * private-key setting, Web Messenger eligibility, and the sponsor role where the model reads it. But
 * members also have a place in the ring, and replication follows it: swapping two members of a
 * three-member ring reverses its direction, which changes where a `replicate` sends. So a relabelling
 * is a symmetry only if it also keeps every member's successor: for a ring that means a rotation that
 * maps each member to an interchangeable one. The group is computed from the config; for most real
 * configs (a sponsor that differs, a DMZ) it is the identity alone, and symmetry reduction changes
 * nothing, soundly.
 */
import { type CompiledCluster, isWebMessengerEligible } from './cluster.ts';

/** What the model reads about a member, as one comparable string. */
function behaviour(model: CompiledCluster, i: number, roleMatters: boolean): string {
  const m = model.members[i]!;
  return JSON.stringify([
    m.zone,
    [...m.services].sort(),
    m.privateKeys,
    isWebMessengerEligible(model.config, m),
    m.joinsLater,
    roleMatters ? m.role : '',
  ]);
}

/**
 * The rotations of the ring that map every member to an interchangeable one, as permutations
 * (`perm[p]` = the position that position `p` is relabelled from); the identity comes first.
 */
export function ringSymmetries(model: CompiledCluster): number[][] {
  const n = model.size;
  // The model reads the sponsor role only to join a waiting member through it.
  const roleMatters = model.members.some((m) => m.joinsLater);
  const labels = model.members.map((_, i) => behaviour(model, i, roleMatters));
  const group: number[][] = [];
  for (let shift = 0; shift < n; shift++) {
    if (labels.every((label, i) => label === labels[(i + shift) % n]) && mapsSitesOntoSites(model, shift)) {
      group.push(Array.from({ length: n }, (_, p) => (p + shift) % n));
    }
  }
  return group;
}

/**
 * Whether rotating the ring by `shift` maps the members of each site onto the members of one site, and
 * the members without a site onto members without one: a site split then splits the image of a site (the
 * row relabels the split sites with the members, `model/row.ts`).
 */
function mapsSitesOntoSites(model: CompiledCluster, shift: number): boolean {
  const n = model.size;
  const image = new Map<number, number>();
  for (let i = 0; i < n; i++) {
    const from = model.siteOf[i]!;
    const to = model.siteOf[(i + shift) % n]!;
    if ((from === -1) !== (to === -1)) return false;
    if (from === -1) continue;
    const known = image.get(from);
    if (known !== undefined && known !== to) return false;
    image.set(from, to);
  }
  return new Set(image.values()).size === image.size;
}

export function identity(n: number): number[] {
  return Array.from({ length: n }, (_, p) => p);
}
