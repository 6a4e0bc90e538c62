import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { cli, corpusFile, kb161304File, listing, readJson, tempDir, writeDoc } from '../test/cli.ts';
import { canonicalJson, counterexampleName, fileSlug, loadTraceFile, namedConfig, parseTraceDocument, prettyJson } from './counterexample.ts';
import { UsageError } from '../io/io.ts';

const dmz = kb161304File();
/** A file as `check` shipped it in the corpus (its name, its `found`, its layout). */
const shipped = corpusFile('dmz-ring', 'survivor-convergence');
const base = readJson(dmz);
const actions = base.actions as Record<string, unknown>[];

/** Each kind of bad file, and what the message must say (README, command line: exit 2, naming the file and the field or step). */
const badFiles: [string, unknown, RegExp[]][] = [
  ['invalid JSON', '{\n  "formatVersion": 1,\n  "property": "x",\n}\n', [/bad\.json:4:1: invalid JSON: unexpected "\}"/]],
  ['not an object', [1, 2], [/bad\.json: a counterexample or scenario file is a JSON object, got an array/]],
  ['unknown format version', { ...base, formatVersion: 2 }, [/bad\.json: formatVersion: unsupported format version 2; this version of pgp-cluster-check reads version 1/]],
  [
    'no format version',
    (({ formatVersion: _v, ...rest }) => rest)(base),
    [/bad\.json: formatVersion: missing required field; a counterexample file starts with "formatVersion": 1/],
  ],
  [
    'unknown property',
    { ...base, property: 'survivor-convergance' },
    [/bad\.json: property: unknown property "survivor-convergance"; valid: .*did you mean "survivor-convergence"\?/],
  ],
  [
    'an action naming an unknown member',
    { ...base, actions: [{ type: 'crash', member: 'm9' }, actions[1]] },
    [/bad\.json: actions\[0\] \(step 1, "crash m9"\): not enabled at this step: unknown member "m9"; members are m1, m2, m3, m4/],
  ],
  [
    'an action not enabled at its step',
    { ...base, actions: [actions[0], { type: 'crash', member: 'm2' }] },
    [/bad\.json: actions\[1\] \(step 2, "crash m2"\): not enabled at this step: the fault budget is spent \(maxDown 1: m1 is down\)/],
  ],
  ['a missing field', (({ violation: _v, ...rest }) => rest)(base), [/bad\.json: violation: missing required field; expected an object/]],
  [
    'an action missing a field',
    { ...base, actions: [{ type: 'partition', a: 'm1' }, actions[1]] },
    [/bad\.json: actions\[0\]\.b: missing required field \(string\) of a partition action/],
  ],
  [
    'wrong types, all reported at once',
    { ...base, expect: 'violate', violation: { ...(base.violation as object), step: '2' }, actions: [{ type: 'crash', member: 3 }, { type: 'enrol', client: 'x', member: 'm3' }] },
    [
      /bad\.json: expect: unknown expectation "violate"; valid: violated, holds; did you mean "violated"\?/,
      /bad\.json: violation\.step: expected a number, got "2" \(write 2 without quotes\)/,
      /bad\.json: actions\[0\]\.member: expected string, got 3/,
      /bad\.json: actions\[1\]\.type: unknown action type "enrol"; valid: crash, .*; did you mean "enroll"\?/,
    ],
  ],
  [
    'unknown fields',
    { ...base, colour: 'red', actions: [{ type: 'crash', member: 'm1', when: 'now' }, actions[1]] },
    [/bad\.json: colour: unknown field; valid here: .*formatVersion/, /bad\.json: actions\[0\]\.when: unknown field of a crash action; valid: type, member/],
  ],
  [
    'an invalid config',
    { ...base, config: { ...(base.config as object), faults: { maxDown: 7 } } },
    [/bad\.json: config\.faults\.maxDown: 7 is out of range; valid: 0 to 3 \(members - 1\)/],
  ],
  ['a violation past the last action', { ...base, violation: { step: 5, message: 'x' } }, [/bad\.json: violation\.step: 5 is past the last action \(the file has 2\)/]],
  ['states that do not match the actions', { ...base, states: [] }, [/bad\.json: states: 0 recorded states for 2 actions; expected one per action/]],
  ['a scenario naming an unknown preset', { preset: 'dmz-rin', actions: [] }, [/bad\.json: preset: unknown preset "dmz-rin"; valid: .*did you mean "dmz-ring"\?/]],
  ['a scenario with both preset and config', { preset: 'dmz-ring', config: {}, actions: [] }, [/bad\.json: give "preset" or "config", not both/]],
  [
    'a scenario with a step that cannot run',
    { config: { members: [{ id: 'a' }, { id: 'b' }] }, actions: [{ type: 'crash', member: 'a' }, { type: 'crash', member: 'b' }] },
    [/bad\.json: actions\[1\] \(step 2, "crash b"\): not enabled at this step: the fault budget is spent/],
  ],
  ['a scenario without actions', { preset: 'dmz-ring' }, [/bad\.json: actions: missing required field; expected an array/]],
];

