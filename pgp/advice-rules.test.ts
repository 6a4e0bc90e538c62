/**
 * Advice fitted to the config (issue 12): each rule that keeps the vendor's general advice from
 * recommending what the config already does or cannot use, shown with one config where the advice is
 * given and one where it must not be; and the config warnings about settings with no effect together.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ClusterConfigInput } from '../config/schema.ts';
import { validateConfig } from '../config/validate.ts';
import { cluster, threeMembers } from '../test/helpers.ts';
import { cli } from '../test/cli.ts';
import { advise } from './advice.ts';
import { findProperty } from '../properties/index.ts';
import type { Judgement } from './result.ts';

function recommendation(input: Omit<ClusterConfigInput, 'name'>, property: string, verdict: 'holds' | 'violated' = 'violated'): string {
  const judged: Judgement = {
    property,
    kind: 'eventually',
    verdict,
    basis: { basis: 'random', runs: 3 },
    finding: verdict === 'violated' ? { actions: [], step: 0, message: 'the checker says why', originalLength: 0, path: null } : null,
    reason: null,
  };
  const advice = advise(cluster(input), judged);
  if (advice.recommendation === null) throw new Error(`${property}: no recommendation`);
  expect(advice.recommendation.source).toMatch(/KB \d{6}/);
  return advice.recommendation.text;
}

const gateway = { id: 'gw', zone: 'dmz' as const, privateKeys: false, services: ['mail' as const, 'keyserver' as const] };
const dmzWithKeys = [{ id: 'm1' }, { id: 'm2' }, { id: 'm3', zone: 'dmz' as const }, { id: 'm4', zone: 'dmz' as const }];

describe('advice rules: given where it helps, never where the config already does it or cannot use it', () => {
  it('survivor-convergence: "DMZ members without private keys" only for DMZ members that host them, named', () => {
    const given = recommendation({ members: dmzWithKeys }, 'survivor-convergence');
    expect(given).toMatch(/m3 and m4 host private keys, and DMZ members that do not \(privateKeys: false\) get more replication links/);
    expect(given).toMatch(/quickly: here m3's successor m4 and m4's successor m1; m3 and m4 host/);
    const withheld = recommendation({ members: [{ id: 'm1' }, { id: 'm2' }, gateway] }, 'survivor-convergence');
    expect(withheld).not.toMatch(/private keys/);
    expect(withheld).toMatch(/quickly: here gw's successor m1\.$/);
  });

  it('web-messenger-rejoin-freshness: holdsRejoiningMembers alone only with a load balancer', () => {
    const given = recommendation({ members: threeMembers }, 'web-messenger-rejoin-freshness');
    expect(given).toBe(findProperty('web-messenger-rejoin-freshness')!.advice!.recommendation.text);
    const noBalancer = recommendation({ members: threeMembers, loadBalancer: { clusterHostname: false } }, 'web-messenger-rejoin-freshness');
    expect(noBalancer).not.toBe(given);
    expect(noBalancer).toMatch(/clusterHostname: true\) that holds a returning member out/);
  });

  it('web-messenger-rejoin-freshness: without a balancer, the explanation speaks of no balancer', () => {
    const judged = { ...findProperty('web-messenger-rejoin-freshness')!.advice! };
    const model = cluster({ members: threeMembers, loadBalancer: { clusterHostname: false } });
    const why = judged.violated({ model, config: model.config, searched: '', proven: true, state: {} as never });
    expect(why).toMatch(/^There is no load balancer in front of Web Messenger/);
    const withBalancer = cluster({ members: threeMembers });
    expect(judged.violated({ model: withBalancer, config: withBalancer.config, searched: '', proven: true, state: {} as never })).toMatch(
      /^The load balancer puts a returning member back/,
    );
  });

  it('desktop-policy-availability: a cluster host name only when there is none', () => {
    expect(recommendation({ members: threeMembers, loadBalancer: { clusterHostname: false } }, 'desktop-policy-availability')).toMatch(/cluster host name served by a load balancer/);
    const desktopOnOne = [{ id: 'm1' }, { id: 'm2', services: ['mail' as const] }, { id: 'm3', services: ['mail' as const] }];
    const withName = recommendation({ members: desktopOnOne }, 'desktop-policy-availability');
    // One more is enough with maxDown 1: the fewest members, not every one that lacks it.
    expect(withName).toMatch(/^Clients already reach the cluster by its host name; run desktop on m2 as well, so that more members than faults.maxDown \(1\)/);
    expect(recommendation({ members: threeMembers }, 'desktop-policy-availability', 'holds')).toMatch(/^Keep what this config already does/);
  });

  it('web-messenger-availability: only the steps the config has not taken, never a DMZ gateway', () => {
    const homeServer = recommendation({ members: threeMembers, webMessenger: { accountMode: 'homeServer' } }, 'web-messenger-availability');
    expect(homeServer).toMatch(/High Availability mode/);
    expect(homeServer).not.toMatch(/replicate Web Messenger data/);
    const narrow = recommendation({ members: threeMembers, webMessenger: { replication: ['m1'] } }, 'web-messenger-availability');
    expect(narrow).toMatch(/^Replicate Web Messenger data to m2 and m3 too \(webMessenger.replication: "all"\): then/);
    expect(narrow).not.toMatch(/accountMode/);
    const asRecommended = recommendation(
      { members: [{ id: 'm1' }, { id: 'm2' }, gateway], webMessenger: { replication: ['m1', 'm2'] } },
      'web-messenger-availability',
      'holds',
    );
    expect(asRecommended).toMatch(/^Keep what this config already does/);
    expect(asRecommended).not.toMatch(/gw/);
  });

  it('private-key-availability: names the internal members that could hold keys, never a DMZ member without them', () => {
    const single = [{ id: 'm1' }, { id: 'm2', privateKeys: false }, { id: 'm3', privateKeys: false }];
    expect(recommendation({ members: single }, 'private-key-availability')).toMatch(/on m1, which runs mail; let private keys replicate to m2 \(privateKeys: true\), so that at least 2/);
    const withGateway = recommendation({ members: [{ id: 'm1' }, { id: 'm2', privateKeys: false }, gateway] }, 'private-key-availability');
    expect(withGateway).toMatch(/let private keys replicate to m2 \(privateKeys: true\)/);
    expect(withGateway).not.toMatch(/gw/);
    expect(recommendation({ members: threeMembers }, 'private-key-availability', 'holds')).toMatch(/^Keep what this config already does/);
  });

  it('private-key-availability: asks each member only for what it lacks (issue 23: branch1 already may hold keys)', () => {
    // hq1 and hq2 run mail and hold keys; branch1 may hold keys but runs no mail; maxDown 2 asks for a third.
    const members = [{ id: 'hq1' }, { id: 'hq2' }, { id: 'branch1', services: ['keyserver' as const, 'desktop' as const] }, { id: 'dmz1', zone: 'dmz' as const, privateKeys: false }];
    const text = recommendation({ members, faults: { maxDown: 2 } }, 'private-key-availability');
    expect(text).toMatch(/^Internal users' private keys are on hq1 and hq2, which run mail; run mail on branch1 \(it already may hold private keys\), so that at least 3/);
    expect(text).not.toMatch(/privateKeys: true/);
    expect(text).not.toMatch(/dmz1/);
  });

  it('skm-keys-stay-valid: a cluster host name only when there is none', () => {
    expect(recommendation({ members: threeMembers, loadBalancer: { clusterHostname: false } }, 'skm-keys-stay-valid')).toMatch(/cluster host name/);
    expect(recommendation({ members: threeMembers }, 'skm-keys-stay-valid')).not.toMatch(/give them a cluster host name/);
  });
});

describe('warnings about settings with no effect together', () => {
  const warnings = (document: unknown) => {
    const result = validateConfig(document);
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    return result.warnings.map((w) => `${w.path}: ${w.message}`);
  };

  it('holdsRejoiningMembers without a cluster host name', () => {
    expect(warnings({ members: threeMembers, loadBalancer: { clusterHostname: false, holdsRejoiningMembers: true } })).toEqual([
      expect.stringMatching(/^loadBalancer.holdsRejoiningMembers: true has no effect .* without a cluster host name/),
    ]);
    expect(warnings({ members: threeMembers, loadBalancer: { clusterHostname: true, holdsRejoiningMembers: true } })).toEqual([]);
    expect(warnings({ members: threeMembers, loadBalancer: { clusterHostname: false } })).toEqual([]);
  });

  it('switchTo the mode accounts already have', () => {
    expect(warnings({ members: threeMembers, webMessenger: { switchTo: 'highAvailability' } })).toEqual([
      expect.stringMatching(/^webMessenger.switchTo: "highAvailability" is already the account mode/),
    ]);
    expect(warnings({ members: threeMembers, webMessenger: { switchTo: 'homeServer' } })).toEqual([]);
  });

  it('an outage length with no outages', () => {
    expect(warnings({ members: threeMembers, faults: { maxDown: 0, maxOutageDays: 5 } })).toEqual([expect.stringMatching(/^faults.maxOutageDays: has no effect with maxDown: 0/)]);
    expect(warnings({ members: threeMembers, faults: { maxDown: 1, maxOutageDays: 5 } })).toEqual([]);
  });

  it('go to standard error and leave the exit status alone', async () => {
    const { writeDoc, tempDir } = await import('../test/cli.ts');
    const file = writeDoc(tempDir(), 'c.json', { members: threeMembers, loadBalancer: { clusterHostname: false, holdsRejoiningMembers: true } });
    const { status, err } = await cli('check', '--config', file, '--property', 'no-lost-writes', '--runs', '20', '--seed', '1', '--no-save');
    expect(status).toBe(0);
    expect(err).toMatch(/c\.json: warning: loadBalancer.holdsRejoiningMembers: true has no effect/);
  });
});

describe("issue 12's cluster (examples/dmz-gateway.json)", () => {
  it('gets no balancer and no DMZ-key recommendation', async () => {
    const file = join(import.meta.dirname, '..', 'examples', 'dmz-gateway.json');
    expect(JSON.parse(readFileSync(file, 'utf8')).loadBalancer.clusterHostname).toBe(false);
    const { out } = await cli('check', '--config', file, '--seed', '1', '--runs', '200', '--json', '--no-save');
    const texts: string[] = JSON.parse(out).results.flatMap((r: { recommendation: { text: string } | null }) => (r.recommendation ? [r.recommendation.text] : []));
    expect(texts.length).toBeGreaterThan(0);
    for (const text of texts) {
      expect(text).not.toMatch(/do not host private keys get more/);
      // holdsRejoiningMembers only together with a cluster host name.
      if (/holdsRejoiningMembers/.test(text)) expect(text).toMatch(/clusterHostname: true/);
      expect(text).not.toMatch(/Run Web Messenger .* on every member/);
    }
  });
});
