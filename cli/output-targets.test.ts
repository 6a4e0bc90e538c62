/**
 * Where an output flag writes (issue 24, "Writes that destroy or escape"): `check --html FILE` and
 * `resync --svg FILE` go through the one safe writer (`io/write.ts`). Devices and pipes are written
 * through, never renamed over; the run's inputs, folders, links to files or to nothing are refused before
 * the search, naming the flag and the path; no temporary file is left, and one a killed run left is
 * removed by the next. Devices are stand-ins made with `mknod` in a temporary folder, and the full disk a
 * small tmpfs in a private mount namespace: the machine's own /dev is never touched.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { linkSync, lstatSync, mkdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findPreset } from '../config/presets.ts';
import { MAX_NAME_BYTES, temporaryPath, temporaryWriter } from '../io/write.ts';
import { cli, listing, tempDir, writeDoc } from '../test/cli.ts';

const BIN = join(import.meta.dirname, '..', 'bin', 'pgp-cluster-check.mjs');
const config = findPreset('recommended')!.config;

/** The two output flags, each as a quick command that writes to `file`. */
const WRITERS = {
  '--html': (file: string, ...more: string[]) => ['check', '--preset', 'dmz-ring', '--property', 'survivor-convergence', '--runs', '5', '--max-states', '0', '--no-save', ...more, '--html', file],
  '--svg': (file: string, ...more: string[]) => ['resync', '--preset', 'recommended', '--member', 'm1', ...more, '--svg', file],
} as const;
const FLAGS = Object.keys(WRITERS) as (keyof typeof WRITERS)[];

/** What either output starts with. */
const OUTPUT_START = { '--html': '<!doctype html>', '--svg': '<svg ' } as const;

const isRoot = process.getuid?.() === 0;
const canMknod = isRoot && spawnSync('mknod', [join(tempDir(), 'probe'), 'c', '1', '3']).status === 0;
const canUnshare = isRoot && spawnSync('unshare', ['-m', 'true']).status === 0;

/** A command's stderr and the folder afterwards: no temporary file, no message naming one. */
function expectNoTemporary(dir: string, err: string): void {
  expect(listing(dir).filter((name) => temporaryWriter(name.split('/').at(-1)!) !== undefined || name.endsWith('.tmp'))).toEqual([]);
  expect(err).not.toMatch(/\.tmp\b/);
}

