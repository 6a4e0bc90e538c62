/**
 * The backlog a returning member owes, and how long its resync takes, against the length of its outage.
 *
 * The seed article's one quantitative claim (KB 153198): once a member is back, "a resynchronizing of data
 * should occur and depending on how long the cluster member was down, could take several hours or even
 * days, particularly if PGP Web Messenger is in High Availability Mode". Replication rounds (`settle.ts`)
 * do not grow with downtime; the backlog does, and this module derives it from the model's own rules
 * rather than from a formula written beside them:
 *
 * 1. **Probes.** On the config's initial state, member `m` crashes; then every live member that may make a
 *    change of a kind (`whyDisabled`: mail for cached keys, `privateKeys` for private keys, the home member
 *    for a Home Server account, ...) makes one representative change of it: a probe. Web Messenger
 *    messages are changes of an account that existed before the outage (the model stores a message as a
 *    new version of its account). The live members replicate among themselves (`replicateToQuiescence`:
 *    internal members re-route around `m`, a DMZ member keeps sending to its fixed successor, KB 161304).
 * 2. **Fate.** For each probe, time passes by an age `a` (`advanceTime`: purges run on live members,
 *    KB 162609), `m` recovers and the cluster settles; the probe is owed to `m` at age `a` when `m` then
 *    holds it. That is monotone in `a` (a purged key stays purged), so a binary search finds the last age
 *    at which it is still owed: its *window* (unbounded for records that are never purged).
 * 3. **Scale.** Changes of a kind are spread evenly over the live members that may make them, at the
 *    workload's rate, one each hour: a change made `a` hours before `m` returns is owed when its probe is
 *    owed at age `a`. So an outage of `T` hours leaves `rate / writers × min(T, window)` owed per probe;
 *    the rest of what it may hold was purged meanwhile.
 * 4. **Route.** With all probes written, `m` recovers and replication runs round by round (`roundHops`):
 *    each hop carries its probes' changes at `workload.hopThroughputPerHour`; hops of one round run in
 *    parallel and rounds one after another (store and forward: an upper bound, modelling choice). The
 *    resync time is the time until `m` holds all it is owed; the cluster is quiet once the last round has
 *    run (records stuck behind `m`, on a DMZ member whose fixed successor it is, then travel on from it).
 *
 * Counts are changes, not distinct records: a record changed twice while `m` is down is sent once, so
 * the counts are an upper bound for users and keys (modelling choice; messages are distinct data).
 */
import type { AccountMode, ClusterConfig, Workload } from '../config/schema.ts';
import type { Action, MemberId } from './actions.ts';
import { type CompiledCluster, compileCluster, initialState } from './cluster.ts';
import { RECORD_KINDS, type RecordId, type RecordKind } from './records.ts';
import { replicateToQuiescence, replicationRound, roundHops } from './settle.ts';
import type { ClusterState } from './state.ts';
import { applyAction, whyDisabled } from './step.ts';
import { HOURS_PER_DAY, skmExpires } from './time.ts';
import { mayHold } from './topology.ts';

/** What a backlog counts: the record kinds, and Web Messenger messages (changes of an existing account). */
export const BACKLOG_KINDS = [...RECORD_KINDS, 'wmMessage'] as const;
export type BacklogKind = (typeof BACKLOG_KINDS)[number];

/** The workload rate of each backlog kind. */
export const RATE_OF: { readonly [K in BacklogKind]: Exclude<keyof Workload, 'hopThroughputPerHour'> } = {
  user: 'usersPerHour',
  privateKey: 'privateKeysPerHour',
  domain: 'domainsPerHour',
  policy: 'policiesPerHour',
  cachedKey: 'cachedKeysPerHour',
  fetchedKey: 'fetchedKeysPerHour',
  wmAccount: 'wmAccountsPerHour',
  wmMessage: 'wmMessagesPerHour',
};

/** The longest outage the analysis runs (the config's `faults.maxOutageDays` can be at most this). */
export const HORIZON_DAYS = 3650;

/** One probe: a representative change of a kind, made by one live member while `m` is down. */
export interface ProbeFate {
  readonly kind: BacklogKind;
  readonly writer: MemberId;
  readonly record: RecordId;
  /**
   * How many hours before `m` returns a change like this may be made and still be owed to `m`: 0 when it
   * never is (`m` may not hold it), null when it always is (never purged within the horizon).
   */
  readonly window: number | null;
  /** Live members other than `m` that may hold it and still lack it when `m` returns (stuck behind `m`). */
  readonly stuckOn: readonly MemberId[];
}

