/**
 * `no-silent-overwrite` (issue 21): a write acknowledged on one side of a split is not superseded by a
 * write made where it could not be seen. The scenario (split the sites, edit the same record on
 * each side, join them again) breaks it; an edit on one side only, or an edit made after the first had
 * replicated, does not; and a two-site cluster whose faults cannot separate its live members holds it in
 * every reachable state.
 */
import { describe, expect, it } from 'vitest';
import type { ClusterConfigInput } from '../config/schema.ts';
import type { Action } from '../model/actions.ts';
import { checkTarget } from '../pgp/check.ts';
import { makeTarget } from '../pgp/target.ts';
import { resolveConfig } from '../config/validate.ts';
import { cluster, run, write, replicate } from '../test/helpers.ts';
import { findProperty } from './index.ts';

const twoSites: Omit<ClusterConfigInput, 'name'> = {
  members: [
    { id: 'hq1', site: 'hq' },
    { id: 'hq2', site: 'hq' },
    { id: 'dr1', site: 'dr' },
    { id: 'dr2', site: 'dr' },
  ],
  faults: { maxDown: 1 },
};
const split = (site: string): Action => ({ type: 'splitSite', site });
const join = (site: string): Action => ({ type: 'healSite', site });
const property = findProperty('no-silent-overwrite')!;

describe('no-silent-overwrite', () => {
  const model = cluster(twoSites);
  const judge = (actions: readonly Action[]) => property.check(model, run(model, actions)).holds;

  it('the issue\'s scenario: a split, the same record edited on each side, the sites joined again: violated, and it stays so', () => {
    expect(judge([split('dr'), write('hq1', 'user', 'alice'), write('dr1', 'user', 'alice')])).toBe(false);
    expect(judge([split('dr'), write('hq1', 'user', 'alice'), write('dr1', 'user', 'alice'), join('dr'), replicate('dr1'), replicate('hq2')])).toBe(false);
    const message = property.check(model, run(model, [split('dr'), write('hq1', 'user', 'alice'), write('dr1', 'user', 'alice')]));
    expect(message.holds ? "" : message.message).toMatch(/^user:alice: an acknowledged write was superseded/);
  });

  it('holds when only one side edits the record, when the second edit saw the first, or when the two edits are of different records', () => {
    expect(judge([split('dr'), write('hq1', 'user', 'alice'), write('hq2', 'user', 'alice'), join('dr')])).toBe(true);
    // The first edit reached dr1 before the split: the second supersedes it knowingly.
    expect(judge([write('hq1', 'user', 'alice'), replicate('hq1'), replicate('hq2'), split('dr'), write('dr1', 'user', 'alice')])).toBe(true);
    expect(judge([split('dr'), write('hq1', 'user', 'alice'), write('dr1', 'user', 'bob')])).toBe(true);
  });

  it('does not apply to a cluster whose members name no sites', () => {
    expect(property.notApplicable(cluster({ members: [{ id: 'm1' }, { id: 'm2' }, { id: 'm3' }] }))).toMatch(/name fewer than two sites/);
    expect(property.notApplicable(model)).toBeUndefined();
  });

  it('exhaustively: violated where a site can be split off, held in every reachable state where no fault can separate the live members', () => {
    const options = { runs: 50, seed: 1, maxLength: 8, properties: ['no-silent-overwrite'], maxStates: 1_000_000 };
    const [violated] = checkTarget(makeTarget(resolveConfig({ name: 'splittable', ...twoSites })), options);
    expect(violated).toMatchObject({ verdict: 'violated' });
    expect(violated!.finding!.actions.map((a) => a.type)).toEqual(['splitSite', 'write', 'write']);
    // No site split, one link cut at most, one member down: three live members with one cut link between
    // two of them still reach each other through the third.
    const [held] = checkTarget(makeTarget(resolveConfig({ name: 'unsplittable', ...twoSites, faults: { maxDown: 1, maxSiteSplits: 0 } })), options);
    expect(held).toMatchObject({ verdict: 'holds', basis: { basis: 'exhaustive' } });
  });
});