describe('bad counterexample and scenario files: exit 2, a message naming the file and the field or step, nothing written', () => {
  it.each(badFiles)('%s', async (_name, doc, messages) => {
    const dir = tempDir();
    const file = writeDoc(dir, 'bad.json', doc);
    const before = listing(dir);
    for (const format of [[], ['--json'], ['--format', 'mermaid']]) {
      const { status, out, err } = await cli('replay', file, ...format);
      expect(status).toBe(2);
      expect(out).toBe('');
      for (const message of messages) expect(err).toMatch(message);
      for (const line of err.trim().split('\n')) expect(line.startsWith(`error: ${file}`)).toBe(true);
    }
    expect(listing(dir)).toEqual(before);
  });

  it('an unreadable file', async () => {
    const { status, err } = await cli('replay', '/nonexistent/x.json');
    expect(status).toBe(2);
    expect(err).toMatch(/\/nonexistent\/x\.json: cannot read: no such file/);
  });

  it('parseTraceDocument throws a UsageError listing every problem, each naming its field', () => {
    let problems: readonly string[] = [];
    try {
      parseTraceDocument('f.json', { formatVersion: 1 });
    } catch (error) {
      expect(error).toBeInstanceOf(UsageError);
      problems = (error as UsageError).problems;
    }
    expect(problems).toEqual(
      ['property', 'expect', 'violation', 'actions', 'found', 'config'].map((field) => expect.stringMatching(new RegExp(`^f\\.json: ${field}: missing required field`))),
    );
  });
});

describe('the file format', () => {
  it('a shipped file loads, with its full resolved config, actions and how it was found', () => {
    const loaded = loadTraceFile(shipped);
    expect(loaded.kind).toBe('counterexample');
    if (loaded.kind !== 'counterexample') return;
    const d = loaded.document;
    expect(d.formatVersion).toBe(1);
    expect(d.expect).toBe('violated');
    expect(d.property).toBe('survivor-convergence');
    expect(d.config.members.map((m) => [m.id, m.zone, m.role])).toEqual([
      ['m1', 'internal', 'sponsor'],
      ['m2', 'internal', 'node'],
      ['m3', 'dmz', 'node'],
      ['m4', 'dmz', 'node'],
    ]);
    expect(d.found).toMatchObject({ seed: expect.any(Number), runs: expect.any(Number), originalLength: expect.any(Number), path: expect.any(String) });
    expect(d.found.command).toMatch(/^npx pgp-cluster-check check --preset dmz-ring --property survivor-convergence --seed \d+ --path "[\d:]+"$/);
    expect(d.states).toHaveLength(d.actions.length);
  });

  it('an upgrade saved before the major flag loads without it (a major upgrade, model/actions.ts isMajorUpgrade)', () => {
    const loaded = loadTraceFile('counterexamples/rolling-upgrade--survivor-convergence--15286cce.json');
    if (loaded.kind !== 'counterexample') throw new Error('expected a counterexample file');
    const upgrades = loaded.document.actions.filter((a) => a.type === 'upgrade');
    expect(upgrades).toEqual([{ type: 'upgrade', member: 'm2' }]);
  });

  it('names are config, property and a content hash of config + property + actions', () => {
    const loaded = loadTraceFile(shipped);
    if (loaded.kind !== 'counterexample') throw new Error('expected a counterexample');
    const { config, property, actions: acts } = loaded.document;
    expect(shipped.endsWith(counterexampleName(config, property, acts))).toBe(true);
    expect(counterexampleName(config, property, acts.slice(1))).not.toBe(counterexampleName(config, property, acts));
    expect(counterexampleName({ ...config, name: 'my cluster/1' }, property, acts)).toMatch(/^my-cluster-1--survivor-convergence--[0-9a-f]{8}\.json$/);
    expect(fileSlug('...')).toBe('config');
  });

  it('names hash the config as written: a new option at its default renames nothing, set otherwise it does', () => {
    const loaded = loadTraceFile(shipped);
    if (loaded.kind !== 'counterexample') throw new Error('expected a counterexample');
    const { config } = loaded.document;
    const plain = namedConfig(config);
    // Later schemas with a new section, a new field in a section and a new member field, each defaulted.
    const later = {
      config: { ...config, forecast: { writesPerHour: 10 }, faults: { ...config.faults, flaky: false } },
      member: { ...config.members[1]!, weight: 1 },
    };
    const grown = {
      ...config,
      forecast: { writesPerHour: 10 },
      faults: { ...config.faults, flaky: false },
      members: config.members.map((m) => ({ ...m, weight: 1 })),
    } as typeof config;
    expect(canonicalJson(namedConfig(grown, later))).toBe(canonicalJson(plain));
    const set = { ...grown, forecast: { writesPerHour: 99 } } as typeof config;
    expect(canonicalJson(namedConfig(set, later))).not.toBe(canonicalJson(plain));
    // Every field of today's configs is part of the name, default or not.
    expect(Object.keys(plain).sort()).toEqual(Object.keys(config).sort());
  });

  it('canonical JSON does not depend on key order; the pretty form parses back to the same data', () => {
    expect(canonicalJson({ b: 1, a: [{ d: 2, c: 3 }] })).toBe(canonicalJson({ a: [{ c: 3, d: 2 }], b: 1 }));
    const doc = readJson(shipped);
    expect(JSON.parse(prettyJson(doc))).toEqual(doc);
    expect(readFileSync(shipped, 'utf8')).toBe(`${prettyJson(doc)}\n`);
    const tricky = { message: 'user:frank, policy:default: ok', list: ['a,b', 'c:d'] };
    expect(JSON.parse(prettyJson(tricky))).toEqual(tricky);
  });
});
