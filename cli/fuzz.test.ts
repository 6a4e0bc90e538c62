/**
 * The fuzz suite (issues 14 and 24): fast-check generates malformed configs, corrupt counterexample and
 * scenario files, bad flags, hostile text in every output format and hostile output targets, and runs the
 * real command-line entry, `run(argv, io)`, in-process.
 *
 * - Bad input must give exit 2 with a message naming the file and the field or step, no stack trace, no
 *   raw control character on the terminal, and no file changed.
 * - Hostile text (every C0 and C1 control, bidirectional marks, line and paragraph separators, each
 *   format's own syntax) in a config name, a client id, a file name or an accepted risk's reason must
 *   leave every format inert: the terminal one line per message, JSON the same value, Mermaid and HTML the
 *   same structure as with plain text (read by Mermaid's own parser and by jsdom), SVG well-formed XML.
 * - An output target of any kind (a new or existing file, a folder, a link to a file or to nothing, a
 *   stand-in device, the run's input, a long or hostile name) is written or refused by `io/write.ts`'s
 *   rule, naming the flag and the path, with no temporary file left.
 *
 * `PGP_CLUSTER_CHECK_FUZZ_RUNS` sets the inputs per generator (a few dozen by default, a few seconds in
 * all; `npm run fuzz` runs a larger share, from a fresh seed unless `PGP_CLUSTER_CHECK_FUZZ_SEED` gives
 * one); the cases tried, the failures and the seed are printed at the end.
 */
import { createHash } from 'node:crypto';
import { execFileSync, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it, onTestFinished } from 'vitest';
import { PRESETS } from '../config/presets.ts';
import { formatPath } from '../config/validate.ts';
import { kb161304File, readJson, tempDir } from '../test/cli.ts';
import type { Io } from '../io/io.ts';
import { run } from './main.ts';
import { MAX_JSON_DEPTH } from '../io/json-error.ts';
import { hasControlCharacter, oneLine } from '../io/untrusted.ts';

const DEFAULT_RUNS = 20;
const RUNS = Number(process.env.PGP_CLUSTER_CHECK_FUZZ_RUNS ?? DEFAULT_RUNS);
/** A fixed seed for `npm test`; a fresh one for a larger run, unless one is given. */
const SEED = Number(process.env.PGP_CLUSTER_CHECK_FUZZ_SEED ?? (RUNS > DEFAULT_RUNS ? Math.floor(Math.random() * 2 ** 31) : 14));
const tried: Record<string, number> = {};
let failures = 0;

afterAll(() => {
  const total = Object.values(tried).reduce((a, b) => a + b, 0);
  console.log(
    `fuzz: ${total} cases, ${failures} failures (seed ${SEED}; PGP_CLUSTER_CHECK_FUZZ_SEED=${SEED} repeats it): ${Object.entries(tried).map(([k, n]) => `${k} ${n}`).join(', ')}`,
  );
});

