import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findPreset } from '../config/presets.ts';
import type { Action } from '../model/actions.ts';
import { cli, listing, tempDir, unwrapCommands, writeDoc } from '../test/cli.ts';
import { buildCounterexample, counterexampleName, counterexampleText, loadTraceFile } from './counterexample.ts';
import { CounterexampleStore } from './save.ts';
import { indexText, writeIndex } from './index-file.ts';
import { writeNewFile } from '../io/write.ts';
import { makeTarget } from '../pgp/target.ts';

const dmzRing = makeTarget(findPreset('dmz-ring')!.config);
const found = { seed: 1, runs: 1, originalLength: 2 };

function dmzDocument(actions: Action[]) {
  const bound = dmzRing.properties.find((p) => p.property.name === 'survivor-convergence')!;
  const outcome = bound.onModel.check(actions.reduce((s, a) => dmzRing.model.step(s, a), dmzRing.model.initial));
  if (outcome.holds) throw new Error('expected a violating trace');
  return buildCounterexample(dmzRing, 'survivor-convergence', actions, { step: actions.length, message: outcome.message }, found);
}

const traceA: Action[] = [
  { type: 'crash', member: 'm1' },
  { type: 'write', member: 'm4', record: { kind: 'user', key: 'alice' } },
];
const traceB: Action[] = [
  { type: 'crash', member: 'm1' },
  { type: 'write', member: 'm3', record: { kind: 'domain', key: 'example.com' } },
];

const checkDmz = (dir: string, ...more: string[]) =>
  cli('check', '--preset', 'dmz-ring', '--property', 'survivor-convergence', '--seed', '20261128', '--save-dir', dir, ...more);

