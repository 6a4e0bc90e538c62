/**
 * The risk report's sentences (pgp/advice.ts): each names this config's members and settings, and for a
 * violation the records of its trace; each violated property carries the vendor's recommendation with
 * its KB number.
 */
import { describe, expect, it } from 'vitest';
import type { ClusterConfigInput } from '../config/schema.ts';
import type { Action } from '../model/actions.ts';
import { PROPERTIES } from '../properties/index.ts';
import { unwrapCommands } from '../test/cli.ts';
import { cluster, crash, enroll, remove, threeMembers, write } from '../test/helpers.ts';
import { advise, list } from './advice.ts';
import type { Basis } from '../checker/verdict.ts';
import type { PropertyKind } from '../properties/types.ts';
import type { JudgedResult } from './check.ts';
import { propertyReport, wrap } from '../reports/text.ts';

/** What a test may set of a result: by default a random search of 500 traces (3 for a violation), found at the last step. */
interface Extra {
  readonly kind?: PropertyKind;
  readonly runs?: number;
  readonly step?: number;
  readonly path?: string;
  readonly basis?: Basis;
}

function result(property: string, verdict: JudgedResult['verdict'], actions: readonly Action[] = [], extra: Extra = {}): JudgedResult {
  const found = verdict === 'violated' || verdict === 'reached';
  return {
    config: 'test',
    property,
    kind: extra.kind ?? 'eventually',
    verdict,
    seed: 1,
    basis: extra.basis ?? { basis: 'random', runs: extra.runs ?? (verdict === 'violated' ? 3 : 500) },
    finding: found ? { actions, step: extra.step ?? actions.length, message: 'the checker says why', originalLength: actions.length + 4, path: extra.path ?? null } : null,
    reason: verdict === 'not-applicable' ? 'every member has privateKeys: true' : null,
    settlingRounds: 2,
    generated: {},
    counterexample: null,
    expected: null,
  };
}

function explain(input: Omit<ClusterConfigInput, 'name'>, property: string, verdict: JudgedResult['verdict'], actions: readonly Action[] = [], extra: Extra = {}) {
  return advise(cluster(input), result(property, verdict, actions, extra));
}

/** A verdict that rests on every reachable state: only it may be argued as a proof. */
const EXHAUSTIVE: Extra = { basis: { basis: 'exhaustive', states: 1234, bounds: {} } };

const dmzRing = [{ id: 'm1' }, { id: 'm2' }, { id: 'm3', zone: 'dmz' as const }, { id: 'm4', zone: 'dmz' as const }];

describe('every property has advice', () => {
  // `sometimes` properties guard the search against vacuous passes; their explanation says whether the
  // search reached them, and they carry no vendor recommendation.
  it.each(PROPERTIES.filter((p) => p.kind !== 'sometimes').map((p) => p.name))('%s: a recommendation with its source', (name) => {
    const advice = PROPERTIES.find((p) => p.name === name)!.advice;
    expect(advice, `give ${name} its advice (the \`advice\` field of its declaration in properties/)`).toBeDefined();
    expect(advice!.recommendation.text).toMatch(/\w/);
    expect(advice!.recommendation.source).toMatch(/KB \d{6}/);
  });
});

describe('sometimes properties', () => {
  it('say whether the search reached them, with the witness, and recommend nothing', () => {
    const model = cluster({ members: threeMembers });
    const witness = [crash('m2'), write('m1', 'user', 'alice')];
    const reached = advise(model, result('outage-backlog', 'reached', witness, { kind: 'sometimes', runs: 4, step: 2 }));
    expect(reached.explanation).toBe('Reached after 4 random traces: crash m2, then write user:alice on m1.');
    expect(reached.recommendation).toBeNull();
    const missed = advise(model, result('outage-backlog', 'unreached', [], { kind: 'sometimes', runs: 500 }));
    expect(missed.explanation).toMatch(/^Not reached in 500 random traces: the properties about this fault were not put to the test; raise --runs or --length/);
  });
});

