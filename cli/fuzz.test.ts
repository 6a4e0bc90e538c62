/**
 * The fuzz suite (issue 14, "What to build" 7): fast-check generates malformed configs, corrupt
 * counterexample and scenario files and bad flags, and runs the real command-line entry, `run(argv, io)`,
 * in-process. Every input is invalid by construction, so each must give exit 2 with a message naming the
 * file and the field or step, no stack trace, no raw control character on the terminal, and no file
 * changed. `PGP_CLUSTER_CHECK_FUZZ_RUNS` sets the inputs per generator (a few dozen by default, a few
 * seconds in all); the numbers tried are printed at the end.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { PRESETS } from '../config/presets.ts';
import { formatPath } from '../config/validate.ts';
import { kb161304File, readJson, tempDir } from '../test/cli.ts';
import type { Io } from '../io/io.ts';
import { run } from './main.ts';
import { MAX_JSON_DEPTH } from '../io/json-error.ts';
import { hasControlCharacter } from '../io/untrusted.ts';

const RUNS = Number(process.env.PGP_CLUSTER_CHECK_FUZZ_RUNS ?? 40);
const SEED = Number(process.env.PGP_CLUSTER_CHECK_FUZZ_SEED ?? 14);
const tried: Record<string, number> = {};

afterAll(() => {
  const total = Object.values(tried).reduce((a, b) => a + b, 0);
  console.log(`fuzz: ${total} inputs (${Object.entries(tried).map(([k, n]) => `${k} ${n}`).join(', ')}), seed ${SEED}`);
});

const STACK = /\n\s+at .*:\d+:\d+|\bat (?:async )?[\w.<>]+ \(/;
const PROTOTYPE_NAMES = [...new Set([...Object.getOwnPropertyNames(Object.prototype), '__proto__', 'prototype'])];

/** Every file under a folder with a hash of its content, to show nothing was written. */
function snapshot(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const name of readdirSync(dir, { recursive: true, encoding: 'utf8' })) {
    const path = join(dir, name);
    out.set(name, statSync(path).isFile() ? createHash('sha256').update(readFileSync(path)).digest('hex') : 'dir');
  }
  return out;
}

/** Runs the command line in-process; asserts what every rejected input must show, and returns stderr. */
async function expectRejected(argv: readonly string[], watched: readonly string[], mustName: readonly string[]): Promise<string> {
  const before = watched.map(snapshot);
  let out = '';
  let err = '';
  const io: Io = { out: (t) => (out += `${t}\n`), err: (t) => (err += `${t}\n`), isTty: false };
  const status = await run(argv, io);
  const context = `argv: ${JSON.stringify(argv)}\nstdout: ${out.slice(0, 2000)}\nstderr: ${err.slice(0, 2000)}`;
  expect(status, context).toBe(2);
  expect(out, context).toBe('');
  expect(err, context).toMatch(/^error: /);
  expect(err, context).not.toMatch(STACK);
  expect(hasControlCharacter(err.replace(/\n/g, '')), context).toBe(false);
  for (const name of mustName) expect(err, context).toContain(name);
  watched.forEach((dir, i) => {
    expect(snapshot(dir), context).toEqual(before[i]);
  });
  return err;
}

// ---------------------------------------------------------------------------------------------------
// Values: wrong types, huge and deep values, control characters, prototype names.

const controlText = fc.string({ unit: fc.constantFrom('\u001b[2J', '\n', '\r', '\u0007', '\u202e', '\u0000', 'x', 'reproduce: ', ';', '|'), maxLength: 8 });
const deep = fc.integer({ min: 65, max: 3000 }).map((n) => JSON.parse(`${'['.repeat(n)}${']'.repeat(n)}`) as unknown);
const scalarOfType = (type: string): fc.Arbitrary<unknown> =>
  fc.oneof(
    ...[
      type !== 'string' ? fc.oneof(fc.string({ maxLength: 6 }), controlText, fc.constantFrom(...PROTOTYPE_NAMES)) : undefined,
      type !== 'number' ? fc.oneof(fc.integer(), fc.double({ noNaN: true }), fc.constant(1e308)) : undefined,
      type !== 'boolean' ? fc.boolean() : undefined,
      type !== 'null' ? fc.constant(null) : undefined,
      type !== 'array' ? fc.oneof(fc.array(fc.integer(), { maxLength: 3 }), deep) : undefined,
      type !== 'object' ? fc.dictionary(fc.constantFrom(...PROTOTYPE_NAMES, 'x'), fc.integer(), { maxKeys: 2 }) : undefined,
    ].filter((a): a is fc.Arbitrary<unknown> => a !== undefined),
  );

function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