describe('check saves each violation', () => {
  it('as a file under --save-dir, whose path the results give, with an index; the same violation twice is a no-op', async () => {
    const dir = tempDir();
    const first = await checkDmz(dir, '--json');
    expect(first.status).toBe(1);
    const [result] = JSON.parse(first.out).results;
    expect(result.saved).toBe('written');
    expect(result.counterexample).toBe(join(dir, counterexampleName(dmzRing.config, 'survivor-convergence', result.actions)));
    expect(listing(dir)).toEqual([expect.stringMatching(/^dmz-ring--survivor-convergence--[0-9a-f]{8}\.json$/), 'README.md'].sort());
    const saved = loadTraceFile(result.counterexample);
    expect(saved.kind === 'counterexample' && saved.document.actions).toEqual(result.actions);
    const bytes = readFileSync(result.counterexample, 'utf8');
    const index = readFileSync(join(dir, 'README.md'), 'utf8');

    const second = await checkDmz(dir, '--json');
    const [again] = JSON.parse(second.out).results;
    expect(again).toMatchObject({ saved: 'unchanged', counterexample: result.counterexample, actions: result.actions });
    expect(listing(dir)).toHaveLength(2);
    expect(readFileSync(result.counterexample, 'utf8')).toBe(bytes);
    expect(readFileSync(join(dir, 'README.md'), 'utf8')).toBe(index);
  });

  it('the text report says where it was saved and how to replay it', async () => {
    const dir = tempDir();
    const { out } = await checkDmz(dir);
    const path = /saved: {5}(\S+\.json)\n/.exec(out)?.[1];
    expect(path).toBeDefined();
    expect(unwrapCommands(out)).toContain(`replay:    npx pgp-cluster-check replay ${path}`);
    expect((await checkDmz(dir)).out.replace(/\s+/g, ' ')).toContain(`saved: ${path} (already there: the same violation was saved before)`);
  });

  it('the reproduce line re-runs the search straight to the same trace, which is then already saved', async () => {
    const dir = tempDir();
    // Random search (--max-states 0): its reproduce line names the seed and fast-check's path.
    const { out } = await cli('check', '--preset', 'pinned-clients', '--seed', '3', '--length', '9', '--max-states', '0', '--save-dir', dir);
    const line = /reproduce: npx pgp-cluster-check (check .*)\n/.exec(unwrapCommands(out))?.[1];
    expect(line).toMatch(/^check --preset pinned-clients --length 9 --max-states 0 --property desktop-policy-availability --seed 3 --path [\d:]+$/);
    const argv = line!.split(' ');
    const again = await cli(...argv, '--save-dir', dir, '--json');
    const [result] = JSON.parse(again.out).results;
    expect(result.runs).toBe(1);
    expect(result.saved).toBe('unchanged');
    const saved = loadTraceFile(result.counterexample);
    expect(saved.kind === 'counterexample' && saved.document.found.command).toBe(`npx pgp-cluster-check ${line}`);
  });

  it('--no-save saves nothing', async () => {
    const envDir = process.env.PGP_CLUSTER_CHECK_SAVE_DIR!;
    const before = listing(envDir);
    const { out } = await cli('check', '--preset', 'home-server', '--property', 'web-messenger-availability', '--seed', '4', '--no-save', '--json');
    const [result] = JSON.parse(out).results;
    expect(result.verdict).toBe('violated');
    expect(result.counterexample).toBeNull();
    expect(result.saved).toBeUndefined();
    expect(listing(envDir)).toEqual(before);
  });

  describe('nothing is saved on bad input or usage (exit 2)', () => {
    const cases: [string, (dir: string) => string[], RegExp][] = [
      ['a bad config', (dir) => ['check', '--config', writeDoc(tempDir(), 'c.json', { members: [{ id: 'm1' }] }), '--save-dir', dir], /members: only one member/],
      ['--save-dir with --no-save', (dir) => ['check', '--preset', 'dmz-ring', '--save-dir', dir, '--no-save'], /give --save-dir or --no-save, not both/],
      ['an unknown flag', (dir) => ['check', '--preset', 'dmz-ring', '--save-dir', dir, '--sav'], /Unknown option '--sav'/],
    ];
    it.each(cases)('%s', async (_name, argv, message) => {
      const dir = join(tempDir(), 'saves');
      const { status, err } = await cli(...argv(dir));
      expect(status).toBe(2);
      expect(err).toMatch(message);
      expect(existsSync(dir)).toBe(false);
    });

    it('a save folder that is a file, or cannot be created', async () => {
      const file = writeDoc(tempDir(), 'file.json', {});
      const asFile = await checkDmz(file);
      expect(asFile.status).toBe(2);
      expect(asFile.err).toContain(`--save-dir: ${file} is not a directory`);
      const below = await checkDmz(join(file, 'sub'));
      expect(below.status).toBe(2);
      expect(below.err).toContain(`cannot save a counterexample in ${join(file, 'sub')}`);
    });
  });
});

