/**
 * The rules of a cluster's later life: joining, upgrades, time (key-cache purge, SKM keys, outage
 * length), account-mode switches and the load balancer's Web Messenger rotation.
 */
import { describe, expect, it } from 'vitest';
import { canonicalStateKey } from './projection.ts';
import {
  advance,
  cluster,
  crash,
  days,
  enroll,
  heal,
  holders,
  join,
  minorUpdate,
  partition,
  recover,
  remove,
  replicate,
  run,
  setMode,
  threeAndAJoiner,
  threeMembers,
  upgrade,
  write,
} from '../test/helpers.ts';
import { initialState } from './cluster.ts';
import { candidateActions, DEFAULT_SCOPE, enabledActions } from './enabled.ts';
import { inRotation } from './rotation.ts';
import { settleAll } from './settle.ts';
import { applyAction, whyDisabled } from './step.ts';
import { passTime, SKM_VALIDITY_HOURS } from './time.ts';
import { faultsInUse, successor } from './topology.ts';

const growing = cluster({ members: threeAndAJoiner });

describe('joining (KB 153721)', () => {
  it('a joinsLater member starts outside the cluster: waiting, holding nothing, in no ring, not a fault', () => {
    const s = initialState(growing);
    expect(s.members[3]).toMatchObject({ status: 'waiting', records: {} });
    expect(inRotation(growing, s, 3)).toBe(false);
    expect(faultsInUse(growing, s)).toBe(0);
    // m3's successor skips m4 until it joins: the ring order is the config order.
    expect(successor(growing, s, 2, 'user')).toBe(0);
    for (const action of [write('m4', 'user', 'alice'), replicate('m4'), crash('m4'), recover('m4'), enroll('c1', 'm4')])
      expect(whyDisabled(growing, s, action)).toBe('m4 has not joined the cluster yet (joinsLater)');
    // ... and its not counting means another member may still go down with maxDown 1.
    expect(whyDisabled(growing, s, crash('m2'))).toBeUndefined();
  });

  it('join is only for a waiting member configured with joinsLater', () => {
    expect(whyDisabled(growing, initialState(growing), join('m2'))).toBe('m2 is in the cluster from the start (joinsLater is false)');
    const joined = run(growing, [join('m4')]);
    expect(whyDisabled(growing, joined, join('m4'))).toBe('m4 has already joined the cluster');
  });

  it('needs the Sponsor up', () => {
    const s = run(growing, [crash('m1')]);
    expect(whyDisabled(growing, s, join('m4'))).toBe(
      'm4 cannot join: the Sponsor m1 is down, and a member joins through the Sponsor (KB 153721; assumptions.joinWhenSponsorDown is "waits")',
    );
    expect(whyDisabled(growing, run(growing, [recover('m1')], s), join('m4'))).toBeUndefined();
  });

  it('needs the Sponsor reachable: no cut link between them', () => {
    const s = run(growing, [partition('m1', 'm4')]);
    expect(whyDisabled(growing, s, join('m4'))).toBe('m4 cannot join: the link m1|m4 between the Sponsor and m4 is cut');
    expect(whyDisabled(growing, run(growing, [heal('m1', 'm4')], s), join('m4'))).toBeUndefined();
  });

  it('the joiner gets a full copy of what it may hold from the Sponsor, versions included, and takes its place in the ring', () => {
    const model = cluster({
      members: [{ id: 'm1' }, { id: 'm2' }, { id: 'm3' }, { id: 'm4', joinsLater: true, privateKeys: false }],
      webMessenger: { accountMode: 'homeServer' },
    });
    const before = run(model, [
      write('m1', 'user', 'alice'),
      write('m1', 'user', 'alice'),
      write('m1', 'privateKey', 'alice'),
      write('m1', 'wmAccount', 'ivan'),
      write('m2', 'domain', 'example.com'),
    ]);
    const s = run(model, [join('m4')], before);
    expect(s.members[3]!.status).toBe('up');
    // Everything the Sponsor holds that m4 may hold, at the Sponsor's version; not m1's Home Server
    // account, not the private key (m4 has privateKeys: false), not what only m2 holds.
    expect(s.members[3]!.records).toEqual({ 'policy:default': 0, 'user:alice': before.members[0]!.records['user:alice'] });
    expect(successor(model, s, 2, 'user')).toBe(3);
    expect(successor(model, s, 3, 'user')).toBe(0);
    // From then on it is an ordinary member: m2's domain reaches it around the ring.
    const later = run(model, [replicate('m2'), replicate('m3')], s);
    expect(holders(later, 'domain:example.com')).toEqual(['m2', 'm3', 'm4']);
  });

  it('a DMZ member keeps skipping a waiting member, and takes it as fixed successor once it joins', () => {
    const model = cluster({ members: [{ id: 'm1' }, { id: 'm2' }, { id: 'm3', zone: 'dmz' }, { id: 'm4', joinsLater: true }] });
    expect(successor(model, initialState(model), 2, 'user')).toBe(0);
    const s = run(model, [join('m4'), crash('m4'), write('m3', 'user', 'alice'), replicate('m3')]);
    expect(successor(model, s, 2, 'user')).toBe(3);
    expect(holders(s, 'user:alice')).toEqual(['m3']);
  });

  it('joining is not a fault: it needs no room in the fault budget and uses none', () => {
    const s = run(growing, [crash('m2'), join('m4')]);
    expect(s.members[3]!.status).toBe('up');
    expect(faultsInUse(growing, s)).toBe(1);
  });

  it('a removed Sponsor: "waits" never joins; "anyMember" joins through the first live member that reaches it', () => {
    const waits = cluster({ members: threeAndAJoiner, faults: { removeMember: true } });
    expect(whyDisabled(waits, run(waits, [remove('m1')]), join('m4'))).toMatch(/the Sponsor m1 is removed/);
    const any = cluster({ members: threeAndAJoiner, faults: { removeMember: true }, assumptions: { joinWhenSponsorDown: 'anyMember' } });
    const s = run(any, [write('m2', 'user', 'alice'), remove('m1'), partition('m2', 'm4'), join('m4')]);
    // m2 cannot reach m4, so m3 sponsors the join: m4 gets m3's copy, which lacks m2's alice.
    expect(holders(s, 'user:alice')).toEqual(['m2']);
    expect(s.members[3]!.status).toBe('up');
  });

  it('"anyMember" applies only when the Sponsor is down or removed, not when it is only cut off', () => {
    const any = cluster({ members: threeAndAJoiner, assumptions: { joinWhenSponsorDown: 'anyMember' } });
    expect(whyDisabled(any, run(any, [partition('m1', 'm4')]), join('m4'))).toMatch(/between the Sponsor and m4 is cut/);
    expect(whyDisabled(any, run(any, [crash('m1')]), join('m4'))).toBeUndefined();
  });

  it('the joiner runs the release of the member it joins through', () => {
    const model = cluster({ members: threeAndAJoiner, faults: { upgrades: true } });
    expect(run(model, [upgrade('m1'), join('m4')]).members[3]!.version).toBe(1);
  });
});

