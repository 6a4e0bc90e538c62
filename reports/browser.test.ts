/**
 * The HTML report in a real browser: headless Chromium (found by `test/browser.ts`: the `@sparticuz/chromium`
 * devDependency, Debian's package, or `PGP_CLUSTER_CHECK_CHROMIUM`; driven by playwright-core, nothing
 * downloads a browser) opens the report of three counterexamples of the corpus, picked by their content (a
 * DMZ member in the config, a Web Messenger property, a removed member), and checks that it works offline:
 * no console error, no request but the file itself, a grid row per step, the violating row highlighted,
 * the arrow keys moving the current step, and a screenshot written; that their Mermaid diagrams draw with
 * the project's own Mermaid (strict security), every text (the title too) inside the picture; and that
 * the page's Content-Security-Policy runs only the page's own script.
 *
 * Without a browser the test is skipped with one line saying why and how to enable it, unless
 * PGP_CLUSTER_CHECK_REQUIRE_BROWSER=1 (set by `.ci/run`) makes it required.
 */
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { counterexampleFiles } from '../traces/index-file.ts';
import { cli, readJson, tempDir } from '../test/cli.ts';
import { renderReport, trusted } from './html.ts';
import { hasControlCharacter } from '../io/untrusted.ts';
import { browserRequired, HOW_TO_ENABLE, launchChromium, REQUIRE_BROWSER_VARIABLE } from '../test/browser.ts';

/** The project's own Mermaid (a devDependency), injected into the page: no network. */
const MERMAID_BUNDLE = 'node_modules/mermaid/dist/mermaid.min.js';

const launched = await launchChromium();
const browser = launched.browser;
if (browser === undefined) {
  if (browserRequired()) throw new Error(`the browser test is required (${REQUIRE_BROWSER_VARIABLE}=1), but ${launched.why}; ${HOW_TO_ENABLE}`);
  process.stderr.write(`reports/browser.test.ts skipped: ${launched.why}; to run it, ${HOW_TO_ENABLE}\n`);
}

interface Doc {
  property: string;
  expect: string;
  violation: { step: number };
  actions: { type: string }[];
  config: { members: { zone?: string }[] };
}

/** Three different files of the corpus: one with a DMZ member, one about Web Messenger, one removing a member. */
function pickFiles(): { dmz: string; webMessenger: string; removed: string } {
  const docs = counterexampleFiles('counterexamples')
    .map((file) => ({ file, doc: readJson(file) as unknown as Doc }))
    .filter(({ doc }) => doc.expect === 'violated');
  const hasDmz = (d: Doc) => d.config.members.some((m) => m.zone === 'dmz');
  const removes = (d: Doc) => d.actions.some((a) => a.type === 'remove');
  const dmz = docs.find(({ doc }) => hasDmz(doc) && doc.property === 'survivor-convergence') ?? docs.find(({ doc }) => hasDmz(doc));
  const removed = docs.find(({ file, doc }) => removes(doc) && file !== dmz?.file);
  const webMessenger = docs.find(({ file, doc }) => doc.property.startsWith('web-messenger') && file !== dmz?.file && file !== removed?.file);
  if (!dmz || !removed || !webMessenger)
    throw new Error('counterexamples/ needs a file with a DMZ member, one about a Web Messenger property and one that removes a member');
  return { dmz: dmz.file, webMessenger: webMessenger.file, removed: removed.file };
}

let mermaidReady: Promise<{ page: Page; problems: string[] }> | undefined;

/** A new page whose console errors and page errors are collected in `problems`, and its requests in `requests`. */
async function watchedPage(width: number): Promise<{ page: Page; problems: string[]; requests: string[] }> {
  const page = await browser!.newPage({ viewport: { width, height: 900 } });
  const problems: string[] = [];
  const requests: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('request', (r) => requests.push(r.url()));
  return { page, problems, requests };
}

/** A watched page at `url`, offline: every other request is refused. */
async function offlinePage(url: string): Promise<{ page: Page; problems: string[]; requests: string[] }> {
  const watched = await watchedPage(1280);
  await watched.page.route('**', (route) => (route.request().url() === url ? route.continue() : route.abort()));
  await watched.page.goto(url);
  return watched;
}

