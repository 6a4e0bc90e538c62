/**
 * The four lifecycle properties, each shown to hold on one trace and to be violated on another.
 */
import { produce } from 'immer';
import { describe, expect, it } from 'vitest';
import { searchRandom } from '../checker/random.ts';
import { checkableModel } from '../pgp/target.ts';
import type { Action } from '../model/actions.ts';
import type { CompiledCluster } from '../model/cluster.ts';
import { makeScope } from '../model/enabled.ts';
import type { RecordId } from '../model/records.ts';
import type { ClusterState } from '../model/state.ts';
import { canDeliver, successor } from '../model/topology.ts';
import {
  cluster,
  crash,
  days,
  enroll,
  join,
  recover,
  remove,
  replicate,
  run,
  threeAndAJoiner,
  threeMembers,
  write,
} from '../test/helpers.ts';
import { joinUnderOutage } from './join-under-outage.ts';
import { purgedKeysStayPurged } from './purged-keys-stay-purged.ts';
import { skmKeysStayValid } from './skm-keys-stay-valid.ts';
import type { ClusterProperty } from './types.ts';
import { webMessengerRejoinFreshness } from './web-messenger-rejoin-freshness.ts';

function outcome(property: ClusterProperty, model: CompiledCluster, actions: readonly Action[]) {
  return property.check(model, run(model, actions));
}

/** An `always` property judged on every state of a trace: the first failure, or holds. */
function always(property: ClusterProperty, model: CompiledCluster, actions: readonly Action[]) {
  let state = run(model, []);
  for (const action of [undefined, ...actions]) {
    if (action) state = run(model, [action], state);
    const o = property.check(model, state);
    if (!o.holds) return o;
  }
  return { holds: true as const };
}

describe('join-under-outage', () => {
  const growing = cluster({ members: threeAndAJoiner });
  it('is violated when the Sponsor is among the members down and joins wait for it (the default)', () => {
    const o = outcome(joinUnderOutage, growing, []);
    expect(o.holds === false && o.message).toBe(
      'after replication went quiet, with m1 down, m4 cannot join: the Sponsor m1 is down, and a member joins through the Sponsor (KB 153721; assumptions.joinWhenSponsorDown is "waits")',
    );
  });
  it('holds when any live member may sponsor the join: the joiner joins and converges', () => {
    const any = cluster({ members: threeAndAJoiner, assumptions: { joinWhenSponsorDown: 'anyMember' } });
    expect(outcome(joinUnderOutage, any, [write('m2', 'user', 'alice'), write('m3', 'privateKey', 'bob')])).toMatchObject({ holds: true });
  });
  it('holds once the member has joined', () => {
    expect(outcome(joinUnderOutage, growing, [join('m4')])).toMatchObject({ holds: true });
  });
  it('is violated when the joiner can join but not converge: the member that would send it a kind keeps a fixed successor that is down', () => {
    // m1, the Sponsor, may not hold private keys, so m4 gets none in its copy; with m3 down, m2 (DMZ) keeps
    // sending private keys to m3, so they never reach m4.
    const model = cluster({
      members: [{ id: 'm1', privateKeys: false }, { id: 'm2', zone: 'dmz' }, { id: 'm3' }, { id: 'm4', joinsLater: true }],
      assumptions: { joinWhenSponsorDown: 'anyMember' },
    });
    const o = outcome(joinUnderOutage, model, [write('m2', 'privateKey', 'alice')]);
    expect(o.holds === false && o.message).toMatch(/with m3 down, m4 joined, but once replication went quiet again \(\d+ replication hops?( \(nothing was owed\))?\) it still lacks privateKey:alice/);
  });
  it('is not applicable without a joinsLater member', () => {
    expect(joinUnderOutage.notApplicable(cluster({ members: threeMembers }))).toBe('no member is configured with joinsLater');
  });
});