describe('upgrades (KB 225396)', () => {
  const model = cluster({ members: threeMembers, faults: { upgrades: true } });

  it('are enabled only with faults.upgrades, on a member that is up, once per member', () => {
    const plain = cluster({ members: threeMembers });
    expect(whyDisabled(plain, initialState(plain), upgrade('m1'))).toBe('upgrades are not allowed by this config (faults.upgrades is false)');
    expect(whyDisabled(model, run(model, [crash('m1')]), upgrade('m1'))).toBe('m1 is down');
    expect(whyDisabled(model, run(model, [upgrade('m1')]), upgrade('m1'))).toBe('m1 already runs the next release (each member upgrades once)');
  });

  it('members on different releases do not replicate with each other', () => {
    const s = run(model, [upgrade('m2'), write('m1', 'user', 'alice'), replicate('m1'), write('m2', 'user', 'bob'), replicate('m2')]);
    expect(holders(s, 'user:alice')).toEqual(['m1']);
    expect(holders(s, 'user:bob')).toEqual(['m2']);
  });

  it('the ring does not re-route around a member on another release: the sender sends and is refused (modelling choice)', () => {
    // m3's successor is m1, upgraded: m3's change reaches neither m1 nor, beyond it, m2.
    const s = run(model, [upgrade('m1'), write('m3', 'user', 'alice'), replicate('m3')]);
    expect(successor(model, s, 2, 'user')).toBe(0);
    expect(holders(s, 'user:alice')).toEqual(['m3']);
  });

  it('replication resumes once the releases match again', () => {
    const s = run(model, [upgrade('m1'), write('m3', 'user', 'alice'), upgrade('m2'), upgrade('m3'), replicate('m3'), replicate('m1')]);
    expect(holders(s, 'user:alice')).toEqual(['m1', 'm2', 'm3']);
  });

  it('settling finishes the rolling upgrade: every member moves to the newest release, then the cluster converges', () => {
    const s = run(model, [upgrade('m1'), write('m3', 'user', 'alice'), crash('m2')]);
    const settled = settleAll(model, s);
    expect(settled.actions.slice(0, 3)).toEqual([recover('m2'), upgrade('m2'), upgrade('m3')]);
    expect(settled.state.members.map((m) => m.version)).toEqual([1, 1, 1]);
    expect(holders(settled.state, 'user:alice')).toEqual(['m1', 'm2', 'm3']);
    expect(run(model, settled.actions, s)).toEqual(settled.state);
  });
});

