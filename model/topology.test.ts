import { describe, expect, it } from 'vitest';
import { crash, holders, partition, remove, replicate, run, write, cluster, threeMembers } from '../test/helpers.ts';
import { initialState } from './cluster.ts';
import { successor } from './topology.ts';

/** KB 161304's example: m1, m2 internal; m3, m4 in the DMZ, hosting private keys. */
const dmzRing = cluster({ members: [{ id: 'm1' }, { id: 'm2' }, { id: 'm3', zone: 'dmz' }, { id: 'm4', zone: 'dmz' }] });
/** Enough replication hops (by every live member) for anything that can travel to have travelled. */
const rounds = (n: number) => Array.from({ length: n }, () => ['m2', 'm3', 'm4'].map(replicate)).flat();

describe('KB 161304: with internal member m1 down, DMZ members keep their fixed successor', () => {
  const m1Down = run(dmzRing, [crash('m1')]);

  it('a change on DMZ member m4 stays on m4 (its fixed successor is m1)', () => {
    const s = run(dmzRing, [write('m4', 'user', 'alice'), ...rounds(3)], m1Down);
    expect(holders(s, 'user:alice')).toEqual(['m4']);
  });

  it('a change on m3 reaches m4 but not m2', () => {
    const s = run(dmzRing, [write('m3', 'user', 'alice'), ...rounds(3)], m1Down);
    expect(holders(s, 'user:alice')).toEqual(['m3', 'm4']);
  });

  it('a change on m2 reaches m3 and then m4', () => {
    const s = run(dmzRing, [write('m2', 'user', 'alice'), ...rounds(3)], m1Down);
    expect(holders(s, 'user:alice')).toEqual(['m2', 'm3', 'm4']);
  });

  it('private keys take the same broken route when the DMZ members host them', () => {
    const s = run(dmzRing, [write('m4', 'privateKey', 'alice'), ...rounds(3)], m1Down);
    expect(holders(s, 'privateKey:alice')).toEqual(['m4']);
  });
});

describe('internal members re-route around failures', () => {
  const model = cluster({ members: threeMembers });

  it('skips a down successor', () => {
    const s = run(model, [crash('m2'), write('m1', 'user', 'alice'), replicate('m1')]);
    expect(holders(s, 'user:alice')).toEqual(['m1', 'm3']);
  });

  it('skips a successor it is cut off from', () => {
    const s = run(model, [partition('m1', 'm2'), write('m1', 'user', 'alice'), replicate('m1')]);
    expect(holders(s, 'user:alice')).toEqual(['m1', 'm3']);
  });

  it('sends to the next member in ring order when all are up', () => {
    const s = run(model, [write('m3', 'user', 'alice'), replicate('m3')]);
    expect(holders(s, 'user:alice')).toEqual(['m1', 'm3']);
  });

  it('has no successor when every other member is down or cut off', () => {
    const model2 = cluster({ members: threeMembers, faults: { maxDown: 2 } });
    const s = run(model2, [crash('m2'), crash('m3')]);
    expect(successor(model2, s, 0, 'user')).toBeUndefined();
  });
});

describe('DMZ successor after a member is removed (a modelling choice)', () => {
  const members = [{ id: 'm1' }, { id: 'm2' }, { id: 'm3', zone: 'dmz' as const }];
  it('"stale" (default): the DMZ member keeps sending to the removed member', () => {
    const model = cluster({ members, faults: { removeMember: true } });
    const s = run(model, [remove('m1'), write('m3', 'user', 'alice'), replicate('m3')]);
    expect(successor(model, s, 2, 'user')).toBe(0);
    expect(holders(s, 'user:alice')).toEqual(['m3']);
  });
  it('"repointed": the DMZ member moves on to the next member', () => {
    const model = cluster({ members, faults: { removeMember: true }, assumptions: { dmzAfterRemoval: 'repointed' } });
    const s = run(model, [remove('m1'), write('m3', 'user', 'alice'), replicate('m3')]);
    expect(holders(s, 'user:alice')).toEqual(['m2', 'm3']);
  });
});

describe('per-kind rings', () => {
  it('private keys skip members with privateKeys: false', () => {
    const model = cluster({ members: [{ id: 'm1' }, { id: 'm2', privateKeys: false }, { id: 'm3' }] });
    expect(successor(model, initialState(model), 0, 'privateKey')).toBe(2);
    expect(successor(model, initialState(model), 0, 'user')).toBe(1);
  });
  it('Web Messenger accounts go only to members in the replication set that run webMessenger', () => {
    const model = cluster({
      members: [{ id: 'm1' }, { id: 'm2', services: ['mail'] }, { id: 'm3' }, { id: 'm4' }],
      webMessenger: { replication: ['m1', 'm4'] },
    });
    const s0 = initialState(model);
    expect(successor(model, s0, 0, 'wmAccount')).toBe(3);
    // m3 runs webMessenger but is outside the set: it may still create accounts, and forwards them.
    const s = run(model, [write('m3', 'wmAccount', 'ivan'), replicate('m3'), replicate('m4')]);
    expect(holders(s, 'wmAccount:ivan')).toEqual(['m1', 'm3', 'm4']);
  });
});
