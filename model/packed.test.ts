/**
 * The packed evaluation of the model (`model/packed.ts`) is bound to the immer model here: on random
 * configs and random traces, at every step and for every component, both agree on the state
 * (`encode(project(state))` is the row the packed rules reached), on which actions are enabled, and on
 * every property's verdict as the packed explorer judges it (`pgp/verify.ts`). The same run checks each
 * property's `reads` declaration: on a component it does not read, the property holds (or, for a
 * `sometimes` property, is not reached).
 */
import { fc, test } from '@fast-check/vitest';
import { describe } from 'vitest';
import { checkableModel, subjectProperty } from '../pgp/target.ts';
import { readsRotation, readsSlot, SlotSpace, viewFor } from '../pgp/verify.ts';
import type { ClusterConfigInput } from '../config/schema.ts';
import { resolveConfig } from '../config/validate.ts';
import { PROPERTIES } from '../properties/index.ts';
import { agree } from '../test/helpers.ts';
import { compileCluster, initialState } from './cluster.ts';
import { makeScope, type Scope } from './enabled.ts';
import { FULL_VIEW, PackedSlot } from './packed.ts';
import { project, scopeSlots } from './projection.ts';
import { settle } from './settle.ts';
import { identity, ringSymmetries } from './symmetry.ts';

const SERVICES = ['mail', 'webMessenger', 'keyserver', 'desktop', 'verifiedDirectory'] as const;

/** A random valid config of 2 to 5 members, with every option drawn. */
const configs: fc.Arbitrary<ClusterConfigInput> = fc
  .integer({ min: 2, max: 5 })
  .chain((n) =>
    fc.record({
      members: fc.tuple(
        ...Array.from({ length: n }, (_, i) =>
          fc.record({
            zone: fc.constantFrom('internal', 'dmz'),
            services: fc.subarray([...SERVICES]),
            privateKeys: fc.boolean(),
            joinsLater: i === 0 ? fc.constant(false) : fc.constantFrom(false, false, false, false, false, true),
          }),
        ),
      ),
      accountMode: fc.constantFrom('highAvailability', 'homeServer'),
      switchTo: fc.option(fc.constantFrom('highAvailability', 'homeServer'), { nil: undefined }),
      replication: fc.option(fc.subarray(Array.from({ length: n }, (_, i) => `m${i + 1}`), { minLength: 1 }), { nil: undefined }),
      clusterHostname: fc.boolean(),
      holds: fc.boolean(),
      maxDown: fc.integer({ min: 0, max: n - 1 }),
      partitions: fc.boolean(),
      maxCutLinks: fc.integer({ min: 1, max: 3 }),
      removeMember: fc.boolean(),
      upgrades: fc.constantFrom(false, true, 'minor' as const, 'major' as const),
      maxOutageDays: fc.integer({ min: 1, max: 3 }),
      ttl: fc.constantFrom(1, 24, 30),
      dmzAfterRemoval: fc.constantFrom('stale', 'repointed'),
      joinWhenSponsorDown: fc.constantFrom('waits', 'anyMember'),
    }),
  )
  .map((r) => ({
    name: 'random',
    members: r.members.map((m, i) => ({ id: `m${i + 1}`, zone: m.zone, services: m.services, privateKeys: m.privateKeys, joinsLater: m.joinsLater })),
    webMessenger: {
      accountMode: r.accountMode,
      ...(r.switchTo === undefined ? {} : { switchTo: r.switchTo }),
      ...(r.replication === undefined ? {} : { replication: r.replication }),
    },
    loadBalancer: { clusterHostname: r.clusterHostname, holdsRejoiningMembers: r.holds },
    faults: {
      maxDown: r.maxDown,
      partitions: r.partitions,
      maxCutLinks: r.maxCutLinks,
      removeMember: r.removeMember,
      upgrades: r.upgrades,
      maxOutageDays: r.maxOutageDays,
    },
    keyCache: { keyserverTtlHours: r.ttl },
    assumptions: { dmzAfterRemoval: r.dmzAfterRemoval, joinWhenSponsorDown: r.joinWhenSponsorDown },
  }));

