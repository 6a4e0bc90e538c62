/**
 * Why a property holds, by what the verdict rests on (issue 21): only a proof (basis `exhaustive`) may
 * argue from the config to the property in the words of a proof. On random traces, or on the states an
 * exploration visited before it stopped, every property's `holds` advice, for every preset and example,
 * names what it rests on and draws no conclusion.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PRESETS } from '../config/presets.ts';
import { compileCluster } from '../model/cluster.ts';
import { PROPERTIES } from '../properties/index.ts';
import { advise, searched } from './advice.ts';
import { loadConfigFile, loadPreset } from './load.ts';
import { type Basis, stopReason } from '../checker/verdict.ts';
import type { Judgement } from './result.ts';

/** The words that draw a conclusion, or claim one: a sentence on a non-exhaustive basis uses none of them. */
const PROOF_WORDS = [', so ', 'always', 'verified', 'every reachable state', 'guarantee'];

const examples = readdirSync('examples').filter((f) => f.endsWith('.json') && f !== 'expected.json');
const configs = [...PRESETS.map((p) => loadPreset(p.name).config), ...examples.map((f) => loadConfigFile(join('examples', f)).config)];

/** A holding result on each basis a verdict may rest on. */
const stop = { cause: 'state-budget', states: 1000, budget: 1000 } as const;
const BASES: Readonly<Record<'random' | 'partial' | 'exhaustive', Basis>> = {
  random: { basis: 'random', runs: 500, fellBack: stop },
  partial: { basis: 'partial', states: 1000, bounds: {}, depthComplete: 7, stopped: stopReason(stop), stop },
  exhaustive: { basis: 'exhaustive', states: 26_332, bounds: {} },
};

function holding(property: (typeof PROPERTIES)[number], basis: Basis): Judgement {
  return { property: property.name, kind: property.kind, verdict: 'holds', basis, finding: null, reason: null };
}

/** Every (config, property) pair in which the property applies and has advice. */
const cases = configs.flatMap((config) => {
  const model = compileCluster(config);
  return PROPERTIES.filter((p) => p.advice !== undefined && p.kind !== 'sometimes' && p.notApplicable(model) === undefined).map((p) => ({ config, model, property: p }));
});

describe('holds advice by basis', () => {
  it('covers every property with advice', () => {
    expect(new Set(cases.map((c) => c.property.name))).toEqual(new Set(PROPERTIES.filter((p) => p.advice !== undefined && p.kind !== 'sometimes').map((p) => p.name)));
  });

  it.each(['random', 'partial'] as const)('on a %s basis: names what the verdict rests on, and uses no word of a proof', (kind) => {
    const wrong: string[] = [];
    for (const { config, model, property } of cases) {
      const result = holding(property, BASES[kind]);
      const { explanation } = advise(model, result, property);
      const basis = searched(result);
      const proof = PROOF_WORDS.filter((w) => explanation.includes(w));
      if (!explanation.includes(basis) || proof.length > 0) wrong.push(`${config.name}/${property.name}: ${proof.length > 0 ? `uses "${proof.join('", "')}"` : `does not name "${basis}"`}: ${explanation}`);
    }
    expect(wrong).toEqual([]);
  });

  it('on an exhaustive basis, a config that makes it hold is argued as a proof', () => {
    const config = loadPreset('recommended').config;
    const survivor = PROPERTIES.find((p) => p.name === 'survivor-convergence')!;
    const { explanation } = advise(compileCluster(config), holding(survivor, BASES.exhaustive), survivor);
    expect(explanation).toBe('Every member is internal and re-routes around a member that is down (KB 161304), so with up to 1 down the live members still pass every change to each other.');
  });
});
