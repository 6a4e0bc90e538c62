/**
 * Saves that survive faults (issue 14, findings 6 and 10): runs of `check` killed with SIGKILL and
 * SIGTERM at random moments, and four runs saving the same violation at once, into one folder. After
 * them and one ordinary run: no partial file, no temporary file, no duplicate, an index that lists what
 * is there, and every file still replays. `PGP_CLUSTER_CHECK_KILLS` sets the number of kills of each
 * signal (2 by default: each is a process start, about 1.5 s, and they run side by side).
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PRESETS } from '../config/presets.ts';
import { cli, tempDir } from '../test/cli.ts';
import { identityOf, loadTraceFile } from '../traces/counterexample.ts';
import { counterexampleFiles, INDEX_NAME } from '../traces/index-file.ts';
import { sweepTemporaryFiles, temporaryPath } from '../io/write.ts';
import { replayEntry } from './replay.ts';

const KILLS = Number(process.env.PGP_CLUSTER_CHECK_KILLS ?? 2);
/** A preset and one of the violations it documents, for each kill in turn (so most runs have something new to save). */
const CASES = PRESETS.flatMap((p) => p.violates.map((property) => ({ preset: p.name, property })));

function checkProcess(dir: string, preset: string, property: string, seed: number): ChildProcess {
  return spawn('node', ['bin/pgp-cluster-check.mjs', 'check', '--preset', preset, '--property', property, '--seed', String(seed), '--runs', '300', '--workers', '1', '--save-dir', dir], {
    stdio: 'ignore',
  });
}

function exited(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  return new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
}

/** What the folder must look like after any faults and one ordinary run. */
function expectSound(dir: string): void {
  const names = readdirSync(dir);
  expect(names.filter((n) => n.endsWith('.tmp')), 'no temporary file is left').toEqual([]);
  const files = counterexampleFiles(dir);
  const identities = files.map((file) => {
    const loaded = loadTraceFile(file); // throws on a partial or invalid file
    if (loaded.kind !== 'counterexample') throw new Error(`${file} is not a counterexample`);
    expect(replayEntry(file).status, `${file} replays`).toBe('ok');
    return identityOf(loaded.document.config, loaded.document.property, loaded.document.actions);
  });
  expect(new Set(identities).size, 'no two files record the same counterexample').toBe(identities.length);
  const index = readFileSync(join(dir, INDEX_NAME), 'utf8');
  const listed = [...index.matchAll(/\]\(([^)]+)\)/g)].map((m) => decodeURIComponent(m[1]!)).sort();
  expect(listed, 'the index lists exactly the files there').toEqual(files.map((f) => f.slice(dir.length + 1)).sort());
}

describe('saves that survive faults', () => {
  it('finding 6: four runs saving the same violation at once leave one file, and an index that lists it', async () => {
    const dir = tempDir();
    const runs = Array.from({ length: 4 }, () => exited(checkProcess(dir, 'dmz-ring', 'survivor-convergence', 1)));
    const results = await Promise.all(runs);
    expect(results.map((r) => r.code)).toEqual([1, 1, 1, 1]);
    expect(counterexampleFiles(dir)).toHaveLength(1);
    expectSound(dir);
  }, 60_000);

  it(`finding 10: ${KILLS} SIGKILL and ${KILLS} SIGTERM at random moments, then one ordinary run: a sound folder`, async () => {
    const dir = tempDir();
    const delays = fc.sample(fc.integer({ min: 200, max: 3000 }), { seed: 10, numRuns: 2 * KILLS });
    const runs = delays.map(async (delay, i) => {
      const { preset, property } = CASES[i % CASES.length]!;
      const child = checkProcess(dir, preset, property, i + 1);
      const done = exited(child);
      const timer = setTimeout(() => child.kill(i < KILLS ? 'SIGKILL' : 'SIGTERM'), delay);
      const result = await done;
      clearTimeout(timer);
      return { signal: i < KILLS ? 'SIGKILL' : 'SIGTERM', result };
    });
    for (const { signal, result } of await Promise.all(runs)) {
      // A SIGTERM'd run that had begun saving removes its temporary files and exits 143; one that had not
      // (no handler yet, nothing to remove) dies of the signal; one that ended first exits 0 or 1.
      if (signal === 'SIGTERM') expect(result.signal === 'SIGTERM' || [0, 1, 143].includes(result.code!)).toBe(true);
      else expect(result.signal === 'SIGKILL' || result.code === 0 || result.code === 1).toBe(true);
    }
    // A temporary file of a run that no longer runs (as SIGKILL leaves one) is swept by the next run.
    const dead = spawnSync('true').pid!;
    const stale = temporaryPath(join(dir, 'x.json'), dead);
    writeFileSync(stale, '{"partial": ');
    const { status } = await cli('check', '--preset', 'home-server', '--property', 'web-messenger-availability', '--seed', '99', '--runs', '100', '--save-dir', dir);
    expect(status).toBe(1);
    expectSound(dir);
  }, 120_000);

  it("sweeping leaves a live writer's temporary file alone", () => {
    const dir = tempDir();
    const live = temporaryPath(join(dir, 'x.json'));
    writeFileSync(live, '{');
    expect(sweepTemporaryFiles(dir)).toEqual([]);
    expect(readdirSync(dir)).toEqual([live.slice(dir.length + 1)]);
  });
});
