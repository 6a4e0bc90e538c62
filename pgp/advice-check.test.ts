/**
 * Advice as a checked change (issue 23): each violated property's advice applied to the config and the
 * changed config checked as `check` checks one; printed only with that result. On a four-member analog
 * of the issue's five-member config (two internal members with mail, a branch member that may hold keys
 * but runs no mail, a DMZ member without keys, Home Server accounts, maxDown 2; the five-member config
 * itself is `npm run bench`'s, about 440,000 states per check):
 * - the private-key advice asks only for what the branch member lacks, and its check says the property holds;
 * - the Web Messenger advice says what it makes worse, and offers a combination that makes nothing worse,
 *   which `compare` confirms;
 * - advice that is no config change says so.
 */
import { describe, expect, it } from 'vitest';
import { cli, tempDir, writeDoc } from '../test/cli.ts';
import { findProperty } from '../properties/index.ts';
import { findPreset } from '../config/presets.ts';
import { patchesOf } from './patches.ts';
import type { CheckedAdvice } from './advice-check.ts';

const branchAndDmz = {
  name: 'branch-and-dmz',
  members: [
    { id: 'hq1', role: 'sponsor' },
    { id: 'hq2' },
    { id: 'branch1', services: ['keyserver', 'desktop', 'webMessenger'] },
    { id: 'dmz1', zone: 'dmz', privateKeys: false, services: ['mail', 'webMessenger'] },
  ],
  webMessenger: { accountMode: 'homeServer' },
  faults: { maxDown: 2 },
};

interface Result {
  property: string;
  verdict: string;
  recommendation: { text: string; source: string; by: string } | null;
  needs: { hypothetical: string[] } | null;
  checkedAdvice: CheckedAdvice | null;
}

async function checked(config: unknown): Promise<{ status: number; results: Result[]; out: string }> {
  const file = writeDoc(tempDir(), 'config.json', config);
  const json = await cli('check', '--config', file, '--seed', '1', '--runs', '100', '--no-save', '--json', '--workers', '1');
  return { status: json.status, results: JSON.parse(json.out).results, out: json.out };
}