describe('minor updates and major upgrades (KB 153403, KB 180162, KB 225396)', () => {
  const model = cluster({ members: threeMembers, faults: { upgrades: true } });
  const minorOnly = cluster({ members: threeMembers, faults: { upgrades: 'minor' } });
  const majorOnly = cluster({ members: threeMembers, faults: { upgrades: 'major' } });

  it('members a minor update apart still share cluster data (KB 180162); a major release apart they do not (KB 225396)', () => {
    const minor = run(model, [minorUpdate('m2'), write('m1', 'user', 'alice'), replicate('m1'), replicate('m2')]);
    expect(holders(minor, 'user:alice')).toEqual(['m1', 'm2', 'm3']);
    const major = run(model, [upgrade('m2'), write('m1', 'user', 'alice'), replicate('m1'), replicate('m2')]);
    expect(holders(major, 'user:alice')).toEqual(['m1']);
  });

  it('an upgrade saved without the flag is a major upgrade, as every upgrade was before it', () => {
    const old = { type: 'upgrade', member: 'm2' } as const;
    const s = run(model, [old, write('m1', 'user', 'alice'), replicate('m1')]);
    expect(s).toEqual(run(model, [upgrade('m2'), write('m1', 'user', 'alice'), replicate('m1')]));
    expect(s.members[1]).toMatchObject({ version: 1, minor: 0 });
    expect(whyDisabled(minorOnly, initialState(minorOnly), old)).toMatch(/only minor updates/);
  });

  it('faults.upgrades chooses the kinds: "minor", "major" or both (true); one minor update per release', () => {
    expect(whyDisabled(minorOnly, initialState(minorOnly), minorUpdate('m1'))).toBeUndefined();
    expect(whyDisabled(minorOnly, initialState(minorOnly), upgrade('m1'))).toMatch(/faults.upgrades is "minor"/);
    expect(whyDisabled(majorOnly, initialState(majorOnly), minorUpdate('m1'))).toMatch(/faults.upgrades is "major"/);
    expect(whyDisabled(model, run(model, [minorUpdate('m1')]), minorUpdate('m1'))).toMatch(/already runs the minor update/);
    expect(whyDisabled(model, run(model, [minorUpdate('m1')]), { type: 'upgrade', member: 'm1', major: 'yes' as unknown as boolean })).toMatch(
      /major is true or false/,
    );
    // A major upgrade installs the new release fresh, without its minor update (KB 153403: ISO, then restore).
    const s = run(model, [minorUpdate('m1'), upgrade('m1')]);
    expect(s.members[0]).toMatchObject({ version: 1, minor: 0 });
    expect(whyDisabled(model, s, minorUpdate('m1'))).toBeUndefined();
    const kinds = (m: typeof model) => candidateActions(m, DEFAULT_SCOPE).filter((a) => a.type === 'upgrade' && a.member === 'm1');
    expect(kinds(model)).toEqual([upgrade('m1'), minorUpdate('m1')]);
    expect(kinds(minorOnly)).toEqual([minorUpdate('m1')]);
    expect(kinds(majorOnly)).toEqual([upgrade('m1')]);
  });

  it('a joiner takes the release and minor update of the member it joins through', () => {
    const joining = cluster({ members: threeAndAJoiner, faults: { upgrades: true } });
    expect(run(joining, [minorUpdate('m1'), join('m4')]).members[3]).toMatchObject({ version: 0, minor: 1 });
  });

  it('settling finishes minor updates too, after the major upgrade they follow', () => {
    const s = run(model, [upgrade('m1'), minorUpdate('m1'), minorUpdate('m3')]);
    const settled = settleAll(model, s);
    expect(settled.actions).toEqual(expect.arrayContaining([upgrade('m2'), minorUpdate('m2'), upgrade('m3'), minorUpdate('m3')]));
    expect(settled.state.members.map((m) => [m.version, m.minor])).toEqual([
      [1, 1],
      [1, 1],
      [1, 1],
    ]);
    expect(run(model, settled.actions, s)).toEqual(settled.state);
  });

  it('the minor update is part of the canonical key', () => {
    expect(canonicalStateKey(model, run(model, [minorUpdate('m1')]))).not.toBe(canonicalStateKey(model, initialState(model)));
  });
});

