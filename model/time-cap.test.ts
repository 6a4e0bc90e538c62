/**
 * The clock stays exact (issue 14, finding 11): `advanceTime` may not take it past `MAX_CLOCK_HOURS`, so
 * an unbounded number of hours can neither overflow it to Infinity nor round a key's retention away.
 */
import { describe, expect, it } from 'vitest';
import { findPreset } from '../config/presets.ts';
import { makeTarget } from '../pgp/target.ts';
import type { Action } from './actions.ts';
import { MAX_CLOCK_HOURS } from './time.ts';
import { isPastRetention } from './topology.ts';

const target = makeTarget(findPreset('recommended')!.config);
const { model } = target;

function run(actions: readonly Action[]) {
  return actions.reduce((s, a) => {
    const why = model.whyDisabled(s, a);
    if (why !== undefined) throw new Error(why);
    return model.step(s, a);
  }, model.initial);
}

describe('the clock cap', () => {
  it.each([Number.MAX_SAFE_INTEGER, 2 ** 53, 1e308, MAX_CLOCK_HOURS + 1])('advanceTime %d hours is not enabled, and says why', (hours) => {
    expect(model.whyDisabled(model.initial, { type: 'advanceTime', hours })).toMatch(/^time goes no further than .* so the clock stays exact/);
  });

  it('the clock can reach the cap exactly, and no further', () => {
    const at = run([{ type: 'advanceTime', hours: MAX_CLOCK_HOURS - 10 }, { type: 'advanceTime', hours: 10 }]);
    expect(at.clock).toBe(MAX_CLOCK_HOURS);
    expect(model.whyDisabled(at, { type: 'advanceTime', hours: 1 })).toMatch(/at most 0 more/);
  });

  it("a 24-hour keyserver key near the cap is kept 23 hours later and purged at 24, as at the start", () => {
    const ttl = target.config.keyCache.keyserverTtlHours;
    const write: Action = { type: 'write', member: 'm1', record: { kind: 'fetchedKey', key: 'olivia@vendor.com' } };
    const base = run([{ type: 'advanceTime', hours: MAX_CLOCK_HOURS - ttl - 1 }, write]);
    const held = (s: typeof base) => s.members[0]!.records['fetchedKey:olivia@vendor.com'] !== undefined && !isPastRetention(target.cluster, s, 0, 'fetchedKey:olivia@vendor.com');
    expect(held(run([{ type: 'advanceTime', hours: MAX_CLOCK_HOURS - ttl - 1 }, write, { type: 'advanceTime', hours: ttl - 1 }]))).toBe(true);
    expect(held(run([{ type: 'advanceTime', hours: MAX_CLOCK_HOURS - ttl - 1 }, write, { type: 'advanceTime', hours: ttl }]))).toBe(false);
    expect(held(base)).toBe(true);
  });
});
