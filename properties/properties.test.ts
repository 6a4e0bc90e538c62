/**
 * Every property is shown to hold on one trace and to be violated on another: none passes vacuously.
 */
import { produce } from 'immer';
import { describe, expect, it } from 'vitest';
import { searchRandom } from '../checker/random.ts';
import { checkableModel } from '../pgp/target.ts';
import type { Action } from '../model/actions.ts';
import type { CompiledCluster } from '../model/cluster.ts';
import type { ClusterState } from '../model/state.ts';
import { cluster, crash, enroll, partition, remove, run, threeMembers, write } from '../test/helpers.ts';
import { desktopPolicyAvailability } from './desktop-policy-availability.ts';
import { dmzSuccessorUnreachable } from './dmz-successor-unreachable.ts';
import { eventualConvergence } from './eventual-convergence.ts';
import { PROPERTIES } from './index.ts';
import { noLostWrites } from './no-lost-writes.ts';
import { outageBacklog } from './outage-backlog.ts';
import { partitionDivergence } from './partition-divergence.ts';
import { removalTookAWrite } from './removal-took-a-write.ts';
import { privateKeyAvailability } from './private-key-availability.ts';
import { privateKeysStayPut } from './private-keys-stay-put.ts';
import { survivorConvergence } from './survivor-convergence.ts';
import type { ClusterProperty } from './types.ts';
import { webMessengerAvailability } from './web-messenger-availability.ts';

function outcome(property: ClusterProperty, model: CompiledCluster, actions: readonly Action[]) {
  return property.check(model, run(model, actions));
}

const recommended = cluster({ members: threeMembers });

