/**
 * The canonical key (each component's row, `model/row.ts`) is sound only if states with one key behave alike: a checker keeps one state per key
 * and never looks at the others. The key leaves out absolute time (ages are kept relative to the clock and
 * capped where the model stops reading them), the count of writes and who wrote what. These tests collect
 * states from random walks with time steps of every size, and for every two different states that share
 * a key, follow both with the same actions: at every step the keys, the enabled actions and every
 * property's verdict must agree.
 */
import { agree } from '../test/helpers.ts';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { pickEnabled } from '../checker/random.ts';
import { checkableModel } from '../pgp/target.ts';
import { PRESETS } from '../config/presets.ts';
import { resolveConfig } from '../config/validate.ts';
import { PROPERTIES } from '../properties/index.ts';
import { compileCluster } from './cluster.ts';
import { makeScope, type Scope } from './enabled.ts';
import { type CacheKind, isCacheKind, kindOf, RECORD_KINDS, type RecordId } from './records.ts';
import { SKM_RENEWAL_LEAD_HOURS, SKM_VALIDITY_HOURS } from './time.ts';
import { canonicalStateKey } from './projection.ts';
import type { ClusterState } from './state.ts';

// Time steps from an hour to half a year, so that walks reach one state by different routes in time.
const HOURS = [1, 12, 24, 13 * 24, 14 * 24, 180 * 24];

const configs = [
  ...PRESETS.map((p) => p.config),
  resolveConfig({
    name: 'short-ttl',
    members: [{ id: 'm1' }, { id: 'm2' }, { id: 'm3', zone: 'dmz', privateKeys: false }],
    keyCache: { keyserverTtlHours: 30 },
    loadBalancer: { clusterHostname: false },
    faults: { maxOutageDays: 15 },
  }),
];

describe.each(configs.map((c) => [c.name, c] as const))('states with one canonical key behave alike on %s', (_name, config) => {
  const cluster = compileCluster(config);
  const model = checkableModel(cluster, makeScope(1, 1, HOURS));
  const properties = PROPERTIES.filter((p) => p.notApplicable(cluster) === undefined);
  const key = (s: ClusterState) => canonicalStateKey(cluster, s);
  const verdicts = (s: ClusterState) => properties.map((p) => `${p.name}:${p.check(cluster, s).holds}`);

  it('a shared key means the same future', () => {
    const seen = new Map<string, ClusterState>();
    let collisions = 0;
    const walk = (from: ClusterState, choices: readonly number[]) => {
      let state = from;
      const states = [state];
      for (const choice of choices) {
        const action = pickEnabled(model, model.enabled(state), choice);
        if (action === undefined) break;
        state = model.step(state, action);
        states.push(state);
      }
      return states;
    };
    fc.assert(
      fc.property(fc.array(fc.nat({ max: 10_000 }), { minLength: 4, maxLength: 24 }), fc.array(fc.nat({ max: 10_000 }), { maxLength: 12 }), (choices, future) => {
        for (const state of walk(model.initial, choices)) {
          const k = key(state);
          const other = seen.get(k);
          if (other === undefined) {
            seen.set(k, state);
            continue;
          }
          if (JSON.stringify(other) === JSON.stringify(state)) continue;
          collisions++;
          // Every successor, then a random future a few steps long.
          const enabled = model.enabled(state);
          agree(model.enabled(other).map((x) => JSON.stringify(x)), enabled.map((x) => JSON.stringify(x)));
          agree(verdicts(other), verdicts(state));
          for (const action of enabled) agree(key(model.step(other, action)), key(model.step(state, action)));
          const a = walk(state, future);
          const b = walk(other, future);
          agree(b.length, a.length);
          a.forEach((s, i) => {
            agree(key(b[i]!), key(s));
            agree(model.enabled(b[i]!).map((x) => JSON.stringify(x)), model.enabled(s).map((x) => JSON.stringify(x)));
            agree(verdicts(b[i]!), verdicts(s));
          });
        }
      }),
      { seed: 20261128, numRuns: Number(process.env.FINGERPRINT_RUNS ?? 50) },
    );
    // Not vacuous: different states did share keys, and their futures were compared.
    expect(collisions).toBeGreaterThan(0);
  });
});

