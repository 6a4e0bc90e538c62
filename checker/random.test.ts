import { describe, expect, test } from 'vitest';
import { makeTarget } from '../cli/target.ts';
import { PRESETS } from '../config/presets.ts';
import { searchRandom } from './random.ts';
import type { Model, Property } from './types.ts';

/** A counter: the state is how many steps were taken; one action, always enabled. */
const counter: Model<number, 'tick'> = {
  initial: 0,
  enabled: () => ['tick'],
  step: (n) => n + 1,
  whyDisabled: () => undefined,
  describe: () => 'tick',
  classify: () => 'tick',
};

/** Holds, but records the length of every walk (the deepest state judged in it). */
function recorder(lengths: number[]): Property<number> {
  return {
    name: 'records-lengths',
    kind: 'always',
    check: (n) => {
      if (n === 0) lengths.push(0);
      else lengths[lengths.length - 1] = n;
      return { holds: true };
    },
  };
}

describe('walks of varied lengths (RandomOptions.lengths)', () => {
  test('without lengths every walk is maxLength long', () => {
    const seen: number[] = [];
    searchRandom(counter, recorder(seen), { runs: 50, seed: 1, maxLength: 7 });
    expect(seen).toHaveLength(50);
    expect(new Set(seen)).toEqual(new Set([7]));
  });

  test('walk lengths follow the weights', () => {
    const seen: number[] = [];
    // Lengths 0, 2 and 5 in proportions 1 : 0 : 3 : 0 : 0 : 6 (and never 1, 3 or 4).
    searchRandom(counter, recorder(seen), { runs: 4000, seed: 2, maxLength: 5, lengths: [1, 0, 3, 0, 0, 6] });
    expect(seen).toHaveLength(4000);
    const share = (k: number) => seen.filter((n) => n === k).length / seen.length;
    expect(new Set(seen)).toEqual(new Set([0, 2, 5]));
    expect(share(0)).toBeGreaterThan(0.07);
    expect(share(0)).toBeLessThan(0.13);
    expect(share(2)).toBeGreaterThan(0.25);
    expect(share(2)).toBeLessThan(0.35);
    expect(share(5)).toBeGreaterThan(0.55);
    expect(share(5)).toBeLessThan(0.65);
  });

  test('a violation found on a varied walk replays from its seed and path', () => {
    const preset = PRESETS.find((p) => p.name === 'single-key-holder')!;
    const target = makeTarget(preset.config);
    const bound = target.properties.find((p) => p.property.name === 'private-key-availability')!;
    const options = { runs: 5000, seed: 7, maxLength: 12, lengths: [1, 2, 2, 2, 1, 1, 1, 1, 1, 1, 1, 1, 1] };
    const found = searchRandom(target.fast, bound.fast, options);
    expect(found.verdict).toBe('violated');
    const again = searchRandom(target.fast, bound.fast, { ...options, path: found.counterexample!.path });
    expect(again.verdict).toBe('violated');
    expect(again.counterexample!.actions).toEqual(found.counterexample!.actions);
  });

  test('bad weights are refused, naming the option', () => {
    const p = recorder([]);
    for (const lengths of [[], [0, 0], [1, -1], [1.5], [1, 1, 1, 1]])
      expect(() => searchRandom(counter, p, { runs: 1, seed: 1, maxLength: 2, lengths })).toThrow(/^lengths:/);
  });
});
