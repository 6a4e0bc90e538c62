/**
 * Every declared action type (`ACTIONS`, `model/step.ts`), piece by piece. The compiler already rejects
 * an `Action` without a declaration, or a declaration without one of its parts; this checks that the
 * parts agree, for every type the table declares (never a list written here): the type has candidates
 * in some preset or example with sites (a site split needs them) and is enabled within a step of its start, its candidates are complete and load from a
 * trace file as they were written, its sentence is one line, and its declared owner agrees with the
 * per-record rule (`test/decomposition.ts`, as `model/decomposition.test.ts` checks it exhaustively). A
 * failure names the action type.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { actionFieldProblems, parseTraceDocument } from '../traces/counterexample.ts';
import { PRESETS } from '../config/presets.ts';
import { ACCOUNT_MODES, type ClusterConfig, sitesOf } from '../config/schema.ts';
import { exampleConfigs } from '../test/equivalence-cases.ts';
import { resolveConfig } from '../config/validate.ts';
import { DecompositionCheck } from '../test/decomposition.ts';
import type { Action, ActionType } from './actions.ts';
import { ACTION_TYPES, describeAction } from './step.ts';
import { compileCluster, initialState } from './cluster.ts';
import { candidateActions, makeScope, outsideScope, type Scope } from './enabled.ts';
import { RECORD_KINDS } from './records.ts';
import type { ClusterState } from './state.ts';
import { ACTIONS, applyAction, whyDisabled } from './step.ts';
import { canonicalStateKey } from './projection.ts';

/** One key of every kind, one client, the default time steps. */
const scope = makeScope(1, 1);

/** A state and the trace that reaches it. */
interface Node {
  readonly trace: readonly Action[];
  readonly state: ClusterState;
}

/**
 * Each preset, and each example that declares sites (only examples do, and a site split needs them), with
 * its checker and the states within one step of its start.
 */
const worlds = [...PRESETS.map((p) => p.config), ...exampleConfigs().filter((c) => sitesOf(c.members).length > 0)].map((config) => {
  const check = new DecompositionCheck(compileCluster(config), scope);
  const start: Node = { trace: [], state: check.model.initial };
  const nodes = [start, ...check.model.enabled(start.state).map((a): Node => ({ trace: [a], state: check.model.step(start.state, a) }))];
  return { config, check, nodes };
});

/** An action of this type enabled in a node of a preset, with the trace to it (the last action), if any is. */
function firstEnabled(type: ActionType): { config: ClusterConfig; trace: Action[] } | undefined {
  for (const { config, check, nodes } of worlds)
    for (const node of nodes) {
      const action = check.model.enabled(node.state).find((a) => a.type === type);
      if (action) return { config, trace: [...node.trace, action] };
    }
  return undefined;
}

const candidatesOf = (type: ActionType) => worlds.flatMap(({ check }) => check.candidates.filter((a) => a.type === type));

describe.each(ACTION_TYPES.map((t) => [t]))('the declaration of %s', (type) => {
  it('has candidates in some preset, and one is enabled within a step of its start', () => {
    expect(candidatesOf(type).length, `${type}: no preset (config/presets.ts) or example gives it a candidate: see its declaration's candidates`).toBeGreaterThan(0);
    expect(firstEnabled(type), `${type}: no candidate is enabled in a preset or example within one step of its start`).toBeDefined();
  });

  it('its candidates pass the trace-file loader, fields in their declared order, and a file of it loads as it was written', () => {
    const fields = ['type', ...Object.keys(ACTIONS[type].fields)];
    for (const action of candidatesOf(type)) {
      const written = JSON.parse(JSON.stringify(action)) as Record<string, unknown>;
      expect(actionFieldProblems(written, 'actions[0]'), `${type}: ${describeAction(action)}`).toEqual([]);
      expect(Object.keys(written), `${type}: the fields of ${describeAction(action)}`).toEqual(fields.filter((f) => f in written));
      // Each required field is checked: a file without it names it.
      for (const field of fields.slice(1).filter((f) => !String((ACTIONS[type].fields as Record<string, unknown>)[f]).endsWith('?'))) {
        const { [field]: _dropped, ...rest } = written;
        expect(actionFieldProblems(rest, 'actions[0]').join('\n'), `${type} without ${field}`).toContain(`actions[0].${field}: missing required field`);
      }
    }
    const found = firstEnabled(type);
    if (found === undefined) return expect.fail(`${type}: no candidate is enabled in a preset or example within one step of its start, so no file of it was loaded`);
    const loaded = parseTraceDocument(`${type}.json`, JSON.parse(JSON.stringify({ config: found.config, actions: found.trace })));
    expect(loaded.kind === 'scenario' ? JSON.stringify(loaded.actions) : loaded.kind, `${type}: a scenario file ending with it`).toBe(JSON.stringify(found.trace));
  });

  it('describes each candidate in one line, and different candidates differently', () => {
    for (const { check } of worlds) {
      const sentences = check.candidates.filter((a) => a.type === type).map(describeAction);
      for (const sentence of sentences) expect(/^\S[^\n]*$/.test(sentence), `${type}: ${JSON.stringify(sentence)}`).toBe(true);
      expect(new Set(sentences).size, `${type}: two candidates share a sentence: ${sentences.join('; ')}`).toBe(sentences.length);
    }
  });

  it('its declared owner agrees with the per-record rule, in every state within a step of the start of every preset', () => {
    let enabled = 0;
    for (const { check, nodes } of worlds)
      for (const { state } of nodes) {
        expect(check.problems(state, type), type).toEqual([]);
        enabled += check.model.enabled(state).filter((a) => a.type === type).length;
      }
    expect(enabled, `${type}: never enabled, so its owner was never checked on a step`).toBeGreaterThan(0);
  });
});

