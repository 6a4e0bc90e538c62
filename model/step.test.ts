import { describe, expect, it } from 'vitest';
import {
  cluster,
  crash,
  enroll,
  heal,
  holders,
  partition,
  recover,
  remove,
  replicate,
  run,
  threeMembers,
  write,
} from '../test/helpers.ts';
import type { Action } from './actions.ts';
import { initialState } from './cluster.ts';
import { candidateActions, DEFAULT_SCOPE, enabledActions } from './enabled.ts';
import { stampSequence, stampWriter } from './stamps.ts';
import { DisabledActionError, step, whyDisabled } from './step.ts';

const model = cluster({ members: threeMembers });

describe('preconditions', () => {
  it('crash needs the member up and room in the fault budget', () => {
    const s = run(model, [crash('m1')]);
    expect(whyDisabled(model, s, crash('m1'))).toBe('m1 is down');
    expect(whyDisabled(model, s, crash('m2'))).toMatch(/fault budget is spent \(maxDown 1: m1 is down\)/);
  });
  it('recover needs the member down', () => {
    expect(whyDisabled(model, initialState(model), recover('m1'))).toBe('m1 is already up');
  });
  it('partition needs partitions allowed and an intact link; heal needs a cut one', () => {
    const noPartitions = cluster({ members: threeMembers, faults: { partitions: false } });
    expect(whyDisabled(noPartitions, initialState(noPartitions), partition('m1', 'm2'))).toMatch(/faults.partitions is false/);
    const s = run(model, [partition('m2', 'm1')]);
    expect(whyDisabled(model, s, partition('m1', 'm2'))).toMatch(/already cut/);
    expect(whyDisabled(model, initialState(model), heal('m1', 'm2'))).toMatch(/not cut/);
    expect(whyDisabled(model, s, heal('m1', 'm2'))).toBeUndefined();
  });
  it('writes need the member up, and each kind its own rule', () => {
    const m = cluster({
      members: [{ id: 'm1' }, { id: 'm2', privateKeys: false, services: ['keyserver'] }, { id: 'm3' }],
    });
    const s = run(m, [crash('m3')]);
    expect(whyDisabled(m, s, write('m3', 'user', 'a'))).toBe('m3 is down');
    expect(whyDisabled(m, s, write('m2', 'privateKey', 'a'))).toMatch(/privateKeys: false/);
    expect(whyDisabled(m, s, write('m2', 'cachedKey', 'a'))).toMatch(/does not run mail/);
    expect(whyDisabled(m, s, write('m2', 'wmAccount', 'a'))).toMatch(/does not run webMessenger/);
    expect(whyDisabled(m, s, write('m2', 'domain', 'a'))).toBeUndefined();
  });
  it('a Home Server account is changed only on its home member', () => {
    const hs = cluster({ members: threeMembers, webMessenger: { accountMode: 'homeServer' } });
    const s = run(hs, [write('m1', 'wmAccount', 'ivan')]);
    expect(whyDisabled(hs, s, write('m2', 'wmAccount', 'ivan'))).toMatch(/Home Server account of m1/);
    expect(whyDisabled(hs, s, write('m1', 'wmAccount', 'ivan'))).toBeUndefined();
  });
  it('replicate needs only its member up', () => {
    const s = run(model, [crash('m2')]);
    expect(whyDisabled(model, s, replicate('m2'))).toBe('m2 is down');
    expect(whyDisabled(model, s, replicate('m1'))).toBeUndefined();
  });
  it('remove needs the config to allow it and counts against the fault budget', () => {
    expect(whyDisabled(model, initialState(model), remove('m1'))).toMatch(/faults.removeMember is false/);
    const m = cluster({ members: threeMembers, faults: { removeMember: true } });
    const s = run(m, [remove('m1')]);
    expect(whyDisabled(m, s, remove('m1'))).toMatch(/already removed/);
    expect(whyDisabled(m, s, crash('m2'))).toMatch(/fault budget is spent \(maxDown 1: m1 is removed\)/);
    // Removing a member that is already down uses no more of the budget.
    const down = run(m, [crash('m2')]);
    expect(whyDisabled(m, down, remove('m2'))).toBeUndefined();
    expect(whyDisabled(m, down, remove('m3'))).toMatch(/fault budget is spent/);
  });
  it('enroll needs an up member running desktop, and a client enrolls once', () => {
    const m = cluster({ members: [{ id: 'm1' }, { id: 'm2', services: ['mail'] }] });
    expect(whyDisabled(m, initialState(m), enroll('c1', 'm2'))).toMatch(/does not run desktop/);
    const s = run(m, [enroll('c1', 'm1')]);
    expect(whyDisabled(m, s, enroll('c1', 'm1'))).toMatch(/already enrolled/);
  });
  it('an unknown member is named with the valid ones', () => {
    expect(whyDisabled(model, initialState(model), crash('m9'))).toBe('unknown member "m9"; members are m1, m2, m3');
  });
  it('step refuses a disabled action', () => {
    expect(() => step(model, initialState(model), recover('m1'))).toThrow(DisabledActionError);
  });
  it('the enabled actions are exactly the candidates whose precondition holds', () => {
    const candidates = candidateActions(model, DEFAULT_SCOPE);
    const states = [initialState(model), run(model, [crash('m1')]), run(model, [partition('m1', 'm3'), enroll('laptop1', 'm2')])];
    for (const s of states) {
      expect(enabledActions(model, s, candidates)).toEqual(candidates.filter((a) => whyDisabled(model, s, a) === undefined));
    }
  });
});

