/** Small builders shared by the tests. */
import type { ClusterConfigInput } from '../config/schema.ts';
import { resolveConfig } from '../config/validate.ts';
import type { Action } from '../model/actions.ts';
import { type CompiledCluster, compileCluster, initialState } from '../model/cluster.ts';
import type { RecordKind } from '../model/records.ts';
import type { ClusterState } from '../model/state.ts';
import { step } from '../model/step.ts';
import { expect } from 'vitest';

export function cluster(input: Omit<ClusterConfigInput, 'name'> & { name?: string }): CompiledCluster {
  return compileCluster(resolveConfig({ name: 'test', ...input }));
}

export const threeMembers = [{ id: 'm1' }, { id: 'm2' }, { id: 'm3' }];

/** The state after a list of actions (each must be enabled). */
export function run(model: CompiledCluster, actions: readonly Action[], from: ClusterState = initialState(model)): ClusterState {
  return actions.reduce((state, action) => step(model, state, action), from);
}

export const crash = (member: string): Action => ({ type: 'crash', member });
export const recover = (member: string): Action => ({ type: 'recover', member });
export const partition = (a: string, b: string): Action => ({ type: 'partition', a, b });
export const heal = (a: string, b: string): Action => ({ type: 'heal', a, b });
export const write = (member: string, kind: RecordKind, key: string): Action => ({ type: 'write', member, record: { kind, key } });
export const replicate = (member: string): Action => ({ type: 'replicate', member });
export const remove = (member: string): Action => ({ type: 'remove', member });
export const enroll = (client: string, member: string): Action => ({ type: 'enroll', client, member });
export const join = (member: string): Action => ({ type: 'join', member });
export const upgrade = (member: string): Action => ({ type: 'upgrade', member, major: true });
/** A minor update (a .pup file, KB 153403): members a minor update apart still replicate. */
export const minorUpdate = (member: string): Action => ({ type: 'upgrade', member, major: false });
export const advance = (hours: number): Action => ({ type: 'advanceTime', hours });
export const days = (n: number): Action => advance(n * 24);
export const setMode = (mode: 'highAvailability' | 'homeServer'): Action => ({ type: 'setAccountMode', mode });

/** Three default members and a fourth, `m4`, that joins later. */
export const threeAndAJoiner = [{ id: 'm1' }, { id: 'm2' }, { id: 'm3' }, { id: 'm4', joinsLater: true }];

/** Which members hold a record (any version). */
export function holders(state: ClusterState, id: string): string[] {
  return state.members.filter((m) => (m.records as Record<string, number>)[id] !== undefined).map((m) => m.id);
}

/**
 * `expect(actual, message()).toEqual(expected)`, but only when they differ: a differential test compares a
 * million values, and vitest's `expect` costs more than the comparison. Primitives and arrays of primitives.
 */
export function agree<T>(actual: T, expected: T, message?: () => string): void {
  if (Object.is(actual, expected)) return;
  if (Array.isArray(actual) && Array.isArray(expected) && actual.length === expected.length && actual.every((x, i) => Object.is(x, expected[i]))) return;
  expect(actual, message?.()).toEqual(expected);
}