/**
 * Every action a scope can name, from its declared fields: each field takes the values of its pool (the
 * members, the scope's records, clients and time steps, the account modes). A field with no pool fails,
 * naming it, until it gets one here.
 */
function vocabulary(config: ClusterConfig, within: Scope): Action[] {
  const ids = config.members.map((m) => m.id);
  const records = RECORD_KINDS.flatMap((kind) => within.keys[kind].map((key) => ({ kind, key })));
  const pools: Record<string, readonly unknown[]> = {
    member: ids,
    a: ids,
    b: ids,
    client: within.clients,
    record: records,
    hours: within.hours ?? [],
    mode: ACCOUNT_MODES,
    major: [true, false],
    site: sitesOf(config.members),
  };
  return ACTION_TYPES.flatMap((type) =>
    Object.keys(ACTIONS[type].fields).reduce<Record<string, unknown>[]>(
      (partial, field) => {
        const pool = pools[field];
        if (pool === undefined) throw new Error(`${type}: no pool of values for its field ${field} (model/actions.test.ts)`);
        return partial.flatMap((p) => pool.map((v) => ({ ...p, [field]: v })));
      },
      [{ type }],
    ),
  ) as unknown as Action[];
}

describe('candidate actions', () => {
  it('every action of the vocabulary that is enabled within the scope is a candidate, in random states of every preset and example', () => {
    const within = makeScope(2, 2, [24, 14 * 24]);
    fc.assert(
      fc.property(fc.constantFrom(...worlds.map((w) => w.config)), fc.array(fc.nat(), { maxLength: 12 }), (config, choices) => {
        const model = compileCluster(config);
        const candidates = candidateActions(model, within);
        const known = new Set(candidates.map((a) => JSON.stringify(a)));
        const all = vocabulary(config, within);
        let state = initialState(model);
        for (const choice of [...choices, -1]) {
          const enabled = candidates.filter((a) => whyDisabled(model, state, a) === undefined && outsideScope(within, model, state, a) === undefined);
          // An action that is not a candidate itself may do exactly what one does (`partition m2 | m1`).
          const reached = new Set(enabled.map((a) => canonicalStateKey(model, applyAction(model, state, a))));
          for (const action of all)
            if (!known.has(JSON.stringify(action)) && whyDisabled(model, state, action) === undefined && outsideScope(within, model, state, action) === undefined)
              expect(
                reached.has(canonicalStateKey(model, applyAction(model, state, action))),
                `${action.type}: ${describeAction(action)} is enabled, and neither a candidate nor the same step as one`,
              ).toBe(true);
          if (choice === -1 || enabled.length === 0) break;
          state = applyAction(model, state, enabled[choice % enabled.length]!);
        }
      }),
      { numRuns: 60, seed: 15 },
    );
  });

  // A new action type appended to the table adds candidates after these; one placed among them, or a
  // change of order, fails here: a saved seed and path would then replay another trace.
  it('keep their order: random search and the names of saved counterexamples depend on it (new ones come after)', () => {
    const model = compileCluster(resolveConfig({ name: 'pair', members: [{ id: 'a' }, { id: 'b' }], faults: { upgrades: true } }));
    const before = [
        'crash a; recover a; crash b; recover b; partition a | b; heal a | b',
        'write wmAccount:ivan@external.org on a; write privateKey:alice on a; write user:alice on a; write cachedKey:erin@partner.org on a',
        'write fetchedKey:olivia@vendor.com on a; write domain:example.com on a; write policy:default on a',
        'write wmAccount:ivan@external.org on b; write privateKey:alice on b; write user:alice on b; write cachedKey:erin@partner.org on b',
        'write fetchedKey:olivia@vendor.com on b; write domain:example.com on b; write policy:default on b',
        'replicate a; remove a; replicate b; remove b; enroll laptop1 at a; enroll laptop1 at b',
        'upgrade a; upgrade a (minor update); upgrade b; upgrade b (minor update); advance time by 1 day',
    ]
      .join('; ')
      .split('; ');
    const now = candidateActions(model, makeScope(1, 1, [24])).map(describeAction);
    expect(now.slice(0, before.length)).toEqual(before);
  });
});
