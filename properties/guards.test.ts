/** The `sometimes` guards of the lifecycle faults: each reached on one trace and not on another. */
import { describe, expect, it } from 'vitest';
import type { Action } from '../model/actions.ts';
import type { CompiledCluster } from '../model/cluster.ts';
import { cluster, crash, days, enroll, recover, replicate, run, threeAndAJoiner, threeMembers, upgrade, write, minorUpdate } from '../test/helpers.ts';
import { clientCutOff } from './client-cut-off.ts';
import { expiredKeyHeld } from './expired-key-held.ts';
import { joinPendingSponsorDown } from './join-pending-sponsor-down.ts';
import { mixedReleases } from './mixed-releases.ts';
import type { ClusterProperty } from './types.ts';

const reached = (p: ClusterProperty, model: CompiledCluster, actions: readonly Action[]) => p.check(model, run(model, actions)).holds;

describe('mixed-releases', () => {
  const upgrading = cluster({ members: threeMembers, faults: { upgrades: true } });
  it('is reached when a member on the next release lacks a write made on the old one', () => {
    expect(reached(mixedReleases, upgrading, [upgrade('m2'), write('m1', 'user', 'alice')])).toBe(true);
  });
  it('is not reached by an upgrade alone, or once every member is on one release', () => {
    expect(reached(mixedReleases, upgrading, [upgrade('m2')])).toBe(false);
    expect(reached(mixedReleases, upgrading, [write('m1', 'user', 'alice'), upgrade('m1'), upgrade('m2'), upgrade('m3')])).toBe(false);
  });
  it('is reached a minor update apart too (they still replicate, KB 180162: the minor preset is not safe vacuously)', () => {
    const minorOnly = cluster({ members: threeMembers, faults: { upgrades: 'minor' } });
    expect(reached(mixedReleases, minorOnly, [minorUpdate('m2'), write('m1', 'user', 'alice')])).toBe(true);
  });
  it('is not applicable without upgrades', () => {
    expect(mixedReleases.notApplicable(cluster({ members: threeMembers }))).toMatch(/upgrades is false/);
  });
});

describe('expired-key-held', () => {
  const model = cluster({ members: threeMembers });
  it('is reached when a member is down while its fetched key passes its time to live (KB 162609)', () => {
    expect(reached(expiredKeyHeld, model, [write('m1', 'fetchedKey', 'olivia'), crash('m1'), days(1)])).toBe(true);
  });
  it('is not reached when the member is up: it purges as time passes', () => {
    expect(reached(expiredKeyHeld, model, [write('m1', 'fetchedKey', 'olivia'), days(1)])).toBe(false);
  });
  it('a returning member purges at its next purge', () => {
    expect(reached(expiredKeyHeld, model, [write('m1', 'fetchedKey', 'olivia'), crash('m1'), days(1), recover('m1'), days(1)])).toBe(false);
  });
});

describe('client-cut-off', () => {
  const pinned = cluster({ members: threeMembers, loadBalancer: { clusterHostname: false } });
  const hostname = cluster({ members: threeMembers });
  it('is reached when a pinned client’s member is down', () => {
    expect(reached(clientCutOff, pinned, [enroll('laptop1', 'm2'), crash('m2')])).toBe(true);
  });
  it('is reached with a cluster host name only while no live member holds the client’s user', () => {
    expect(reached(clientCutOff, hostname, [enroll('laptop1', 'm2'), crash('m2')])).toBe(true);
    expect(reached(clientCutOff, hostname, [enroll('laptop1', 'm2'), replicate('m2'), crash('m2')])).toBe(false);
  });
});

describe('join-pending-sponsor-down', () => {
  const growing = cluster({ members: threeAndAJoiner });
  it('is reached when the Sponsor is down while a member waits to join', () => {
    expect(reached(joinPendingSponsorDown, growing, [crash('m1')])).toBe(true);
  });
  it('is not reached while the Sponsor is up', () => {
    expect(reached(joinPendingSponsorDown, growing, [crash('m2')])).toBe(false);
  });
});