describe.each(FLAGS)('%s', (flag) => {
  const argv = WRITERS[flag];

  it.skipIf(!canMknod)('a device is written through and stays a device: a stand-in /dev/null takes the output, a stand-in /dev/full fails with exit 2', async () => {
    const dir = tempDir();
    const nul = join(dir, 'null');
    const full = join(dir, 'full');
    execFileSync('mknod', [nul, 'c', '1', '3']);
    execFileSync('mknod', [full, 'c', '1', '7']);
    const toNull = await cli(...argv(nul));
    expect(toNull.status, toNull.err).toBeLessThan(2);
    expect(statSync(nul).isCharacterDevice()).toBe(true);
    const toFull = await cli(...argv(full));
    expect(toFull.status).toBe(2);
    expect(toFull.err).toContain(`error: ${flag}: cannot write ${full}: no space left on the device`);
    expect(statSync(full).isCharacterDevice()).toBe(true);
    expectNoTemporary(dir, toNull.err + toFull.err);
    expect(listing(dir).sort()).toEqual(['full', 'null']);
  });



  it("the run's input is refused before any work: the config stays as it was (also through a hard link)", async () => {
    const dir = tempDir();
    const input = writeDoc(dir, 'c.json', config);
    const before = readFileSync(input, 'utf8');
    const command = flag === '--html' ? ['check', '--config', input, '--runs', '5', '--no-save', '--html'] : ['resync', '--config', input, '--svg'];
    const same = await cli(...command, input);
    expect(same.status).toBe(2);
    expect(same.err).toContain(`error: ${flag}: cannot write ${input}: it is this run's input ${input}`);
    linkSync(input, join(dir, 'hard.json'));
    const hard = await cli(...command, join(dir, 'hard.json'));
    expect(hard.status).toBe(2);
    expect(readFileSync(input, 'utf8')).toBe(before);
    expect(same.out + hard.out).toBe('');
  });

  it('a symbolic link to a file, or to nothing, is refused and nothing is written through it', async () => {
    const dir = tempDir();
    const victim = writeDoc(dir, 'victim.txt', 'keep me');
    const link = join(dir, 'out');
    symlinkSync(victim, link);
    const toFile = await cli(...argv(link));
    expect(toFile.status).toBe(2);
    expect(toFile.err).toContain(`${flag}: cannot write ${link}: it is a symbolic link (to ${victim})`);
    const dangling = join(dir, 'dangling');
    symlinkSync(join(dir, 'nowhere'), dangling);
    const toNothing = await cli(...argv(dangling));
    expect(toNothing.status).toBe(2);
    expect(toNothing.err).toContain(`${flag}: cannot write ${dangling}: it is a symbolic link to ${join(dir, 'nowhere')}, which does not exist`);
    expect(readFileSync(victim, 'utf8')).toBe('keep me');
    expect(listing(dir).sort()).toEqual(['dangling', 'out', 'victim.txt']);
  });

  it('a link planted at the temporary name the writer once used (FILE.PID.tmp) is not followed', async () => {
    const dir = tempDir();
    const victim = writeDoc(tempDir(), 'victim.txt', 'keep me');
    const file = join(dir, 'plot.out');
    symlinkSync(victim, `${file}.${process.pid}.tmp`);
    const { status } = await cli(...argv(file));
    expect(status).toBeLessThan(2);
    expect(readFileSync(victim, 'utf8')).toBe('keep me');
    expect(readFileSync(file, 'utf8')).toContain(OUTPUT_START[flag]);
  });

  it('a folder (`.` included) is refused before any work, naming the flag, with no temporary file left', async () => {
    const dir = tempDir();
    for (const target of [dir, '.']) {
      const { status, err, out } = await cli(...argv(target));
      expect(status).toBe(2);
      expect(out).toBe('');
      expect(err).toContain(`error: ${flag}: cannot write ${target}: it is a folder`);
      expectNoTemporary(dir, err);
    }
    expect(listing(dir)).toEqual([]);
  });

  it(`a name of ${MAX_NAME_BYTES - 5} bytes is written; one longer than ${MAX_NAME_BYTES} is refused before any work`, async () => {
    const dir = tempDir();
    const long = join(dir, `${'r'.repeat(MAX_NAME_BYTES - 10)}.html`);
    const ok = await cli(...argv(long));
    expect(ok.status, ok.err).toBeLessThan(2);
    expect(readFileSync(long, 'utf8')).toContain(OUTPUT_START[flag]);
    const tooLong = join(dir, `${'é'.repeat(MAX_NAME_BYTES / 2)}.out`);
    const refused = await cli(...argv(tooLong));
    expect(refused).toMatchObject({ status: 2, out: '' });
    expect(refused.err).toContain(`${flag}: cannot write ${tooLong}: the name is longer than ${MAX_NAME_BYTES} bytes`);
    expectNoTemporary(dir, ok.err + refused.err);
  });

  it('the temporary file a killed run left beside the target is removed by the next run; a live writer\'s is kept', async () => {
    const dir = tempDir();
    const target = join(dir, 'report.out');
    const dead = spawnSync('true').pid!;
    const left = temporaryPath(target, dead);
    const live = temporaryPath(target, process.pid);
    writeFileSync(left, 'partial');
    writeFileSync(live, 'being written');
    expect(temporaryWriter(left.split('/').at(-1)!)).toBe(dead);
    const { status } = await cli(...argv(target));
    expect(status).toBeLessThan(2);
    expect(listing(dir).sort()).toEqual([live.split('/').at(-1)!, 'report.out'].sort());
  });

});

