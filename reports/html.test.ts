/**
 * The HTML report without a browser: untrusted text is escaped, bad input is refused with exit 2 and
 * nothing written, `check --html` writes one summary row per property and one explorer per violation.
 * (`browser.test.ts` opens the pages in Chromium.)
 */
import { chmodSync, existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { JSDOM } from 'jsdom';
import { describe, expect, it } from 'vitest';
import { PROPERTIES } from '../properties/index.ts';
import { cli, corpusFile, doctored, listing, tempDir, writeDoc } from '../test/cli.ts';
import { describeBasis } from '../checker/verdict.ts';
import { createHash } from 'node:crypto';
import { EXPLORER_SCRIPT, REPORT_CSS } from './assets.ts';
import { escapeHtml, html, renderReport, trusted } from './html.ts';
import { type SummaryResult, summarySection } from './pages.ts';

const hostile = '<script>alert(1)</script>"&\'';

describe('the HTML report', () => {
  it('escapes every interpolated string, keeps Html, and drops nothing but undefined, null and false', () => {
    expect(escapeHtml(hostile)).toBe('&lt;script&gt;alert(1)&lt;/script&gt;&quot;&amp;&#39;');
    expect(html`<p title="${hostile}">${[hostile, trusted('<b>ok</b>')]}${undefined}${0}</p>`.text).toBe(
      `<p title="${escapeHtml(hostile)}">${escapeHtml(hostile)}<b>ok</b>0</p>`,
    );
  });

  it('control, bidirectional and line-separator characters are written visibly, never raw', () => {
    expect(escapeHtml('a\u202eb\u0000c\u001b[2J\u2028d\ud800\te\nf')).toBe('a\\u202eb\\u0000c\\u001b[2J\\u2028d\ufffd\te\nf');
  });

  it("the Content-Security-Policy runs only the page's own script and stylesheet (by their hashes), sends no form, takes no base", () => {
    const policy = new JSDOM(renderReport({ title: 't', sections: [] })).window.document.querySelector('meta[http-equiv="Content-Security-Policy"]')!.getAttribute('content')!;
    const directives = new Map(policy.split(';').map((d) => d.trim().split(/\s+/)).map(([name, ...values]) => [name!, values]));
    const hash = (text: string) => `'sha256-${createHash('sha256').update(text).digest('base64')}'`;
    expect(directives.get('script-src')).toEqual([hash(EXPLORER_SCRIPT)]);
    expect(directives.get('style-src')).toEqual([hash(REPORT_CSS)]);
    expect(directives.get('default-src')).toEqual(["'none'"]);
    expect(directives.get('form-action')).toEqual(["'none'"]);
    expect(directives.get('base-uri')).toEqual(["'none'"]);
    expect(policy).not.toContain('unsafe');
  });

  it('a config name that is markup stays text: the page holds one script, the report\'s own', async () => {
    const file = doctored(corpusFile('dmz-ring', 'survivor-convergence'), (doc) => ({
      ...doc,
      config: { ...(doc.config as object), name: hostile },
    }));
    const { status, out } = await cli('replay', file, '--format', 'html');
    expect(status).toBeLessThan(2);
    const { document } = new JSDOM(out).window;
    expect(document.querySelectorAll('script')).toHaveLength(1);
    expect(document.querySelector('h1')!.textContent).toContain(hostile);
    expect(out).not.toContain('<script>alert');
  });

  it('bad input: an unknown format, a folder, an unwritable --html path: exit 2, a clear message, nothing written', async () => {
    const bad = await cli('replay', corpusFile('dmz-ring', 'survivor-convergence'), '--format', 'htm');
    expect(bad).toMatchObject({ status: 2, out: '' });
    expect(bad.err).toContain('--format: unknown format "htm"; valid: text, json, mermaid, html');
    expect((await cli('replay', 'counterexamples', '--format', 'html')).err).toContain('--format html draws one file');

    const dir = tempDir();
    const missing = await cli('check', '--preset', 'dmz-ring', '--no-save', '--runs', '5', '--html', join(dir, 'no-such-folder', 'r.html'));
    expect(missing).toMatchObject({ status: 2, out: '' });
    expect(missing.err).toMatch(/--html: cannot write .*the folder .* does not exist/);
    expect((await cli('check', '--preset', 'dmz-ring', '--no-save', '--html', dir)).err).toContain('is a folder');
    if (process.getuid?.() !== 0) {
      chmodSync(dir, 0o500);
      const denied = await cli('check', '--preset', 'dmz-ring', '--no-save', '--runs', '5', '--html', join(dir, 'r.html'));
      chmodSync(dir, 0o700);
      expect(denied.status).toBe(2);
    }
    expect(listing(dir)).toEqual([]);
  });

  it('a scenario file: every property\'s verdict on its trace, an explorer per violated one', async () => {
    const file = writeDoc(tempDir(), 'scenario.json', {
      preset: 'dmz-ring',
      name: 'stranded',
      actions: [
        { type: 'crash', member: 'm1' },
        { type: 'write', member: 'm4', record: { kind: 'user', key: 'alice' } },
        { type: 'replicate', member: 'm4' },
      ],
    });
    const { status, out } = await cli('replay', file, '--format', 'html');
    expect(status).toBe(0);
    const json = JSON.parse((await cli('replay', file, '--json')).out) as { properties: { property: string; verdict: string }[] };
    const { document } = new JSDOM(out).window;
    const rows = [...document.querySelectorAll('table.summary tbody tr')];
    expect(rows.map((r) => [r.children[1]!.textContent, r.children[3]!.textContent])).toEqual(json.properties.map((p) => [p.property, p.verdict]));
    const violated = json.properties.filter((p) => p.verdict === 'violated');
    expect(violated.length).toBeGreaterThan(0);
    expect(document.querySelectorAll('.explorer')).toHaveLength(violated.length);
    // Each explorer: the start, the steps up to the violation (all of them for an `always` property), its settling.
    const json2 = JSON.parse((await cli('replay', file, '--json')).out) as { violations: { property: string; step: number }[] };
    const explorers = [...document.querySelectorAll('.explorer')];
    json2.violations.forEach((v, i) => {
      const ex = explorers[i]!;
      expect(ex.querySelectorAll('tr.step.trace')).toHaveLength(PROPERTIES.find((p) => p.name === v.property)!.kind === 'eventually' ? v.step : 3);
      expect(ex.querySelector('tr.step.violating')!.getAttribute('data-step')).toBe(String(v.step));
    });
    expect(document.querySelector('.explorer td.hops .lost')!.textContent).toContain('KB 161304');
  });

  it('the summary: each verdict with what it rests on, accepted risks with their reason', () => {
    const base = { config: 'c', kind: 'eventually' } as const;
    const results: SummaryResult[] = [
      { ...base, property: 'a', verdict: 'holds', basis: { basis: 'exhaustive', states: 12345, bounds: { depth: 6 } } },
      { ...base, property: 'b', verdict: 'holds', basis: { basis: 'partial', states: 99, depthComplete: 3, bounds: {}, stopped: 'the state cap' } },
      { ...base, property: 'c', verdict: 'holds', basis: { basis: 'random', runs: 500 } },
      { ...base, property: 'd', verdict: 'violated', basis: { basis: 'random', runs: 7 }, accepted: { reason: hostile } },
      { ...base, property: 'e', kind: 'sometimes', verdict: 'holds', reached: true, basis: { basis: 'random', runs: 5000 } },
    ];
    const { document } = new JSDOM(renderReport({ title: 't', sections: [summarySection(results, 'Summary')] })).window;
    const cells = [...document.querySelectorAll('table.summary tbody tr')].map((r) => [r.children[3]!.textContent, r.children[4]!.textContent]);
    expect(cells).toEqual([
      ['holds', `${describeBasis('holds', { basis: 'exhaustive', states: 12345, bounds: { depth: 6 } })}within depth 6`],
      ['holds', describeBasis('holds', { basis: 'partial', states: 99, depthComplete: 3, bounds: {}, stopped: 'the state cap' })],
      ['holds', describeBasis('holds', { basis: 'random', runs: 500 })],
      ['violated (accepted)', describeBasis('violated', { basis: 'random', runs: 7 })],
      ['reached', describeBasis('reached', { basis: 'random', runs: 5000 })],
    ]);
    expect(cells[0]![1]).toBe(`${describeBasis('holds', { basis: 'exhaustive', states: 12345, bounds: { depth: 6 } })}within depth 6`);
    expect(cells[0]![1]).toContain('12,345 states');
    expect(document.querySelector('section#summary')!.textContent).toContain(`accepted risk: ${hostile}`);
    expect(document.querySelectorAll('script')).toHaveLength(1);
  });

  it('check --html: a summary row per property with its basis, an explorer per violation, written atomically', async () => {
    const dir = tempDir();
    const file = join(dir, 'report.html');
    const { status, err } = await cli('check', '--preset', 'dmz-ring', '--no-save', '--runs', '50', '--seed', '1', '--html', file);
    expect(status).toBeLessThan(2);
    expect(err).toContain(`wrote ${file}`);
    expect(readdirSync(dir)).toEqual(['report.html']);
    const json = JSON.parse((await cli('check', '--preset', 'dmz-ring', '--no-save', '--runs', '50', '--seed', '1', '--json')).out) as {
      results: { property: string; kind: string; verdict: string }[];
    };
    const { document } = new JSDOM(readFileSync(file, 'utf8')).window;
    const rows = [...document.querySelectorAll('table.summary tbody tr')];
    expect(rows.map((r) => r.children[1]!.textContent)).toEqual(PROPERTIES.map((p) => p.name));
    for (const row of rows) expect(row.children[4]!.textContent).not.toBe('');
    const violations = json.results.filter((r) => r.verdict === 'violated' && r.kind !== 'sometimes');
    expect(violations.length).toBeGreaterThan(0);
    expect([...document.querySelectorAll('.explorer')]).toHaveLength(violations.length);
    expect(document.querySelectorAll('.explorer tr.step.violating')).toHaveLength(violations.length);
    expect(existsSync(file)).toBe(true);
  });
});