/** Every path into a JSON value (objects and arrays), with the value there. */
function paths(value: unknown, at: (string | number)[] = []): { path: (string | number)[]; value: unknown }[] {
  const here = at.length === 0 ? [] : [{ path: at, value }];
  if (Array.isArray(value)) return [...here, ...value.flatMap((v, i) => paths(v, [...at, i]))];
  if (value !== null && typeof value === 'object') return [...here, ...Object.entries(value).flatMap(([k, v]) => paths(v, [...at, k]))];
  return here;
}

function setAt(doc: unknown, path: readonly (string | number)[], value: unknown): unknown {
  const copy = structuredClone(doc) as Record<string | number, unknown>;
  let here = copy;
  for (const part of path.slice(0, -1)) here = here[part] as Record<string | number, unknown>;
  Object.defineProperty(here, path[path.length - 1]!, { value, enumerable: true, writable: true, configurable: true });
  return copy;
}

function withField(doc: unknown, path: readonly (string | number)[], key: string, value: unknown): unknown {
  const copy = structuredClone(doc) as Record<string | number, unknown>;
  let here = copy;
  for (const part of path) here = here[part] as Record<string | number, unknown>;
  Object.defineProperty(here, key, { value, enumerable: true, writable: true, configurable: true });
  return copy;
}

/** A JSON file of `doc` (own `__proto__` keys written as keys, as a user's file would have them). */
function writeJson(dir: string, name: string, doc: unknown): string {
  const file = join(dir, name);
  writeFileSync(file, JSON.stringify(doc));
  return file;
}

/** How deep arrays and objects nest in a value. */
function depthOf(value: unknown): number {
  let depth = 0;
  let here: unknown[] = [value];
  while (here.length > 0) {
    const next = here.flatMap((v) => (v !== null && typeof v === 'object' ? Object.values(v) : []));
    if (!here.some((v) => v !== null && typeof v === 'object')) break;
    depth++;
    here = next;
  }
  return depth;
}

/** The first segment of a path as the message writes it (`members[2]`, `faults`). */
function fieldNamed(path: readonly (string | number)[]): string {
  return formatPath(path.slice(0, typeof path[1] === 'number' ? 2 : 1));
}

// ---------------------------------------------------------------------------------------------------

const configs = PRESETS.map((p) => p.config);