describe('why a property is violated, in the terms of the config and trace', () => {
  it('Home Server accounts: the account lives only on the member that created it', () => {
    const a = explain({ members: threeMembers, webMessenger: { accountMode: 'homeServer' } }, 'web-messenger-availability', 'violated', [
      write('m2', 'wmAccount', 'alice'),
    ]);
    expect(a.explanation).toBe(
      'Web Messenger accounts here are created in Home Server mode (webMessenger.accountMode: "homeServer"), so account alice lives only on m2, the member that created it; with m2 down, alice cannot use Web Messenger.',
    );
    expect(a.recommendation).toEqual({
      text: expect.stringMatching(/^Create accounts in High Availability mode \(webMessenger.accountMode: "highAvailability"\); a mode applies to accounts created under it/),
      source: 'KB 153723; seed article KB 153198',
      by: 'vendor',
    });
  });

  it('High Availability accounts replicated to one member only', () => {
    const a = explain({ members: threeMembers, webMessenger: { replication: ['m1'] } }, 'web-messenger-availability', 'violated', [
      write('m1', 'wmAccount', 'ivan'),
    ]);
    expect(a.explanation).toBe(
      'Web Messenger data replicates only to members that run webMessenger and are in webMessenger.replication (m1), so account ivan is held only by m1; with m1 down, ivan cannot use Web Messenger.',
    );
  });

  it("KB 161304's DMZ ring: a change stops at the DMZ member whose successor is down", () => {
    const a = explain({ members: dmzRing }, 'survivor-convergence', 'violated', [crash('m1'), write('m4', 'user', 'bob')]);
    expect(a.explanation).toBe(
      "m4 is in the DMZ and keeps sending to its fixed successor m1 even while m1 is down (KB 161304: a DMZ member's topology does not update), so user:bob (write #1, on m4) stops at m4 and never reaches m2 or m3, and no error is shown.",
    );
    expect(a.recommendation?.source).toBe('KB 161304');
  });

  it('a DMZ member whose successor was removed never passes a change on, even with every member up', () => {
    const members = [{ id: 'm1' }, { id: 'm2' }, { id: 'm3', zone: 'dmz' as const }];
    const a = explain({ members, faults: { removeMember: true } }, 'eventual-convergence', 'violated', [remove('m1'), write('m3', 'user', 'alice')]);
    expect(a.explanation).toBe(
      'm3 is in the DMZ and keeps sending to its fixed successor m1 (KB 161304), which was broken out of the cluster (faults.removeMember: true; assumptions.dmzAfterRemoval: "stale"), so user:alice (write #1, on m3) stops at m3 and never reaches m2, even with every member up.',
    );
    expect(a.recommendation?.source).toMatch(/KB 153476.*KB 161304/);
  });

  it('a removed member takes its unreplicated change with it', () => {
    const a = explain({ members: threeMembers, faults: { removeMember: true } }, 'no-lost-writes', 'violated', [
      write('m2', 'user', 'alice'),
      remove('m2'),
    ]);
    expect(a.explanation).toBe(
      'Members may be broken out of the cluster here (faults.removeMember: true), and m2 was removed before it had passed on user:alice (write #1, on m2), so that change left the cluster with it.',
    );
  });

  it('private keys on one mail member only', () => {
    const a = explain(
      { members: [{ id: 'm1' }, { id: 'm2', privateKeys: false }, { id: 'm3', privateKeys: false }] },
      'private-key-availability',
      'violated',
      [write('m1', 'privateKey', 'alice')],
    );
    expect(a.explanation).toBe(
      "Only m1 may hold internal users' private keys and run mail (privateKeys: false on m2 and m3), and the private key of alice is held only by m1; with m1 down, no member can decrypt or sign for alice.",
    );
  });

  it('clients pinned to their enrollment member without a cluster host name (KB 156803)', () => {
    const a = explain({ members: threeMembers, loadBalancer: { clusterHostname: false } }, 'desktop-policy-availability', 'violated', [
      enroll('laptop1', 'm3'),
    ]);
    expect(a.explanation).toBe(
      'There is no cluster host name (loadBalancer.clusterHostname: false), so client laptop1 is pinned to m3, where it enrolled (KB 156803); with m3 down it cannot download its policy.',
    );
    expect(a.recommendation?.source).toBe('KB 156803');
  });

  it("falls back on the checker's message when the trace does not replay", () => {
    const model = cluster({ members: threeMembers });
    const a = advise(model, result('no-lost-writes', 'violated', [{ type: 'recover', member: 'm1' }]));
    expect(a.explanation).toBe('The checker says why.');
  });
});