describe('time in the canonical key', () => {
  const cluster = compileCluster(PRESETS.find((p) => p.config.name === 'long-outage')!.config);
  const model = checkableModel(cluster, makeScope(1, 1, HOURS));
  const key = (s: ClusterState) => canonicalStateKey(cluster, s);

  it('is relative: shifting every hour a state records by the same amount leaves the key alone', () => {
    const shift = (s: ClusterState, by: number): ClusterState => ({
      ...s,
      clock: s.clock + by,
      members: s.members.map((m) => ({
        ...m,
        purgedAt: m.purgedAt + by,
        downSince: m.downSince + by,
        upSince: m.upSince + by,
        cachedAt: Object.fromEntries(Object.entries(m.cachedAt).map(([id, at]) => [id, at + by])),
      })),
      acknowledgedCachedAt: Object.fromEntries(Object.entries(s.acknowledgedCachedAt).map(([id, at]) => [id, at + by])),
      clients: Object.fromEntries(
        Object.entries(s.clients).map(([name, c]) => [name, { ...c, skmIssued: c.skmIssued + by, lastContact: c.lastContact + by }]),
      ),
    });
    fc.assert(
      fc.property(fc.array(fc.nat({ max: 10_000 }), { maxLength: 12 }), fc.integer({ min: 1, max: 10_000 }), (choices, by) => {
        let state = model.initial;
        for (const choice of choices) {
          const action = pickEnabled(model, model.enabled(state), choice);
          if (action === undefined) break;
          state = model.step(state, action);
        }
        agree(key(shift(state, by)), key(state));
      }),
      { seed: 20261128, numRuns: 200 },
    );
  });
});

/**
 * Random walks rarely reach two states whose times differ only where the key stops counting, so these
 * tests make such states: a reached state with the hours it records moved (how long ago a key was cached,
 * an SKM key issued, an outage begun), and whenever the moved state keeps the key, both must have the same
 * future: the same successors' keys, enabled actions and verdicts, and the same keys along random walks.
 */