/** A hop of the resync after `m` returns: who sends to whom, which probes, in which round. */
export interface ResyncHop {
  readonly round: number;
  readonly from: MemberId;
  readonly to: MemberId;
  /** Indexes into `OutageProfile.probes`. */
  readonly probes: readonly number[];
}

/** Everything about an outage of one member that does not depend on the workload or the outage length. */
export interface OutageProfile {
  readonly member: MemberId;
  readonly accountMode: AccountMode;
  /** The longest outage (hours) the windows were found for: `backlogAt` answers up to it. */
  readonly horizonHours: number;
  /** For each kind, the live members that may make such a change while `m` is down. */
  readonly writers: { readonly [K in BacklogKind]: readonly MemberId[] };
  readonly probes: readonly ProbeFate[];
  readonly hops: readonly ResyncHop[];
  /** `faults.maxOutageDays` in hours: longer outages are outside what `check` checks. */
  readonly maxOutageHours: number;
  /**
   * The outage length from which a desktop client enrolled at `m` has lost its SKM key (valid 14 days,
   * renewed only when the client reaches a server, KB 157933), or null when it does not within the
   * horizon (it reaches another member through the cluster host name) or `m` runs no `desktop`.
   */
  readonly skmLapseHours: number | null;
}

export interface OutageBacklog {
  readonly hours: number;
  /** Changes `m` lacks when it returns, per kind: only what it may hold. */
  readonly owed: { readonly [K in BacklogKind]: number };
  readonly owedTotal: number;
  /** Who sends `m` what it is owed (the last hop into `m`), in changes. */
  readonly owedFrom: Readonly<Record<MemberId, number>>;
  /** Changes made while `m` was down that other live members still lack when it returns (stuck behind it). */
  readonly stuckBehind: number;
  /** Changes `m` may hold, made while it was down, purged from every live member before it returned (KB 162609). */
  readonly purged: { readonly [K in BacklogKind]: number };
  /** Hours until `m` holds everything it is owed. */
  readonly resyncHours: number;
  /** Hours until the whole cluster is quiet again. */
  readonly quietHours: number;
  /** The outage is longer than `faults.maxOutageDays`: beyond what the checked properties cover. */
  readonly beyondMaxOutage: boolean;
  /** A desktop client enrolled at `m` has lost its SKM key by then (KB 157933). */
  readonly skmLapsed: boolean;
}

const PROBE = 'resync-probe';

function probeRecord(kind: BacklogKind, writer: MemberId): RecordId {
  return kind === 'wmMessage' ? `wmAccount:${PROBE}-message-${writer}` : `${kind}:${PROBE}-${writer}`;
}

/** The model the analysis runs: the config with one member allowed down for the whole horizon. */
function analysisModel(config: ClusterConfig, accountMode: AccountMode): CompiledCluster {
  return compileCluster({
    ...config,
    webMessenger: { ...config.webMessenger, accountMode },
    faults: { ...config.faults, maxDown: Math.max(1, config.faults.maxDown), maxOutageDays: HORIZON_DAYS },
  });
}

/** Applies actions that must be enabled (the analysis builds only enabled traces). */
function apply(model: CompiledCluster, state: ClusterState, actions: readonly Action[]): ClusterState {
  let s = state;
  for (const action of actions) {
    const why = whyDisabled(model, s, action);
    if (why !== undefined) throw new Error(`resync analysis: ${why}`);
    s = applyAction(model, s, action);
  }
  return s;
}

function settled(model: CompiledCluster, state: ClusterState): ClusterState {
  return replicateToQuiescence(model, state).state;
}

/**
 * The state an outage of `m` starts from: the initial state, with the accounts Web Messenger messages
 * will change created beforehand (one per member that may create it) and replicated; then `m` crashes.
 */