/** A fuzz test: its failure is counted for the summary line. */
function fuzzIt(name: string, body: () => Promise<void>, timeout?: number): void {
  it(
    name,
    async () => {
      try {
        await body();
      } catch (error) {
        failures++;
        throw error;
      }
    },
    timeout,
  );
}

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
  fuzzIt('a wrong type at any field: exit 2 naming the field', async () => {
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

  fuzzIt('an unknown field (prototype names included), anywhere an object is: exit 2 naming it', async () => {
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

  fuzzIt('each field broken in turn (wrong type or missing): exit 2 naming it', async () => {
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

  fuzzIt('truncated at any point: exit 2 with the line and column', async () => {
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

  fuzzIt('a scenario with an action that is not enabled, of an unknown type or with a bad field: exit 2 naming the step or field', async () => {
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
  fuzzIt('an unknown flag, a bad value or a repeated flag: exit 2 naming the flag', async () => {
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

// ---------------------------------------------------------------------------------------------------
// Hostile text in every output format.

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => String.fromCharCode(from + i));
/** Every C0 and C1 control, DEL, the bidirectional marks, overrides and isolates, the line and paragraph separators. */
const HOSTILE_CHARACTERS = [...range(0, 0x1f), '\u007f', ...range(0x80, 0x9f), '\u061c', '\u200e', '\u200f', ...range(0x202a, 0x202e), ...range(0x2066, 0x2069), '\u2028', '\u2029'];
/** Each format's own syntax, and what would forge a line of it. */
const FORMAT_SYNTAX = [
  // Mermaid
  '\n%%{init: {"securityLevel": "loose"}}%%\n',
  '\nlink P1: FORGED @ javascript:alert(1)\n',
  '\nclick P1 call alert(1)\n',
  '\nend\nend\n',
  '\n  Note over P1: forged\n',
  '\nP1->>P2: forged\n',
  '; rect rgb(0, 0, 0)',
  '#59;',
  '%%',
  '<br/>',
  // XML and HTML
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  '"><b>x</b>',
  "'",
  '&amp;',
  ']]>',
  '<!--',
  '\ufffe',
  '\uffff',
  '\ud800',
  // terminal
  '\u001b[2J',
  '\nreproduce: rm -rf ~\n',
  '\r\u001b[31m',
];
const hostileText = fc
  .array(fc.oneof(fc.constantFrom(...HOSTILE_CHARACTERS), fc.constantFrom(...FORMAT_SYNTAX), fc.constantFrom('a', ' ', 'x')), { minLength: 1, maxLength: 8 })
  .map((parts) => parts.join(''))
  .filter((text) => /[^\s]/.test(text));

interface MermaidApi {
  initialize(config: object): void;
  parse(text: string): Promise<unknown>;
  mermaidAPI: { getDiagramFromText(text: string): Promise<{ db: unknown }> };
}
let mermaid: MermaidApi | undefined;
/** Mermaid's own parser (its renderer's), under a jsdom window: Mermaid sanitizes text with DOMPurify. */
async function mermaidParser() {
  if (mermaid === undefined) {
    const { JSDOM } = await import('jsdom');
    if (typeof (globalThis as { window?: unknown }).window === 'undefined') {
      const { window } = new JSDOM('');
      Object.assign(globalThis, { window, document: window.document });
    }
    const loaded = (await import('mermaid')).default as unknown as MermaidApi;
    loaded.initialize({ startOnLoad: false, securityLevel: 'strict' });
    mermaid = loaded;
  }
  return mermaid;
}

/** What a Mermaid diagram is made of: its participants, and the type of each statement in order. */
async function mermaidStructure(text: string): Promise<{ actors: number; statements: number[]; directives: number }> {
  const parser = await mermaidParser();
  await parser.parse(text);
  const { db } = await parser.mermaidAPI.getDiagramFromText(text);
  const sequence = db as { getActors(): Map<string, unknown>; getMessages(): { type: number }[] };
  return { actors: sequence.getActors().size, statements: sequence.getMessages().map((m) => m.type), directives: text.split('%%{').length - 1 };
}

let parser: Promise<DOMParser> | undefined;

/** One DOM parser for every document (each parse makes a document of its own): a window is slow to make. */
function domParser(): Promise<DOMParser> {
  parser ??= import('jsdom').then(({ JSDOM }) => new new JSDOM('').window.DOMParser());
  return parser;
}

/** What an HTML or SVG document is made of: its elements in document order, with the scripts and the policy. */
async function markupStructure(text: string, type: 'text/html' | 'image/svg+xml'): Promise<string[]> {
  const document = (await domParser()).parseFromString(text, type);
  expect(document.getElementsByTagName('parsererror'), text.slice(0, 300)).toHaveLength(0);
  const visible = document.documentElement.textContent ?? '';
  expect(hasControlCharacter(visible.replace(/[\n\t]/g, '')), 'a control or bidirectional character reached the page raw').toBe(false);
  return [...document.querySelectorAll('*')].map((e) => (e.tagName === 'META' ? `meta ${e.getAttribute('content') ?? ''}` : e.tagName.toLowerCase()));
}

/** Runs the command line in-process: status and output. */
async function runCli(argv: readonly string[]): Promise<{ status: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: Io = { out: (t) => (out += `${t}\n`), err: (t) => (err += `${t}\n`), isTty: false };
  const status = await run(argv, io);
  return { status, out, err };
}

/** Where a hostile text is put: into a counterexample file (its config name, its client id, its file name) or an accepted risk. */
const SLOTS = ['config name', 'client id', 'file name', 'accept reason'] as const;
type Slot = (typeof SLOTS)[number];

/** The same document with `text` in `slot` (a file name cannot hold `/` or NUL: those become `_`). */
function counterexampleWith(dir: string, slot: Slot, text: string): string {
  const doc = readJson(kb161304File()) as { config: { name: string }; actions: { client?: string }[] };
  if (slot === 'config name') doc.config.name = text;
  if (slot === 'client id' || slot === 'accept reason') for (const a of doc.actions) if (a.client !== undefined) a.client = text;
  const name = slot === 'file name' ? `${text.replace(/[/\0]/g, '_')}.json` : 'plain.json';
  return writeJson(dir, Buffer.byteLength(name) > 255 ? 'long.json' : name, doc);
}

describe('fuzz: hostile text in every output format', () => {
  fuzzIt('replay as text, JSON, Mermaid and HTML, and resync as SVG: inert, the same structure as plain text', async () => {
    const input = fc.tuple(fc.constantFrom(...SLOTS), hostileText);
    // Text as wide as it comes, so that a hostile name and a plain one of the same length wrap alike and
    // their reports have as many lines unless a name forged one.
    const columns = process.env.COLUMNS;
    process.env.COLUMNS = '100000';
    onTestFinished(() => {
      if (columns === undefined) delete process.env.COLUMNS;
      else process.env.COLUMNS = columns;
    });
    await fc.assert(
      fc.asyncProperty(input, async ([slot, text]) => {
        tried['output format'] = (tried['output format'] ?? 0) + 1;
        const plain = 'x'.repeat(text.length);
        const hostileFile = counterexampleWith(tempDir(), slot, text);
        const plainFile = counterexampleWith(tempDir(), slot, plain);
        const context = `${slot}: ${JSON.stringify(text)}`;
        for (const format of ['text', 'json', 'mermaid', 'html'] as const) {
          const [bad, good] = [await runCli(['replay', hostileFile, '--format', format]), await runCli(['replay', plainFile, '--format', format])];
          expect(bad.status, `${context}\n${bad.err}`).toBe(good.status);
          expect(hasControlCharacter(`${bad.out}${bad.err}`.replace(/[\n\t]/g, '')), `${context}: ${format}`).toBe(false);
          expect(bad.err.split('\n').length, context).toBe(good.err.split('\n').length);
          if (format === 'text') expect(bad.out.split('\n').length, `${context}\n${bad.out}`).toBe(good.out.split('\n').length);
          if (format === 'json' && slot === 'config name') expect(JSON.parse(bad.out).config, context).toBe(JSON.parse(JSON.stringify(text)));
          if (format === 'mermaid') expect(await mermaidStructure(bad.out), `${context}\n${bad.out}`).toEqual(await mermaidStructure(good.out));
          if (format === 'html') expect(await markupStructure(bad.out, 'text/html'), context).toEqual(await markupStructure(good.out, 'text/html'));
        }
        if (slot === 'config name') {
          const dir = tempDir();
          const config = writeJson(dir, 'c.json', { ...(readJson(hostileFile).config as object), name: text });
          const plainConfig = writeJson(dir, 'p.json', { ...(readJson(hostileFile).config as object), name: plain });
          const [bad, good] = [await runCli(['resync', '--config', config, '--member', 'm1', '--svg', join(dir, 'bad.svg')]), await runCli(['resync', '--config', plainConfig, '--member', 'm1', '--svg', join(dir, 'good.svg')])];
          expect(bad.status, `${context}\n${bad.err}`).toBe(0);
          expect(bad.out.split('\n').length, context).toBe(good.out.split('\n').length);
          expect(await markupStructure(readFileSync(join(dir, 'bad.svg'), 'utf8'), 'image/svg+xml'), context).toEqual(await markupStructure(readFileSync(join(dir, 'good.svg'), 'utf8'), 'image/svg+xml'));
        }
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });

  fuzzIt('accepted risks with hostile reasons: one warning line each, nothing raw on the terminal', async () => {
    const config = PRESETS.find((p) => p.name === 'recommended')!.config;
    const scopes = [undefined, ['m1'], ['m2'], ['m3'], ['m1', 'm2'], ['m2', 'm3'], ['m1', 'm3'], ['m1', 'm2', 'm3']];
    const input = fc.tuple(fc.uniqueArray(fc.constantFrom(...scopes.keys()), { minLength: 1, maxLength: scopes.length }), fc.array(hostileText, { minLength: scopes.length, maxLength: scopes.length }), fc.constantFrom('0', '-1', '1e9', 'abc', '', '100', '12abc'));
    await fc.assert(
      fc.asyncProperty(input, async ([chosen, reasons, columns]) => {
        tried['terminal line'] = (tried['terminal line'] ?? 0) + 1;
        const accept = chosen.map((i) => ({ property: 'eventual-convergence', reason: reasons[i]!, ...(scopes[i] ? { members: scopes[i] } : {}) }));
        const file = writeJson(tempDir(), 'c.json', { ...config, accept });
        const before = process.env.COLUMNS;
        process.env.COLUMNS = columns;
        try {
          const { status, err, out } = await runCli(['check', '--config', file, '--property', 'eventual-convergence', '--runs', '1', '--no-save']);
          const context = `${JSON.stringify(accept)}\n${err}`;
          expect(status, context).toBe(0);
          expect(hasControlCharacter(`${out}${err}`.replace(/\n/g, '')), context).toBe(false);
          const lines = err.split('\n').filter((l) => l !== '');
          expect(lines, context).toHaveLength(accept.length);
          for (const line of lines) expect(line, context).toMatch(/^warning: stale acceptance: eventual-convergence/);
          const width = /^[1-9]\d*$/.test(columns) ? Math.max(40, Number(columns)) : 80;
          // Only an unbreakable token may stick out: without its longest word, every line fits.
          const longest = (line: string) => Math.max(0, ...line.trim().split(/\s+/).map((w) => w.length));
          for (const line of out.split('\n')) expect(line.length - longest(line), `${line} (COLUMNS=${columns})`).toBeLessThanOrEqual(width);
        } finally {
          if (before === undefined) delete process.env.COLUMNS;
          else process.env.COLUMNS = before;
        }
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });
});

// ---------------------------------------------------------------------------------------------------
// Hostile output targets.

const canMknod = process.getuid?.() === 0 && spawnSync('mknod', [join(tempDir(), 'probe'), 'c', '1', '3']).status === 0;
/** The kinds of target, each with whether it is written (true) or refused (a part of the message). */
const TARGET_KINDS = ['new file', 'existing file', 'folder', 'link to a file', 'link to nothing', 'the input', 'long name', 'too long a name', 'missing folder', ...(canMknod ? (['null device', 'full device'] as const) : [])] as const;
type TargetKind = (typeof TARGET_KINDS)[number];
const REFUSED: Partial<Record<TargetKind, string>> = {
  folder: 'it is a folder',
  'link to a file': 'it is a symbolic link (to ',
  'link to nothing': 'which does not exist',
  'the input': "it is this run's input",
  'too long a name': 'the name is longer than',
  'missing folder': 'does not exist',
  'full device': 'no space left on the device',
};

/** A symbolic link at `path` to `to`; returns `path`. */
function linked(to: string, path: string): string {
  symlinkSync(to, path);
  return path;
}

/** A stand-in for a memory device (1, minor: 3 is /dev/null's, 7 /dev/full's) at `path`; returns `path`. */
function device(path: string, minor: string): string {
  execFileSync('mknod', [path, 'c', '1', minor]);
  return path;
}

describe('fuzz: output targets', () => {
  fuzzIt('--html and --svg to any kind of target: written by the rule or refused naming the flag and the path, no temporary file left', async () => {
    const nameText = fc.string({ unit: fc.constantFrom('a', 'é', ' ', '-', '\n', '\u001b', '\u202e', '%', ';', '<'), minLength: 1, maxLength: 12 });
    const input = fc.tuple(fc.constantFrom('--html', '--svg'), fc.constantFrom(...TARGET_KINDS), nameText);
    await fc.assert(
      fc.asyncProperty(input, async ([flag, kind, name]) => {
        tried['output target'] = (tried['output target'] ?? 0) + 1;
        const dir = tempDir();
        const config = writeJson(dir, 'c.json', PRESETS.find((p) => p.name === 'dmz-ring')!.config);
        const victim = join(dir, 'victim.txt');
        writeFileSync(victim, 'keep me');
        const safeName = name.replace(/[/\0]/g, '_');
        const target = {
          'new file': () => join(dir, `${safeName}.out`),
          'existing file': () => writeJson(dir, `${safeName}.out`, 'old'),
          folder: () => dir,
          'link to a file': () => linked(victim, join(dir, 'link')),
          'link to nothing': () => linked(join(dir, 'nowhere'), join(dir, 'link')),
          'the input': () => config,
          'long name': () => join(dir, `${'r'.repeat(240)}.out`),
          'too long a name': () => join(dir, `${'r'.repeat(256)}.out`),
          'missing folder': () => join(dir, 'missing', 'r.out'),
          'null device': () => device(join(dir, 'null'), '3'),
          'full device': () => device(join(dir, 'full'), '7'),
        }[kind]();
        const argv =
          flag === '--html'
            ? ['check', '--config', config, '--property', 'survivor-convergence', '--runs', '1', '--max-states', '0', '--no-save', '--html', target]
            : ['resync', '--config', config, '--member', 'm1', '--svg', target];
        const configBefore = readFileSync(config, 'utf8');
        const { status, err } = await runCli(argv);
        const context = `${kind}: ${JSON.stringify(target)}\n${err}`;
        const refused = REFUSED[kind];
        if (refused !== undefined) {
          expect(status, context).toBe(2);
          expect(err, context).toContain(`error: ${flag}: cannot write ${oneLine(target)}: `);
          expect(err, context).toContain(refused);
        } else {
          expect(status, context).toBeLessThan(2);
          if (kind !== 'null device') expect(readFileSync(target, 'utf8'), context).toMatch(flag === '--html' ? /^<!doctype html>/ : /^<svg /);
          // `check --html` says where it wrote, on one line; `resync` says nothing on stderr.
          expect(err.split('\n').filter((l) => l !== ''), context).toEqual(flag === '--html' ? [`wrote ${oneLine(target)}`] : []);
        }
        expect(err, context).not.toMatch(/\.tmp\b/);
        expect(readdirSync(dir).filter((n) => n.endsWith('.tmp')), context).toEqual([]);
        expect(readFileSync(victim, 'utf8')).toBe('keep me');
        expect(readFileSync(config, 'utf8')).toBe(configBefore);
        for (const device of ['null', 'full']) if (kind.startsWith(device)) expect(statSync(join(dir, device)).isCharacterDevice()).toBe(true);
        expect(hasControlCharacter(err.replace(/\n/g, '')), context).toBe(false);
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });
});