describe('effects', () => {
  it('every member starts up, with the default policy', () => {
    for (const m of initialState(model).members) {
      expect(m.status).toBe('up');
      expect(Object.keys(m.records)).toEqual(['policy:default']);
    }
  });
  it('a crashed member keeps its data and gets it back on recovery', () => {
    const s = run(model, [write('m2', 'user', 'alice'), crash('m2'), recover('m2')]);
    expect(holders(s, 'user:alice')).toEqual(['m2']);
  });
  it('a down or cut-off successor receives nothing from a DMZ member', () => {
    const m = cluster({ members: [{ id: 'm1', zone: 'dmz' }, { id: 'm2' }, { id: 'm3' }] });
    const cut = run(m, [partition('m1', 'm2'), write('m1', 'user', 'alice'), replicate('m1')]);
    expect(holders(cut, 'user:alice')).toEqual(['m1']);
    const healed = run(m, [heal('m1', 'm2'), replicate('m1')], cut);
    expect(holders(healed, 'user:alice')).toEqual(['m1', 'm2']);
  });
  it('a write makes the next version; the newer version replaces the older on replication', () => {
    const s = run(model, [write('m1', 'user', 'alice'), replicate('m1'), write('m2', 'user', 'alice')]);
    const v2 = s.members[1]!.records['user:alice']!;
    expect(stampSequence(v2)).toBe(2);
    expect(stampWriter(v2)).toBe(1);
    const after = run(model, [replicate('m2'), replicate('m3')], s);
    expect(after.members.map((m) => m.records['user:alice'])).toEqual([v2, v2, v2]);
  });
  it('concurrent writes: the later write wins wherever it was made (a modelling choice)', () => {
    const s = run(model, [partition('m1', 'm2'), write('m2', 'user', 'alice'), write('m1', 'user', 'alice'), heal('m1', 'm2')]);
    const earlier = s.members[1]!.records['user:alice']!;
    const later = s.members[0]!.records['user:alice']!;
    expect(later).toBeGreaterThan(earlier);
    // m1's later write overwrites m2's copy; m2's earlier one never overwrites m1's.
    expect(run(model, [replicate('m1')], s).members[1]!.records['user:alice']).toBe(later);
    expect(run(model, [replicate('m2'), replicate('m3')], s).members[0]!.records['user:alice']).toBe(later);
  });
  it('replication never sends a private key to a member with privateKeys: false', () => {
    const m = cluster({ members: [{ id: 'm1' }, { id: 'm2', privateKeys: false }, { id: 'm3' }] });
    const s = run(m, [write('m1', 'privateKey', 'alice'), replicate('m1'), replicate('m3'), replicate('m2')]);
    expect(holders(s, 'privateKey:alice')).toEqual(['m1', 'm3']);
  });
  it('a Home Server account is never replicated; a High Availability one is', () => {
    const hs = cluster({ members: threeMembers, webMessenger: { accountMode: 'homeServer' } });
    const s = run(hs, [write('m1', 'wmAccount', 'ivan'), replicate('m1'), replicate('m2'), replicate('m3')]);
    expect(holders(s, 'wmAccount:ivan')).toEqual(['m1']);
    const ha = run(model, [write('m1', 'wmAccount', 'ivan'), replicate('m1'), replicate('m2')]);
    expect(holders(ha, 'wmAccount:ivan')).toEqual(['m1', 'm2', 'm3']);
  });
  it('remove takes the member out with whatever it held, and its cut links with it', () => {
    const m = cluster({ members: threeMembers, faults: { removeMember: true } });
    const s = run(m, [write('m2', 'user', 'alice'), partition('m1', 'm2'), remove('m2')]);
    expect(s.members[1]!.status).toBe('removed');
    expect(holders(s, 'user:alice')).toEqual([]);
    expect(s.cutLinks).toEqual({});
    expect(s.acknowledged['user:alice']).toBeDefined();
  });
  it('enroll creates the client user record on the member and pins the client to it', () => {
    const s = run(model, [enroll('laptop1', 'm3')]);
    expect(holders(s, 'user:laptop1')).toEqual(['m3']);
    expect(s.clients.laptop1).toEqual({ member: 'm3', skmIssued: 0, lastContact: 0 });
  });
  it('the state is never mutated: every step returns a new state and leaves the old one as it was', () => {
    const before = run(model, [write('m1', 'user', 'alice')]);
    const snapshot = JSON.stringify(before);
    const actions: Action[] = [replicate('m1'), crash('m2'), partition('m1', 'm3'), enroll('laptop1', 'm1')];
    run(model, actions, before);
    expect(JSON.stringify(before)).toBe(snapshot);
    expect(Object.isFrozen(before.members)).toBe(true);
  });
});