describe('skm-keys-stay-valid', () => {
  const long = cluster({ members: threeMembers, loadBalancer: { clusterHostname: false }, faults: { maxOutageDays: 21 } });
  it('is violated when a pinned client cannot reach its member for the 14 days its key is valid (KB 157933)', () => {
    const o = always(skmKeysStayValid, long, [enroll('laptop1', 'm2'), crash('m2'), days(14)]);
    expect(o.holds === false && o.message).toMatch(
      /^14 days after the start, the SKM key of client laptop1 \(pinned to m2: no cluster host name, KB 156803\) lapsed 0 hours ago/,
    );
  });
  it('holds when the outage is shorter than the key lasts', () => {
    expect(always(skmKeysStayValid, long, [enroll('laptop1', 'm2'), crash('m2'), days(13), recover('m2'), days(21)])).toMatchObject({ holds: true });
  });
  it('holds with a cluster host name once the user has replicated: another member renews the key', () => {
    const hostname = cluster({ members: threeMembers, faults: { maxOutageDays: 21 } });
    expect(always(skmKeysStayValid, hostname, [enroll('laptop1', 'm2'), replicate('m2'), crash('m2'), days(21)])).toMatchObject({ holds: true });
  });
  it('holds under the default two-day outage limit, whatever the random search tries (seed 3)', () => {
    const pinned = cluster({ members: threeMembers, loadBalancer: { clusterHostname: false } });
    const search = searchRandom(checkableModel(pinned), { ...skmKeysStayValid, check: (s) => skmKeysStayValid.check(pinned, s) }, {
      runs: 300,
      seed: 3,
      maxLength: 12,
    });
    expect(search.verdict).toBe('holds');
    expect(search.generated.advanceTime).toBeGreaterThan(100);
  });
  it('ignores a client whose user record vanished with a removed member (no-lost-writes covers that)', () => {
    const m = cluster({ members: threeMembers, faults: { removeMember: true, maxOutageDays: 21 } });
    expect(always(skmKeysStayValid, m, [enroll('laptop1', 'm2'), remove('m2'), days(21)])).toMatchObject({ holds: true });
  });
  it('is not applicable when no member runs desktop', () => {
    expect(skmKeysStayValid.notApplicable(cluster({ members: [{ id: 'm1', services: ['mail'] }, { id: 'm2', services: ['mail'] }] }))).toBe(
      'no member runs desktop',
    );
  });
});