describe('CounterexampleStore', () => {
  it('never overwrites a different file that holds the name: the new one gets the next free name', () => {
    const dir = tempDir();
    const document = dmzDocument(traceA);
    const name = counterexampleName(dmzRing.config, 'survivor-convergence', traceA);
    const squatter = writeDoc(dir, name, 'not mine\n');
    const saved = new CounterexampleStore(dir).save(document, dmzRing);
    expect(saved).toEqual({ status: 'written', path: join(dir, name.replace(/\.json$/, '-2.json')) });
    expect(readFileSync(squatter, 'utf8')).toBe('not mine\n');
    expect(readFileSync(saved.path, 'utf8')).toBe(counterexampleText(document));
  });

  it('a file documenting the risk as fixed is not reused for a new violation', () => {
    const dir = tempDir();
    const document = dmzDocument(traceA);
    const name = counterexampleName(dmzRing.config, 'survivor-convergence', traceA);
    writeDoc(dir, name, { ...JSON.parse(counterexampleText(document)), expect: 'holds' });
    const saved = new CounterexampleStore(dir).save(document, dmzRing);
    expect(saved.status).toBe('written');
    expect(saved.path).toBe(join(dir, name.replace(/\.json$/, '-2.json')));
  });

  it('saving the same violation twice is a no-op; another trace of a violation already shown is "known"', () => {
    const dir = tempDir();
    const first = new CounterexampleStore(dir).save(dmzDocument(traceA), dmzRing);
    expect(first.status).toBe('written');
    const listed = listing(dir);
    const store = new CounterexampleStore(dir);
    expect(store.save(dmzDocument(traceA), dmzRing)).toEqual({ status: 'unchanged', path: first.path });
    expect(store.save(dmzDocument(traceB), dmzRing)).toEqual({ status: 'known', path: first.path });
    expect(store.written).toEqual([]);
    expect(listing(dir)).toEqual(listed);
  });

  it('a known file that no longer reproduces does not count: the new trace is saved beside it', () => {
    const dir = tempDir();
    const stale = new CounterexampleStore(dir).save(dmzDocument(traceA), dmzRing);
    // Doctor the saved trace so that it no longer violates: the write now happens on internal member m2.
    const doc = JSON.parse(readFileSync(stale.path, 'utf8'));
    doc.actions[1].member = 'm2';
    delete doc.states;
    writeFileSync(stale.path, JSON.stringify(doc));
    const saved = new CounterexampleStore(dir).save(dmzDocument(traceB), dmzRing);
    expect(saved.status).toBe('written');
    expect(saved.path).not.toBe(stale.path);
  });
});

describe('atomic writes', () => {
  it('write a new file through a temporary one, leave no temporary file, and refuse an existing name', () => {
    const dir = tempDir();
    const path = join(dir, 'a.json');
    expect(writeNewFile(path, 'one\n')).toBe(true);
    expect(listing(dir)).toEqual(['a.json']);
    expect(writeNewFile(path, 'two\n')).toBe(false);
    expect(readFileSync(path, 'utf8')).toBe('one\n');
    expect(listing(dir)).toEqual(['a.json']);
  });

  it('a failed write leaves nothing behind', () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'taken.json'));
    expect(writeNewFile(join(dir, 'taken.json'), 'x')).toBe(false);
    expect(() => writeNewFile(join(dir, 'missing', 'b.json'), 'x')).toThrow(/ENOENT/);
    expect(listing(dir)).toEqual(['taken.json']);
  });
});

describe('the index (README.md of the folder)', () => {
  it('one line per file: property, config, length, expectation and a link; regenerated by `index`', async () => {
    const dir = tempDir();
    const saved = new CounterexampleStore(dir).save(dmzDocument(traceA), dmzRing);
    writeDoc(dir, 'broken.json', '{');
    const text = indexText(dir);
    const name = saved.path.slice(dir.length + 1);
    expect(text).toContain(`| survivor-convergence | dmz-ring | 2 | violated | [${name}](${name}) |`);
    expect(text).toContain('| (invalid file: see `replay`) | - | - | - | [broken.json](broken.json) |');
    expect(existsSync(join(dir, 'README.md'))).toBe(false);
    const { status, out } = await cli('index', dir);
    expect(status).toBe(0);
    expect(out).toContain(`wrote ${join(dir, 'README.md')} (2 files)`);
    expect(readFileSync(join(dir, 'README.md'), 'utf8')).toBe(text);
    expect((await cli('index', dir)).out).toContain('is up to date');
    expect((await cli('index', join(dir, 'nope'))).status).toBe(2);
  });

  it('a README.md that the tool did not write is left alone', () => {
    const dir = tempDir();
    writeDoc(dir, 'README.md', '# My notes\n');
    const warnings: string[] = [];
    expect(writeIndex(dir, (w) => warnings.push(w))).toBeUndefined();
    expect(readFileSync(join(dir, 'README.md'), 'utf8')).toBe('# My notes\n');
    expect(warnings).toEqual([expect.stringContaining('was not generated by pgp-cluster-check')]);
  });
});
