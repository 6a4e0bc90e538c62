/**
 * A property whose subject never occurred in what was searched is `vacuous`, not `holds`: random search
 * says so exactly when none of its traces had the subject, and exhaustive exploration says `holds` where
 * the subject is reachable.
 */
import { describe, expect, it } from 'vitest';
import { findPreset } from '../config/presets.ts';
import { resolveConfig } from '../config/validate.ts';
import { checkTarget } from '../pgp/check.ts';
import { makeTarget } from '../pgp/target.ts';

describe('vacuous verdicts', () => {
  const target = makeTarget(findPreset('recommended')!.config);

  it('random search: vacuous exactly when no trace enrolled a client (desktop-policy-availability)', () => {
    const seen = new Set<string>();
    for (let seed = 1; seed <= 40; seed++) {
      const [result] = checkTarget(target, { runs: 1, seed, maxLength: 1, properties: ['desktop-policy-availability'], maxStates: 0 });
      const enrolled = (result!.generated.enroll ?? 0) > 0;
      expect(result!.verdict, `seed ${seed}`).toBe(enrolled ? 'holds' : 'vacuous');
      seen.add(result!.verdict);
    }
    // Both outcomes occurred among the seeds: the test can tell them apart.
    expect([...seen].sort()).toEqual(['holds', 'vacuous']);
  });

  it('exhaustive exploration: a reachable subject makes a holding property hold, verified', () => {
    const [result] = checkTarget(target, { runs: 1, seed: 1, maxLength: 1, properties: ['desktop-policy-availability'] });
    expect(result).toMatchObject({ verdict: 'holds', basis: { basis: 'exhaustive' } });
  });

  it('exhaustive exploration: vacuous where the subject is unreachable (no member may hold a private key)', () => {
    const none = makeTarget(resolveConfig({ name: 'no-keys', members: [{ id: 'a', privateKeys: false }, { id: 'b', privateKeys: false }] }));
    const [result] = checkTarget(none, { runs: 1, seed: 1, maxLength: 1, properties: ['private-keys-stay-put'] });
    expect(result).toMatchObject({ verdict: 'vacuous', basis: { basis: 'exhaustive' } });
    expect(result!.explanation).toMatch(/^Nothing was shown either way: in every reachable state \([\d,]+ explored\) no state had its subject \(a member holds a private key\)/);
  });
});
