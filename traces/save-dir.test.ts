/**
 * Where counterexamples go (issue 12): a user's config saves to ./counterexamples/ of the working folder,
 * with its own index there; run from this repository, whose counterexamples/ is the tool's corpus, it
 * saves to counterexamples/local/ instead and leaves the corpus and its index alone.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../test/cli.ts';
import { DEFAULT_SAVE_DIR, LOCAL_SAVE_DIR, SAVE_DIR_VARIABLE, saveDirOf, TOOL_CORPUS } from './save-dir.ts';

const root = join(import.meta.dirname, '..');

describe('the save folder', () => {
  it('the tool corpus is this repository\'s counterexamples/', () => {
    expect(TOOL_CORPUS).toBe(join(root, 'counterexamples'));
  });

  it('--save-dir, else the variable, else ./counterexamples; a user config run here goes to counterexamples/local', () => {
    const elsewhere = tempDir();
    expect(saveDirOf({ config: 'my.json' }, elsewhere, {})).toBe(DEFAULT_SAVE_DIR);
    expect(saveDirOf({ config: 'my.json' }, root, {})).toBe(LOCAL_SAVE_DIR);
    expect(saveDirOf({}, root, {})).toBe(DEFAULT_SAVE_DIR); // presets: the corpus is theirs
    expect(saveDirOf({ config: 'my.json', 'save-dir': 'out' }, root, {})).toBe('out');
    expect(saveDirOf({ config: 'my.json' }, root, { [SAVE_DIR_VARIABLE]: '/tmp/x' })).toBe('/tmp/x');
    expect(saveDirOf({ config: 'my.json', 'no-save': true }, root, {})).toBeUndefined();
    expect(() => saveDirOf({ 'save-dir': 'a', 'no-save': true })).toThrow(/not both/);
  });

  it('a check of a user config from another folder saves in its ./counterexamples, with an index, and nothing in the tool', () => {
    const cwd = tempDir();
    const corpusBefore = readdirSync(TOOL_CORPUS).sort();
    const indexBefore = readFileSync(join(TOOL_CORPUS, 'README.md'), 'utf8');
    const env = { ...process.env };
    delete env[SAVE_DIR_VARIABLE];
    const config = resolve(root, 'examples', 'dmz-gateway.json');
    let status = 0;
    try {
      execFileSync(process.execPath, [join(root, 'bin', 'pgp-cluster-check.mjs'), 'check', '--config', config, '--property', 'desktop-policy-availability', '--runs', '50', '--seed', '1', '--workers', '1'], { cwd, env, stdio: 'pipe' });
    } catch (error) {
      status = (error as { status: number }).status;
    }
    expect(status).toBe(1);
    const saved = readdirSync(join(cwd, 'counterexamples'));
    expect(saved).toEqual(expect.arrayContaining(['README.md', expect.stringMatching(/^dmz-gateway--desktop-policy-availability--[0-9a-f]{8}\.json$/)]));
    expect(readdirSync(TOOL_CORPUS).sort()).toEqual(corpusBefore);
    expect(readFileSync(join(TOOL_CORPUS, 'README.md'), 'utf8')).toBe(indexBefore);
  });
});
