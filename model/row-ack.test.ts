/**
 * The row backend's new version counts the acknowledged version (`RowView.newVersion`, `model/row.ts`).
 *
 * Why the equivalence harness cannot see it: rows are canonical, their versions renumbered 1, 2, … among
 * the versions present (held, owed, acknowledged), so an acknowledged version above every version held or
 * owed is exactly one rank above them. A new version that ignored it would land on the acknowledged rank
 * itself, and the rows would come out alike (the writer holds the top rank, which is the acknowledged one)
 * but for one field: `writeRecord` (`model/step.ts`) acknowledges the new version only when it is newer
 * than the acknowledged one, so the acknowledgement would keep the old write's hour. That hour is kept only
 * for a cached key with time passing, and an acknowledged version above every copy needs its only holder
 * removed: four actions (cache a key, let time pass, remove the member, cache it again), beyond the
 * harness's depth of three. Here they are, on the `broken-member` preset, with the harness's own scope and
 * comparisons. Ignoring the acknowledged version, the row backend's acknowledgement of the second write
 * would lapse at the first write's retention, while that write is still held: a different successor at
 * once, and after 180 days a different verdict (whether a write is acknowledged at all).
 */
import { isDeepStrictEqual } from 'node:util';
import { describe, expect, it } from 'vitest';
import { findPreset } from '../config/presets.ts';
import { compileCluster } from './cluster.ts';
import { makeScope } from './enabled.ts';
import { ringSymmetries } from './symmetry.ts';
import { RowView } from './row.ts';
import { RowComponent } from './component.ts';
import { NONE } from './view.ts';
import { describeAction } from './step.ts';
import { subjectProperty } from '../pgp/target.ts';
import { componentExplorations } from '../pgp/verify.ts';
import { PROPERTIES } from '../properties/index.ts';
import { compareAlong, describeDisagreement, type Evaluation } from '../test/equivalence.ts';
import { objectEvaluation, rowEvaluation } from '../test/evaluations.ts';
import { advance, remove, write } from '../test/helpers.ts';

const cluster = compileCluster(findPreset('broken-member')!.config);
// The harness's scope for presets (`test/equivalence-cases.ts`): one key of each kind, one client, the default time steps.
const scope = makeScope(1, 1);
const KEY = 'erin@partner.org';
const ID = `cachedKey:${KEY}`;
const all = [...PROPERTIES, ...PROPERTIES.flatMap((p) => subjectProperty(p) ?? [])].filter((p) => p.notApplicable(cluster) === undefined);
const exploration = componentExplorations(cluster, scope, all).find((e) => e.slot.type === 'record' && e.slot.id === ID && !e.view.rotation)!;

const HALF_A_YEAR = 180 * 24;
const weeks3 = (n: number) => Array.from({ length: n }, () => advance(21 * 24));
/** m1 caches the key, 12 weeks pass, m1 is removed with it (the acknowledged write is on no member), m2 caches it again. */
const rewritten = [write('m1', 'cachedKey', KEY), ...weeks3(4), remove('m1'), write('m2', 'cachedKey', KEY)];
/** Then 15 more weeks: past the first write's retention (180 days), not past the second's. */
const aged = [...rewritten, ...weeks3(5)];

function along(path: typeof rewritten) {
  const result = compareAlong(objectEvaluation(cluster, scope, exploration, all), rowEvaluation(cluster, scope, exploration, ringSymmetries(cluster)), path);
  expect(result.disagreements.map(describeDisagreement), `${ID} on broken-member`).toEqual([]);
  expect(result.states).toBe(path.length + 1);
  return result;
}

describe('the row backend acknowledges a write made after the acknowledged version was lost', () => {
  it('explores a cached key with its acknowledged version and its hour (the state the test needs)', () => {
    expect(exploration.view.acknowledged).toBe(true);
    expect(exploration.judged.map((p) => p.name)).toContain('no-lost-writes');
    expect(cluster.retention.cachedKey).toBe(HALF_A_YEAR);
  });

  it('agrees with the object backend at every state of the path and every successor, when the second write is acknowledged', () => {
    const { a: state, b: row } = along(rewritten);
    // The object backend: the second write, on m2 at hour 504 × 4, is the acknowledged version.
    const clock = 4 * 21 * 24;
    expect(state.clock).toBe(clock);
    expect(state.acknowledged[ID]).toBe(state.members[1]!.records[ID]);
    expect(state.acknowledgedCachedAt[ID]).toBe(clock);
    // The row backend (its hours relative to its own clock): the acknowledged version is m2's, acknowledged this hour.
    const component = new RowComponent(cluster, scope, exploration.slot, exploration.view);
    const v = new RowView(component).attach(Int32Array.from(row));
    expect(v.acked(0)).not.toBe(NONE);
    expect(v.acked(0)).toBe(v.held(0, 1));
    expect(v.clock() - v.ackedCachedAt(0)).toBe(0);
  });

  it('agrees past the first write’s retention, each backend walked on its own: the same row, the same verdicts', () => {
    const object = objectEvaluation(cluster, scope, exploration, all);
    const rows = rowEvaluation(cluster, scope, exploration, ringSymmetries(cluster));
    const walk = <S>(e: Evaluation<S>) =>
      aged.reduce((state, action) => {
        const c = e.candidates.findIndex((x) => isDeepStrictEqual(x, action));
        expect(e.enabled(state, c), `${describeAction(action)} for ${e.name}`).toBe(true);
        return e.step(state, c);
      }, e.initial());
    const state = walk(object);
    const row = walk(rows);
    expect(state.clock).toBeGreaterThanOrEqual(HALF_A_YEAR);
    expect(state.clock).toBeLessThan(4 * 21 * 24 + HALF_A_YEAR);
    // The second write is still acknowledged (its retention has not passed), and m2 holds it: a write has been acknowledged.
    expect(state.acknowledged[ID]).toBe(state.members[1]!.records[ID]);
    const verdicts = (findings: readonly boolean[]) => Object.fromEntries(object.judged.map((name, p) => [name, findings[p]]));
    expect(verdicts(object.findings(state))).toMatchObject({ 'no-lost-writes (subject)': true });
    expect(verdicts(rows.findings(row))).toEqual(verdicts(object.findings(state)));
    expect(rows.compare(row)).toBe(object.compare(state));
    const component = new RowComponent(cluster, scope, exploration.slot, exploration.view);
    const v = new RowView(component).attach(Int32Array.from(row));
    expect(v.acked(0)).not.toBe(NONE);
    expect(v.acked(0)).toBe(v.held(0, 1));
    // And along the path, every state and successor compared as the harness compares them.
    along(aged);
  });
});
