/**
 * `compare BEFORE AFTER` (issue 12): the recommended example against a copy without a cluster host name
 * reports desktop-policy-availability as worse, with its new shortest trace, and exits 1; the other way
 * round it is better and the exit is 0.
 */
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROPERTIES } from '../properties/index.ts';
import { cli, tempDir, writeDoc } from '../test/cli.ts';
import { changeOf } from './compare.ts';

const recommended = relative(process.cwd(), join(import.meta.dirname, '..', 'examples', 'recommended.json'));
const document = JSON.parse(readFileSync(recommended, 'utf8'));
const pinned = writeDoc(tempDir(), 'pinned.json', {
  ...document,
  $schema: undefined,
  name: 'pinned',
  // Issue 12's change review: the same file with clusterHostname: false, nothing else.
  loadBalancer: { ...document.loadBalancer, clusterHostname: false },
});
const FAST = ['--seed', '1', '--runs', '200', '--workers', '1'];

describe('compare', () => {
  it('ranks verdict changes', () => {
    expect(changeOf('holds', 'violated')).toBe('worse');
    expect(changeOf('violated', 'holds')).toBe('better');
    expect(changeOf('reached', 'unreached')).toBe('worse');
    expect(changeOf('holds', 'not-applicable')).toBe('changed');
    expect(changeOf('holds', 'holds')).toBe('same');
  });

  it('recommended -> no cluster host name: desktop-policy-availability is worse, with its new trace; exit 1', async () => {
    const { status, out } = await cli('compare', recommended, pinned, ...FAST);
    expect(status).toBe(1);
    // Each verdict with what it rests on, in npm start's words.
    expect(out).toMatch(/\n {2}desktop-policy-availability +verified +violated +WORSE\n/);
    expect(out).toMatch(/\ndesktop-policy-availability got worse: holds -> violated; the new shortest\s+trace, 1 action:\n {4}1\. enroll laptop1 at pgp\d/);
    // Every property of the catalogue that is not a guard has its row; guards are one line.
    for (const p of PROPERTIES.filter((x) => x.kind !== 'sometimes')) expect(out).toMatch(new RegExp(`\\n {2}${p.name} `));
    expect(out).toMatch(/\nGuards: /);
    expect(out.split('\n').length).toBeLessThanOrEqual(40);
    const json = JSON.parse((await cli('compare', recommended, pinned, ...FAST, '--json')).out);
    expect(json.summary).toMatchObject({ ok: false, worse: expect.any(Number) });
    const desktop = json.properties.find((c: { property: string }) => c.property === 'desktop-policy-availability');
    expect(desktop).toMatchObject({ before: 'holds', after: 'violated', beforeBasis: 'exhaustive', afterBasis: 'exhaustive', change: 'worse', actions: [{ type: 'enroll' }] });
    expect(json.summary.stopped).toEqual([]);
  });

  it("an exploration that did not finish: each side's basis, and check's words for the stop, naming what fell back and --max-states", async () => {
    const { out } = await cli('compare', recommended, pinned, ...FAST, '--max-states', '300');
    const json = JSON.parse((await cli('compare', recommended, pinned, ...FAST, '--max-states', '300', '--json')).out);
    expect(json.summary.stopped.map((s: { config: string }) => s.config)).toEqual(['recommended', 'pinned']);
    for (const stop of json.summary.stopped) {
      expect(stop).toMatchObject({ cause: 'state-budget', budget: 300 });
      expect(stop.message).toMatch(/--max-states/);
      expect(out.replace(/\s+/g, ' ')).toContain(stop.message);
      for (const name of stop.random) {
        const side = stop.config === 'recommended' ? 'beforeBasis' : 'afterBasis';
        expect(json.properties.find((c: { property: string }) => c.property === name)[side]).toBe('random');
      }
    }
    expect(out).toMatch(/\n {2}eventual-convergence +sampled +sampled\n/);
    expect(out).toMatch(/\n {2}private-key-availability +verified +verified\n/);
  });

  it('the other way round it got better, and the exit is 0', async () => {
    const { status, out } = await cli('compare', pinned, recommended, ...FAST, '--json');
    expect(status).toBe(0);
    const doc = JSON.parse(out);
    expect(doc.summary.ok).toBe(true);
    expect(doc.properties.find((c: { property: string }) => c.property === 'desktop-policy-availability').change).toBe('better');
  });

  it('needs two files', async () => {
    const { status, err } = await cli('compare', recommended);
    expect(status).toBe(2);
    expect(err).toMatch(/compare: give two config files/);
  });
});
