/**
 * The backlog and resync time (`model/backlog.ts`): checked against what a simulated trace of the plain
 * model leaves owed, and as properties over workloads and outage lengths.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { findPreset, PRESETS } from '../config/presets.ts';
import { type ClusterConfig, resolveWorkload, type Workload } from '../config/schema.ts';
import { resolveConfig } from '../config/validate.ts';
import type { Action } from './actions.ts';
import { BACKLOG_KINDS, type BacklogKind, backlogAt, type OutageProfile, outageProfile, RATE_OF } from './backlog.ts';
import { compileCluster, initialState } from './cluster.ts';
import type { RecordId, RecordKind } from './records.ts';
import { replicateToQuiescence } from './settle.ts';
import type { ClusterState } from './state.ts';
import { step } from './step.ts';
import { SKM_VALIDITY_HOURS } from './time.ts';
import { mayHold } from './topology.ts';

const MONTH = 30 * 24;
const config = (name: string): ClusterConfig => findPreset(name)!.config;

/**
 * An outage of `member` for `hours`, written out as a trace: every hour, time passes one hour, then each
 * kind's changes for that hour are made, `perWriter` by each live member that may make them (a fresh
 * record each, so none collapses into another), and the live members replicate. Web Messenger messages
 * change accounts created (and replicated) before the outage, one account per message.
 */
function simulate(cfg: ClusterConfig, member: string, hours: number, perWriter: Partial<Record<BacklogKind, number>>) {
  const model = compileCluster({ ...cfg, faults: { ...cfg.faults, maxDown: Math.max(1, cfg.faults.maxDown), maxOutageDays: 3650 } });
  const live = model.members.filter((m) => m.id !== member && !m.joinsLater).map((m) => m.id);
  const canWrite = (s: ClusterState, w: string, kind: RecordKind, key: string) => {
    try {
      step(model, s, { type: 'write', member: w, record: { kind, key } });
      return true;
    } catch {
      return false;
    }
  };
  let s = initialState(model);
  const messages = perWriter.wmMessage ?? 0;
  for (const w of live)
    for (let i = 0; i < messages * hours; i++) {
      const key = `msg-${w}-${i}`;
      if (canWrite(s, w, 'wmAccount', key)) s = step(model, s, { type: 'write', member: w, record: { kind: 'wmAccount', key } });
    }
  s = replicateToQuiescence(model, s).state;
  s = step(model, s, { type: 'crash', member });
  let written = 0;
  for (let h = 1; h <= hours; h++) {
    s = step(model, s, { type: 'advanceTime', hours: 1 });
    for (const kind of BACKLOG_KINDS)
      for (const w of live)
        for (let i = 0; i < (perWriter[kind] ?? 0); i++) {
          const record = kind === 'wmMessage' ? { kind: 'wmAccount' as const, key: `msg-${w}-${(h - 1) * messages + i}` } : { kind, key: `${kind}-${w}-${h}-${i}` };
          if (!canWrite(s, w, record.kind, record.key)) continue;
          s = step(model, s, { type: 'write', member: w, record } as Action);
          written++;
        }
    s = replicateToQuiescence(model, s).state;
  }
  s = step(model, s, { type: 'recover', member });
  // What it is owed: the records a live member holds, not past retention, that it may hold and lacks (or holds older).
  const at = model.position.get(member)!;
  const owed = new Set<RecordId>();
  for (let p = 0; p < model.size; p++) {
    const peer = s.members[p]!;
    if (p === at || peer.status !== 'up') continue;
    for (const id in peer.records) {
      const rid = id as RecordId;
      if ((s.members[at]!.records[rid] ?? -1) >= peer.records[rid]! || !mayHold(model, s, at, rid)) continue;
      owed.add(rid);
    }
  }
  const after = replicateToQuiescence(model, s).state.members[at]!;
  return { owed, written, received: [...owed].every((id) => after.records[id] !== undefined) };
}

