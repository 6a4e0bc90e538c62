import { produce } from 'immer';
import { describe, expect, it } from 'vitest';
import { diffStates, formatChangePath } from './diff.ts';
import { firstDivergentStep, judgeTrace, replaySteps } from './replay.ts';
import { runTrace } from './trace.ts';
import type { Model, Property } from './types.ts';

/** A toy model that knows nothing of PGP: two counters and a log; `dec` is disabled at zero. */
interface Toy {
  readonly counters: { readonly a: number; readonly b: number };
  readonly log: readonly string[];
  readonly flags: Readonly<Record<string, true>>;
}
type ToyAction = { type: 'inc'; counter: 'a' | 'b' } | { type: 'dec'; counter: 'a' | 'b' } | { type: 'flag'; name: string };

const toy: Model<Toy, ToyAction> = {
  initial: { counters: { a: 0, b: 0 }, log: [], flags: {} },
  enabled: () => [],
  step: (s, action) =>
    produce(s, (d) => {
      if (action.type === 'flag') d.flags[action.name] = true;
      else d.counters[action.counter] += action.type === 'inc' ? 1 : -1;
      d.log.push(action.type);
    }),
  whyDisabled: (s, action) => (action.type === 'dec' && s.counters[action.counter] === 0 ? `${action.counter} is already 0` : undefined),
  describe: (action) => (action.type === 'flag' ? `flag ${action.name}` : `${action.type} ${action.counter}`),
  classify: (action) => action.type,
};

const belowTwo: Property<Toy> = {
  name: 'a-below-two',
  kind: 'always',
  check: (s) => (s.counters.a < 2 ? { holds: true } : { holds: false, message: `a is ${s.counters.a}` }),
};
const endsEven: Property<Toy> = {
  name: 'ends-even',
  kind: 'eventually',
  check: (s) => ((s.counters.a + s.counters.b) % 2 === 0 ? { holds: true } : { holds: false, message: 'odd total' }),
};

describe('diffStates', () => {
  it('lists changed leaves with their paths, additions and removals', () => {
    const before = { members: [{ id: 'm1', status: 'up', records: { 'user:a': 1 } }], links: { 'm1|m2': true } };
    const after = { members: [{ id: 'm1', status: 'down', records: { 'user:a': 1, 'user:b': 2 } }], links: {} };
    expect(diffStates(before, after)).toEqual([
      { path: ['members', 0, 'status'], before: 'up', after: 'down' },
      { path: ['members', 0, 'records', 'user:b'], before: undefined, after: 2 },
      { path: ['links', 'm1|m2'], before: true, after: undefined },
    ]);
  });

  it('an added object is one change holding the whole object; equal states give none', () => {
    expect(diffStates({ clients: {} }, { clients: { laptop1: { member: 'm1' } } })).toEqual([
      { path: ['clients', 'laptop1'], before: undefined, after: { member: 'm1' } },
    ]);
    expect(diffStates({ a: [1, { b: 2 }] }, { a: [1, { b: 2 }] })).toEqual([]);
  });

  it('formats paths as people write them', () => {
    expect(formatChangePath(['members', 2, 'records', 'user:bob'])).toBe('members[2].records.user:bob');
  });
});

describe('replaySteps (any model)', () => {
  it('records each step with the state before and after and what changed', () => {
    const replay = replaySteps(toy, [{ type: 'inc', counter: 'a' }, { type: 'flag', name: 'x' }]);
    expect(replay.kind).toBe('ran');
    expect(replay.steps.map((s) => s.step)).toEqual([1, 2]);
    expect(replay.steps[0]!.changes).toEqual([
      { path: ['counters', 'a'], before: 0, after: 1 },
      { path: ['log', 0], before: undefined, after: 'inc' },
    ]);
    expect(replay.steps[1]!.changes).toContainEqual({ path: ['flags', 'x'], before: undefined, after: true });
    if (replay.kind === 'ran') expect(replay.final.counters.a).toBe(1);
  });

  it('stops at a disabled action, naming its step and why', () => {
    const replay = replaySteps(toy, [{ type: 'inc', counter: 'b' }, { type: 'dec', counter: 'a' }, { type: 'inc', counter: 'a' }]);
    expect(replay).toMatchObject({ kind: 'disabled', step: 2, why: 'a is already 0', action: { type: 'dec', counter: 'a' } });
    expect(replay.steps).toHaveLength(1);
  });

  it('judges a trace exactly as the random search does (every prefix, where it ends: the first failing state)', () => {
    const trace: ToyAction[] = [{ type: 'inc', counter: 'a' }, { type: 'inc', counter: 'a' }, { type: 'inc', counter: 'b' }];
    expect(judgeTrace(toy, belowTwo, trace)).toEqual({ step: 2, message: 'a is 2' });
    // An eventually property is judged where each prefix ends too: the total is odd after one step.
    expect(judgeTrace(toy, endsEven, trace)).toEqual({ step: 1, message: 'odd total' });
    expect(judgeTrace(toy, endsEven, [])).toBeUndefined();
    for (const property of [belowTwo, endsEven]) {
      const run = runTrace(toy, property, trace);
      expect(run.kind === 'ran' ? run.violation : 'disabled').toEqual(judgeTrace(toy, property, trace));
    }
  });
});

describe('firstDivergentStep', () => {
  it('names the first step whose snapshot differs from the recorded one', () => {
    const recorded = [{ a: 1 }, { a: 2 }, { a: 3 }];
    expect(firstDivergentStep(recorded, [{ a: 1 }, { a: 2 }, { a: 3 }])).toBeUndefined();
    expect(firstDivergentStep(recorded, [{ a: 1 }, { a: 5 }, { a: 6 }])).toEqual({ step: 2, changes: [{ path: ['a'], before: 2, after: 5 }] });
  });
});
