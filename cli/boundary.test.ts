/**
 * One error boundary (issue 14, findings 7 and 8): an expected failure is exit 2 with the path and the
 * reason; an unexpected one is exit 3, "internal error, please report", the stack only with `--debug`.
 * The JSON reader cannot overflow; flags are validated, never silently repeated or ignored.
 */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { findPreset } from '../config/presets.ts';
import { cli, kb161304File, tempDir, writeDoc } from '../test/cli.ts';
import type { Io } from '../io/io.ts';
import { MAX_JSON_DEPTH } from '../io/json-error.ts';
import { MAX_PROBLEMS } from '../io/io.ts';
import { MAX_TRACE_ACTIONS } from '../traces/counterexample.ts';
import { run } from './main.ts';

const STACK = /\n\s+at .*:\d+:\d+/;
const dmzRing = findPreset('dmz-ring')!.config;

/** Runs the command line with an `out` that throws `error` (a write that fails). */
async function withFailingOut(error: Error, ...argv: string[]): Promise<{ status: number; err: string }> {
  let err = '';
  const io: Io = {
    out: () => {
      throw error;
    },
    err: (t) => (err += `${t}\n`),
    isTty: false,
  };
  return { status: await run(argv, io), err };
}

describe('the error boundary', () => {
  it('an unexpected error: exit 3, "internal error, please report", no stack; the stack with --debug', async () => {
    const plain = await withFailingOut(new Error('boom'), 'list');
    expect(plain.status).toBe(3);
    expect(plain.err).toBe('internal error, please report: boom\n(run again with --debug to see where it happened)\n');
    const debug = await withFailingOut(new Error('boom'), 'list', '--debug');
    expect(debug.status).toBe(3);
    expect(debug.err).toMatch(STACK);
  });

  it('finding 7: stdout on a full disk (ENOSPC): exit 2 and one line, in-process and from the real binary', async () => {
    const full = Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC', syscall: 'write', errno: -28 });
    const { status, err } = await withFailingOut(full, 'list');
    expect(status).toBe(2);
    expect(err).toBe('error: the output: cannot write: no space left on the device\n');
    const child = spawnSync(`node bin/pgp-cluster-check.mjs list > /dev/full`, { shell: true, encoding: 'utf8' });
    expect(child.status).toBe(2);
    expect(child.stderr).not.toMatch(STACK);
    expect(child.stderr).toMatch(/^error: .*(ENOSPC|no space left)/);
  });

  it(`finding 7: JSON nested 8,000 levels deep: exit 2 at its line and column (at most ${MAX_JSON_DEPTH} levels), as a config, a replay file and in a folder`, async () => {
    const dir = tempDir();
    const deep = writeDoc(dir, 'deep.json', `${'['.repeat(8000)}${']'.repeat(8000)}`);
    for (const argv of [['check', '--config', deep], ['replay', deep]]) {
      const { status, err } = await cli(...argv);
      expect(status).toBe(2);
      expect(err).toBe(`error: ${deep}:1:${MAX_JSON_DEPTH + 1}: invalid JSON: nested deeper than ${MAX_JSON_DEPTH} levels of objects and arrays\n`);
    }
    kb161304File(dir);
    const folder = await cli('replay', dir);
    expect(folder.status).toBe(2);
    expect(folder.out).toMatch(/BAD {2}.*deep\.json: invalid file/);
    expect((await cli('index', dir)).status).toBe(0);
    const saved = await cli('check', '--preset', 'home-server', '--property', 'web-messenger-availability', '--seed', '1', '--runs', '50', '--save-dir', dir);
    expect(saved.status).toBe(1);
    expect(saved.err).toContain('nested deeper than');
    for (const text of [folder.out, folder.err, saved.err]) expect(text).not.toMatch(STACK);
  });

  it(`finding 7: a file with a huge number of bad actions: the first ${MAX_PROBLEMS} problems and a count; more than ${MAX_TRACE_ACTIONS} actions refused at once`, async () => {
    const dir = tempDir();
    const many = writeDoc(dir, 'many.json', { preset: 'dmz-ring', actions: Array.from({ length: 2000 }, () => ({ type: 'bogus' })) });
    const { status, err } = await cli('replay', many);
    expect(status).toBe(2);
    const lines = err.trimEnd().split('\n');
    expect(lines).toHaveLength(MAX_PROBLEMS + 1);
    expect(lines.at(-1)).toBe(`error: ${many}: and ${2000 - MAX_PROBLEMS} more problems (the first ${MAX_PROBLEMS} are shown)`);
    const huge = writeDoc(dir, 'huge.json', { preset: 'dmz-ring', actions: Array.from({ length: MAX_TRACE_ACTIONS + 1 }, () => ({ type: 'crash', member: 'm1' })) });
    const refused = await cli('replay', huge);
    expect(refused.status).toBe(2);
    expect(refused.err).toContain(`actions: ${MAX_TRACE_ACTIONS + 1} actions; a trace file holds at most ${MAX_TRACE_ACTIONS}`);
  });

  it.skipIf(process.getuid?.() === 0)('finding 7: an unreadable folder (EACCES): exit 2 naming it', async () => {
    const { chmodSync } = await import('node:fs');
    const dir = tempDir();
    chmodSync(dir, 0o000);
    const { status, err } = await cli('replay', dir);
    chmodSync(dir, 0o700);
    expect(status).toBe(2);
    expect(err).toContain(`${dir}: cannot list the folder: permission denied`);
  });
});