/** A workload giving each kind `perWriter` changes an hour on each of its writers. */
function workloadFor(profile: OutageProfile, perWriter: Partial<Record<BacklogKind, number>>): Workload {
  const w: Record<string, number> = { ...resolveWorkload({}) };
  for (const kind of BACKLOG_KINDS) w[RATE_OF[kind]] = (perWriter[kind] ?? 0) * profile.writers[kind].length;
  return w as Workload;
}

describe('the derived backlog is what a simulated trace leaves owed', () => {
  const perWriter: Partial<Record<BacklogKind, number>> = { user: 1, privateKey: 1, cachedKey: 1, fetchedKey: 2, wmAccount: 1, wmMessage: 1 };
  // A keyserver TTL of 3 hours, so that purges show within a short outage (KB 162609: 1 hour to 999 days).
  const short = (cfg: ClusterConfig) => resolveConfig({ ...cfg, keyCache: { keyserverTtlHours: 3 } });
  it.each([
    ['recommended', 'm1', 'highAvailability'],
    ['recommended', 'm2', 'homeServer'],
    ['dmz-ring', 'm1', 'highAvailability'],
    ['single-key-holder', 'm1', 'highAvailability'],
    ['single-key-holder', 'm2', 'highAvailability'],
  ] as const)('%s, %s down, %s accounts', (name, member, mode) => {
    const cfg = short(resolveConfig({ ...config(name), webMessenger: { ...config(name).webMessenger, accountMode: mode } }));
    const profile = outageProfile(cfg, member, mode, 8);
    for (const hours of [0, 2, 6]) {
      const trace = simulate(cfg, member, hours, perWriter);
      const derived = backlogAt(profile, workloadFor(profile, perWriter), hours);
      expect(derived.owedTotal, `${hours} hours`).toBeCloseTo(trace.owed.size, 6);
      expect(trace.received).toBe(true);
      if (hours > 3) expect(derived.purged.fetchedKey).toBeGreaterThan(0);
    }
  });
});

describe('properties over workloads and outage lengths', () => {
  const rate = fc.double({ min: 0, max: 1000, noNaN: true });
  const workload = fc.record(
    {
      usersPerHour: rate,
      privateKeysPerHour: rate,
      domainsPerHour: rate,
      policiesPerHour: rate,
      cachedKeysPerHour: rate,
      fetchedKeysPerHour: rate,
      wmAccountsPerHour: rate,
      wmMessagesPerHour: rate,
      hopThroughputPerHour: fc.double({ min: 1, max: 1e6, noNaN: true }),
    },
    { requiredKeys: [] },
  );
  const cases = PRESETS.filter((p) => ['recommended', 'dmz-ring', 'single-key-holder', 'home-server'].includes(p.name)).flatMap((p) =>
    p.config.members.map((m) => ({
      name: `${p.name}/${m.id}`,
      ha: outageProfile(p.config, m.id, 'highAvailability', MONTH),
      hs: outageProfile(p.config, m.id, 'homeServer', MONTH),
    })),
  );
  const hours = fc.integer({ min: 0, max: MONTH });

  it('zero at T = 0', () => {
    fc.assert(
      fc.property(fc.constantFrom(...cases), workload, (c, w) => {
        const b = backlogAt(c.ha, resolveWorkload({ workload: w }), 0);
        return b.owedTotal === 0 && b.resyncHours === 0 && b.stuckBehind === 0;
      }),
      { numRuns: 100 },
    );
  });

  it('monotone in T: a longer outage owes no less and takes no less time', () => {
    fc.assert(
      fc.property(fc.constantFrom(...cases), workload, hours, hours, (c, w, a, b) => {
        const wl = resolveWorkload({ workload: w });
        const [short, long] = [backlogAt(c.ha, wl, Math.min(a, b)), backlogAt(c.ha, wl, Math.max(a, b))];
        return (
          BACKLOG_KINDS.every((k) => long.owed[k] >= short.owed[k] - 1e-9) && long.resyncHours >= short.resyncHours - 1e-9 && long.quietHours >= short.quietHours - 1e-9
        );
      }),
      { numRuns: 200 },
    );
  });

  it('High Availability owes at least what Home Server owes, and takes at least as long', () => {
    fc.assert(
      fc.property(fc.constantFrom(...cases), workload, hours, (c, w, t) => {
        const wl = resolveWorkload({ workload: w });
        const [ha, hs] = [backlogAt(c.ha, wl, t), backlogAt(c.hs, wl, t)];
        return ha.owedTotal >= hs.owedTotal - 1e-9 && ha.resyncHours >= hs.resyncHours - 1e-9;
      }),
      { numRuns: 200 },
    );
  });
});