describe('time: key-cache purge (KB 162609)', () => {
  const model = cluster({ members: threeMembers });

  it('keys cached from mail flow are purged 180 days after caching, on every live member holding them', () => {
    const s = run(model, [write('m1', 'cachedKey', 'erin'), replicate('m1'), days(179)]);
    expect(holders(s, 'cachedKey:erin')).toEqual(['m1', 'm2']);
    const later = run(model, [days(1)], s);
    expect(holders(later, 'cachedKey:erin')).toEqual([]);
    expect(later.members.map((m) => m.purgedAt)).toEqual([180 * 24, 180 * 24, 180 * 24]);
  });

  it('keys fetched from keyservers are purged after keyCache.keyserverTtlHours (1 day by default)', () => {
    const s = run(model, [write('m1', 'fetchedKey', 'olivia'), advance(23)]);
    expect(holders(s, 'fetchedKey:olivia')).toEqual(['m1']);
    expect(holders(run(model, [advance(1)], s), 'fetchedKey:olivia')).toEqual([]);
    const longer = cluster({ members: threeMembers, keyCache: { keyserverTtlHours: 72 } });
    expect(holders(run(longer, [write('m1', 'fetchedKey', 'olivia'), days(2)]), 'fetchedKey:olivia')).toEqual(['m1']);
    expect(holders(run(longer, [write('m1', 'fetchedKey', 'olivia'), days(3)]), 'fetchedKey:olivia')).toEqual([]);
  });

  it('fetching a key needs mail (modelling choice), like caching from the mail flow', () => {
    const m = cluster({ members: [{ id: 'm1' }, { id: 'm2', services: ['keyserver'] }] });
    expect(whyDisabled(m, initialState(m), write('m2', 'fetchedKey', 'olivia'))).toBe('m2 does not run mail, so it fetches no keys from keyservers');
  });

  it('the caching time travels with the key: a replicated copy expires with the original (KB 153198: cached keys replicate)', () => {
    const s = run(model, [write('m1', 'fetchedKey', 'olivia'), advance(20), replicate('m1')]);
    expect(s.members[1]!.cachedAt['fetchedKey:olivia']).toBe(0);
    expect(holders(run(model, [advance(4)], s), 'fetchedKey:olivia')).toEqual([]);
  });

  it('a down member purges only once it is back and time passes; meanwhile replication does not send its expired key', () => {
    const s = run(model, [write('m1', 'fetchedKey', 'olivia'), crash('m1'), days(1), recover('m1')]);
    expect(holders(s, 'fetchedKey:olivia')).toEqual(['m1']);
    const sent = run(model, [replicate('m1')], s);
    expect(holders(sent, 'fetchedKey:olivia')).toEqual(['m1']);
    expect(holders(run(model, [advance(24)], sent), 'fetchedKey:olivia')).toEqual([]);
  });

  it('a copy past its retention is replaced by a live version', () => {
    // m1 cached olivia first, then was down while it expired; m3 cached it again. Back up, m1 takes m3's
    // live copy and passes it on to m2.
    const s = run(model, [write('m1', 'fetchedKey', 'olivia'), crash('m1'), days(1), write('m3', 'fetchedKey', 'olivia'), recover('m1')]);
    const fresh = s.members[2]!.records['fetchedKey:olivia'];
    expect(s.members[0]!.records['fetchedKey:olivia']).toBeLessThan(fresh!);
    const after = run(model, [replicate('m3'), replicate('m1')], s);
    expect(after.members.map((m) => [m.records['fetchedKey:olivia'], m.cachedAt['fetchedKey:olivia']])).toEqual([
      [fresh, 24],
      [fresh, 24],
      [fresh, 24],
    ]);
  });

  it('a key purged at its retention is no longer an acknowledged write (it is purged, not lost)', () => {
    const s = run(model, [write('m1', 'fetchedKey', 'olivia'), write('m2', 'cachedKey', 'erin')]);
    expect(Object.keys(s.acknowledged)).toEqual(['fetchedKey:olivia', 'cachedKey:erin']);
    expect(Object.keys(run(model, [days(1)], s).acknowledged)).toEqual(['cachedKey:erin']);
  });

  it('a re-cached key starts a new retention', () => {
    const s = run(model, [write('m1', 'fetchedKey', 'olivia'), advance(20), write('m1', 'fetchedKey', 'olivia'), advance(20)]);
    expect(holders(s, 'fetchedKey:olivia')).toEqual(['m1']);
  });

  it('time passes without a bound; the canonical key keeps it relative, so the state space stays finite', () => {
    expect(whyDisabled(model, run(model, [days(180), days(180)]), days(180))).toBeUndefined();
    expect(whyDisabled(model, initialState(model), advance(0))).toMatch(/whole number, at least 1/);
    // A key cached, kept and purged, then a long quiet: half a year later or a year, one state to a checker.
    const key = (s: ReturnType<typeof run>) => canonicalStateKey(model, s);
    const base = run(model, [write('m1', 'cachedKey', 'erin'), days(200)]);
    expect(key(run(model, [days(180)], base))).toBe(key(run(model, [days(180), days(180)], base)));
    // Within a threshold the exact time still counts: a key cached 1 day ago and one cached 2 days ago differ.
    const fresh = run(model, [write('m1', 'cachedKey', 'erin'), days(1)]);
    expect(key(fresh)).not.toBe(key(run(model, [days(1)], fresh)));
  });
});

