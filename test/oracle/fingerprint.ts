/**
 * Canonical keys of states, for deduplication in exploration and for memoizing verdicts.
 *
 * Two states with the same key behave the same from then on, so a checker may treat them as one:
 * - versions are renumbered per record by rank, since only their order matters (`model/stamps.ts`);
 *   who wrote a version and the count of writes so far change messages, never behaviour;
 * - under a symmetry of the cluster (`model/symmetry.ts`) members are relabelled first, and the key of
 *   a state is the least key over the symmetry group.
 */
import type { ClusterModel } from '../../model/cluster.ts';
import { isCacheKind, kindOf, type RecordId } from '../../model/records.ts';
import { HOURS_PER_DAY, SKM_VALIDITY_HOURS } from './time.ts';
import type { ClusterState, MemberState } from '../../model/state.ts';

const STATUS_CODE = { up: 'u', down: 'd', removed: 'r', waiting: 'w' } as const;

/**
 * The key of a state with members relabelled by `perm`: position `p` of the key describes the member
 * at ring position `perm[p]`. The identity permutation gives the plain key.
 *
 * Every field of the state that can change what happens next is in the key; the count of writes and
 * who wrote each version are left out, and versions are renumbered per record by rank, together with the
 * versions members are owed. What a member is owed (`owedAtReturn`, `model/rotation.ts`) counts only while
 * it matters: for a member that is up and does not yet hold that version (a member's Web Messenger
 * accounts only ever get newer, and a member that is down is owed afresh when it recovers).
 *
 * Time is kept relative to the clock, and only as precisely as the model reads it (the comments below
 * say how each hour is read), so states that differ only in how long ago things happened, beyond every
 * threshold, are one: the state space stays finite however far time passes.
 */
export function stateKey(model: ClusterModel, state: ClusterState, perm: readonly number[]): string {
  const n = model.size;
  const members = state.members;
  const clock = state.clock;
  const outageLimit = model.config.faults.maxOutageDays * HOURS_PER_DAY;
  let key = state.accountMode === 'homeServer' ? 'h' : 'a';
  for (let p = 0; p < n; p++) {
    const m = members[perm[p]!]!;
    // The release: major, then the minor update when it has one (old keys stay as they were).
    key += `;${STATUS_CODE[m.status]}${m.version}${m.minor > 0 ? `.${m.minor}` : ''}`;
    // The start of an outage matters while the member is down (no outage outlasts faults.maxOutageDays),
    // or in the hour it came back from one (a crash within that hour continues the same outage; one that
    // began this very hour is the same as a new one).
    const outage = Math.min(clock - m.downSince, outageLimit + 1);
    if (m.status === 'down' || (m.status === 'up' && m.upSince === clock && outage > 0)) key += `d${outage}`;
  }
  key += '|';
  for (const _ in state.cutLinks) {
    key += relabelLinks(model, state, perm);
    break;
  }
  // Records, in sorted order; versions renumbered per record by rank (only their order matters).
  const ids: RecordId[] = [];
  for (const m of members) {
    for (const id in m.records) if (!ids.includes(id as RecordId)) ids.push(id as RecordId);
    for (const id in m.owedAtReturn) if (owing(m, id as RecordId) !== undefined && !ids.includes(id as RecordId)) ids.push(id as RecordId);
  }
  for (const id in state.acknowledged) if (!ids.includes(id as RecordId)) ids.push(id as RecordId);
  if (ids.length > 1) ids.sort();
  const stamps: number[] = [];
  for (const id of ids) {
    stamps.length = 0;
    for (const m of members) {
      note(stamps, m.records[id]);
      note(stamps, owing(m, id));
    }
    const acked = state.acknowledged[id];
    note(stamps, acked);
    if (stamps.length > 1) stamps.sort((x, y) => x - y);
    const kind = kindOf(id);
    const retention = isCacheKind(kind) ? model.retention[kind] : 0;
    key += `|${id}=`;
    for (let p = 0; p < n; p++) {
      const m = members[perm[p]!]!;
      const v = m.records[id];
      key += v === undefined ? '.' : stamps.indexOf(v);
      const cached = m.cachedAt[id];
      if (cached !== undefined) {
        // How long ago it was cached, up to its retention; and whether it was past its retention at the
        // member's last purge (what purged-keys-stay-purged reads).
        key += `@${Math.min(clock - cached, retention)}${cached + retention <= m.purgedAt ? '!' : ''}`;
      }
      const owed = owing(m, id);
      if (owed !== undefined) key += `^${stamps.indexOf(owed)}`;
      key += ',';
    }
    if (acked !== undefined) key += `/${stamps.indexOf(acked)}`;
    const ackedAt = state.acknowledgedCachedAt[id];
    if (ackedAt !== undefined) key += `@${Math.min(clock - ackedAt, retention)}`;
  }
  const inverse = isIdentity(perm) ? perm : invert(perm);
  for (const name in state.accounts) {
    const account = state.accounts[name]!;
    key += `|a:${name}=${account.mode === 'homeServer' ? 'h' : 'a'}${inverse[model.position.get(account.home)!]}`;
  }
  for (const name in state.clients) {
    const client = state.clients[name]!;
    // An SKM key's age up to its validity (renewal and lapse read nothing beyond), and whether the client
    // has talked to a server since it was issued (the only way the last contact is read).
    key += `|c:${name}=${inverse[model.position.get(client.member)!]},${Math.min(clock - client.skmIssued, SKM_VALIDITY_HOURS)}${client.lastContact > client.skmIssued ? '+' : ''}`;
  }
  return key;
}

// Module-level helpers rather than closures inside `stateKey`: it runs for every new state.

/** The version a member is owed that still matters (see `stateKey`), or undefined. */
function owing(m: MemberState, id: RecordId): number | undefined {
  const owed = m.owedAtReturn[id];
  return owed !== undefined && m.status === 'up' && (m.records[id] ?? -1) < owed ? owed : undefined;
}

/** Adds a version to the distinct versions seen. */
function note(stamps: number[], v: number | undefined): void {
  if (v !== undefined && !stamps.includes(v)) stamps.push(v);
}

function isIdentity(perm: readonly number[]): boolean {
  for (let p = 0; p < perm.length; p++) if (perm[p] !== p) return false;
  return true;
}

function invert(perm: readonly number[]): number[] {
  const inverse = new Array<number>(perm.length);
  for (let p = 0; p < perm.length; p++) inverse[perm[p]!] = p;
  return inverse;
}

/** Cut links as position pairs under a relabelling, sorted. */
function relabelLinks(model: ClusterModel, state: ClusterState, perm: readonly number[]): string {
  const inverse = invert(perm);
  const links: string[] = [];
  for (const link in state.cutLinks) {
    const bar = link.indexOf('|');
    const a = inverse[model.position.get(link.slice(0, bar))!]!;
    const b = inverse[model.position.get(link.slice(bar + 1))!]!;
    links.push(a < b ? `${a}-${b}` : `${b}-${a}`);
  }
  return links.sort().join(',');
}

/** The canonical key: the least key over the given permutations (the identity alone: no symmetry). */
export function canonicalKey(model: ClusterModel, state: ClusterState, group: readonly (readonly number[])[]): string {
  let best = stateKey(model, state, group[0]!);
  for (let g = 1; g < group.length; g++) {
    const key = stateKey(model, state, group[g]!);
    if (key < best) best = key;
  }
  return best;
}