describe('purged-keys-stay-purged', () => {
  /** Two mail members, one key fetched from a keyserver, one time step: small enough for the search to try the interesting orders often. */
  const small = cluster({ members: [{ id: 'm1', services: ['mail'] }, { id: 'm2', services: ['mail'] }], faults: { partitions: false } });
  const none = makeScope(0, 0, [24]);
  const scope = { ...none, keys: { ...none.keys, fetchedKey: ['olivia@vendor.com'] } };
  const bound = { ...purgedKeysStayPurged, check: (s: ClusterState) => purgedKeysStayPurged.check(small, s) };

  it('holds in the model: a live member purges what passed its retention, and replication does not send it back', () => {
    const search = searchRandom(checkableModel(small, scope), bound, { runs: 1000, seed: 5, maxLength: 12 });
    expect(search.verdict).toBe('holds');
    expect(search.generated.advanceTime).toBeGreaterThan(500);
  });

  it('is violated by a state where a live member holds a key its last purge should have removed', () => {
    const s = produce(run(small, [write('m1', 'fetchedKey', 'olivia'), days(1)]), (d) => {
      d.members[1]!.records['fetchedKey:olivia' as RecordId] = 64;
      d.members[1]!.cachedAt['fetchedKey:olivia' as RecordId] = 0;
    });
    const o = purgedKeysStayPurged.check(small, s);
    expect(o.holds === false && o.message).toBe(
      'm2 holds fetchedKey:olivia, cached 0 hours after the start and kept for 1 day (KB 162609), though its purge 1 day after the start came after that retention ended',
    );
  });

  it('is found violated by search on a deliberately broken model whose replication ignores retention', () => {
    const honest = checkableModel(small, scope);
    const broken = {
      ...honest,
      step: (state: ClusterState, action: Action): ClusterState => {
        const next = honest.step(state, action);
        if (action.type !== 'replicate') return next;
        // The bug: the sender also sends cached keys past their retention (the honest model keeps them back).
        const from = small.position.get(action.member)!;
        const to = successor(small, state, from, 'fetchedKey');
        if (to === undefined || !canDeliver(small, state, from, to)) return next;
        const sender = state.members[from]!;
        return produce(next, (d) => {
          for (const id of Object.keys(sender.cachedAt) as RecordId[]) {
            if ((d.members[to]!.records[id] ?? -1) >= sender.records[id]!) continue;
            d.members[to]!.records[id] = sender.records[id]!;
            d.members[to]!.cachedAt[id] = sender.cachedAt[id]!;
          }
        });
      },
    };
    const search = searchRandom(broken, bound, { runs: 1000, seed: 5, maxLength: 12 });
    expect(search.verdict).toBe('violated');
    // A key expires on a member while it is down; back up, it sends the key to a member that purged it.
    expect(search.counterexample!.actions.map((a) => a.type)).toEqual(['write', 'crash', 'advanceTime', 'recover', 'replicate']);
    expect(search.counterexample!.violation.message).toMatch(/^m\d holds fetchedKey:olivia@vendor.com, cached 0 hours after the start and kept for 1 day/);
  });

  it('is not applicable when no member runs mail', () => {
    expect(purgedKeysStayPurged.notApplicable(cluster({ members: [{ id: 'm1', services: ['desktop'] }, { id: 'm2', services: ['desktop'] }] }))).toBe(
      'no member runs mail, so no member caches keys',
    );
  });
});

describe('web-messenger-rejoin-freshness', () => {
  const trace = [crash('m2'), write('m1', 'wmAccount', 'ivan'), recover('m2')];
  it('is violated when the balancer lets a returning member back before it has the accounts its peers held (KB 156803)', () => {
    const o = always(webMessengerRejoinFreshness, cluster({ members: threeMembers }), trace);
    expect(o.holds === false && o.message).toBe(
      'm2 is in the Web Messenger rotation (the load balancer does not hold returning members out: holdsRejoiningMembers is false), but its live peers held account ivan (write #1, on m1) when it returned and it does not hold it: users routed to it may not see all their messages (KB 156803)',
    );
  });
  it('without a load balancer, says so rather than speak of one that does not hold members out (issue 23)', () => {
    const o = always(webMessengerRejoinFreshness, cluster({ members: threeMembers, loadBalancer: { clusterHostname: false } }), trace);
    expect(o.holds).toBe(false);
    expect(!o.holds && o.message).toMatch(/^m2 serves Web Messenger users again \(there is no load balancer: users reach each member by its own name, loadBalancer\.clusterHostname is false\), but its live peers held account ivan/);
    expect(!o.holds && o.message).not.toMatch(/load balancer does not hold/);
  });
  it('holds when the balancer holds returning members out until they catch up', () => {
    const holdout = cluster({ members: threeMembers, loadBalancer: { holdsRejoiningMembers: true } });
    expect(always(webMessengerRejoinFreshness, holdout, [...trace, replicate('m3'), replicate('m1'), crash('m3'), recover('m3')])).toMatchObject({
      holds: true,
    });
  });
  it('holds on the same trace for Home Server accounts: a returning member owes none of another member', () => {
    const hs = cluster({ members: threeMembers, webMessenger: { accountMode: 'homeServer' } });
    expect(always(webMessengerRejoinFreshness, hs, trace)).toMatchObject({ holds: true });
  });
  it('is not applicable when no member runs webMessenger', () => {
    expect(
      webMessengerRejoinFreshness.notApplicable(cluster({ members: [{ id: 'm1', services: ['mail'] }, { id: 'm2', services: ['mail'] }] })),
    ).toBe('no member runs webMessenger');
  });
});
