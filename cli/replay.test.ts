import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, beforeEach, afterEach, vi } from 'vitest';
import { z } from 'zod';
import { cli, corpusFile, kb161304File, doctored, readJson, tempDir, writeDoc } from '../test/cli.ts';

// The literal lines below are read unwrapped; cli/width.test.ts checks the wrapping at 80 columns.
beforeEach(() => {
  vi.stubEnv('COLUMNS', '1000');
});
afterEach(() => {
  vi.unstubAllEnvs();
});

const dmz = kb161304File();
const homeServer = corpusFile('home-server', 'web-messenger-availability');
const broken = corpusFile('broken-member', 'no-lost-writes');

/** The shape of `replay --json` the README documents (more keys are allowed). */
const member = z.object({ up: z.boolean(), records: z.array(z.string().regex(/^(user|privateKey|domain|policy|cachedKey|fetchedKey|wmAccount):.+$/)) });
const replayJson = z.object({
  steps: z.array(z.object({ action: z.object({ type: z.string() }).loose(), members: z.record(z.string(), member) })),
  violation: z.object({ step: z.number(), message: z.string() }).loose().nullable(),
});

describe('replay of a counterexample file', () => {
  it('tells each step and what it changed, the settling, where and why the property fails, and exits 0', async () => {
    const { status, out } = await cli('replay', dmz);
    expect(status).toBe(0);
    const [crash, write] = readJson(dmz).actions as { member: string; record?: { kind: string; key: string } }[];
    expect(out).toContain(`  1. crash ${crash!.member}\n       ${crash!.member} went down\n`);
    const record = `${write!.record!.kind}:${write!.record!.key}`;
    expect(out).toContain(`  2. write ${record} on ${write!.member}\n       ${write!.member} now holds ${record} (write #1, on ${write!.member})\n`);
    expect(out).toMatch(/settling \(faults end except outages: m1 stays down\): no cut link to heal, then 1 round of replication/);
    expect(out).toMatch(/s1\. replicate m3\n\s+m4 received .* from m3/);
    expect(out).toMatch(/✗ survivor-convergence is violated after step 2: with m1 down .* never reached m2/);
    expect(out).toMatch(/verdict: reproduced: the replay shows the violation the file records \(exit 0\)/);
  });

  it('shows a removal with what the member took with it', async () => {
    const { status, out } = await cli('replay', broken);
    expect(status).toBe(0);
    expect(out).toMatch(/m\d was removed from the cluster, taking policy:default, user:\w+ with it/);
  });

  it('--json has the shape the README documents', async () => {
    const { status, out } = await cli('replay', dmz, '--json');
    expect(status).toBe(0);
    const doc = JSON.parse(out);
    replayJson.parse(doc);
    expect(doc.steps.map((s: { action: unknown }) => s.action)).toEqual(readJson(dmz).actions);
    expect(doc.steps[0].members.m1).toMatchObject({ up: false, records: ['policy:default'] });
    expect(doc.violation).toMatchObject({ property: 'survivor-convergence', step: 2, message: expect.stringContaining('never reached m2') });
    expect(doc).toMatchObject({ outcome: 'reproduced', ok: true, settling: { mode: 'survivors', rounds: 1 } });
  });

  it('says how the trace was found: by exploration (nothing shrunk), or by random search and shrunk (issue 23)', async () => {
    // `check` explores first: its file records no traces and no path, and a shortest trace has nothing to shrink.
    const dir = tempDir();
    await cli('check', '--preset', 'dmz-ring', '--property', 'survivor-convergence', '--seed', '1', '--save-dir', dir);
    const saved = join(dir, readdirSync(dir).find((f) => f.endsWith('.json'))!);
    expect(readJson(saved).found).toMatchObject({ runs: 0 });
    const explored = await cli('replay', saved);
    expect(explored.out).toMatch(/recorded: violated after step 2; found by exhaustive exploration: a shortest trace, 2 actions\n/);
    expect(explored.out).not.toMatch(/after 0 traces|shrunk from 2 to 2/);
    // A random search's file says the seed, the traces and how far it shrank; not "shrunk" when it did not.
    const random = await cli('replay', corpusFile('no-holdout', 'web-messenger-rejoin-freshness'));
    expect(random.out).toMatch(/found with seed \d+ after \d+ traces?, shrunk from \d+ to 3 actions/);
    const unshrunk = doctored(dmz, (doc) => ({ ...doc, found: { ...(doc.found as object), originalLength: 2 } }));
    expect((await cli('replay', unshrunk)).out).toMatch(/found with seed 1 after 1 trace, 2 actions \(nothing to shrink\)/);
  });

  it('a reworded message still counts as reproduced, with a note', async () => {
    const file = doctored(dmz, (d) => ({ ...d, violation: { ...(d.violation as object), message: 'an older wording' } }));
    const { status, out } = await cli('replay', file);
    expect(status).toBe(0);
    expect(out).toMatch(/note: the message now reads: with m1 down/);
  });
});