describe('eventual-convergence', () => {
  const dmzLast = [{ id: 'm1' }, { id: 'm2' }, { id: 'm3', zone: 'dmz' as const }];
  const trace = [remove('m1'), write('m3', 'user', 'alice')];
  it('holds once faults end, even after outages and cut links', () => {
    const o = outcome(eventualConvergence, recommended, [crash('m2'), partition('m1', 'm3'), write('m1', 'user', 'alice')]);
    expect(o).toMatchObject({ holds: true });
    expect(o.settlingRounds).toBeGreaterThan(0);
  });
  it('is violated when a DMZ member keeps sending to a removed member ("stale" assumption)', () => {
    const model = cluster({ members: dmzLast, faults: { removeMember: true } });
    const o = outcome(eventualConvergence, model, trace);
    expect(o).toMatchObject({ holds: false });
    expect(o.holds === false && o.message).toMatch(/user:alice \(write #1, on m3\) never reached m2/);
  });
  it('holds on the same trace when DMZ members are re-pointed after a removal', () => {
    const model = cluster({ members: dmzLast, faults: { removeMember: true }, assumptions: { dmzAfterRemoval: 'repointed' } });
    expect(outcome(eventualConvergence, model, trace)).toMatchObject({ holds: true });
  });
});

describe('survivor-convergence', () => {
  const dmzRing = cluster({ members: [{ id: 'm1' }, { id: 'm2' }, { id: 'm3', zone: 'dmz' }, { id: 'm4', zone: 'dmz' }] });
  it('holds among internal members routing around the down one', () => {
    expect(outcome(survivorConvergence, recommended, [crash('m1'), write('m3', 'user', 'alice')])).toMatchObject({ holds: true });
  });
  it('is violated in KB 161304 layout: with m1 down a change on m4 never leaves m4', () => {
    const o = outcome(survivorConvergence, dmzRing, [crash('m1'), write('m4', 'user', 'alice')]);
    expect(o.holds === false && o.message).toMatch(/with m1 down.*user:alice \(write #1, on m4\) never reached m2, m3/);
  });
});

describe('no-lost-writes', () => {
  const breakable = cluster({ members: threeMembers, faults: { removeMember: true } });
  it('holds when the write was replicated before its member was removed', () => {
    const replicated: Action[] = [write('m2', 'user', 'alice'), { type: 'replicate', member: 'm2' }, remove('m2')];
    expect(outcome(noLostWrites, breakable, replicated)).toMatchObject({ holds: true });
  });
  it('holds across outages: the backlog drains on return', () => {
    expect(outcome(noLostWrites, recommended, [write('m2', 'user', 'alice'), crash('m2')])).toMatchObject({ holds: true });
  });
  it('is violated when a member is removed before it replicated its write', () => {
    const o = outcome(noLostWrites, breakable, [write('m2', 'user', 'alice'), remove('m2')]);
    expect(o.holds === false && o.message).toMatch(/user:alice \(write #1, on m2\) is on no member of the cluster \(m2 was removed/);
  });
});

describe('private-keys-stay-put', () => {
  const dmz = cluster({ members: [{ id: 'm1' }, { id: 'm2', zone: 'dmz', privateKeys: false }, { id: 'm3' }] });
  it('holds in the model: replication never sends private keys to such a member', () => {
    const search = searchRandom(checkableModel(dmz), { ...privateKeysStayPut, check: (s) => privateKeysStayPut.check(dmz, s) }, {
      runs: 300,
      seed: 7,
      maxLength: 12,
    });
    expect(search.verdict).toBe('holds');
    expect(search.generated.write).toBeGreaterThan(0);
  });
  it('is violated by a state where such a member stores a private key', () => {
    const leaked = produce(run(dmz, []), (d) => {
      d.members[1]!.records['privateKey:alice'] = 64;
    });
    const o = privateKeysStayPut.check(dmz, leaked);
    expect(o.holds === false && o.message).toBe('m2 has privateKeys: false but stores privateKey:alice');
  });
  it('is found violated by search on a deliberately broken model that replicates private keys everywhere', () => {
    const honest = checkableModel(dmz);
    const broken = {
      ...honest,
      step: (state: ClusterState, action: Action): ClusterState => {
        const next = honest.step(state, action);
        if (action.type !== 'replicate') return next;
        // The bug: the sender pushes its private keys to the next member whatever that member allows.
        const from = dmz.position.get(action.member)!;
        const to = (from + 1) % dmz.size;
        return produce(next, (d) => {
          for (const [id, v] of Object.entries(state.members[from]!.records))
            if (id.startsWith('privateKey:')) (d.members[to]!.records as Record<string, number>)[id] = v;
        });
      },
    };
    const search = searchRandom(broken, { ...privateKeysStayPut, check: (s) => privateKeysStayPut.check(dmz, s) }, {
      runs: 500,
      seed: 7,
      maxLength: 12,
    });
    expect(search.verdict).toBe('violated');
    expect(search.counterexample!.actions.map((a) => a.type)).toEqual(['write', 'replicate']);
  });
  it('is not applicable when every member may hold private keys', () => {
    expect(privateKeysStayPut.notApplicable(recommended)).toBe('every member has privateKeys: true');
  });
});

describe('web-messenger-availability', () => {
  it('holds for High Availability accounts', () => {
    expect(outcome(webMessengerAvailability, recommended, [write('m1', 'wmAccount', 'ivan')])).toMatchObject({ holds: true });
  });
  it('is violated for a Home Server account when its home member is down', () => {
    const hs = cluster({ members: threeMembers, webMessenger: { accountMode: 'homeServer' } });
    const o = outcome(webMessengerAvailability, hs, [write('m2', 'wmAccount', 'ivan')]);
    expect(o.holds === false && o.message).toMatch(/with m2 down, Web Messenger account ivan \(a Home Server account created on m2\)/);
  });
  it('is violated when only one member runs Web Messenger', () => {
    const one = cluster({ members: [{ id: 'm1' }, { id: 'm2', services: ['mail', 'desktop'] }] });
    expect(outcome(webMessengerAvailability, one, [write('m1', 'wmAccount', 'ivan')])).toMatchObject({ holds: false });
  });
  it('is not applicable when no member runs webMessenger', () => {
    const none = cluster({ members: [{ id: 'm1', services: ['mail'] }, { id: 'm2', services: ['mail'] }] });
    expect(webMessengerAvailability.notApplicable(none)).toBe('no member runs webMessenger');
  });
});

describe('private-key-availability', () => {
  it('holds when private keys replicate to every mail member', () => {
    expect(outcome(privateKeyAvailability, recommended, [write('m1', 'privateKey', 'alice')])).toMatchObject({ holds: true });
  });
  it('is violated when only one member may hold private keys', () => {
    const single = cluster({ members: [{ id: 'm1' }, { id: 'm2', privateKeys: false }, { id: 'm3', privateKeys: false }] });
    const o = outcome(privateKeyAvailability, single, [write('m1', 'privateKey', 'alice')]);
    expect(o.holds === false && o.message).toMatch(/with m1 down, the private key of alice \(held only by m1\)/);
  });
  it('is violated when the other key holder does not run mail', () => {
    const m = cluster({ members: [{ id: 'm1' }, { id: 'm2', services: ['keyserver'] }] });
    expect(outcome(privateKeyAvailability, m, [write('m1', 'privateKey', 'alice')])).toMatchObject({ holds: false });
  });
});

describe('desktop-policy-availability', () => {
  it('holds with a cluster host name: any live desktop member can serve the client', () => {
    expect(outcome(desktopPolicyAvailability, recommended, [enroll('laptop1', 'm1')])).toMatchObject({ holds: true });
  });
  it('is violated without one: the client is pinned to the member it enrolled with (KB 156803)', () => {
    const pinned = cluster({ members: threeMembers, loadBalancer: { clusterHostname: false } });
    const o = outcome(desktopPolicyAvailability, pinned, [enroll('laptop1', 'm3')]);
    expect(o.holds === false && o.message).toMatch(/with m3 down, client laptop1 cannot download its policy: it is pinned to m3/);
  });
  it('ignores a client whose user record vanished with a removed member (no-lost-writes covers that)', () => {
    const m = cluster({ members: threeMembers, faults: { removeMember: true } });
    expect(outcome(desktopPolicyAvailability, m, [enroll('laptop1', 'm2'), remove('m2')])).toMatchObject({ holds: true });
  });
});

describe('outage-backlog (sometimes)', () => {
  it('is reached when a write lands while a member is down', () => {
    expect(outcome(outageBacklog, recommended, [crash('m2'), write('m1', 'user', 'alice')])).toMatchObject({ holds: true });
  });
  it('is not reached by an outage alone, or by a write made before it and replicated', () => {
    expect(outcome(outageBacklog, recommended, [crash('m2')])).toMatchObject({ holds: false });
    const replicated: Action[] = [write('m1', 'user', 'alice'), { type: 'replicate', member: 'm1' }, { type: 'replicate', member: 'm2' }, crash('m2')];
    expect(outcome(outageBacklog, recommended, replicated)).toMatchObject({ holds: false });
  });
});

describe('partition-divergence (sometimes)', () => {
  it('is reached when a write lands on one side of a cut link', () => {
    expect(outcome(partitionDivergence, recommended, [partition('m1', 'm2'), write('m1', 'user', 'alice')])).toMatchObject({ holds: true });
  });
  it('is not reached when the link is cut but both sides hold the same', () => {
    expect(outcome(partitionDivergence, recommended, [partition('m1', 'm2')])).toMatchObject({ holds: false });
  });
  it('is not applicable when links are never cut', () => {
    expect(partitionDivergence.notApplicable(cluster({ members: threeMembers, faults: { partitions: false } }))).toMatch(/partitions is false/);
  });
});

describe('dmz-successor-unreachable (sometimes)', () => {
  const dmzRing = cluster({ members: [{ id: 'm1' }, { id: 'm2' }, { id: 'm3', zone: 'dmz' }, { id: 'm4', zone: 'dmz' }] });
  it("is reached when a DMZ member holds the only live copy while its fixed successor is down (KB 161304)", () => {
    expect(outcome(dmzSuccessorUnreachable, dmzRing, [crash('m1'), write('m4', 'user', 'alice')])).toMatchObject({ holds: true });
  });
  it('is not reached while the successor is up', () => {
    expect(outcome(dmzSuccessorUnreachable, dmzRing, [write('m4', 'user', 'alice')])).toMatchObject({ holds: false });
  });
  it('is not applicable without a DMZ member', () => {
    expect(dmzSuccessorUnreachable.notApplicable(recommended)).toBe('no member is in the DMZ');
  });
});

describe('removal-took-a-write (sometimes)', () => {
  const breakable = cluster({ members: threeMembers, faults: { removeMember: true } });
  it('is reached when a member is removed with the only copy of a write', () => {
    expect(outcome(removalTookAWrite, breakable, [write('m2', 'user', 'alice'), remove('m2')])).toMatchObject({ holds: true });
  });
  it('is not reached when the write was passed on first', () => {
    const passedOn: Action[] = [write('m2', 'user', 'alice'), { type: 'replicate', member: 'm2' }, remove('m2')];
    expect(outcome(removalTookAWrite, breakable, passedOn)).toMatchObject({ holds: false });
  });
});

describe('the catalogue', () => {
  // docs/properties.md names the core properties (the seven, and no-silent-overwrite): a contract with other tools,
  // so they are pinned here. The rest of the catalogue is whatever the files declare.
  it('has the core properties of docs/properties.md first, then those of the cluster\'s later life, then the sometimes guards', () => {
    expect(PROPERTIES.filter((p) => p.group === 'core').map((p) => p.name)).toEqual([
      'eventual-convergence',
      'survivor-convergence',
      'no-lost-writes',
      'private-keys-stay-put',
      'web-messenger-availability',
      'private-key-availability',
      'desktop-policy-availability',
      'no-silent-overwrite',
    ]);
    const order = ['core', 'lifecycle', 'guard'];
    const groups = PROPERTIES.map((p) => order.indexOf(p.group));
    expect(groups).toEqual([...groups].sort((x, y) => x - y));
    for (const p of PROPERTIES) expect(p.group === 'guard', p.name).toBe(p.kind === 'sometimes');
    expect(new Set(PROPERTIES.map((p) => p.name)).size).toBe(PROPERTIES.length);
    for (const p of PROPERTIES) {
      expect(p.source.length).toBeGreaterThan(5);
      expect(p.statement.length).toBeGreaterThan(20);
    }
  });
});