function outageStart(model: CompiledCluster, m: MemberId): { start: ClusterState; live: MemberId[] } {
  let s = initialState(model);
  const live = s.members.filter((x) => x.status === 'up' && x.id !== m).map((x) => x.id);
  for (const w of live) {
    const write: Action = { type: 'write', member: w, record: { kind: 'wmAccount', key: `${PROBE}-message-${w}` } };
    if (whyDisabled(model, s, write) === undefined) s = applyAction(model, s, write);
  }
  s = settled(model, s);
  return { start: apply(model, s, [{ type: 'crash', member: m }]), live };
}

function probeWrite(kind: BacklogKind, writer: MemberId): Action {
  const record = probeRecord(kind, writer);
  const colon = record.indexOf(':');
  return { type: 'write', member: writer, record: { kind: record.slice(0, colon) as RecordKind, key: record.slice(colon + 1) } };
}

/** Whether `m` holds the probe after it was made at the outage's start, `age` hours passed, and `m` returned. */
function owedAtAge(model: CompiledCluster, afterWrite: ClusterState, m: MemberId, record: RecordId, age: number): boolean {
  let s = afterWrite;
  if (age > 0) s = apply(model, s, [{ type: 'advanceTime', hours: age }]);
  s = settled(model, apply(model, s, [{ type: 'recover', member: m }]));
  return s.members[model.position.get(m)!]!.records[record] !== undefined;
}

/** The probe's window: the hours before `m`'s return within which such a change is still owed (see the header). */
function windowOf(model: CompiledCluster, afterWrite: ClusterState, m: MemberId, record: RecordId, horizon: number): number | null {
  if (!owedAtAge(model, afterWrite, m, record, 0)) return 0;
  if (owedAtAge(model, afterWrite, m, record, horizon)) return null;
  // Owed at age `lo`, not at age `hi`: the window is `lo + 1` hours (ages 0 to lo).
  let lo = 0;
  let hi = horizon;
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (owedAtAge(model, afterWrite, m, record, mid)) lo = mid;
    else hi = mid;
  }
  return lo + 1;
}

/** The first outage length (hours) at which a client enrolled at `m` has lost its SKM key, if any. */
function skmLapse(model: CompiledCluster, m: MemberId, horizon: number): number | null {
  const enroll: Action = { type: 'enroll', client: `${PROBE}-client`, member: m };
  const s0 = initialState(model);
  if (whyDisabled(model, s0, enroll) !== undefined) return null;
  const start = apply(model, settled(model, apply(model, s0, [enroll])), [{ type: 'crash', member: m }]);
  const lapsed = (hours: number) => {
    const s = apply(model, start, [{ type: 'advanceTime', hours }]);
    return skmExpires(s.clients[`${PROBE}-client`]!) <= s.clock;
  };
  if (!lapsed(horizon)) return null;
  let lo = 0;
  let hi = horizon;
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (lapsed(mid)) hi = mid;
    else lo = mid;
  }
  return hi;
}

/**
 * What an outage of `member` leaves to resync, derived from the model (see the header), for new Web
 * Messenger accounts in `accountMode`. `horizonHours` is the longest outage asked about.
 */
export function outageProfile(config: ClusterConfig, member: MemberId, accountMode: AccountMode, horizonHours: number): OutageProfile {
  const model = analysisModel(config, accountMode);
  const at = model.position.get(member);
  if (at === undefined) throw new Error(`unknown member ${JSON.stringify(member)}; members are ${model.members.map((x) => x.id).join(', ')}`);
  if (model.members[at]!.joinsLater) throw new Error(`${member} joins later (joinsLater): it has no outage to return from`);
  const horizon = Math.max(1, Math.min(Math.ceil(horizonHours), HORIZON_DAYS * HOURS_PER_DAY));
  const { start, live } = outageStart(model, member);

  const writers = Object.fromEntries(
    BACKLOG_KINDS.map((kind) => [kind, live.filter((w) => whyDisabled(model, start, probeWrite(kind, w)) === undefined)]),
  ) as { [K in BacklogKind]: MemberId[] };

  // Every probe written at the outage's start, then the live members replicate among themselves.
  const probeList = BACKLOG_KINDS.flatMap((kind) => writers[kind].map((writer) => ({ kind, writer, record: probeRecord(kind, writer) })));
  const allWritten = settled(model, apply(model, start, probeList.map((p) => probeWrite(p.kind, p.writer))));
  const probes: ProbeFate[] = probeList.map((p) => {
    const alone = settled(model, apply(model, start, [probeWrite(p.kind, p.writer)]));
    const stuckOn = allWritten.members
      .filter((x, i) => x.id !== member && x.status === 'up' && x.records[p.record] === undefined && mayHold(model, allWritten, i, p.record))
      .map((x) => x.id);
    return { ...p, window: windowOf(model, alone, member, p.record, horizon), stuckOn };
  });

  // The route: `m` recovers and replication runs round by round.
  const hops: ResyncHop[] = [];
  const index = new Map(probes.map((p, i) => [p.record, i]));
  let s = apply(model, allWritten, [{ type: 'recover', member }]);
  for (let round = 1; round <= 4 * model.size + 8; round++) {
    const thisRound = roundHops(model, s);
    if (thisRound.length === 0) break;
    for (const { from, sends } of thisRound)
      for (const [to, ids] of sends) {
        const carried = ids.map((id) => index.get(id)).filter((i): i is number => i !== undefined);
        if (carried.length > 0) hops.push({ round, from: model.members[from]!.id, to: model.members[to]!.id, probes: carried });
      }
    s = replicationRound(model, s)!;
  }
  return {
    member,
    accountMode,
    horizonHours: horizon,
    writers,
    probes,
    hops,
    maxOutageHours: config.faults.maxOutageDays * HOURS_PER_DAY,
    skmLapseHours: skmLapse(model, member, horizon),
  };
}

