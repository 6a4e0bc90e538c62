/**
 * The example property of docs/extending.md (`test/domains-on-two-members.ts`): the guide's code is the
 * file's code, it compiles, it holds on one config and breaks on another, and `check` judges it as it
 * judges the catalogue's own, explored and advised, from its declaration alone.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkTarget } from '../pgp/check.ts';
import { makeTarget } from '../pgp/target.ts';
import { domainsOnTwoMembers } from '../test/domains-on-two-members.ts';
import { cluster, remove, run, threeMembers, write } from '../test/helpers.ts';

const breakable = { members: [{ id: 'm1' }, { id: 'm2' }], faults: { removeMember: true } };

describe('the guide\'s example property', () => {
  it('is the code of docs/extending.md', () => {
    const guide = readFileSync('docs/extending.md', 'utf8');
    const block = /```ts\n\/\/ properties\/domains-on-two-members\.ts\n([\s\S]*?)```/.exec(guide)?.[1];
    expect(block, 'docs/extending.md has the example').toBeDefined();
    const file = readFileSync('test/domains-on-two-members.ts', 'utf8').split('\n').slice(1).join('\n');
    expect(file.replaceAll("'../properties/", "'./")).toBe(block);
  });

  it('holds once a domain has replicated, and breaks when the only other member is broken out', () => {
    const two = cluster(breakable);
    expect(domainsOnTwoMembers.check(two, run(two, [write('m1', 'domain', 'example.com')]))).toMatchObject({ holds: true });
    expect(domainsOnTwoMembers.check(two, run(two, [write('m1', 'domain', 'example.com'), remove('m2')]))).toMatchObject({ holds: false });
  });

  it('check explores it, finds the shortest violation and advises from its declaration', () => {
    const [violated] = checkTarget(makeTarget(cluster(breakable).config, [domainsOnTwoMembers]), { runs: 100, seed: 1, maxLength: 8, properties: [] });
    expect(violated).toMatchObject({ property: 'domains-on-two-members', verdict: 'violated', basis: { basis: 'exhaustive' } });
    expect(violated!.finding!.actions).toHaveLength(2);
    expect(violated!.recommendation?.source).toBe('KB 153476');
    const [held] = checkTarget(makeTarget(cluster({ members: threeMembers }).config, [domainsOnTwoMembers]), { runs: 100, seed: 1, maxLength: 8, properties: [] });
    expect(held).toMatchObject({ verdict: 'holds', basis: { basis: 'exhaustive' } });
    expect(held!.explanation).toMatch(/^In every reachable state \([\d,]+ explored\) every managed domain stayed on two members\.$/);
  });
});
