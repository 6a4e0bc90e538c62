/**
 * CLI basics (issue 12): `--help` and `-h` on every command list exactly the flags its parser accepts
 * (read off the parser's own message for a wrong flag, which also points at --help); `--version` prints
 * package.json's version.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../test/cli.ts';
import { COMMAND_HELP, helpFlags } from './help.ts';

const version = JSON.parse(readFileSync(join(import.meta.dirname, '..', 'package.json'), 'utf8')).version;
const commands = Object.keys(COMMAND_HELP);

describe('--help', () => {
  it('covers every command', () => {
    expect(commands).toEqual(expect.arrayContaining(['check', 'explore', 'replay', 'compare', 'index', 'list']));
  });

  it.each(commands)('%s --help and -h print its usage and flags, exit 0', async (command) => {
    for (const flag of ['--help', '-h']) {
      const { status, out, err } = await cli(command, flag);
      expect(status).toBe(0);
      expect(err).toBe('');
      expect(out).toMatch(new RegExp(`^Usage: pgp-cluster-check ${command}`));
      for (const f of helpFlags(command)) expect(out).toMatch(new RegExp(`\\n {2}${f}\\b`));
    }
  });

  it.each(commands)('%s: a wrong flag is a usage error naming the valid flags, which are the ones its help lists', async (command) => {
    const { status, err } = await cli(command, '--bogus-flag');
    expect(status).toBe(2);
    expect(err).toMatch(new RegExp(`see pgp-cluster-check ${command} --help`));
    const valid = /valid flags: ([^;]*);/.exec(err)?.[1];
    const accepted = valid === undefined || valid === '' ? [] : valid.split(', ');
    expect([...accepted].sort()).toEqual([...helpFlags(command)].sort());
  });

  it('the overview names every command', async () => {
    const { status, out } = await cli('--help');
    expect(status).toBe(0);
    for (const command of commands) expect(out).toMatch(new RegExp(`pgp-cluster-check ${command}\\b`));
    expect((await cli('help', 'check')).out).toMatch(/^Usage: pgp-cluster-check check/);
  });
});

describe('--version', () => {
  it.each(['--version', '-V'])('%s prints the version from package.json', async (flag) => {
    const { status, out } = await cli(flag);
    expect(status).toBe(0);
    expect(out.trim()).toBe(`pgp-cluster-check ${version}`);
  });
});
