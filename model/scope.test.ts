/**
 * Random search generates what the properties read (`scopeFor`): the catalogue's scope is the default
 * one and what its properties name, a property about managed domains (docs/extending.md's example, `test/domains-on-two-members.ts`)
 * gets domain writes (and is not vacuous for want of them), and the kinds a search over every kind leaves
 * to users (`SAME_RULES_AS`) do obey users' rules.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { searchRandom } from '../checker/random.ts';
import { makeTarget } from '../pgp/target.ts';
import { PRESETS } from '../config/presets.ts';
import { PROPERTIES } from '../properties/index.ts';
import { domainsOnTwoMembers } from '../test/domains-on-two-members.ts';
import type { Action } from './actions.ts';
import { compileCluster, initialState } from './cluster.ts';
import { candidateActions, DEFAULT_SCOPE, makeScope, scopeFor } from './enabled.ts';
import { RECORD_KINDS, type RecordKind, SAME_RULES_AS } from './records.ts';
import { applyAction, whyDisabled } from './step.ts';

describe('the scope of random search', () => {
  it('for a property that reads everything is the default scope: one key of each kind with rules of its own, no domain or policy, one client', () => {
    expect(scopeFor([{}])).toEqual(DEFAULT_SCOPE);
    const keyed = RECORD_KINDS.filter((k) => DEFAULT_SCOPE.keys[k].length > 0);
    expect(keyed).toEqual(['user', 'privateKey', 'cachedKey', 'fetchedKey', 'wmAccount']);
    expect(DEFAULT_SCOPE.clients).toEqual(['laptop1']);
  });

  it('for the catalogue: the default scope where a property reads everything, and a kind beyond it only where a property names it', () => {
    const scope = scopeFor(PROPERTIES);
    const named = new Set(PROPERTIES.flatMap((p) => p.reads?.kinds ?? []));
    const readsAll = PROPERTIES.some((p) => p.reads?.kinds === undefined);
    for (const kind of RECORD_KINDS) {
      const expected = (readsAll && DEFAULT_SCOPE.keys[kind].length > 0) || named.has(kind);
      expect(scope.keys[kind].length > 0, kind).toBe(expected);
    }
  });

  it('has what each property reads, and only that', () => {
    const kinds = (properties: Parameters<typeof scopeFor>[0]) => RECORD_KINDS.filter((k) => scopeFor(properties).keys[k].length > 0);
    expect(kinds([{ reads: { kinds: ['privateKey'] } }])).toEqual(['privateKey']);
    expect(scopeFor([{ reads: { kinds: ['privateKey'] } }]).clients).toEqual([]);
    expect(scopeFor([{ reads: { kinds: [], clients: true } }]).clients).toEqual(['laptop1']);
    expect(kinds([{ reads: { kinds: ['domain'] } }, { reads: { kinds: ['wmAccount'] } }])).toEqual(['domain', 'wmAccount']);
    // A property without `reads` reads everything: every kind with rules of its own, and clients.
    expect(scopeFor([{}])).toEqual(DEFAULT_SCOPE);
    expect(kinds([{}, domainsOnTwoMembers])).toEqual(['user', 'privateKey', 'domain', 'cachedKey', 'fetchedKey', 'wmAccount']);
  });

  it('a property about managed domains is searched with domain writes, and is not vacuous for want of them', () => {
    const config = PRESETS[0]!.config;
    const catalogue = [...PROPERTIES, domainsOnTwoMembers];
    // As `check` searches (`runSearchTask` in pgp/check.ts): the config's target, the property and its subject.
    const search = (target: ReturnType<typeof makeTarget>) => {
      const bound = target.properties.find((p) => p.property.name === domainsOnTwoMembers.name)!;
      return searchRandom(target.engineModel, bound.onEngine, { runs: 100, seed: 1, maxLength: 12, subject: bound.subject!.onEngine as never });
    };
    const derived = search(makeTarget(config, catalogue));
    expect(derived.generated.write).toBeGreaterThan(0);
    expect(derived.verdict).toBe('holds');
    expect(derived.subjectSeen, 'a domain was written and held').toBe(true);
    // With the scope of a search over every kind (domains obey users' rules), no domain is ever written:
    // `check` would say vacuous.
    expect(search(makeTarget(config, catalogue, DEFAULT_SCOPE)).subjectSeen).toBe(false);
  });
});

describe('kinds that obey the rules of another (SAME_RULES_AS)', () => {
  const twins = Object.entries(SAME_RULES_AS) as [RecordKind, RecordKind][];
  it.each(twins)('%s obeys the rules of %s: in random traces of every preset, its writes are enabled and replicated exactly as the other kind’s', (twin, like) => {
    const scope = makeScope(1, 1, [24]);
    const rename = (a: Action): Action => (a.type === 'write' && a.record.kind === like ? { ...a, record: { kind: twin, key: a.record.key } } : a);
    fc.assert(
      fc.property(fc.constantFrom(...PRESETS), fc.array(fc.nat(), { maxLength: 16 }), (preset, choices) => {
        const model = compileCluster(preset.config);
        expect(model.onRing[twin]).toEqual(model.onRing[like]);
        const candidates = candidateActions(model, scope).filter((a) => a.type !== 'write' || a.record.kind !== twin);
        const [id, twinId] = [`${like}:alice`, `${twin}:alice`] as const;
        let state = initialState(model);
        let renamed = state;
        for (const choice of choices) {
          const enabled = candidates.filter((a) => whyDisabled(model, state, a) === undefined);
          for (const a of candidates)
            expect(whyDisabled(model, renamed, rename(a)) === undefined, `${JSON.stringify(a)}`).toBe(enabled.includes(a));
          if (enabled.length === 0) break;
          const action = enabled[choice % enabled.length]!;
          state = applyAction(model, state, action);
          renamed = applyAction(model, renamed, rename(action));
          expect(renamed.members.map((m) => m.records[twinId as never] ?? null)).toEqual(state.members.map((m) => m.records[id as never] ?? null));
        }
      }),
      { numRuns: 40, seed: 15 },
    );
  });
});
