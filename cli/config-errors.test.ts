/**
 * Bad config files (issue 4): for each class of bad input, `check --config` exits 2, prints exactly the
 * expected messages (one line per problem, naming the file and the field path), prints no stack trace
 * and nothing on stdout, and writes nothing.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BAD_CONFIGS } from '../test/bad-configs.ts';
import { cli, listing } from '../test/cli.ts';

const counterexamples = join(import.meta.dirname, '..', 'counterexamples');

async function expectRejected(argv: string[], dir: string, expected: readonly string[]) {
  const before = { dir: listing(dir), counterexamples: listing(counterexamples) };
  const { status, out, err } = await cli(...argv);
  expect(status).toBe(2);
  expect(err.trimEnd().split('\n')).toEqual(expected.map((line) => `error: ${line}`));
  expect(err).not.toMatch(/\n\s+at /); // no stack trace
  expect(out).toBe('');
  expect({ dir: listing(dir), counterexamples: listing(counterexamples) }).toEqual(before);
}

describe('check --config on a bad file: exit 2, the exact messages, nothing written', () => {
  it.each(BAD_CONFIGS.map((c) => [c.name, c] as const))('%s', async (_name, bad) => {
    const dir = mkdtempSync(join(tmpdir(), 'pcc-bad-'));
    const file = join(dir, 'cluster.json');
    writeFileSync(file, bad.text);
    await expectRejected(['check', '--config', file], dir, bad.errors.map((e) => e.replaceAll('FILE', file)));
  });

  it('an unreadable file: missing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pcc-bad-'));
    const file = join(dir, 'missing.json');
    await expectRejected(['check', '--config', file], dir, [`${file}: cannot read: no such file`]);
  });

  it('an unreadable file: a directory', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pcc-bad-'));
    const folder = join(dir, 'cluster.json');
    mkdirSync(folder);
    await expectRejected(['check', '--config', folder], dir, [`${folder}: cannot read: is a directory`]);
  });

  it('--json changes nothing: the messages still go to stderr, and stdout stays empty', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pcc-bad-'));
    const file = join(dir, 'cluster.json');
    writeFileSync(file, JSON.stringify({ members: [{ id: 'm1' }, { id: 'm1' }] }));
    await expectRejected(['check', '--config', file, '--json'], dir, [`${file}: members[1].id: duplicate member id "m1" (also members[0])`]);
  });
});

describe('check --config on a good file', () => {
  it('accepts a UTF-8 byte order mark, as Windows editors write it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pcc-ok-'));
    const file = join(dir, 'bom.json');
    writeFileSync(file, `\ufeff${JSON.stringify({ name: 'bom', members: [{ id: 'm1' }, { id: 'm2' }] })}`);
    const { status, out, err } = await cli('check', '--config', file, '--json', '--runs', '5', '--seed', '1', '--property', 'no-lost-writes');
    expect(err).toBe('');
    expect(status).toBe(0);
    expect(JSON.parse(out).results[0]).toMatchObject({ config: 'bom', verdict: 'holds' });
  });
});

describe('check --config warnings: printed, and the check still runs', () => {
  it('more than six members: a warning naming the vendor limit (KB 153476, KB 154069)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pcc-warn-'));
    const file = join(dir, 'seven.json');
    writeFileSync(file, JSON.stringify({ name: 'seven', members: Array.from({ length: 7 }, (_, i) => ({ id: `m${i + 1}` })) }));
    const properties = ['--property', 'eventual-convergence', '--property', 'survivor-convergence'];
    const { status, out, err } = await cli('check', '--config', file, '--json', '--runs', '20', '--seed', '1', '--max-states', '20000', ...properties);
    const [members, stopped, ...more] = err.trimEnd().split('\n');
    expect(members).toBe(
      `${file}: warning: members: 7 members; the vendor supports at most 6 in one cluster (KB 153476, KB 154069): the ring gets riskier as it grows; checking anyway`,
    );
    // Seven members do not fit 20,000 states: the one other warning says which verdicts fell back to random search.
    expect(stopped).toMatch(/^warning: The exploration of "seven" did not finish: its state budget of 20,000 states ran out \(--max-states 20000\)\./);
    expect(more).toEqual([]);
    expect(status).toBe(0);
    const doc = JSON.parse(out);
    expect(doc.warnings).toEqual([members, stopped]);
    expect(doc.results.map((r: { property: string }) => r.property)).toEqual(['eventual-convergence', 'survivor-convergence']);
    expect(doc.results.every((r: { config: string; runs: number }) => r.config === 'seven' && r.runs === 20)).toBe(true);
  });

  it('a Web Messenger replication target that does not run webMessenger', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pcc-warn-'));
    const file = join(dir, 'wm.json');
    writeFileSync(
      file,
      JSON.stringify({ members: [{ id: 'm1' }, { id: 'm2', services: ['mail'] }], webMessenger: { replication: ['m1', 'm2'] } }),
    );
    const { err } = await cli('check', '--config', file, '--runs', '5', '--seed', '1', '--property', 'private-keys-stay-put');
    expect(err.trimEnd()).toBe(
      `${file}: warning: webMessenger.replication[1]: member "m2" does not run webMessenger, so it receives no Web Messenger data (KB 153723); add "webMessenger" to members[1].services, or leave it out here`,
    );
  });
});

describe('a large cluster', () => {
  it('twenty members with a budget of ten down: the availability properties decide "any ten down" without trying every choice', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pcc-large-'));
    const file = join(dir, 'twenty.json');
    writeFileSync(file, JSON.stringify({ name: 'twenty', members: Array.from({ length: 20 }, (_, i) => ({ id: `m${i + 1}` })), faults: { maxDown: 10 } }));
    const availability = ['web-messenger-availability', 'private-key-availability', 'desktop-policy-availability'].flatMap((p) => ['--property', p]);
    // C(20, 10) = 184,756 choices per settled state would not finish within the test's time limit.
    const { status, out } = await cli('check', '--config', file, '--json', '--runs', '30', '--seed', '2', '--no-save', ...availability);
    expect(status).toBe(0);
    expect(JSON.parse(out).results.map((r: { verdict: string }) => r.verdict)).toEqual(['holds', 'holds', 'holds']);
  });
});