describe('fuzz: malformed configs (check --config)', () => {
  it('a wrong type at any field: exit 2 naming the field', async () => {
    const dir = tempDir();
    const input = fc
      .constantFrom(...configs)
      .chain((config) => fc.constantFrom(...paths(config)).chain(({ path, value }) => scalarOfType(typeOf(value)).map((bad) => ({ config, path, bad }))));
    await fc.assert(
      fc.asyncProperty(input, async ({ config, path, bad }) => {
        tried['config field'] = (tried['config field'] ?? 0) + 1;
        const file = writeJson(dir, 'config.json', setAt(config, path, bad));
        const deepValue = path.length + depthOf(bad) > MAX_JSON_DEPTH;
        await expectRejected(['check', '--config', file, '--runs', '1', '--no-save'], [dir], [file, deepValue ? 'nested deeper' : fieldNamed(path)]);
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });

  it('an unknown field (prototype names included), anywhere an object is: exit 2 naming it', async () => {
    const dir = tempDir();
    const input = fc.constantFrom(...configs).chain((config) =>
      fc.tuple(
        fc.constant(config),
        fc.constantFrom([], ...paths(config).filter((p) => typeOf(p.value) === 'object').map((p) => p.path)),
        fc.oneof(fc.constantFrom(...PROTOTYPE_NAMES), fc.string({ minLength: 1, maxLength: 8 }).filter((k) => !/^[a-zA-Z]+$/.test(k))),
        fc.jsonValue({ maxDepth: 2 }),
      ),
    );
    await fc.assert(
      fc.asyncProperty(input, async ([config, path, key, value]) => {
        tried['config unknown field'] = (tried['config unknown field'] ?? 0) + 1;
        const file = writeJson(dir, 'config.json', withField(config, path, key, value));
        await expectRejected(['check', '--config', file, '--runs', '1', '--no-save'], [dir], [file]);
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });
});

describe('fuzz: corrupt counterexample and scenario files (replay)', () => {
  const source = kb161304File();
  const original = readJson(source);
  const required = ['formatVersion', 'property', 'expect', 'violation', 'actions', 'found', 'config'];

  it('each field broken in turn (wrong type or missing): exit 2 naming it', async () => {
    const dir = tempDir();
    const fields = paths(original).filter(({ path }) => path[0] !== 'states' || path.length <= 2);
    const input = fc.oneof(
      fc.constantFrom(...fields).chain(({ path, value }) => scalarOfType(typeOf(value)).map((bad) => ({ path, bad, drop: false }))),
      fc.constantFrom(...required).map((key) => ({ path: [key], bad: undefined, drop: true })),
    );
    await fc.assert(
      fc.asyncProperty(input, async ({ path, bad, drop }) => {
        tried['counterexample field'] = (tried['counterexample field'] ?? 0) + 1;
        const doc = drop ? Object.fromEntries(Object.entries(original).filter(([k]) => k !== path[0])) : setAt(original, path, bad);
        const file = writeJson(dir, 'broken.json', doc);
        const deepValue = path.length + depthOf(bad) > MAX_JSON_DEPTH;
        // The message names the field, or (for an action or a config change that makes a step
        // impossible) the step; `formatVersion` broken makes the file a scenario with stray fields.
        const err = await expectRejected(['replay', file], [dir], [file]);
        if (deepValue) expect(err).toContain('nested deeper');
        else expect(err).toMatch(new RegExp(`${String(path[0])}|step \\d+|formatVersion`));
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });

  it('truncated at any point: exit 2 with the line and column', async () => {
    const dir = tempDir();
    const text = readFileSync(source, 'utf8').trimEnd();
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: text.length - 1 }), async (cut) => {
        tried['truncated file'] = (tried['truncated file'] ?? 0) + 1;
        const file = join(dir, 'truncated.json');
        writeFileSync(file, text.slice(0, cut));
        await expectRejected(['replay', file], [dir], [`${file}:`]);
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });

  it('a scenario with an action that is not enabled, of an unknown type or with a bad field: exit 2 naming the step or field', async () => {
    const dir = tempDir();
    const preset = fc.constantFrom(...PRESETS.map((p) => p.name));
    const bad = fc.oneof(
      fc.constant({ action: { type: 'recover', member: 'm1' }, names: 'not enabled' }),
      fc.constant({ action: { type: 'heal', a: 'm1', b: 'm2' }, names: 'not enabled' }),
      fc.constant({ action: { type: 'crash', member: 'm9' }, names: 'actions[' }),
      fc.record({ type: fc.oneof(controlText, fc.constantFrom(...PROTOTYPE_NAMES)) }).map((action) => ({ action, names: 'actions[' })),
      fc.constantFrom('member', 'constructor', '__proto__').map((field) => ({ action: withField({ type: 'crash', member: 'm1' }, [], field, 1), names: 'actions[' })),
      fc.record({ type: fc.constant('advanceTime'), hours: fc.oneof(fc.constant(0), fc.constant(-1), fc.constant(1.5), fc.constant(1e300), fc.constant(2 ** 53)) }).map((action) => ({ action, names: 'actions[' })),
    );
    const input = fc.tuple(preset, fc.nat({ max: 3 }), bad, controlText);
    await fc.assert(
      fc.asyncProperty(input, async ([name, before, { action, names }, description]) => {
        tried.scenario = (tried.scenario ?? 0) + 1;
        const ok = Array.from({ length: before }, () => ({ type: 'replicate', member: 'm1' }));
        const file = writeJson(dir, 'scenario.json', { preset: name, description, actions: [...ok, action] });
        await expectRejected(['replay', file], [dir], [file, names]);
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });
});

describe('fuzz: bad flags', () => {
  const command = fc.constantFrom('check', 'explore', 'replay', 'index', 'list');
  const badFlag = fc.oneof(
    fc.tuple(fc.constantFrom('--runs', '--seed', '--length', '--workers', '--depth', '--max-states', '--writes', '--clients'), fc.oneof(controlText, fc.constantFrom('', '-1', '1e9', '0x10', '99999999999999', 'NaN', '1.5'))).map(([f, v]) => [f, v]),
    fc.tuple(fc.constant('--path'), fc.oneof(controlText, fc.constantFrom('', ':::', '1.5:0', '0x1', '99999999999:1', `0${':0'.repeat(6000)}`))).map(([f, v]) => [f, v]),
    fc.oneof(controlText.filter((t) => t !== ''), fc.constantFrom(...PROTOTYPE_NAMES)).map((name) => [`--${name}`]),
    fc.constantFrom(['--preset', 'nope'], ['--preset', 'dmz-ring', '--preset', 'dmz-ring'], ['--format', 'pdf'], ['--horizon', '5']),
  );
  it('an unknown flag, a bad value or a repeated flag: exit 2 naming the flag', async () => {
    const dir = tempDir();
    await fc.assert(
      fc.asyncProperty(command, badFlag, async (cmd, flag) => {
        tried.flags = (tried.flags ?? 0) + 1;
        const argv = [cmd, ...flag, ...(cmd === 'explore' ? ['--preset', 'dmz-ring', '--depth', '0'] : []), ...(cmd === 'check' || cmd === 'explore' ? ['--no-save'] : [])];
        const err = await expectRejected(argv, [dir], []);
        expect(err).toMatch(/--|unknown|flag|give/);
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });
});
