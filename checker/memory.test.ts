/**
 * Memory guards (issue 14, finding 9): `check`, like `explore`, stops a search whose heap nears its limit
 * and reports what it did, instead of dying of V8's out-of-memory. `PGP_CLUSTER_CHECK_HEAP_LIMIT_MB`
 * sets a limit of the guard's own, so a test can trip it at once; the real thing, at a 300 MB heap, runs
 * with `PGP_CLUSTER_CHECK_SLOW=1`.
 */
import { spawnSync } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { cli, tempDir, writeDoc } from '../test/cli.ts';
import { HEAP_LIMIT_VARIABLE, heapThreshold } from './memory.ts';

afterEach(() => {
  delete process.env[HEAP_LIMIT_VARIABLE];
});

describe('the memory guard', () => {
  it('trips below the heap limit with room to spare at small heaps too', () => {
    const mb = 2 ** 20;
    expect(heapThreshold(4096 * mb)).toBe(4096 * mb * 0.85);
    expect(heapThreshold(348 * mb)).toBe(252 * mb);
    expect(heapThreshold(120 * mb)).toBe(60 * mb);
  });

  // `--max-states 0`: random search only (an exploration that fits is guarded by the explorer's own checks).
  it('check: a search past the limit stops, and the report says so, per property, with the traces it ran', async () => {
    process.env[HEAP_LIMIT_VARIABLE] = '1';
    const { status, out } = await cli('check', '--preset', 'recommended', '--property', 'no-lost-writes', '--runs', '200', '--seed', '1', '--workers', '1', '--no-save', '--max-states', '0');
    expect(status).toBe(0);
    expect(out.replace(/\s+/g, ' ')).toMatch(/STOPPED EARLY: recommended\/no-lost-writes: the search stopped after 0 of 200 traces: the heap reached [\d,]+ MB, past the 1 MB that PGP_CLUSTER_CHECK_HEAP_LIMIT_MB allows/);
    const json = JSON.parse((await cli('check', '--preset', 'recommended', '--property', 'no-lost-writes', '--runs', '200', '--seed', '1', '--workers', '1', '--no-save', '--max-states', '0', '--json')).out);
    expect(json.results[0].stopped).toMatch(/the heap reached/);
    expect(json.results[0].runs).toBe(0);
  });

  it("check: the guard stops check's exploration too; what it found is partial and says why, the rest is searched at random", async () => {
    process.env[HEAP_LIMIT_VARIABLE] = '1';
    const { out, err } = await cli('check', '--preset', 'dmz-ring', '--property', 'survivor-convergence', '--property', 'no-lost-writes', '--runs', '5', '--seed', '1', '--workers', '1', '--no-save', '--json');
    expect(err).toMatch(
      /^warning: The exploration of "dmz-ring" did not finish: the memory guard stopped it after [\d,]+ of at most 8,000,000 states: the heap reached [\d,]+ MB, past the 1 MB that PGP_CLUSTER_CHECK_HEAP_LIMIT_MB allows\. So 1 verdict is not a proof: no-lost-writes fell back to random search\. To prove it, give Node more memory/,
    );
    const doc = JSON.parse(out);
    expect(doc.warnings.join('\n')).toMatch(/The exploration of "dmz-ring" did not finish: the memory guard stopped it/);
    expect(doc.summary.stopped).toMatchObject([{ config: 'dmz-ring', cause: 'memory-guard', budget: 8_000_000, random: ['no-lost-writes'] }]);
    const [survivor, lost] = doc.results;
    expect(survivor).toMatchObject({ verdict: 'violated', basis: 'partial', stopped: expect.stringMatching(/the memory guard stopped it .*the heap reached/), budget: 8_000_000 });
    expect(survivor.explanation).toBeTruthy();
    expect(lost).toMatchObject({ basis: 'random', stopped: expect.stringMatching(/the memory guard stopped it/) });
  });

  it('explore: the same guard stops an exploration, reported as NOT exhausted', async () => {
    process.env[HEAP_LIMIT_VARIABLE] = '1';
    const { out } = await cli('explore', '--preset', 'dmz-ring', '--property', 'survivor-convergence', '--full', '--no-save');
    expect(out).toMatch(/NOT exhausted: stopped early, the heap reached/);
  });

  it.skipIf(!process.env.PGP_CLUSTER_CHECK_SLOW)('check at a 300 MB heap, six members, --runs 20000 --length 100: stops and reports, no V8 abort', () => {
    const config = writeDoc(tempDir(), 'six.json', { name: 'six', members: ['m1', 'm2', 'm3', 'm4', 'm5', 'm6'].map((id) => ({ id })) });
    const child = spawnSync('node', ['bin/pgp-cluster-check.mjs', 'check', '--config', config, '--runs', '20000', '--length', '100', '--no-save'], {
      encoding: 'utf8',
      env: { ...process.env, NODE_OPTIONS: '--max-old-space-size=300' },
    });
    expect(child.stderr).not.toContain('heap out of memory');
    expect(child.status).toBeLessThan(2);
    expect(child.stdout).toContain('STOPPED EARLY');
  }, 600_000);
});
