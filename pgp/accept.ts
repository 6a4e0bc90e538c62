/**
 * Accepted risks (the config's `accept`, README, command line): a violation chosen on purpose is reported as accepted,
 * with its reason, and does not fail the exit status; an acceptance that matches no violation is stale.
 *
 * The property names are checked here, when a config is loaded, because the config layer does not know
 * the property catalogue (data flows config -> model -> properties -> command line).
 */
import type { Acceptance, ClusterConfig } from '../config/schema.ts';
import { suggest } from '../io/suggest.ts';
import type { Action } from '../model/actions.ts';
import { compileCluster } from '../model/cluster.ts';
import { ringSymmetries } from '../model/symmetry.ts';
import { PROPERTIES } from '../properties/index.ts';
import { neededMembers, type RiskNeeds } from './needs.ts';

/** What a violation's `accepted` field holds: the reason, and the members the acceptance was limited to. */
export interface Accepted {
  readonly reason: string;
  readonly members: readonly string[] | null;
}

/** One message per unknown property name, with the field path and a "did you mean". */
export function acceptanceProblems(accept: readonly Acceptance[]): string[] {
  const names = PROPERTIES.map((p) => p.name);
  return accept.flatMap((a, i) => {
    if (names.includes(a.property)) return [];
    const close = suggest(a.property, names);
    return [`accept[${i}].property: unknown property "${a.property}"; valid: ${names.join(', ')}${close ? `; did you mean "${close}"?` : ''}`];
  });
}

/** The members a trace involves: every member id any of its actions names, in ring order. */
export function membersInvolved(config: ClusterConfig, actions: readonly Action[]): string[] {
  const named = new Set<string>();
  for (const action of actions) for (const value of Object.values(action)) if (typeof value === 'string') named.add(value);
  return config.members.map((m) => m.id).filter((id) => named.has(id));
}

interface Judged {
  readonly property: string;
  readonly verdict: string;
  readonly finding: { readonly actions: readonly Action[] } | null;
  /** What the violation needs (`pgp/needs.ts`): its members down, hypothetical outages included. */
  readonly needs?: RiskNeeds | null;
}

/** The members a violation involves: those its trace names and those it needs down or cut off, hypothetical outages included. */
export function riskMembers(config: ClusterConfig, result: Judged): string[] {
  return result.needs ? neededMembers(config, result.needs) : membersInvolved(config, result.finding?.actions ?? []);
}

/**
 * The sets of members through which the same violation happens: the members it involves, and their
 * images under each symmetry of the config (the ring's rotations that map every member to one that
 * behaves the same, `model/symmetry.ts`). On a two-member cluster of identical members, a client pinned
 * to pgp-b faces exactly the risk shown for one pinned to pgp-a.
 */
export function equivalentMemberSets(config: ClusterConfig, result: Judged): string[][] {
  const involved = riskMembers(config, result);
  const model = compileCluster(config);
  return ringSymmetries(model).map((perm) => involved.map((id) => model.members[perm[model.position.get(id)!]!]!.id));
}

/**
 * The acceptance that covers a violation, if any: its property, and (with `members`) a way for the
 * violation to happen that involves no other member: its shortest trace, or the same trace through
 * members that behave the same.
 */
export function acceptanceFor(config: ClusterConfig, accept: readonly Acceptance[], result: Judged): Acceptance | undefined {
  if (result.verdict !== 'violated') return undefined;
  const ways = equivalentMemberSets(config, result);
  return accept.find((a) => a.property === result.property && (a.members === undefined || ways.some((members) => members.every((m) => a.members!.includes(m)))));
}

/** Each result with `accepted` (null unless an acceptance covers its violation), and the acceptances that covered none. */
export function applyAcceptances<R extends Judged>(
  config: ClusterConfig,
  accept: readonly Acceptance[],
  results: readonly R[],
): { results: (R & { readonly accepted: Accepted | null })[]; stale: Acceptance[] } {
  const used = new Set<Acceptance>();
  const marked = results.map((r) => {
    const a = acceptanceFor(config, accept, r);
    if (a !== undefined) used.add(a);
    return { ...r, accepted: a === undefined ? null : { reason: a.reason, members: a.members ?? null } };
  });
  // A stale acceptance is one of a property that was checked: with --property, the others say nothing.
  const checked = new Set(results.map((r) => r.property));
  return { results: marked, stale: accept.filter((a) => !used.has(a) && checked.has(a.property)) };
}

/** Why an acceptance is stale, in one line. */
export function staleLine(a: Acceptance, results: readonly Judged[]): string {
  const r = results.find((x) => x.property === a.property);
  const scope = a.members === undefined ? '' : ` (limited to ${a.members.join(', ')})`;
  const now = r === undefined ? 'was not checked' : r.verdict === 'violated' ? 'is violated through other members' : `now ${r.verdict === 'not-applicable' ? 'does not apply' : r.verdict}`;
  return `stale acceptance: ${a.property}${scope} ${now}; remove it from "accept" (reason given: ${a.reason})`;
}