describe('time: no member stays down longer than faults.maxOutageDays', () => {
  const model = cluster({ members: threeMembers });

  it('an advance that would take a down member past it is not enabled', () => {
    const s = run(model, [crash('m2'), days(1)]);
    expect(whyDisabled(model, s, days(1))).toBeUndefined();
    expect(whyDisabled(model, s, days(2))).toBe('m2 has been down for 1 day; 2 days more would keep it down longer than faults.maxOutageDays (2 days)');
    expect(whyDisabled(model, run(model, [recover('m2')], s), days(14))).toBeUndefined();
  });

  it('a crash in the very hour of a recovery continues the same outage', () => {
    const s = run(model, [crash('m2'), days(2), recover('m2'), crash('m2')]);
    expect(whyDisabled(model, s, days(1))).toMatch(/m2 has been down for 2 days/);
    const later = run(model, [recover('m2'), days(1), crash('m2')], s);
    expect(whyDisabled(model, later, days(1))).toBeUndefined();
  });

  it('is configurable', () => {
    const long = cluster({ members: threeMembers, faults: { maxOutageDays: 21 } });
    expect(whyDisabled(long, run(long, [crash('m2')]), days(21))).toBeUndefined();
    expect(whyDisabled(long, run(long, [crash('m2')]), days(22))).toMatch(/longer than faults.maxOutageDays \(21 days\)/);
  });
});