function zeroes(): { [K in BacklogKind]: number } {
  return Object.fromEntries(BACKLOG_KINDS.map((k) => [k, 0])) as { [K in BacklogKind]: number };
}

/** The changes one probe stands for in an outage of `hours`: its writer's share of the rate, within its window. */
function changesOf(profile: OutageProfile, workload: Workload, probe: ProbeFate, hours: number): { owed: number; purged: number } {
  const share = workload[RATE_OF[probe.kind]] / profile.writers[probe.kind].length;
  if (probe.window === 0) return { owed: 0, purged: 0 };
  const within = probe.window === null ? hours : Math.min(hours, probe.window);
  return { owed: share * within, purged: share * (hours - within) };
}

/** The backlog and resync time of an outage of `hours` hours, for a workload (pure arithmetic on the profile). */
export function backlogAt(profile: OutageProfile, workload: Workload, hours: number): OutageBacklog {
  // Beyond the horizon a window found unbounded might not be (a mail-flow key's 180 days, say).
  if (!(hours >= 0 && hours <= profile.horizonHours))
    throw new RangeError(`an outage of ${hours} hours is outside 0 to ${profile.horizonHours}, the horizon this profile was derived for`);
  const owed = zeroes();
  const purged = zeroes();
  let stuckBehind = 0;
  // The changes each probe stands for: what `m` is owed of it is what every hop of the resync carries of it.
  const weights = profile.probes.map((probe) => {
    const c = changesOf(profile, workload, probe, hours);
    owed[probe.kind] += c.owed;
    purged[probe.kind] += c.purged;
    // Held up on the way to the others behind `m`: counted once per member lacking it.
    stuckBehind += c.owed * probe.stuckOn.length;
    return c.owed;
  });
  const owedFrom: Record<MemberId, number> = {};
  const rounds = new Map<number, number>();
  let lastIntoMember = 0;
  for (const hop of profile.hops) {
    const load = hop.probes.reduce((sum, i) => sum + weights[i]!, 0);
    if (load === 0) continue;
    if (hop.to === profile.member) {
      owedFrom[hop.from] = (owedFrom[hop.from] ?? 0) + load;
      lastIntoMember = Math.max(lastIntoMember, hop.round);
    }
    rounds.set(hop.round, Math.max(rounds.get(hop.round) ?? 0, load / workload.hopThroughputPerHour));
  }
  let resyncHours = 0;
  let quietHours = 0;
  for (const [round, time] of [...rounds].sort((a, b) => a[0] - b[0])) {
    quietHours += time;
    if (round <= lastIntoMember) resyncHours += time;
  }
  return {
    hours,
    owed,
    owedTotal: BACKLOG_KINDS.reduce((sum, k) => sum + owed[k], 0),
    owedFrom,
    stuckBehind,
    purged,
    resyncHours,
    quietHours,
    beyondMaxOutage: hours > profile.maxOutageHours,
    skmLapsed: profile.skmLapseHours !== null && hours >= profile.skmLapseHours,
  };
}

