/**
 * An honest word when a proof does not finish (issue 21): `check --max-states 1000` on a six-member
 * example stops its exploration at the budget, and the text, the JSON, the HTML and the progress line
 * say so in the same words (`stopNotice` in checker/verdict.ts), naming each property that fell back to
 * random search and the flag that raises the budget.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { STATE_BUDGET_FLAG } from '../checker/verdict.ts';
import { PROPERTIES } from '../properties/index.ts';
import { cli, tempDir } from '../test/cli.ts';
import { run } from './main.ts';

/** The six-member examples: the largest deployment the vendor supports. */
const sixMembers = readdirSync('examples')
  .filter((f) => f.endsWith('.json') && f !== 'expected.json')
  .map((f) => join('examples', f))
  .filter((f) => JSON.parse(readFileSync(f, 'utf8')).members?.length === 6);
const FAST = ['--max-states', '1000', '--runs', '20', '--seed', '1', '--workers', '1', '--no-save'];
const flat = (text: string) => text.replace(/\s+/g, ' ');

afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
});

describe('check --max-states 1000 on a six-member example', () => {
  it('there is one', () => {
    expect(sixMembers.length).toBeGreaterThan(0);
  });

  it.each(sixMembers)('%s: the JSON names every property that fell back to random search, on each result and in the summary, and the flag', async (file) => {
    const doc = JSON.parse((await cli('check', '--config', file, ...FAST, '--json')).out);
    expect(doc.summary.stopped).toHaveLength(1);
    const [stopped] = doc.summary.stopped;
    expect(stopped).toMatchObject({ config: doc.summary.config, cause: 'state-budget', budget: 1000 });
    // What fell back: every property that applies and was not decided by the exploration (what time
    // decides is explored too, with time passing, after the rest: the budget ran out before it).
    const fellBack = doc.results.filter((r: { property: string; basis: string }) => r.basis === 'random');
    expect(fellBack.length).toBeGreaterThan(0);
    expect(fellBack.map((r: { property: string }) => r.property)).toEqual(expect.arrayContaining(PROPERTIES.filter((p) => p.needsTime === true && p.kind !== 'sometimes').map((p) => p.name)));
    expect(stopped.random).toEqual(fellBack.map((r: { property: string }) => r.property));
    for (const r of fellBack) expect(r).toMatchObject({ stopped: expect.stringContaining(`${STATE_BUDGET_FLAG} 1000`), budget: 1000 });
    // A verdict the exploration proved owes nothing to the budget.
    for (const r of doc.results.filter((x: { basis: string }) => x.basis === 'exhaustive')) expect(r.budget).toBeUndefined();
    expect(stopped.message).toContain(STATE_BUDGET_FLAG);
    for (const name of stopped.random) expect(stopped.message).toContain(name);
    expect(doc.warnings).toContain(`warning: ${stopped.message}`);
  });

  it.each(sixMembers)('%s: the text says it in the same words, at the top of the summary', async (file) => {
    const { message } = JSON.parse((await cli('check', '--config', file, ...FAST, '--json')).out).summary.stopped[0];
    const { out } = await cli('check', '--config', file, ...FAST);
    const summary = flat(out.slice(0, out.indexOf('Risks:')));
    expect(summary).toContain(message);
  });

  it('the HTML report says it in the same words', async () => {
    const file = join(tempDir(), 'report.html');
    const { out } = await cli('check', '--config', sixMembers[0]!, ...FAST, '--json', '--html', file);
    const { message } = JSON.parse(out).summary.stopped[0];
    const page = readFileSync(file, 'utf8').replace(/&quot;/g, '"');
    expect(flat(page)).toContain(`Not proven.</strong> ${message}`);
  });

  it("the progress line's last state of the exploration, and the searches after it, say so", async () => {
    const drawn: string[] = [];
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      drawn.push(String(chunk));
      return true;
    });
    // A row wide enough for the whole line (a narrower one is cut: the reason and the flag come first).
    vi.stubEnv('COLUMNS', '200');
    await run(['check', '--config', sixMembers[0]!, ...FAST], { out: () => {}, err: () => {}, isTty: true });
    const lines = drawn.map((d) => d.replace('\r\x1b[2K', '')).filter((d) => d !== '');
    const last = lines.filter((l) => l.startsWith('exploring ')).at(-1);
    expect(last).toMatch(/^exploring "[^"]+": stopped, its state budget of 1,000 states ran out \(--max-states 1000\); \d+ properties fall back to random search, \d+\.\d s$/);
    // The searches' last line (the check of a violation's advice as a config change may follow it).
    expect(lines.filter((l) => l.startsWith('checking "')).at(-1)).toMatch(/^checking "[^"]+" \(\d+ fell back to random search\): /);
  });

  it('at the default budget nothing stops on a small config, and nothing says so', async () => {
    const { out } = await cli('check', '--preset', 'recommended', '--runs', '20', '--seed', '1', '--workers', '1', '--no-save', '--json');
    const doc = JSON.parse(out);
    expect(doc.summary.stopped).toEqual([]);
    expect(doc.results.some((r: { budget?: number }) => r.budget !== undefined)).toBe(false);
  });
});