describe('flags', () => {
  it.each([
    ['', 'expected whole numbers separated by ":"'],
    [':::', 'expected whole numbers separated by ":"'],
    ['1.5:0', 'expected whole numbers separated by ":"'],
    ['0x1', 'expected whole numbers separated by ":"'],
    ['garbage', 'expected whole numbers separated by ":"'],
    ['99999999999:1', 'expected whole numbers separated by ":"'],
    ['99999:1', "run 99999 is past the search's 5000 runs"],
    [`1${':0'.repeat(6000)}`, 'characters is too long'],
  ])('finding 7/8: --path %j: exit 2, saying why, without searching', async (path, why) => {
    const { status, err } = await cli('check', '--preset', 'dmz-ring', '--property', 'survivor-convergence', '--seed', '1', '--no-save', '--path', path);
    expect(status).toBe(2);
    expect(err).toContain(`error: --path: `);
    expect(err).toContain(why);
  });

  it('finding 8: a single-valued flag given twice is refused (--config A --config B checked only B)', async () => {
    const dir = tempDir();
    const a = writeDoc(dir, 'a.json', dmzRing);
    const b = writeDoc(dir, 'b.json', dmzRing);
    for (const argv of [
      ['check', '--config', a, '--config', b],
      ['check', '--preset', 'dmz-ring', '--seed', '1', '--seed=2'],
      ['explore', '--preset', 'dmz-ring', '--depth', '1', '--depth', '2'],
      ['replay', a, '--format', 'json', '--format', 'text'],
    ]) {
      const { status, err } = await cli(...argv);
      expect(status).toBe(2);
      expect(err).toMatch(/--(config|seed|depth|format) is given more than once; give it once/);
    }
    // A flag meant to repeat still repeats.
    const { status } = await cli('check', '--preset', 'dmz-ring', '--property', 'no-lost-writes', '--property', 'private-keys-stay-put', '--runs', '5', '--seed', '1', '--no-save');
    expect(status).toBe(0);
  });

  it('finding 8: --horizon without --hours has no effect, and says so (exit 2)', async () => {
    const { status, err } = await cli('explore', '--preset', 'dmz-ring', '--horizon', '48');
    expect(status).toBe(2);
    expect(err).toContain('--horizon has no effect without --hours');
  });
});