describe('why a property holds, or does not apply', () => {
  it('names what in the config makes it hold', () => {
    expect(explain({ members: threeMembers }, 'web-messenger-availability', 'holds', [], EXHAUSTIVE).explanation).toBe(
      'Accounts are in High Availability mode, so each replicates to every member that runs webMessenger and is in the replication set (m1, m2 and m3), and those are more than faults.maxDown (1).',
    );
    expect(explain({ members: threeMembers }, 'survivor-convergence', 'holds', [], EXHAUSTIVE).explanation).toMatch(/^Every member is internal and re-routes/);
    expect(explain({ members: threeMembers }, 'no-lost-writes', 'holds', [], EXHAUSTIVE).explanation).toMatch(/never broken out of the cluster \(faults.removeMember: false\)/);
    expect(explain({ members: threeMembers }, 'private-key-availability', 'holds', [], EXHAUSTIVE).explanation).toMatch(/^Private keys replicate to 3 members that run mail \(m1, m2 and m3\)/);
  });

  it('on random traces, names the same reason but draws no conclusion from it', () => {
    expect(explain({ members: threeMembers }, 'survivor-convergence', 'holds').explanation).toBe(
      'Every member is internal and re-routes around a member that is down (KB 161304). That should mean with up to 1 down the live members still pass every change to each other, but it is not proven: no violation in 500 random traces.',
    );
  });

  it('says only what the search showed where the config does not guarantee it', () => {
    expect(explain({ members: dmzRing, faults: { maxDown: 1 } }, 'survivor-convergence', 'holds').explanation).toBe(
      'The DMZ members m3 and m4 keep a fixed successor (KB 161304), yet in 500 random traces no change was left on a DMZ member while its successor was down.',
    );
    expect(
      explain({ members: [{ id: 'm1' }, { id: 'm2', zone: 'dmz' }], faults: { removeMember: true } }, 'eventual-convergence', 'holds').explanation,
    ).toMatch(/^In 500 random traces .* a longer search may still find one\.$/);
  });

  it('says when no member is ever down (maxDown 0)', () => {
    expect(explain({ members: threeMembers, faults: { maxDown: 0 } }, 'desktop-policy-availability', 'holds', [], EXHAUSTIVE).explanation).toBe(
      'No member is ever down here (faults.maxDown: 0), so this was checked only with every member up; raise maxDown to check an outage.',
    );
    expect(explain({ members: threeMembers, faults: { maxDown: 0 } }, 'desktop-policy-availability', 'holds').explanation).toBe(
      'No member is ever down here (faults.maxDown: 0): no violation in 500 random traces, all with every member up; raise maxDown to check an outage.',
    );
  });

  it('not applicable: says why, and recommends nothing', () => {
    expect(explain({ members: threeMembers }, 'private-keys-stay-put', 'not-applicable')).toEqual({
      explanation: 'Every member has privateKeys: true, so no member must be kept free of private keys.',
      recommendation: null,
    });
  });
});

describe('the text report', () => {
  it('shows the verdict, why, the shortest trace, what to do instead and how to reproduce', () => {
    const model = cluster({ members: threeMembers, webMessenger: { accountMode: 'homeServer' } });
    const judged = result('web-messenger-availability', 'violated', [write('m2', 'wmAccount', 'alice')], { path: '3:1' });
    const text = propertyReport({ ...judged, ...advise(model, judged) }, '--config lab.json');
    expect(text.split('\n')[0]).toBe('web-messenger-availability: VIOLATED (found after 3 traces)');
    expect(text).toMatch(/\n {2}why: {7}Web Messenger accounts here are created in Home Server mode/);
    // The member the property takes down after settling is shown, marked hypothetical, before the checker's words.
    expect(text).toMatch(/\n {2}trace: {5}the shortest found, 1 action, shrunk from 5:\n {13}1\. write wmAccount:alice on m2\n {16}then, hypothetically: m2 down \(/);
    expect(text).toMatch(/\n {13}=> the checker says why/);
    expect(text).toMatch(/\n {2}instead: {3}vendor \(KB 153723; seed article KB 153198\): Create/);
    expect(text.replace(/\s+/g, ' ')).toMatch(/instead: vendor \(KB 153723; seed article KB 153198\): Create accounts in High Availability mode/);
    expect(unwrapCommands(text)).toMatch(/\n {2}reproduce: npx pgp-cluster-check check --config lab\.json --max-states 0 --property web-messenger-availability --seed 1 --path 3:1$/);
    for (const line of text.split('\n').filter((l) => !l.includes('reproduce:'))) expect(line.length).toBeLessThanOrEqual(100);
  });

  it('wraps words to 100 columns under a hanging indent', () => {
    const text = wrap('word '.repeat(40), '  why:       ', ' '.repeat(13));
    expect(text.split('\n').every((l) => l.length <= 100)).toBe(true);
    expect(text.split('\n')[1]).toMatch(/^ {13}word/);
    expect(list(['a', 'b', 'c'])).toBe('a, b and c');
    expect(list(['a', 'b'], 'or')).toBe('a or b');
  });
});