/** The cases that start a process of their own (a second or so each) take one flag: both go through one writer. */
describe('written by a process of its own', () => {
  const argv = WRITERS['--svg'];

  it('a FIFO is written through to its reader and stays a FIFO', () => {
    const dir = tempDir();
    const fifo = join(dir, 'pipe');
    const read = join(dir, 'read');
    execFileSync('mkfifo', [fifo]);
    const script = 'timeout 30 cat "$FIFO" > "$READ" & node "$@" > "$READ.out"; status=$?; wait; exit $status';
    const run = spawnSync('sh', ['-c', script, 'sh', BIN, ...argv(fifo)], { encoding: 'utf8', env: { ...process.env, FIFO: fifo, READ: read } });
    expect(run.status, run.stderr).toBeLessThan(2);
    expect(readFileSync(read, 'utf8')).toContain(OUTPUT_START['--svg']);
    expect(statSync(fifo).isFIFO()).toBe(true);
    expectNoTemporary(dir, run.stderr);
  });

  it('the run\'s own standard output, through a link such as /dev/stdout (a stand-in link here): written to that stream', () => {
    const dir = tempDir();
    const stdout = join(dir, 'stdout');
    symlinkSync('/proc/self/fd/1', stdout);
    // stdout a pipe (a FIFO), then a regular file: both get the output, and the link stays a link.
    const piped = spawnSync('node', [BIN, ...argv(stdout)], { encoding: 'utf8' });
    expect(piped.status, piped.stderr).toBeLessThan(2);
    expect(piped.stdout).toContain(OUTPUT_START['--svg']);
    const file = join(dir, 'out.txt');
    const redirected = spawnSync('sh', ['-c', 'node "$@" > "$OUT"', 'sh', BIN, ...argv(stdout)], { encoding: 'utf8', env: { ...process.env, OUT: file } });
    expect(redirected.status, redirected.stderr).toBeLessThan(2);
    expect(readFileSync(file, 'utf8')).toContain(OUTPUT_START['--svg']);
    expect(lstatSync(stdout).isSymbolicLink()).toBe(true);
    expectNoTemporary(dir, piped.stderr);
  });

  it.skipIf(!canUnshare)('a full disk (a 4 kB tmpfs, in a private mount namespace): exit 2 naming the flag and path, no temporary file, no partial file', () => {
    const dir = tempDir();
    const target = join(dir, 'out.file');
    const script = `mount -t tmpfs -o size=4k tmpfs "$DIR" && node "$@"; status=$?; ls -A "$DIR"; exit $status`;
    const run = spawnSync('unshare', ['-m', 'sh', '-c', script, 'sh', BIN, ...WRITERS['--html'](target)], { encoding: 'utf8', env: { ...process.env, DIR: dir } });
    expect(run.status, run.stderr).toBe(2);
    expect(run.stderr).toContain(`error: --html: cannot write ${target}: no space left on the device`);
    expect(run.stdout.trim().split('\n').filter((l) => !l.startsWith('Resync') && l.trim() !== '').filter((l) => /\.(tmp|file)$/.test(l))).toEqual([]);
    expectNoTemporary(dir, run.stderr);
  });
});

describe('--save-dir', () => {
  it('a link to nothing: exit 2 before the search, naming the folder, not a temporary file', async () => {
    const dir = tempDir();
    const link = join(dir, 'saves');
    symlinkSync(join(dir, 'gone'), link);
    const { status, err, out } = await cli('check', '--preset', 'dmz-ring', '--property', 'survivor-convergence', '--runs', '5', '--save-dir', link);
    expect(status).toBe(2);
    expect(out).toBe('');
    expect(err).toContain(`cannot save a counterexample in ${link}: it is a symbolic link to ${join(dir, 'gone')}, which does not exist`);
    expectNoTemporary(dir, err);
  });

  it.skipIf(!canUnshare)('a disk that fills while saving (a 4 kB tmpfs, in a private mount namespace): exit 2 naming the folder, whole files only, no temporary file left', () => {
    const dir = tempDir();
    const script = `mount -t tmpfs -o size=4k tmpfs "$DIR" && node "$@"; status=$?; ls -A "$DIR"; exit $status`;
    const argv = ['check', '--preset', 'dmz-ring', '--property', 'survivor-convergence', '--seed', '1', '--runs', '50', '--save-dir', dir];
    const run = spawnSync('unshare', ['-m', 'sh', '-c', script, 'sh', BIN, ...argv], { encoding: 'utf8', env: { ...process.env, DIR: dir } });
    expect(run.status, run.stderr).toBe(2);
    expect(run.stderr).toMatch(new RegExp(`error: cannot (save a counterexample in|write the index) ${dir}.*: no space left on the device`));
    const left = run.stdout.trim().split('\n').filter((name) => name.endsWith('.tmp'));
    expect(left).toEqual([]);
    expectNoTemporary(dir, run.stderr);
  });

  it('a folder that cannot be created (a file on its path): exit 2 before the search', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'file'), '');
    mkdirSync(join(dir, 'ok'));
    const { status, out } = await cli('check', '--preset', 'dmz-ring', '--property', 'survivor-convergence', '--runs', '5', '--save-dir', join(dir, 'file', 'saves'));
    expect(status).toBe(2);
    expect(out).toBe('');
  });
});
