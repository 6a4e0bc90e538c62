/**
 * The cross-check of exhaustive verdicts (`checker/cross-check.ts`), on the two-phase commit of
 * `test/two-phase-commit.ts`: silent on an honest exploration, and an internal error naming the property
 * and a real trace when a test-only exploration lies about what the plain model does.
 */
import { describe, expect, it } from 'vitest';
import { type TwoPhaseAction, type TwoPhaseConfig, type TwoPhaseState, twoPhaseInstance, twoPhasePlugin } from '../test/two-phase-commit.ts';
import { type Claim, CROSS_CHECK_LENGTH, CROSS_CHECK_WALKS, CrossCheckError, claimsOf, crossCheck } from './cross-check.ts';
import { exploreFirst } from './explore-first.ts';
import type { Explored, Instance, InstanceProperty, Plugin } from './plugin.ts';
import { checkConfig, checkConfigs } from './run.ts';
import { runSearchTask, type SearchTask } from './tasks.ts';
import { violationOf } from './trace.ts';
import type { Outcome, Property } from './types.ts';

const [correct, buggy] = twoPhasePlugin.presets.map((p) => p.config) as [TwoPhaseConfig, TwoPhaseConfig];
const options = { runs: 50, seed: 7, maxLength: 8, properties: [], maxStates: 10_000 } as const;

/** An `always` property the plain model breaks in one action (an RM chooses to abort). */
const noneAborted: InstanceProperty<TwoPhaseState> = {
  name: 'none-aborted',
  kind: 'always',
  notApplicable: undefined,
  property: {
    name: 'none-aborted',
    kind: 'always',
    check: (s): Outcome => (s.rm.includes('aborted') ? { holds: false, message: `RM ${s.rm.indexOf('aborted')} aborted` } : { holds: true }),
  },
};

/** What a lying exploration says of a property: found nowhere in every reachable state. */
function verified(verdict: 'holds' | 'unreached' | 'vacuous'): Explored<TwoPhaseAction> {
  return { verdict, basis: 'exhaustive', states: 288, bounds: { 'trace length': 'any' }, depthComplete: null, shortest: null };
}

/**
 * The correct protocol with `none-aborted` added (and `subjects` given to properties), and an exploration
 * that reports `claims` and tells the truth about the rest: a test-only instance whose exploration
 * disagrees with its own plain model.
 */
function lying(
  claims: Record<string, Explored<TwoPhaseAction>>,
  subjects: Record<string, Property<TwoPhaseState>> = {},
): Instance<TwoPhaseState, TwoPhaseAction> {
  const honest = twoPhaseInstance(correct);
  const properties = [...honest.properties, noneAborted].map((p) => (subjects[p.name] === undefined ? p : { ...p, subject: subjects[p.name] }));
  const truthful = { ...honest, properties };
  return {
    ...truthful,
    exploreFirst: () => {
      const decided = new Map(exploreFirst(truthful, options).decided);
      for (const [name, explored] of Object.entries(claims)) decided.set(name, explored);
      return { decided, stop: null };
    },
  };
}

/** A plug-in whose configs all make `instance`. */
function pluginOf(instance: Instance<TwoPhaseState, TwoPhaseAction>): Plugin<TwoPhaseConfig, TwoPhaseState, TwoPhaseAction> {
  return { ...twoPhasePlugin, instantiate: () => instance };
}

describe('the cross-check of exhaustive verdicts', () => {
  it('is silent on an honest exploration: every claim stands on many seeds, and check gives its verdicts', () => {
    for (const config of [correct, buggy]) {
      const instance = twoPhaseInstance(config);
      const first = exploreFirst(instance, options);
      const claims = claimsOf(first);
      // The correct protocol: consistent holds (a claim); the buggy one: only findings, which are no claims.
      expect(claims.map((c) => `${c.property} ${c.verdict}`)).toEqual(config.buggy ? [] : ['consistent holds']);
      for (let seed = 0; seed < 20; seed++) expect(crossCheck(instance, claims, seed, CROSS_CHECK_WALKS, 8)).toBeUndefined();
    }
    expect(checkConfig(twoPhasePlugin, correct, options).map((r) => `${r.property} ${r.verdict} ${r.basis?.basis}`)).toEqual([
      'consistent holds exhaustive',
      'commit-reachable reached exhaustive',
      'abort-reachable reached exhaustive',
    ]);
  });

  it.each([
    ['none-aborted', 'holds', 'violates it', /^RM \d aborted$/],
    ['abort-reachable', 'unreached', 'reaches it', /^abort-reachable is reached$/],
  ] as const)('finds what a lying exploration hides: %s called %s, yet the plain model %s', (property, verdict, shows, message) => {
    const instance = lying({ [property]: verified(verdict) });
    const first = instance.exploreFirst!([property], options.maxStates);
    const claims = claimsOf(first);
    expect(claims).toContainEqual<Claim>({ property, verdict, states: 288 });
    const found = crossCheck(instance, claims, options.seed);
    expect(found).toMatchObject({ claim: { property, verdict }, shows, message: expect.stringMatching(message) });
    // A real trace of the plain model, shrunk, that shows it: within the walks' length.
    const checked = instance.properties.find((p) => p.name === property)!.property;
    expect(violationOf(instance.model, checked, found!.actions)).toMatchObject({ step: found!.actions.length, message: found!.message });
    expect(found!.actions.length).toBeLessThanOrEqual(CROSS_CHECK_LENGTH);
  });

  it('finds the subject of a property called vacuous', () => {
    const prepared: Property<TwoPhaseState> = { name: 'an RM prepared', kind: 'sometimes', check: (s) => (s.rm.includes('prepared') ? { holds: true } : { holds: false, message: 'no RM prepared' }) };
    // consistent does hold; its subject, an RM that prepared, is one action away.
    const instance = lying({ consistent: verified('vacuous') }, { consistent: prepared });
    const found = crossCheck(instance, claimsOf(instance.exploreFirst!(['consistent'], options.maxStates)), options.seed);
    expect(found).toMatchObject({ claim: { property: 'consistent', verdict: 'vacuous' }, shows: 'reaches its subject', actions: [{ type: 'rmPrepare' }] });
  });

  it('check stops with an internal error naming the config, the property and the trace, and gives no verdict', async () => {
    const plugin = pluginOf(lying({ 'none-aborted': verified('holds') }));
    const named = /^the exhaustive exploration of 2pc called none-aborted holds \(every reachable state within its bounds, 288 states\), yet a random search on the plain model violates it after 1 action: 1\. RM \d chooses to abort \(RM \d aborted\); no verdict is given$/;
    expect(() => checkConfig(plugin, correct, options)).toThrow(CrossCheckError);
    expect(() => checkConfig(plugin, correct, options)).toThrow(named);
    const run = async (tasks: readonly SearchTask<TwoPhaseConfig>[]) => tasks.map((task) => runSearchTask(plugin, task));
    await expect(checkConfigs(plugin, [correct], options, 1, run)).rejects.toThrow(named);
  });
});