describe('the recommended cluster, default workload', () => {
  const cfg = config('recommended');
  const workload = resolveWorkload(cfg);
  const ha = outageProfile(cfg, 'm1', 'highAvailability', MONTH);
  const hs = outageProfile(cfg, 'm1', 'homeServer', MONTH);

  it('grows with downtime; High Availability above Home Server by the Web Messenger accounts and messages', () => {
    const day = backlogAt(ha, workload, 24);
    const week = backlogAt(ha, workload, 7 * 24);
    expect(week.owedTotal).toBeGreaterThan(day.owedTotal);
    const hsDay = backlogAt(hs, workload, 24);
    expect(day.owedTotal - hsDay.owedTotal).toBeCloseTo((workload.wmAccountsPerHour + workload.wmMessagesPerHour) * 24, 6);
    expect(hsDay.owed.wmAccount + hsDay.owed.wmMessage).toBe(0);
  });

  it('purges cap the keys fetched from keyservers at their TTL (KB 162609); mail-flow keys are kept 180 days', () => {
    const ttl = cfg.keyCache.keyserverTtlHours;
    for (const t of [ttl, 2 * ttl, MONTH]) {
      const b = backlogAt(ha, workload, t);
      expect(b.owed.fetchedKey).toBeCloseTo(workload.fetchedKeysPerHour * ttl, 6);
      expect(b.purged.fetchedKey).toBeCloseTo(workload.fetchedKeysPerHour * (t - ttl), 6);
      expect(b.owed.cachedKey).toBeCloseTo(workload.cachedKeysPerHour * t, 6);
    }
  });

  it('every member sends along one hop: the resync time is the backlog over the hop throughput', () => {
    const b = backlogAt(ha, workload, 24);
    expect(Object.keys(b.owedFrom)).toEqual(['m3']);
    expect(b.resyncHours).toBeCloseTo(b.owedTotal / workload.hopThroughputPerHour, 9);
    expect(b.stuckBehind).toBe(0);
  });

  it('SKM keys: a client reaches another member through the cluster host name; pinned, its key lapses after 14 days (KB 157933)', () => {
    expect(ha.skmLapseHours).toBeNull();
    const pinned = outageProfile(config('pinned-clients'), 'm1', 'highAvailability', MONTH);
    expect(pinned.skmLapseHours).toBe(SKM_VALIDITY_HOURS);
    expect(backlogAt(ha, workload, MONTH).beyondMaxOutage).toBe(MONTH > cfg.faults.maxOutageDays * 24);
  });
});

describe('the DMZ ring (KB 161304)', () => {
  it("a DMZ member's changes wait behind its down fixed successor, then travel on from it: the cluster is quiet later than the member is caught up", () => {
    const p = outageProfile(config('dmz-ring'), 'm1', 'highAvailability', MONTH);
    const b = backlogAt(p, resolveWorkload({}), 24);
    expect(b.stuckBehind).toBeGreaterThan(0);
    expect(Object.keys(b.owedFrom)).toEqual(['m4']);
    expect(b.quietHours).toBeGreaterThan(b.resyncHours);
  });
});

describe('the horizon', () => {
  it('a profile answers only for outages up to the horizon it was derived for', () => {
    const p = outageProfile(config('recommended'), 'm1', 'highAvailability', 48);
    expect(() => backlogAt(p, resolveWorkload({}), 49)).toThrow(/outside 0 to 48/);
    expect(() => backlogAt(p, resolveWorkload({}), -1)).toThrow(RangeError);
    expect(backlogAt(p, resolveWorkload({}), 48).owedTotal).toBeGreaterThan(0);
  });
});
