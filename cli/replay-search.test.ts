/**
 * Replay judges a trace as search does (issue: `crash m1; write user:u1 on m4; recover m1` on dmz-ring
 * replayed as "nothing violated" while search reported its two-step prefix). On random traces over every
 * preset, the verdict and violating step of `replay` (a scenario file's verdicts) equal what random
 * search sees walking the same trace on the component engine: the first prefix whose state is a finding.
 */
import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { pickEnabled } from '../checker/random.ts';
import { isFinding } from '../checker/trace.ts';
import { findPreset, PRESETS } from '../config/presets.ts';
import type { Action } from '../model/actions.ts';
import type { LoadedScenario } from '../traces/counterexample.ts';
import { judgeScenario } from './replay.ts';
import { makeTarget } from '../pgp/target.ts';

function scenario(preset: string, actions: readonly Action[]): LoadedScenario {
  return { kind: 'scenario', file: 'test.json', name: 'test', description: undefined, preset, target: makeTarget(findPreset(preset)!.config), actions };
}

describe('replay judges a trace as search does', () => {
  it('the two-step prefix of crash m1; write user:u1 on m4; recover m1 violates survivor-convergence on dmz-ring', () => {
    const verdicts = judgeScenario(
      scenario('dmz-ring', [
        { type: 'crash', member: 'm1' },
        { type: 'write', member: 'm4', record: { kind: 'user', key: 'u1' } },
        { type: 'recover', member: 'm1' },
      ]),
    );
    const survivor = verdicts.find((v) => v.property === 'survivor-convergence')!;
    expect(survivor.verdict).toBe('violated');
    expect(survivor.violation?.step).toBe(2);
  });

  test.prop([fc.constantFrom(...PRESETS.map((p) => p.name)), fc.array(fc.nat({ max: 10_000 }), { maxLength: 10 })], { numRuns: 40 })(
    'on random traces: the same verdict and step for every property',
    (name, choices) => {
      const target = makeTarget(findPreset(name)!.config);
      // Walk the trace on the engine, as search does, and record each property's first finding.
      const actions: Action[] = [];
      let tuple = target.engineModel.initial;
      const first = new Map<string, number>();
      const judge = (step: number) => {
        for (const { property, notApplicable, onEngine } of target.properties) {
          if (notApplicable !== undefined || first.has(property.name)) continue;
          if (isFinding(onEngine, onEngine.check(tuple))) first.set(property.name, step);
        }
      };
      judge(0);
      for (const choice of choices) {
        const action = pickEnabled(target.engineModel, target.engineModel.enabled(tuple), choice);
        if (action === undefined) break;
        actions.push(action);
        tuple = target.engineModel.step(tuple, action);
        judge(actions.length);
      }
      for (const v of judgeScenario(scenario(name, actions))) {
        if (v.verdict === 'not-applicable') continue;
        expect(v.violation?.step, `${name}: ${v.property}`).toBe(first.get(v.property));
      }
    },
  );
});
