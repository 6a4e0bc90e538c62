/**
 * Accepted risks (issue 12): the dmz-gateway example with an `accept` entry for each risk it documents
 * passes and says "accepted" for each; an acceptance that matches nothing is stale; an unknown property
 * is a config error with a "did you mean"; `members` limits an acceptance to traces among those members.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROPERTIES } from '../properties/index.ts';
import { cli, tempDir, writeDoc } from '../test/cli.ts';

const root = join(import.meta.dirname, '..');
const example = JSON.parse(readFileSync(join(root, 'examples', 'dmz-gateway.json'), 'utf8')) as Record<string, unknown>;
const risks: string[] = JSON.parse(readFileSync(join(root, 'examples', 'expected.json'), 'utf8')).examples['dmz-gateway.json'].violates;

function withAccept(accept: unknown[]): string {
  const { $schema: _schema, ...config } = example;
  return writeDoc(tempDir(), 'accepted.json', { ...config, accept });
}

const RUNS = ['--seed', '1', '--runs', '200', '--no-save'];

describe('accept', () => {
  it('the example documents risks to accept', () => {
    expect(risks.length).toBeGreaterThan(0);
  });

  it('accepting every risk of the example exits 0 and says "accepted" for each, with its reason', async () => {
    const file = withAccept(risks.map((property) => ({ property, reason: `chosen on purpose: ${property}` })));
    const text = await cli('check', '--config', file, ...RUNS);
    expect(text.err).toBe('');
    expect(text.status).toBe(0);
    for (const property of risks) expect(text.out).toMatch(new RegExp(`${property}\\b.*accepted`));
    const json = await cli('check', '--config', file, ...RUNS, '--json');
    expect(json.status).toBe(0);
    const doc = JSON.parse(json.out);
    expect(doc.summary).toMatchObject({ ok: true, accepted: risks.length, staleAcceptances: [] });
    for (const property of risks)
      expect(doc.results.find((r: { property: string }) => r.property === property)).toMatchObject({
        verdict: 'violated',
        accepted: { reason: `chosen on purpose: ${property}`, members: null },
      });
  });

  it('accepting only some risks still fails on the others', async () => {
    const file = withAccept([{ property: risks[0], reason: 'known' }]);
    const { status, out } = await cli('check', '--config', file, ...RUNS, '--json');
    expect(status).toBe(1);
    expect(JSON.parse(out).summary).toMatchObject({ ok: false, accepted: 1 });
  });

  it('an acceptance that matches no violation is reported as stale, and the exit status does not change', async () => {
    const holding = PROPERTIES.find((p) => p.name === 'private-key-availability')!.name;
    const file = withAccept([...risks.map((property) => ({ property, reason: 'known' })), { property: holding, reason: 'was a risk once' }]);
    const { status, out, err } = await cli('check', '--config', file, ...RUNS, '--json');
    expect(status).toBe(0);
    expect(err).toMatch(new RegExp(`stale acceptance: ${holding} now holds`));
    expect(JSON.parse(out).summary.staleAcceptances).toEqual([{ property: holding, reason: 'was a risk once' }]);
  });

  it('members limits an acceptance to violations among those members', async () => {
    // survivor-convergence here needs the DMZ gateway and its successor: accepting it for pgp2 alone does not cover it.
    const file = withAccept([{ property: 'survivor-convergence', reason: 'only pgp2', members: ['pgp2'] }]);
    const { out, err } = await cli('check', '--config', file, ...RUNS, '--json', '--property', 'survivor-convergence');
    expect(JSON.parse(out).results[0]).toMatchObject({ verdict: 'violated', accepted: null });
    expect(err).toMatch(/stale acceptance: survivor-convergence \(limited to pgp2\) is violated through other members/);
    const covering = withAccept([{ property: 'survivor-convergence', reason: 'the gateway', members: ['pgp1', 'pgp2', 'gateway'] }]);
    const covered = await cli('check', '--config', covering, ...RUNS, '--json', '--property', 'survivor-convergence');
    expect(covered.status).toBe(0);
    expect(JSON.parse(covered.out).results[0].accepted).toEqual({ reason: 'the gateway', members: ['pgp1', 'pgp2', 'gateway'] });
  });

  it('members counts a risk through members that behave the same (issue 23: pinned clients on a two-member cluster)', async () => {
    // test/configs/pinned-pair.json: two identical members, no cluster host name, the risk accepted for pgp-b.
    // A client pinned to pgp-b faces the risk the shortest trace shows for one pinned to pgp-a.
    const pair = JSON.parse(readFileSync(join(root, 'test', 'configs', 'pinned-pair.json'), 'utf8')) as Record<string, unknown> & { accept: { members: string[] }[] };
    expect(pair.accept[0]!.members).toEqual(['pgp-b']);
    for (const members of [['pgp-b'], ['pgp-a']]) {
      const file = writeDoc(tempDir(), 'pair.json', { ...pair, $schema: undefined, accept: [{ ...pair.accept[0], members }] });
      const { out, err } = await cli('check', '--config', file, ...RUNS, '--json', '--property', 'desktop-policy-availability');
      const result = JSON.parse(out).results[0];
      expect(result, members[0]).toMatchObject({ verdict: 'violated', accepted: { reason: 'laptops wait for their member', members } });
      expect(err, members[0]).not.toMatch(/stale acceptance/);
      // What the risk needs, in --json: its member down, hypothetically (the "any maxDown members down" of the property).
      expect(result.needs).toMatchObject({ hypothetical: [expect.stringMatching(/^pgp-[ab]$/)] });
    }
  });

  it('an unknown property is a config error with a "did you mean", and nothing runs', async () => {
    const file = withAccept([{ property: 'survivor-convergance', reason: 'typo' }]);
    const { status, out, err } = await cli('check', '--config', file, ...RUNS);
    expect(status).toBe(2);
    expect(out).toBe('');
    expect(err).toMatch(/accepted\.json: accept\[0\]\.property: unknown property "survivor-convergance"; valid: .*; did you mean "survivor-convergence"\?/);
  });

  it('an unknown member, a missing reason and an unknown field are config errors naming the field', async () => {
    const file = withAccept([{ property: risks[0], members: ['pgp9'] }, { property: risks[0], reason: 'x', because: 'y' }]);
    const { status, err } = await cli('check', '--config', file, ...RUNS);
    expect(status).toBe(2);
    expect(err).toMatch(/accept\[0\]\.reason/);
    expect(err).toMatch(/accept\[0\]\.members\[0\]: unknown member id "pgp9"/);
    expect(err).toMatch(/accept\[1\]\.because: unknown field/);
  });
});