describe('advice as a checked change', async () => {
  const { status, results } = await checked(branchAndDmz);
  const result = (name: string) => results.find((r) => r.property === name)!;

  it('the config has the risks the issue found', () => {
    expect(status).toBe(1);
    for (const name of ['private-key-availability', 'web-messenger-availability', 'survivor-convergence']) expect(result(name).verdict, name).toBe('violated');
  });

  it('private keys: asks only for what branch1 lacks (mail), and its check says the property holds', () => {
    const r = result('private-key-availability');
    expect(r.recommendation?.text).toMatch(/run mail on branch1 \(it already may hold private keys\)/);
    expect(r.recommendation?.text).not.toMatch(/privateKeys: true/);
    expect(r.recommendation?.by).toBe('vendor');
    // The risk needs both key members down: the summary's "any maxDown members down", made explicit.
    expect(r.needs?.hypothetical).toEqual(['hq1', 'hq2']);
    const change = r.checkedAdvice!.change!;
    expect(change.changes).toEqual([
      expect.objectContaining({ field: 'members[2].services', member: 'branch1', was: ['keyserver', 'desktop', 'webMessenger'], value: ['keyserver', 'desktop', 'webMessenger', 'mail'] }),
    ]);
    expect(change).toMatchObject({ fixed: ['private-key-availability'], unfixed: [], worse: [] });
    expect(change.basis).toMatch(/^exhaustive for \d+ properties/);
    expect(r.checkedAdvice!.combination).toBeNull();
  });

  it('Web Messenger: says the switch to High Availability makes rejoin freshness worse, and offers what to add', () => {
    const r = result('web-messenger-availability');
    // The advice says a mode applies only to accounts created under it.
    expect(r.recommendation?.text).toMatch(/a mode applies to accounts created under it/);
    const change = r.checkedAdvice!.change!;
    expect(change.changes.map((c) => c.field)).toEqual(['webMessenger.accountMode']);
    expect(change).toMatchObject({ fixed: ['web-messenger-availability'], worse: [{ property: 'web-messenger-rejoin-freshness', before: 'holds', after: 'violated' }] });
    const combination = r.checkedAdvice!.combination!;
    expect(combination.changes.map((c) => c.field)).toEqual(['webMessenger.accountMode', 'loadBalancer.holdsRejoiningMembers']);
    expect(combination).toMatchObject({ fixed: ['web-messenger-availability'], unfixed: [], worse: [] });
    // Holding members out is our inference from KB 156803, and says so.
    expect(combination.patches.find((p) => /hold a returning member out/.test(p.summary))).toMatchObject({ by: 'inference', source: expect.stringMatching(/KB 156803/) });
  });

  it('compare agrees: the plain switch makes something worse (exit 1), the combination makes nothing worse (exit 0)', async () => {
    const dir = tempDir();
    const before = writeDoc(dir, 'before.json', branchAndDmz);
    const apply = (fields: Record<string, unknown>) => writeDoc(dir, `after-${Object.keys(fields).length}.json`, { ...branchAndDmz, ...fields });
    const switched = apply({ webMessenger: { accountMode: 'highAvailability' } });
    const both = apply({ webMessenger: { accountMode: 'highAvailability' }, loadBalancer: { holdsRejoiningMembers: true } });
    // A budget the timeless explorations fit (what only time decides, with its larger spaces, is then
    // searched at random: the comparison is of the Web Messenger properties).
    const fast = ['--seed', '1', '--runs', '100', '--max-states', '100000', '--json', '--workers', '1'];
    const plain = await cli('compare', before, switched, ...fast);
    expect(plain.status).toBe(1);
    expect(JSON.parse(plain.out).properties.filter((p: { change: string }) => p.change === 'worse').map((p: { property: string }) => p.property)).toEqual(['web-messenger-rejoin-freshness']);
    const combined = await cli('compare', before, both, ...fast);
    expect(combined.status).toBe(0);
    expect(JSON.parse(combined.out).properties.find((p: { property: string }) => p.property === 'web-messenger-availability')).toMatchObject({ change: 'better' });
  });

  it('the text report prints a change only with its checked result, and labels who gives it', async () => {
    const file = writeDoc(tempDir(), 'config.json', branchAndDmz);
    const { out } = await cli('check', '--config', file, '--seed', '1', '--runs', '100', '--no-save', '--property', 'web-messenger-availability', '--property', 'web-messenger-rejoin-freshness');
    const flat = out.replace(/\s+/g, ' ');
    expect(flat).toMatch(/ instead: vendor \(KB 153723; seed article KB 153198\): Create accounts in High Availability mode/);
    expect(flat).toMatch(
      / change: vendor \(KB 153723; seed article KB 153198\): create every Web Messenger account in High Availability mode webMessenger\.accountMode: "homeServer" -> "highAvailability" checked: with this change, web-messenger-availability holds, but web-messenger-rejoin-freshness gets worse \(holds -> violated\)/,
    );
    expect(flat).toMatch(/ with also: our inference, from KB 156803 .* loadBalancer\.holdsRejoiningMembers: false -> true checked: with both, web-messenger-availability holds and nothing else gets worse/);
    // Every "checked" line comes with what it rests on.
    const checks = flat.split(' checked: ').slice(1).map((rest) => rest.split(/ (with also|reproduce):/)[0]!);
    expect(checks.length).toBe(2);
    for (const line of checks) expect(line).toMatch(/\((exhaustive for \d+ propert|[\d,]+ random traces)/);
  });

  it('advice that is no config change says so', async () => {
    // KB 153721's advice on joins is operational: no patch is declared for it.
    expect(patchesOf(findProperty('join-under-outage')!, findPreset('growing')!.config)).toEqual([]);
    const { out } = await cli('check', '--preset', 'growing', '--property', 'join-under-outage', '--seed', '1', '--no-save');
    expect(out.replace(/\s+/g, ' ')).toMatch(/ change: none: the advice above is an operational step, not a change of the config/);
  });
});
