/**
 * Bounded, typed reads (issue 14, findings 4 and 7): only regular files are read, up to a stated size;
 * devices, FIFOs and folders given as files are refused with exit 2 and the reason, and inside a folder
 * such an entry is skipped and reported. Nothing hangs: each case runs under the test's own timeout.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { findPreset } from '../config/presets.ts';
import { cli, kb161304File, listing, tempDir, writeDoc } from '../test/cli.ts';
import { MAX_FILE_BYTES_VARIABLE } from '../io/read.ts';

function fifo(dir: string, name: string): string {
  const path = join(dir, name);
  execFileSync('mkfifo', [path]);
  return path;
}

describe('a file that is not a regular file is refused, not read', () => {
  it.each(['/dev/zero', '/dev/urandom'])('finding 4: --config %s: exit 2, "is a device", at once', async (device) => {
    const { status, err } = await cli('check', '--config', device);
    expect(status).toBe(2);
    expect(err).toBe(`error: ${device}: cannot read: is a device, not a regular file\n`);
  });

  it('finding 4: a FIFO as --config, or as a replay file: exit 2, "is a FIFO"', async () => {
    const pipe = fifo(tempDir(), 'config.json');
    for (const argv of [['check', '--config', pipe], ['explore', '--config', pipe], ['replay', pipe]]) {
      const { status, err } = await cli(...argv);
      expect(status).toBe(2);
      expect(err).toContain(`${pipe}: cannot read: is a FIFO`);
    }
  });

  it('a folder as --config: exit 2, "is a folder"', async () => {
    const dir = tempDir();
    const { status, err } = await cli('check', '--config', dir);
    expect(status).toBe(2);
    expect(err).toContain(`${dir}: cannot read: is a directory`);
  });

  describe('a file over the size limit', () => {
    afterEach(() => {
      delete process.env[MAX_FILE_BYTES_VARIABLE];
    });
    it(`is refused with its size and the limit (${MAX_FILE_BYTES_VARIABLE} sets it)`, async () => {
      process.env[MAX_FILE_BYTES_VARIABLE] = '100';
      const file = writeDoc(tempDir(), 'big.json', findPreset('dmz-ring')!.config);
      const { status, err } = await cli('check', '--config', file);
      expect(status).toBe(2);
      expect(err).toMatch(/big\.json: cannot read: \d+ bytes is larger than the limit of 100 bytes \(PGP_CLUSTER_CHECK_MAX_FILE_BYTES sets it\)/);
    });
  });
});

describe('inside a folder, an entry that is not a regular file is skipped and reported', () => {
  function folderWithFifo(): { dir: string; pipe: string; good: string } {
    const dir = tempDir();
    const good = kb161304File(dir);
    const pipe = fifo(dir, 'pipe.json');
    mkdirSync(join(dir, 'folder.json'));
    return { dir, pipe, good };
  }

  it('finding 4: replay DIR replays the regular files and skips a FIFO and a folder named *.json', async () => {
    const { dir, pipe } = folderWithFifo();
    const { status, out, err } = await cli('replay', dir);
    expect(status).toBe(0);
    expect(err).toContain(`warning: ${pipe}: skipped: is a FIFO (named pipe), not a regular file`);
    expect(err).toContain(`folder.json: skipped: is a directory`);
    expect(out).toMatch(/1 file: 1 as recorded/);
  });

  it('finding 4: index DIR indexes the regular files and reports the FIFO', async () => {
    const { dir, pipe, good } = folderWithFifo();
    const { status, err } = await cli('index', dir);
    expect(status).toBe(0);
    expect(err).toContain(`${pipe}: skipped`);
    const index = readFileSync(join(dir, 'README.md'), 'utf8');
    expect(index).toContain(good.slice(dir.length + 1));
    expect(index).not.toContain('pipe.json');
  });

  it('finding 4: check --save-dir with a FIFO in the folder still saves', async () => {
    const { dir, pipe } = folderWithFifo();
    const { status, err } = await cli('check', '--preset', 'home-server', '--property', 'web-messenger-availability', '--seed', '1', '--runs', '100', '--save-dir', dir);
    expect(status).toBe(1);
    expect(err).toContain(`${pipe}: skipped`);
  });

  it('finding 7: a README.md that is a folder: the index is not written there, with a warning; the save stands', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'README.md'));
    const { status, err } = await cli('check', '--preset', 'home-server', '--property', 'web-messenger-availability', '--seed', '1', '--runs', '100', '--save-dir', dir);
    expect(status).toBe(1);
    expect(err).toContain('README.md is a directory; the index is not written there');
    expect(listing(dir).filter((f) => f.endsWith('.json'))).toHaveLength(1);
  });

  it('finding 8: --save-dir under /proc ends with exit 2 and the reason, instead of looping on mkdir', async () => {
    const { status, err } = await cli('check', '--preset', 'home-server', '--property', 'web-messenger-availability', '--seed', '1', '--runs', '100', '--save-dir', '/proc/pcc-newdir/x');
    expect(status).toBe(2);
    expect(err).toMatch(/cannot save a counterexample in \/proc\/pcc-newdir\/x: .*cannot create the folder/);
  });
});