/** One page with the project's Mermaid loaded, shared by the diagram tests (the bundle is large). */
function mermaidPage(): Promise<{ page: Page; problems: string[] }> {
  mermaidReady ??= (async () => {
    const { page, problems } = await watchedPage(1400);
    await page.setContent('<!doctype html><html><body></body></html>');
    await page.addScriptTag({ content: readFileSync(MERMAID_BUNDLE, 'utf8') });
    return { page, problems };
  })();
  return mermaidReady;
}

afterAll(async () => {
  await browser?.close();
});

describe.skipIf(browser === undefined)('the HTML report in headless Chromium', () => {
  const files = pickFiles();
  const shots = tempDir();

  it.each(Object.entries(files))('%s: %s works offline, one row per step, the violation highlighted, arrow keys step', async (label, file) => {
    const { status, out } = await cli('replay', file, '--format', 'html');
    expect(status).toBe(0);
    const page_file = join(shots, `${label}.html`);
    writeFileSync(page_file, out);
    const url = pathToFileURL(page_file).href;
    // What the replay itself says: its steps and settling steps, independent of the HTML.
    const json = JSON.parse((await cli('replay', file, '--json')).out) as { steps: unknown[]; settling: { steps: unknown[] } | null };
    const doc = readJson(file) as unknown as Doc;

    const { page, problems, requests } = await offlinePage(url);

    const rows = page.locator('tr.step');
    expect(await rows.count()).toBe(1 + json.steps.length + (json.settling?.steps.length ?? 0));
    expect(await rows.count()).toBe(1 + doc.actions.length + (json.settling?.steps.length ?? 0));
    const violating = page.locator('tr.step.violating');
    expect(await violating.count()).toBe(1);
    expect(await violating.getAttribute('data-step')).toBe(String(doc.violation.step));
    expect(await violating.evaluate((r) => getComputedStyle((r as HTMLTableRowElement).cells[1]!).backgroundColor)).not.toBe(
      await rows.first().evaluate((r) => getComputedStyle((r as HTMLTableRowElement).cells[1]!).backgroundColor),
    );
    await expect(page.locator('tr.verdict-row .verdict.bad').textContent()).resolves.toContain(doc.property);

    // The current step starts at the violating row; the arrow keys move it, and the details follow.
    const current = async () => Number(await page.locator('tr.step.current').getAttribute('data-row'));
    const shown = async () => Number(await page.locator('.detail:not([hidden])').getAttribute('data-row'));
    const start = Number(await violating.getAttribute('data-row'));
    expect(await current()).toBe(start);
    await page.keyboard.press('ArrowLeft');
    expect(await current()).toBe(Math.max(0, start - 1));
    await page.keyboard.press('End');
    const last = (await rows.count()) - 1;
    expect(await current()).toBe(last);
    await page.keyboard.press('ArrowRight');
    expect(await current()).toBe(last);
    await page.keyboard.press('Home');
    await page.keyboard.press('ArrowRight');
    expect(await current()).toBe(Math.min(1, last));
    expect(await shown()).toBe(await current());
    expect(await page.locator('.detail:not([hidden])').textContent()).toContain('enabled here');

    const shot = join(shots, `${label}.png`);
    await page.screenshot({ path: shot, fullPage: true });
    expect(statSync(shot).size).toBeGreaterThan(10_000);
    expect(readFileSync(shot).subarray(1, 4).toString()).toBe('PNG');
    await page.close();

    expect(problems).toEqual([]);
    expect(requests).toEqual([url]);
  });

  it('check --preset dmz-ring --html: the summary and an explorer per violation; the arrow keys step the explorer last clicked', async () => {
    const file = join(shots, 'check.html');
    const { status } = await cli('check', '--preset', 'dmz-ring', '--no-save', '--runs', '50', '--seed', '1', '--html', file);
    expect(status).toBeLessThan(2);
    const url = pathToFileURL(file).href;
    const { page, problems, requests } = await offlinePage(url);
    const explorers = page.locator('.explorer');
    const count = await explorers.count();
    expect(count).toBe(await page.locator('table.summary a[href^="#violation-"]').count());
    expect(count).toBeGreaterThan(0);
    for (let i = 0; i < count; i++) expect(await explorers.nth(i).locator('tr.step.violating').count()).toBe(1);
    const last = explorers.nth(count - 1);
    const currentOf = async (ex: typeof last) => Number(await ex.locator('tr.step.current').getAttribute('data-row'));
    const before = await currentOf(explorers.first());
    await last.locator('tr.step').first().click();
    expect(await currentOf(last)).toBe(0);
    await page.keyboard.press('ArrowRight');
    expect(await currentOf(last)).toBe(1);
    expect(await currentOf(explorers.first())).toBe(before);
    await page.screenshot({ path: join(shots, 'check.png'), fullPage: true });
    await page.close();
    expect(problems).toEqual([]);
    expect(requests).toEqual([url]);
  });

  it("the page's policy runs no script but its own: a planted script, an event handler, a <base> and a form do nothing", async () => {
    const planted = trusted(
      '<script>document.title = "ran"</script><img src="data:," onerror="document.title = \'ran\'" onload="document.title = \'ran\'"><base href="http://127.0.0.1:9/"><form id="f" action="http://127.0.0.1:9/steal" method="post"><input name="t" value="x"></form>',
    );
    const file = join(shots, 'csp.html');
    writeFileSync(file, renderReport({ title: 'csp', sections: [{ id: 'planted', heading: 'planted', body: planted }] }));
    const url = pathToFileURL(file).href;
    const { page, requests } = await offlinePage(url);
    await page.waitForTimeout(100);
    expect(await page.title()).toBe('csp');
    // The form is not sent (Chromium shows its own blocked page instead): no request leaves the page.
    await page.evaluate(() => (document.getElementById('f') as HTMLFormElement).submit());
    await page.waitForTimeout(300);
    expect(requests).toEqual([url]);
    await page.close();
  });

  it('a counterexample whose config name and client hold markup, controls and bidirectional overrides: shown as text, nothing runs', async () => {
    const hostile = '<img src=x onerror=alert(1)>\u202e\u0000\u001b[2J\n<script>alert(2)</script>';
    const doc = readJson(files.dmz) as { config: { name: string }; actions: { client?: string }[] };
    doc.config.name = hostile;
    for (const a of doc.actions) if (a.client !== undefined) a.client = hostile;
    const source = join(shots, 'hostile.json');
    writeFileSync(source, JSON.stringify(doc));
    const { out } = await cli('replay', source, '--format', 'html');
    const file = join(shots, 'hostile.html');
    writeFileSync(file, out);
    const url = pathToFileURL(file).href;
    const { page, problems, requests } = await offlinePage(url);
    let dialogs = 0;
    page.on('dialog', (d) => {
      dialogs++;
      void d.dismiss();
    });
    await page.waitForTimeout(200);
    const heading = (await page.locator('h1').textContent()) ?? '';
    expect(heading).toContain('<img src=x onerror=alert(1)>\\u202e\\u0000\\u001b[2J');
    expect(hasControlCharacter(heading.replace(/\n/g, ''))).toBe(false);
    expect(dialogs).toBe(0);
    expect(problems).toEqual([]);
    expect(requests).toEqual([url]);
    await page.close();
  });

  it.each(Object.entries(files))('%s: the Mermaid diagram of %s draws with the project\'s Mermaid, no text clipped (the title included)', async (_label, file) => {
    const { out } = await cli('replay', file, '--format', 'mermaid');
    const { page, problems } = await mermaidPage();
    problems.length = 0;
    const drawn = await page.evaluate(
      async (source) => {
        const m = (globalThis as unknown as { mermaid: { initialize(c: object): void; render(id: string, s: string): Promise<{ svg: string }> } }).mermaid;
        m.initialize({ startOnLoad: false, securityLevel: 'strict' });
        document.body.innerHTML = (await m.render(`diagram${Date.now()}`, source)).svg;
        const svg = document.querySelector('svg')!;
        const box = svg.viewBox.baseVal;
        // Every text the diagram draws (the title, labels, notes, messages), with where it reaches.
        const texts = [...svg.querySelectorAll('text')].map((t) => {
          const b = t.getBBox();
          return { text: t.textContent ?? '', left: b.x, right: b.x + b.width };
        });
        return { left: box.x, right: box.x + box.width, texts };
      },
      out,
    );
    expect(problems).toEqual([]);
    expect(drawn.texts.length).toBeGreaterThan(4);
    const clipped = drawn.texts.filter((t) => t.left < drawn.left - 1 || t.right > drawn.right + 1).map((t) => t.text);
    expect(clipped).toEqual([]);
  });
});