const scopes: fc.Arbitrary<Scope> = fc.record({
  hours: fc.constantFrom([], [24], [1, 24, 336], [24, 336, 504, 4320]),
  horizon: fc.option(fc.constantFrom(48, 400), { nil: undefined }),
  writeOnce: fc.constantFrom(false, false, false, true),
}).map(({ hours, horizon, writeOnce }) => ({ ...makeScope(1, 1, hours), writeOnce, ...(horizon === undefined ? {} : { maxClock: horizon }) }));

describe('the packed evaluation agrees with the immer model', () => {
  test.prop([configs, scopes, fc.array(fc.nat({ max: 10_000 }), { maxLength: 16 })], {
    numRuns: Number(process.env.PACKED_RUNS ?? 40),
    // To replay a failure: PACKED_SEED and PACKED_PATH from its report.
    ...(process.env.PACKED_SEED === undefined ? {} : { seed: Number(process.env.PACKED_SEED), path: process.env.PACKED_PATH }),
  })(
    'step by step: state, enabled actions and verdicts, for every component',
    (input, scope, choices) => {
      const config = resolveConfig(input);
      const cluster = compileCluster(config);
      const plain = checkableModel(cluster, scope);
      // The properties, and each one's subject as a property of its own (it reads what its property reads).
      const applicable = [...PROPERTIES, ...PROPERTIES.flatMap((p) => subjectProperty(p) ?? [])].filter((p) => p.notApplicable(cluster) === undefined);
      const group = ringSymmetries(cluster);
      const slots = scopeSlots(scope).map((slot) => {
        const judged = applicable.filter((p) => readsSlot(p, slot));
        // Each view with the properties judged in it, as `verifyPacked` judges them: the rotation's readers
        // only in a view that keeps the rotation.
        const apart = judged.filter((p) => !readsRotation(p, cluster));
        const views = [
          { view: FULL_VIEW, judged },
          { view: viewFor(apart, scope, cluster), judged: apart },
          { view: viewFor(judged, scope, cluster), judged },
        ];
        return {
          slot,
          judged,
          unread: applicable.filter((p) => !readsSlot(p, slot)),
          spaces: views.map((v) => new SlotSpace(cluster, new PackedSlot(cluster, scope, slot, v.view), v.judged, [identity(cluster.size)])),
        };
      });
      const symmetric = slots.map(({ slot, judged }) => new SlotSpace(cluster, new PackedSlot(cluster, scope, slot, FULL_VIEW), judged, group));
      let state = initialState(cluster);
      const rows = slots.map(({ spaces }) => spaces.map((space) => space.packed.encode(project(state, space.packed.slot))));
      for (const choice of [...choices, -1]) {
        const enabled = plain.enabled(state);
        slots.forEach(({ slot, judged, unread, spaces }, s) => {
          const projected = project(state, slot);
          spaces.forEach((space, v) => {
            const packed = space.packed;
            const row = rows[s]![v]!;
            agree(Array.from(row), Array.from(packed.encode(projected)), () => `state of ${slot.type === 'record' ? slot.id : slot.client}`);
            // Decoding gives a state that encodes back to the row.
            agree(Array.from(packed.encode(project(packed.decode(row), slot))), Array.from(row));
            const mine = packed.candidates.filter((_, c) => packed.enabled(row, c)).map((c) => JSON.stringify(c.action)).sort();
            const expected = enabled
              .map((a) => JSON.stringify(a))
              .filter((a) => packed.candidates.some((c) => JSON.stringify(c.action) === a))
              .sort();
            agree(mine, expected);
            // `changes` and `apply` agree on which enabled actions change nothing.
            packed.candidates.forEach((_, c) => {
              if (!packed.enabled(row, c)) return;
              const copy = Int32Array.from(row);
              const changed = packed.apply(copy, c);
              agree(packed.changes(row, c), changed);
              if (!changed) agree(Array.from(copy), Array.from(row));
            });
            // Faults ended and replication settled on the row equals the immer model's settling.
            for (const mode of ['all', 'survivors'] as const) {
              const mine = Array.from(row) as number[];
              const settledRow = Int32Array.from(mine);
              packed.endFaults(settledRow, mode);
              packed.clearOwed(settledRow);
              const quiet = packed.settle(settledRow);
              const theirs = settle(cluster, projected, mode);
              agree(quiet, theirs.quiescent);
              const expectedRow = packed.encode(project(theirs.state, slot));
              packed.clearOwed(expectedRow);
              agree(Array.from(settledRow), Array.from(expectedRow), () => `settled (${mode}) ${JSON.stringify(slot)}`);
            }
            const words = new Int32Array(space.words);
            packed.pack(row, words);
            // Packing loses nothing.
            const unpacked = packed.newRow();
            packed.unpack(words, 0, unpacked);
            agree(Array.from(unpacked), Array.from(row));
            space.judged.forEach((property, p) => {
              const outcome = property.check(cluster, projected);
              const finding = property.kind === 'sometimes' ? outcome.holds : !outcome.holds;
              agree(space.judge(p, words, 0) !== undefined, finding, () => `${property.name} on ${JSON.stringify(slot)}`);
            });
          });
          // The symmetric space canonicalizes without changing a verdict.
          const sym = symmetric[s]!;
          const out = new Int32Array(sym.words);
          sym.canonical(rows[s]![0]!, out);
          // ...and its canonical row is the least packing of the row relabelled by each symmetry.
          const least = group
            .map((perm) => {
              const inverse = perm.map((_, p) => perm.indexOf(p));
              const relabelled = sym.packed.newRow();
              sym.packed.relabel(rows[s]![0]!, perm, inverse, relabelled);
              const words = new Int32Array(sym.words);
              sym.packed.pack(relabelled, words);
              return Array.from(words, (w) => w >>> 0);
            })
            .reduce((a, b) => (b.findIndex((w, k) => w !== a[k]!) !== -1 && b[b.findIndex((w, k) => w !== a[k]!)]! < a[b.findIndex((w, k) => w !== a[k]!)]! ? b : a));
          agree(Array.from(out, (w) => w >>> 0), least);
          judged.forEach((property, p) => {
            const outcome = property.check(cluster, projected);
            agree(sym.judge(p, out, 0) !== undefined, property.kind === 'sometimes' ? outcome.holds : !outcome.holds);
          });
          // `holdsWithoutDebts`: where no member owes anything, the property holds.
          if (projected.members.every((m) => Object.keys(m.owedAtReturn).length === 0))
            for (const property of judged.filter((p) => p.holdsWithoutDebts === true))
              agree(property.check(cluster, projected).holds, true, () => `${property.name} without debts`);
          // `reads`: a property that does not read this component holds on it (or is not reached).
          for (const property of unread) {
            const outcome = property.check(cluster, projected);
            agree(property.kind === 'sometimes' ? outcome.holds : !outcome.holds, false, () => `${property.name}: its \`reads\` leaves out ${JSON.stringify(slot)}, yet it ${property.kind === 'sometimes' ? 'is reached' : 'fails'} on that component alone: declare what it reads (properties/types.ts, PropertyReads)`);
          }
        });
        if (choice === -1 || enabled.length === 0) break;
        const action = enabled[choice % enabled.length]!;
        const json = JSON.stringify(action);
        slots.forEach(({ spaces }, s) => {
          spaces.forEach((space, v) => {
            const c = space.packed.candidates.findIndex((x) => JSON.stringify(x.action) === json);
            if (c !== -1) space.packed.apply(rows[s]![v]!, c);
          });
        });
        state = plain.step(state, action);
      }
    },
  );
});
