/**
 * `check`'s cross-check of its exhaustive verdicts, at the command line. For one test, the row engine's
 * judgement is made to lie (`ComponentSpace.judge` never finds `survivor-convergence` broken, which KB
 * 161304 breaks on `dmz-ring`), so the exploration calls it verified: `check` exits 3 with one
 * internal-error line naming the property and a trace, and prints no verdict. Told the truth, the same
 * run prints its verdicts.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ComponentSpace } from '../pgp/verify.ts';
import { cli } from '../test/cli.ts';

const STACK = /\n\s+at .*:\d+:\d+/;
const argv = ['check', '--preset', 'dmz-ring', '--seed', '1', '--no-save', '--runs', '20'];

afterEach(() => {
  vi.restoreAllMocks();
});

describe('check cross-checks what exploration calls verified', () => {
  it('a disagreement: exit 3, the property and the trace in one internal-error line, no verdict', async () => {
    const judge = ComponentSpace.prototype.judge;
    vi.spyOn(ComponentSpace.prototype, 'judge').mockImplementation(function (this: ComponentSpace, p, from, offset) {
      return this.judged[p]!.name === 'survivor-convergence' ? undefined : judge.call(this, p, from, offset);
    });
    const { status, out, err } = await cli(...argv);
    expect(status).toBe(3);
    expect(out).toBe('');
    expect(err).toMatch(
      /^internal error, please report: the exhaustive exploration of dmz-ring called survivor-convergence holds \(every reachable state within its bounds, [\d,]+ states\), yet a random search on the plain model violates it after \d actions?: 1\. [^;]+; .*never reached.*; no verdict is given\n/,
    );
    expect(err).not.toMatch(STACK);
  });

  it('no disagreement: the same run gives its verdicts', async () => {
    const { status, out, err } = await cli(...argv);
    expect(status).toBe(1);
    expect(out).toContain('survivor-convergence: VIOLATED (a shortest trace');
    expect(err).not.toContain('internal error');
  });
});
