/**
 * `plan` (issue 23, item 4): a maintenance plan checked against every property with up to maxDown further
 * unplanned failures at any point; the first unsafe step with a shortest trace; `--find` searches the
 * orders of the per-member groups, or proves that none is safe.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { validateConfig } from '../config/validate.ts';
import { makeScope } from '../model/enabled.ts';
import { initialState } from '../model/cluster.ts';
import { isEnabled } from '../model/step.ts';
import {
  checkPlan,
  describeStep,
  explorePlan,
  judgeInPlan,
  NO_MARKS,
  planBounds,
  planGroups,
  planModel,
  type PlanStep,
  replayPlan,
  takeStep,
  unplannedAllowed,
} from '../pgp/plan.ts';
import { findProperty } from '../properties/index.ts';
import { cli, overWidth, tempDir, writeDoc } from '../test/cli.ts';

const smallSites = 'examples/two-small-sites.json';
const together = 'examples/plans/hq-together.plan.json';
const rolling = 'examples/plans/rolling-minor.plan.json';
const rollingMajor = 'examples/plans/two-sites-rolling-major.plan.json';

const configOf = (file: string) => {
  const result = validateConfig(JSON.parse(readFileSync(file, 'utf8')));
  if (!result.ok) throw new Error(file);
  return result.config;
};
const stepsOf = (file: string): PlanStep[] => JSON.parse(readFileSync(file, 'utf8')).steps;

describe('plan', () => {
  it('both members of a two-member site down at once: unsafe at the step that takes the second down', async () => {
    const { status, out } = await cli('plan', together, '--config', smallSites, '--json');
    expect(status).toBe(1);
    const doc = JSON.parse(out);
    expect(doc).toMatchObject({ safe: false, proven: true, unsafe: { position: 5, step: { index: 5, type: 'down', member: 'hq2' }, property: 'private-key-availability' } });
    // The trace ends with that step; every plan step before it is in order.
    const trace: { kind: string; index?: number; text: string }[] = doc.unsafe.trace;
    expect(trace.at(-1)).toMatchObject({ kind: 'step', index: 5, text: 'step 5: take hq2 down' });
    expect(trace.filter((a) => a.kind === 'step').map((a) => a.index)).toEqual([1, 2, 3, 4, 5]);
    expect(doc.unsafe.message).toMatch(/with dr1 down, the private key of \w+ \(held only by hq1, hq2, dr1\) is on no live member running mail/);
    expect(doc.bounds).toMatchObject({ 'unplanned members down at once': 1, 'links cut at once': 0 });
  });

  it('one member at a time (out of traffic, down, minor update, back, replication quiet): safe, every reachable state explored', async () => {
    const { status, out } = await cli('plan', rolling, '--config', smallSites, '--json');
    expect(status).toBe(0);
    const doc = JSON.parse(out);
    expect(doc).toMatchObject({ safe: true, proven: true, unsafe: null });
    expect(doc.checked).toEqual(expect.arrayContaining(['survivor-convergence', 'private-key-availability', 'web-messenger-rejoin-freshness']));
    expect(doc.notExplored.map((n: { property: string }) => n.property)).toEqual(expect.arrayContaining(['skm-keys-stay-valid', 'purged-keys-stay-purged']));
  });

  it('the first unsafe step is the least one: a plan unsafe at step 5 stays so with steps added after it', () => {
    const config = configOf(smallSites);
    const steps = stepsOf(together);
    const only = { maxStates: 1_000_000, properties: ['private-key-availability', 'web-messenger-availability'], cutLinks: false };
    const bisected = checkPlan(config, steps, only);
    expect(bisected.unsafe?.position).toBe(5);
    // The whole plan explored at every position: no violation before step 5.
    const whole = explorePlan(config, steps, only);
    expect(whole.exhausted).toBe(true);
    expect(whole.unsafe?.position).toBe(5);
  });

  it('--find on a rolling major upgrade of examples/two-sites.json: proves no order safe (KB 225396), one class of alike first groups', async () => {
    const { status, out } = await cli('plan', rollingMajor, '--config', 'examples/two-sites.json', '--find', '--json');
    expect(status).toBe(1);
    const doc = JSON.parse(out);
    expect(doc).toMatchObject({ order: null, noneExists: true, undecided: null, firstClasses: 1 });
    expect(doc.groups.map((g: { member: string }) => g.member)).toEqual(['hq1', 'hq2', 'hq3', 'dr1', 'dr2', 'dr3']);
    expect(doc.unsafe[0]).toMatchObject({ order: ['hq1'], property: 'survivor-convergence', step: { type: 'up', member: 'hq1' } });
    const text = (await cli('plan', rollingMajor, '--config', 'examples/two-sites.json', '--find')).out.replace(/\s+/g, ' ');
    expect(text).toMatch(/NO ORDER IS SAFE \(proven\)/);
    expect(text).toMatch(/Members a major release apart do not replicate \(KB 225396\)/);
  });

  it('--find: a safe order of the rolling minor update', async () => {
    // The properties a member down for maintenance puts at risk here (the whole catalogue is the next test's).
    const { status, out } = await cli('plan', rolling, '--config', smallSites, '--find', '--json', '--property', 'private-key-availability', '--property', 'survivor-convergence');
    expect(status).toBe(0);
    const doc = JSON.parse(out);
    expect(doc.order).toEqual(['hq1', 'hq2', 'dr1', 'dr2']);
    expect(doc.steps).toEqual(stepsOf(rolling));
  });

  it('the packed plan product and the plain model take each step alike, and judge alike', () => {
    const config = configOf(smallSites);
    const model = planModel(config);
    const steps = stepsOf(together);
    const found = checkPlan(config, steps, { maxStates: 1_000_000, properties: [], cutLinks: false }).unsafe!;
    // The shortest trace replays on the plain model and violates the property there, with the planned members held down.
    const { states, marks } = replayPlan(model, found.trace);
    expect(marks.at(-1)).toEqual({ planned: 0b11, drained: 0b11 });
    const outcome = judgeInPlan(model, findProperty(found.property)!, states.at(-1)!, marks.at(-1)!.planned);
    expect(outcome.holds).toBe(false);
    // Without holding the plan's members down (as check judges), the same state is fine: the plan is what breaks it.
    expect(findProperty(found.property)!.check(model, states.at(-1)!).holds).toBe(true);
    // Plain steps refuse what cannot be taken, naming why.
    expect(takeStep(model, states[0]!, NO_MARKS, { type: 'up', member: 'hq1' })).toMatch(/has not taken hq1 down/);
    expect(planGroups(stepsOf(rolling)).map((g) => [g.member, g.steps.length])).toEqual([
      ['hq1', 6],
      ['hq2', 6],
      ['dr1', 6],
      ['dr2', 6],
    ]);
    expect(describeStep({ type: 'upgrade', member: 'hq1', major: false })).toBe('upgrade hq1 (minor update)');
  });

  it('a plan splits no site: its bounds say none, and no unplanned action does', () => {
    const config = configOf('examples/two-sites-split.json');
    const model = planModel(config);
    const state = initialState(model);
    expect(planBounds(config, makeScope(1, 0, []), true)).toMatchObject({ 'sites split off at once': 0 });
    expect(isEnabled(model, state, { type: 'splitSite', site: 'hq' })).toBe(true);
    expect(unplannedAllowed(model, state, NO_MARKS, { type: 'splitSite', site: 'hq' }, true)).toBe(false);
    // (The packed product's own copy of this rule, PlanSpace.unplannedAllowed, answers the same: a switch the compiler checks for every action type.)
  });

  it('text at 80 columns: the steps, the first unsafe step, its trace, what it rests on', async () => {
    const before = process.env.COLUMNS;
    process.env.COLUMNS = '80';
    try {
      const { out } = await cli('plan', together, '--config', smallSites);
      expect(overWidth(out)).toEqual([]);
      const flat = out.replace(/\s+/g, ' ');
      expect(flat).toMatch(/ 5\. take hq2 down /);
      expect(flat).toMatch(/UNSAFE at step 5 \(take hq2 down\): private-key-availability fails there; a shortest trace, \d+ actions: 1\. \(unplanned\) write privateKey/);
      expect(flat).toMatch(/Bounds: members: 4; unplanned members down at once: 1; links cut at once: 0/);
      const found = await cli('plan', rollingMajor, '--config', 'examples/two-sites.json', '--find');
      expect(overWidth(found.out)).toEqual([]);
    } finally {
      if (before === undefined) delete process.env.COLUMNS;
      else process.env.COLUMNS = before;
    }
  });

  it('bad input: exit 2, naming the file and the step', async () => {
    const dir = tempDir();
    const plan = (steps: unknown, name = 'p.json') => writeDoc(dir, name, { name: 'bad', steps });
    const unknownMember = await cli('plan', plan([{ type: 'down', member: 'hq3' }]), '--config', smallSites);
    expect(unknownMember.status).toBe(2);
    expect(unknownMember.err).toMatch(/p\.json: steps\[0\]\.member: unknown member id "hq3"; valid: hq1, hq2, dr1, dr2; did you mean "hq1"\?/);
    const unknownType = await cli('plan', plan([{ type: 'shutdown', member: 'hq1' }]), '--config', smallSites);
    expect(unknownType.err).toMatch(/steps\[0\]\.type: unknown step type "shutdown"; valid: drain, down, upgrade, up, settle/);
    const impossible = await cli('plan', plan([{ type: 'up', member: 'hq1' }]), '--config', smallSites);
    expect(impossible.status).toBe(2);
    expect(impossible.err).toMatch(/steps\[0\]: cannot bring hq1 back here: the plan has not taken hq1 down or out of traffic/);
    const twice = await cli('plan', plan([{ type: 'upgrade', member: 'hq1' }, { type: 'upgrade', member: 'hq1' }]), '--config', smallSites);
    expect(twice.err).toMatch(/steps\[1\]: cannot upgrade hq1 \(major release\) here: hq1 is upgraded to the next release already/);
    const major = await cli('plan', plan([{ type: 'upgrade', member: 'hq1', major: 'yes' }]), '--config', smallSites);
    expect(major.err).toMatch(/steps\[0\]\.major: expected true or false/);
    const interleaved = await cli('plan', together, '--config', smallSites, '--find');
    expect(interleaved.status).toBe(2);
    expect(interleaved.err).toMatch(/hq-together\.plan\.json: steps\[3\]: hq1's steps do not come together/);
    expect((await cli('plan', '--config', smallSites)).err).toMatch(/plan: give a plan file/);
    expect((await cli('plan', together)).err).toMatch(/plan: give --config FILE or --preset NAME/);
    const missing = await cli('plan', `${dir}/none.json`, '--config', smallSites);
    expect(missing.status).toBe(2);
    expect(missing.out).toBe('');
  });
});