describe('time: SKM keys (KB 157933)', () => {
  const pinned = cluster({ members: threeMembers, loadBalancer: { clusterHostname: false }, faults: { maxOutageDays: 21 } });
  const hostname = cluster({ members: threeMembers, faults: { maxOutageDays: 21 } });

  it('are issued at enrollment, valid 14 days, and renewed the day before they expire while the client reaches its server', () => {
    const s = run(pinned, [enroll('laptop1', 'm1'), days(14)]);
    expect(s.clients.laptop1).toEqual({ member: 'm1', skmIssued: 13 * 24, lastContact: 14 * 24 });
    const year = run(pinned, [days(180)], s);
    expect(year.clients.laptop1!.skmIssued + SKM_VALIDITY_HOURS).toBeGreaterThan(year.clock);
  });

  it('lapse when a pinned client cannot reach its member from issue to expiry', () => {
    const s = run(pinned, [enroll('laptop1', 'm1'), crash('m1'), days(14)]);
    expect(s.clients.laptop1!.skmIssued).toBe(0);
    expect(s.clock).toBe(SKM_VALIDITY_HOURS);
  });

  it('are renewed on the day before expiry when the client talked to a server after the key was issued, even if not since', () => {
    const s = run(pinned, [enroll('laptop1', 'm1'), days(1), crash('m1'), days(14)]);
    expect(s.clients.laptop1).toEqual({ member: 'm1', skmIssued: 13 * 24, lastContact: 24 });
  });

  it('with a cluster host name, any live desktop member holding the user and the policy renews them', () => {
    const s = run(hostname, [enroll('laptop1', 'm1'), replicate('m1'), crash('m1'), days(14)]);
    expect(s.clients.laptop1!.skmIssued).toBe(13 * 24);
    // Not a member that lacks the client's user record.
    const unreplicated = run(hostname, [enroll('laptop1', 'm1'), crash('m1'), days(14)]);
    expect(unreplicated.clients.laptop1!.skmIssued).toBe(0);
  });

  it('a lapsed key is issued anew at the next contact', () => {
    const s = run(pinned, [enroll('laptop1', 'm1'), crash('m1'), days(14), recover('m1'), days(1)]);
    expect(s.clients.laptop1).toEqual({ member: 'm1', skmIssued: 14 * 24, lastContact: 15 * 24 });
  });

  it('passTime renews as often as a long stretch of contact needs, and leaves an unreachable client untouched', () => {
    const client = { member: 'm1', skmIssued: 0, lastContact: 0 };
    expect(passTime(client, 0, 1000, true)).toEqual({ skmIssued: 936, lastContact: 1000 });
    expect(passTime(client, 0, 300, false)).toBe(client);
  });
});

describe('Web Messenger account mode switch (vendor note: existing accounts keep their mode)', () => {
  const model = cluster({ members: threeMembers, webMessenger: { accountMode: 'homeServer', switchTo: 'highAvailability' } });

  it('is enabled only with webMessenger.switchTo, between the two configured modes, and not to the current one', () => {
    const plain = cluster({ members: threeMembers });
    expect(whyDisabled(plain, initialState(plain), setMode('homeServer'))).toMatch(/webMessenger.switchTo is not set/);
    expect(whyDisabled(model, initialState(model), setMode('homeServer'))).toBe('new Web Messenger accounts already take homeServer mode');
    expect(whyDisabled(model, initialState(model), setMode('highAvailability'))).toBeUndefined();
    expect(whyDisabled(model, run(model, [setMode('highAvailability')]), setMode('homeServer'))).toBeUndefined();
  });

  it('new accounts take the new mode; existing accounts keep theirs', () => {
    const s = run(model, [write('m1', 'wmAccount', 'ivan'), setMode('highAvailability'), write('m1', 'wmAccount', 'judy'), replicate('m1'), replicate('m2')]);
    expect(s.accounts).toEqual({ ivan: { mode: 'homeServer', home: 'm1' }, judy: { mode: 'highAvailability', home: 'm1' } });
    expect(holders(s, 'wmAccount:ivan')).toEqual(['m1']);
    expect(holders(s, 'wmAccount:judy')).toEqual(['m1', 'm2', 'm3']);
    // An update after the switch is no new account: ivan stays a Home Server account of m1.
    expect(whyDisabled(model, s, write('m2', 'wmAccount', 'ivan'))).toMatch(/Home Server account of m1/);
  });
});