describe('moving the hours a state records, where the key does not see it, changes no future', () => {
  // Key caches only (a keyserver key kept 30 hours), time in steps of hours to weeks.
  const full = makeScope(1, 1, [1, 6, 12, 24, 13 * 24, 14 * 24, 180 * 24]);
  const caches: Scope = {
    ...full,
    keys: { ...(Object.fromEntries(RECORD_KINDS.map((k) => [k, []])) as unknown as Scope['keys']), cachedKey: full.keys.cachedKey, fetchedKey: full.keys.fetchedKey },
  };
  const config = resolveConfig({
    name: 'short-ttl',
    members: [{ id: 'm1' }, { id: 'm2' }, { id: 'm3', zone: 'dmz', privateKeys: false }],
    keyCache: { keyserverTtlHours: 30 },
    loadBalancer: { clusterHostname: false },
    faults: { maxOutageDays: 15, removeMember: true },
  });
  it.each([
    ['every kind', full],
    ['key caches only', caches],
  ] as const)('%s', (_name, scope) => {
    const cluster = compileCluster(config);
    const model = checkableModel(cluster, scope);
    const properties = PROPERTIES.filter((p) => p.notApplicable(cluster) === undefined);
    const key = (s: ClusterState) => canonicalStateKey(cluster, s);
    const verdicts = (s: ClusterState) => properties.map((p) => `${p.name}:${p.check(cluster, s).holds}`);
    const limit = config.faults.maxOutageDays * 24;
    /**
     * The state with one of the hours it records moved (within what the model allows): the start of an
     * outage, when a copy of a key was cached or its newest write acknowledged, when an SKM key was issued,
     * when the client last talked to a server. The new age is either `age` (wrapped into range) or one
     * next to a threshold the model reads (`pick` chooses), where a key that counts too little shows.
     */
    const validity = SKM_VALIDITY_HOURS;
    const lead = SKM_RENEWAL_LEAD_HOURS;
    const move = (s: ClusterState, field: number, pick: number, age: number): ClusterState => {
      const choose = (range: number, thresholds: readonly number[]) => {
        const options = [age % range, ...thresholds];
        return options[pick % options.length]!;
      };
      const cacheAge = (id: string) => {
        const retention = cluster.retention[kindOf(id as RecordId) as CacheKind];
        return choose(retention + 48, [retention - 1, retention, retention + 1]);
      };
      const fields: (() => ClusterState)[] = [];
      s.members.forEach((m, i) => {
        const withMember = (changed: Partial<typeof m>) => ({ ...s, members: s.members.map((x, j) => (j === i ? { ...x, ...changed } : x)) });
        if (m.status === 'down') fields.push(() => withMember({ downSince: s.clock - choose(limit + 1, [0, 1, limit - 1, limit]) }));
        if (m.status === 'up' && m.upSince !== s.clock && m.upSince > 0)
          fields.push(() => withMember({ upSince: Math.max(1, s.clock - 1 - (age % s.clock)), downSince: 0 }));
        for (const id in m.cachedAt) {
          if (isCacheKind(kindOf(id as RecordId))) fields.push(() => withMember({ cachedAt: { ...m.cachedAt, [id]: s.clock - cacheAge(id) } }));
        }
      });
      for (const id in s.acknowledgedCachedAt)
        fields.push(() => ({ ...s, acknowledgedCachedAt: { ...s.acknowledgedCachedAt, [id]: s.clock - cacheAge(id) } }));
      for (const [name, c] of Object.entries(s.clients)) {
        const issued = s.clock - choose(validity + 64, [validity - lead - 1, validity - lead, validity - lead + 1, validity - 1, validity, validity + 1]);
        fields.push(() => ({ ...s, clients: { ...s.clients, [name]: { ...c, skmIssued: issued, lastContact: c.lastContact > c.skmIssued ? s.clock : issued } } }));
        const contact = c.skmIssued + (age % (s.clock - c.skmIssued + 1));
        fields.push(() => ({ ...s, clients: { ...s.clients, [name]: { ...c, lastContact: contact } } }));
      }
      return fields.length === 0 ? s : fields[field % fields.length]!();
    };
    let compared = 0;
    fc.assert(
      fc.property(
        fc.array(fc.nat({ max: 10_000 }), { minLength: 2, maxLength: 20 }),
        fc.nat({ max: 100 }),
        fc.tuple(fc.nat({ max: 20 }), fc.nat({ max: 10_000 })),
        fc.tuple(fc.nat({ max: 20 }), fc.nat({ max: 10_000 })),
        fc.array(fc.nat({ max: 10_000 }), { maxLength: 8 }),
        (choices, field, [pick1, age1], [pick2, age2], future) => {
          let reached = model.initial;
          for (const choice of choices) {
            const action = pickEnabled(model, model.enabled(reached), choice);
            if (action === undefined) break;
            reached = model.step(reached, action);
          }
          // The same hour moved two ways (or once, against the state as reached).
          const state = pick1 === 0 && age1 === 0 ? reached : move(reached, field, pick1, age1);
          const moved = move(reached, field, pick2, age2);
          if (key(moved) !== key(state) || JSON.stringify(moved) === JSON.stringify(state)) return;
          compared++;
          const enabled = model.enabled(state);
          agree(model.enabled(moved).map((x) => JSON.stringify(x)), enabled.map((x) => JSON.stringify(x)));
          agree(verdicts(moved), verdicts(state));
          for (const action of enabled) {
            const [a, b] = [model.step(state, action), model.step(moved, action)];
            agree(key(b), key(a), () => JSON.stringify(action));
            agree(verdicts(b), verdicts(a));
          }
          let [a, b] = [state, moved];
          for (const choice of future) {
            const action = pickEnabled(model, model.enabled(a), choice);
            if (action === undefined) break;
            [a, b] = [model.step(a, action), model.step(b, action)];
            agree(key(b), key(a));
          }
        },
      ),
      { seed: 20261128, numRuns: 2500 },
    );
    expect(compared).toBeGreaterThan(20);
  });
});
