/**
 * Names from the input that spell `Object.prototype`'s own names (`constructor`, `__proto__`,
 * `toString`, ...) mean what any other name means (issue 14, finding 5): a random trace on each preset,
 * with one of its record keys or client ids renamed to such a name, is enabled at every step and gets
 * the same verdict from every property, at the same step, with the same message (the name aside), as the
 * trace with the ordinary name.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { runTrace } from '../checker/trace.ts';
import { interpretChoices } from '../checker/random.ts';
import { PRESETS } from '../config/presets.ts';
import { makeTarget } from '../pgp/target.ts';
import type { Action } from '../model/actions.ts';

const PROTOTYPE_NAMES = [...new Set([...Object.getOwnPropertyNames(Object.prototype), '__proto__'])];

/** Every record key and client id a trace names, in order of first appearance. */
function namesIn(actions: readonly Action[]): string[] {
  const names: string[] = [];
  for (const a of actions) {
    const name = 'record' in a ? a.record.key : 'client' in a ? a.client : undefined;
    if (name !== undefined && !names.includes(name)) names.push(name);
  }
  return names;
}

/** The trace with every record key and client id `from` renamed `to` (a JSON round trip, as a file would give). */
function renamed(actions: readonly Action[], from: string, to: string): Action[] {
  return JSON.parse(
    JSON.stringify(actions, (k, v) => ((k === 'key' || k === 'client') && v === from ? to : v)),
  ) as Action[];
}

describe('names spelled like Object.prototype properties', () => {
  it('the literal case of finding 5: a Home Server account named constructor, __proto__ or toString is violated like ivan', () => {
    const target = makeTarget(PRESETS.find((p) => p.name === 'home-server')!.config);
    const bound = target.properties.find((p) => p.property.name === 'web-messenger-availability')!.onModel;
    for (const key of ['ivan', 'constructor', '__proto__', 'toString']) {
      const run = runTrace(target.model, bound, [{ type: 'write', member: 'm1', record: { kind: 'wmAccount', key } }]);
      expect(run.kind === 'ran' && run.violation?.step).toBe(1);
    }
    const pinned = makeTarget(PRESETS.find((p) => p.name === 'pinned-clients')!.config);
    for (const client of ['constructor', '__proto__'])
      expect(pinned.model.whyDisabled(pinned.model.initial, { type: 'enroll', client, member: 'm1' })).toBeUndefined();
  });

  it.each(PRESETS.map((p) => p.name))('%s: same verdicts, steps and messages with a prototype name as with an ordinary one', (preset) => {
    const target = makeTarget(PRESETS.find((p) => p.name === preset)!.config);
    const applicable = target.properties.filter((p) => p.notApplicable === undefined);
    fc.assert(
      fc.property(fc.array(fc.nat(0x7fff), { minLength: 1, maxLength: 10 }), fc.constantFrom(...PROTOTYPE_NAMES), fc.nat(), (choices, name, which) => {
        const actions = interpretChoices(target.model, choices);
        const names = namesIn(actions);
        fc.pre(names.length > 0);
        const from = names[which % names.length]!;
        const hostile = renamed(actions, from, name);
        for (const { property, onModel } of applicable) {
          const ordinary = runTrace(target.model, onModel, actions);
          const other = runTrace(target.model, onModel, hostile);
          expect(other.kind, `${property.name}: ${JSON.stringify(hostile)}`).toBe('ran');
          if (ordinary.kind !== 'ran' || other.kind !== 'ran') continue;
          expect(other.violation?.step, property.name).toBe(ordinary.violation?.step);
          expect(other.violation?.message.split(name).join(from), property.name).toBe(ordinary.violation?.message);
        }
      }),
      { seed: 14, numRuns: Number(process.env.PGP_CLUSTER_CHECK_FUZZ_RUNS ?? 12) },
    );
  });
});