describe("the load balancer's Web Messenger rotation (KB 156803)", () => {
  const noHoldout = cluster({ members: threeMembers });
  const holdout = cluster({ members: threeMembers, loadBalancer: { holdsRejoiningMembers: true } });
  const trace = [crash('m2'), write('m1', 'wmAccount', 'ivan'), recover('m2')];
  const rotation = (model: typeof holdout, s: ReturnType<typeof initialState>) => s.members.map((_, i) => inRotation(model, s, i));

  it('every member running Web Messenger starts in rotation; a crash takes it out', () => {
    expect(rotation(holdout, initialState(holdout))).toEqual([true, true, true]);
    expect(rotation(holdout, run(holdout, [crash('m2')]))).toEqual([true, false, true]);
    const some = cluster({ members: [{ id: 'm1' }, { id: 'm2', services: ['mail'] }] });
    expect(rotation(some, initialState(some))).toEqual([true, false]);
  });

  it('a returning member owes the accounts its live peers hold, at the newest version they hold', () => {
    const s = run(holdout, trace);
    expect(s.members[1]!.owedAtReturn).toEqual({ 'wmAccount:ivan': s.members[0]!.records['wmAccount:ivan'] });
  });

  it('without holdsRejoiningMembers it re-enters rotation at once, before it has caught up', () => {
    const s = run(noHoldout, trace);
    expect(s.members[1]!.records).toEqual({ 'policy:default': 0 });
    expect(inRotation(noHoldout, s, 1)).toBe(true);
  });

  it('with holdsRejoiningMembers it is held out until replication brings it what it owes', () => {
    const s = run(holdout, trace);
    expect(inRotation(holdout, s, 1)).toBe(false);
    // m3 sends to m1, not to m2: m2 is still held out.
    expect(inRotation(holdout, run(holdout, [replicate('m3')], s), 1)).toBe(false);
    // m1 sends to m2 (its successor): m2 has caught up and re-enters rotation.
    expect(inRotation(holdout, run(holdout, [replicate('m1')], s), 1)).toBe(true);
  });

  it('a returning member that owes nothing re-enters at once', () => {
    expect(inRotation(holdout, run(holdout, [crash('m2'), recover('m2')]), 1)).toBe(true);
  });

  it('owes no Home Server account of another member, and nothing outside the replication set', () => {
    const hs = cluster({ members: threeMembers, webMessenger: { accountMode: 'homeServer' }, loadBalancer: { holdsRejoiningMembers: true } });
    const s = run(hs, trace);
    expect(s.members[1]!.owedAtReturn).toEqual({});
    expect(inRotation(hs, s, 1)).toBe(true);
    const subset = cluster({ members: threeMembers, webMessenger: { replication: ['m1', 'm3'] }, loadBalancer: { holdsRejoiningMembers: true } });
    const t = run(subset, trace);
    expect(t.members[1]!.owedAtReturn).toEqual({});
    expect(inRotation(subset, t, 1)).toBe(true);
  });

  it('a joining member owes what its live peers hold beyond the Sponsor\'s copy', () => {
    const model = cluster({ members: threeAndAJoiner, loadBalancer: { holdsRejoiningMembers: true } });
    const s = run(model, [write('m1', 'wmAccount', 'ivan'), write('m2', 'wmAccount', 'judy'), join('m4')]);
    expect(Object.keys(s.members[3]!.owedAtReturn).sort()).toEqual(['wmAccount:ivan', 'wmAccount:judy']);
    expect(inRotation(model, s, 3)).toBe(false);
    expect(inRotation(model, run(model, [replicate('m2'), replicate('m3')], s), 3)).toBe(true);
  });
});

describe('the scope of random search', () => {
  it('offers each lifecycle action only where the config allows it', () => {
    const types = (model: typeof growing) => [...new Set(candidateActions(model, DEFAULT_SCOPE).map((a) => a.type))];
    expect(types(cluster({ members: threeMembers }))).not.toEqual(expect.arrayContaining(['join']));
    expect(types(cluster({ members: threeMembers }))).toContain('advanceTime');
    expect(types(growing)).toContain('join');
    expect(types(cluster({ members: threeMembers, faults: { upgrades: true } }))).toContain('upgrade');
    expect(types(cluster({ members: threeMembers, webMessenger: { switchTo: 'homeServer' } }))).toContain('setAccountMode');
    for (const t of ['upgrade', 'setAccountMode', 'join']) expect(types(cluster({ members: threeMembers }))).not.toContain(t);
  });

  it('the enabled actions are exactly the candidates whose precondition holds, in lifecycle states too', () => {
    const model = cluster({
      members: threeAndAJoiner,
      faults: { upgrades: true, maxOutageDays: 21 },
      webMessenger: { switchTo: 'homeServer' },
    });
    const candidates = candidateActions(model, DEFAULT_SCOPE);
    const states = [initialState(model), run(model, [crash('m1'), days(14)]), run(model, [upgrade('m2'), join('m4'), setMode('homeServer')])];
    for (const s of states) expect(enabledActions(model, s, candidates)).toEqual(candidates.filter((a) => whyDisabled(model, s, a) === undefined));
  });

  it('every lifecycle action leaves the state it was given untouched', () => {
    const model = cluster({ members: threeAndAJoiner, faults: { upgrades: true }, webMessenger: { switchTo: 'homeServer' } });
    const s = run(model, [write('m1', 'cachedKey', 'erin'), enroll('laptop1', 'm1')]);
    const snapshot = JSON.stringify(s);
    for (const action of [join('m4'), upgrade('m1'), days(180), setMode('homeServer')]) applyAction(model, s, action);
    expect(JSON.stringify(s)).toBe(snapshot);
  });
});