describe('a file whose trace no longer shows what it records: exit 1, saying what differs and what to do', () => {
  it('the recorded config changed (Web Messenger accounts now in High Availability mode)', async () => {
    const file = doctored(homeServer, (d) => ({ ...d, config: { ...(d.config as object), webMessenger: { accountMode: 'highAvailability', replication: 'all' } } }));
    const { status, out } = await cli('replay', file);
    expect(status).toBe(1);
    expect(out).toContain('verdict: NOT REPRODUCED: the trace no longer violates the property (exit 1)');
    expect(out).toContain('recorded: web-messenger-availability violated after step 1');
    expect(out).toContain('now:      web-messenger-availability holds on this trace');
    expect(out).toMatch(/what to do: if the change to the model fixed this risk on purpose, mark the file fixed: set "expect": "holds"/);
    expect(out).toMatch(/re-run `npx pgp-cluster-check check .*--property web-messenger-availability --length \d+` \(with this file's "config" saved as CONFIG\.json\) to save a fresh counterexample/);
  });

  it('a doctored action list: names the first step that now differs from the recording', async () => {
    const file = doctored(dmz, (d) => {
      const actions = structuredClone(d.actions) as { member: string }[];
      actions[1]!.member = 'm2';
      return { ...d, actions };
    });
    const { status, out } = await cli('replay', file, '--json');
    expect(status).toBe(1);
    const doc = JSON.parse(out);
    expect(doc).toMatchObject({ ok: false, outcome: 'no-longer-violated', violation: null, divergence: { step: 2 } });
    expect(doc.explanation.join('\n')).toMatch(/first step that differs from the recording: step 2 \(write \S+ on m2\): m2: now also holds \S+; m3: no longer holds \S+/);
  });

  it('"expect": "holds" marks a risk fixed: the replay passes while it stays fixed and fails when it is back', async () => {
    const fixed = doctored(homeServer, (d) => ({
      ...d,
      expect: 'holds',
      note: 'fixed by switching to High Availability',
      config: { ...(d.config as object), webMessenger: { accountMode: 'highAvailability', replication: 'all' } },
    }));
    const still = await cli('replay', fixed);
    expect(still.status).toBe(0);
    expect(still.out).toContain('verdict: still fixed');
    const back = doctored(homeServer, (d) => ({ ...d, expect: 'holds' }));
    const regression = await cli('replay', back);
    expect(regression.status).toBe(1);
    expect(regression.out).toContain('verdict: REGRESSION: the file documents a fixed risk, and the trace violates the property again (exit 1)');
  });

  it('a violation at another step than recorded does not count', async () => {
    const file = doctored(dmz, (d) => ({ ...d, violation: { ...(d.violation as object), step: 1 } }));
    const { status, out } = await cli('replay', file);
    expect(status).toBe(1);
    expect(out).toContain('NOT REPRODUCED: the property is violated at another step than recorded');
  });
});

describe('replay of a scenario file', () => {
  const scenario = {
    preset: 'dmz-ring',
    description: 'KB 161304: with m1 down, a change on DMZ member m4 stays on m4',
    actions: [
      { type: 'crash', member: 'm1' },
      { type: 'write', member: 'm4', record: { kind: 'user', key: 'alice' } },
      { type: 'replicate', member: 'm4' },
      { type: 'partition', a: 'm2', b: 'm3' },
    ],
  };

  it('runs the actions, shows each step and the final state, reports every violated property, exits 0', async () => {
    const file = writeDoc(tempDir(), 'scenario.json', scenario);
    const { status, out } = await cli('replay', file);
    expect(status).toBe(0);
    expect(out).toContain('KB 161304: with m1 down');
    expect(out).toContain('  3. replicate m4\n       nothing changed: its successor m1 is down (a DMZ member keeps its fixed successor, KB 161304)');
    expect(out).toContain('the link m2|m3 is cut: m2 and m3 cannot reach each other');
    expect(out).toMatch(/members at the end:\n\s+m1\s+down\s+policy:default\n/);
    expect(out).toMatch(/cut links: m2\|m3/);
    // Every prefix is judged, as search judges: the violation is already there after the write (step 2).
    expect(out).toMatch(/survivor-convergence\s+VIOLATED after step 2: .*user:alice \(write #1, on m4\) never reached m2, m3/);
    expect(out).toMatch(/eventual-convergence\s+holds/);
    expect(out).toContain('1 property is violated by this scenario: survivor-convergence.');
  });

  it('--json gives the steps, the final state and every violation', async () => {
    const file = writeDoc(tempDir(), 'scenario.json', { config: { name: 'two', members: [{ id: 'a' }, { id: 'b', zone: 'dmz' }] }, actions: [] });
    const { status, out } = await cli('replay', file, '--json');
    expect(status).toBe(0);
    const doc = JSON.parse(out);
    replayJson.parse(doc);
    expect(doc).toMatchObject({ kind: 'scenario', config: 'two', steps: [], violation: null, violations: [] });
    expect(doc.properties.map((p: { verdict: string }) => p.verdict)).toContain('not-applicable');
    const withViolation = JSON.parse((await cli('replay', writeDoc(tempDir(), 's.json', scenario), '--json')).out);
    expect(withViolation.violations.map((v: { property: string }) => v.property)).toEqual(['survivor-convergence']);
    expect(withViolation.violation).toEqual(withViolation.violations[0]);
  });
});

describe('replay of a folder', () => {
  it('replays every file: exit 0 when all show what they record, 1 when one does not, 2 when one is invalid', async () => {
    const dir = tempDir();
    writeDoc(dir, 'a.json', readJson(dmz));
    const good = await cli('replay', dir);
    expect(good.status).toBe(0);
    expect(good.out).toContain(`ok   ${join(dir, 'a.json')}: survivor-convergence on dmz-ring: reproduced`);
    doctored(homeServer, (d) => ({ ...d, config: { ...(d.config as object), webMessenger: { accountMode: 'highAvailability' } } }), dir);
    const failing = await cli('replay', dir);
    expect(failing.status).toBe(1);
    expect(failing.out).toMatch(/FAIL .*doctored\.json: web-messenger-availability on home-server: NOT REPRODUCED/);
    writeDoc(dir, 'z.json', '{"formatVersion": 3}');
    const invalid = await cli('replay', dir);
    expect(invalid.status).toBe(2);
    expect(invalid.out).toMatch(/BAD {2}.*z\.json: invalid file\n\s+.*formatVersion: unsupported format version 3/);
  });

  it('usage errors', async () => {
    expect((await cli('replay')).err).toMatch(/replay: give a counterexample or scenario file/);
    expect((await cli('replay', dmz, '--format', 'svg')).err).toMatch(/--format: unknown format "svg"; valid: text, json, mermaid/);
    expect((await cli('replay', dmz, '--json', '--format', 'mermaid')).err).toMatch(/give --json or --format, not both/);
    expect((await cli('replay', 'counterexamples', '--format', 'mermaid')).status).toBe(2);
    expect(readFileSync(dmz, 'utf8')).toContain('"formatVersion": 1');
  });
});
