/**
 * What a risk needs (issue 23): the members and links its shortest violation has down or cut, and the
 * members the property takes down hypothetically ("with any maxDown members down"), which no action of
 * the trace shows. The summary line, the trace, the Mermaid diagram and the HTML explorer show them.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { findPreset } from '../config/presets.ts';
import { resolveConfig } from '../config/validate.ts';
import { findProperty } from '../properties/index.ts';
import { cli, corpusFile } from '../test/cli.ts';
import { crash, enroll, partition, recover, write } from '../test/helpers.ts';
import { neededMembers, riskNeeds } from './needs.ts';

const preset = (name: string) => findPreset(name)!.config;

describe('riskNeeds', () => {
  it('an availability property: the members it takes down after settling, hypothetically', () => {
    const needs = riskNeeds(preset('single-key-holder'), findProperty('private-key-availability'), [write('m1', 'privateKey', 'alice')]);
    expect(needs).toEqual({ named: ['m1'], down: [], back: [], cut: [], split: [], hypothetical: ['m1'], hypotheticalSplit: [] });
    expect(neededMembers(preset('single-key-holder'), needs!)).toEqual(['m1']);
  });

  it('a convergence property: the members the trace has down', () => {
    const needs = riskNeeds(preset('dmz-ring'), findProperty('survivor-convergence'), [crash('m1'), write('m3', 'user', 'bob')]);
    expect(needs).toEqual({ named: ['m1', 'm3'], down: ['m1'], back: [], cut: [], split: [], hypothetical: [], hypotheticalSplit: [] });
  });

  it('an outage that ended counts, marked as back; cut links count', () => {
    const trace = [partition('m1', 'm3'), crash('m2'), write('m1', 'wmAccount', 'ivan'), recover('m2')];
    const needs = riskNeeds(preset('no-holdout'), findProperty('web-messenger-rejoin-freshness'), trace);
    expect(needs).toMatchObject({ down: ['m2'], back: ['m2'], cut: ['m1|m3'], hypothetical: [] });
    expect(neededMembers(preset('no-holdout'), needs!)).toEqual(['m1', 'm2', 'm3']);
  });

  it('an availability property judged on each side of a split: the site it splits off, hypothetically', () => {
    const config = resolveConfig(JSON.parse(readFileSync(join(import.meta.dirname, '..', 'examples', 'web-messenger-one-site.json'), 'utf8')));
    const needs = riskNeeds(config, findProperty('web-messenger-availability'), [write('hq1', 'wmAccount', 'ivan')]);
    expect(needs).toMatchObject({ down: [], split: [], hypotheticalSplit: ['hq'] });
  });

  it('only up to the step the property fails', () => {
    const needs = riskNeeds(preset('pinned-clients'), findProperty('desktop-policy-availability'), [enroll('laptop1', 'm2'), crash('m3')], 1);
    expect(needs).toEqual({ named: ['m2'], down: [], back: [], cut: [], split: [], hypothetical: ['m2'], hypotheticalSplit: [] });
  });
});

describe('reports show the hypothetical failures, marked as such', () => {
  const file = corpusFile('single-key-holder', 'private-key-availability');

  it('the risk report: the summary names every member the risk needs, the trace the hypothetical outage', async () => {
    const { out } = await cli('check', '--preset', 'single-key-holder', '--property', 'private-key-availability', '--seed', '1', '--no-save');
    const flat = out.replace(/\s+/g, ' ');
    expect(flat).toMatch(/ private-key-availability m1; needs m1 down \(hypothetically\); shortest trace 1 action/);
    expect(flat).toMatch(/ 1\. write privateKey:alice on m1 then, hypothetically: m1 down \(the property allows any faults\.maxDown members down once replication has quiesced; no action of the trace takes it down\) => /);
  });

  it('replay: the text, the Mermaid diagram and the HTML grid and timeline', async () => {
    const text = (await cli('replay', file)).out.replace(/\s+/g, ' ');
    expect(text).toMatch(/ then: m1 down \(hypothetical: the property allows any faults\.maxDown members down/);
    const mermaid = (await cli('replay', file, '--format', 'mermaid')).out;
    expect(mermaid).toMatch(/\n {2}rect rgb\(238, 238, 238\)\n {2}Note over P1: hypothetical: m1 down/);
    expect(mermaid).toMatch(/light grey block: members taken down hypothetically, not by the trace/);
    const page = (await cli('replay', file, '--format', 'html')).out;
    expect(page).toMatch(/<tr class="step hypothetical"><th scope="row">then<\/th><td class="action">hypothetically: m1 down/);
    expect(page).toMatch(/<td class="member down hypothetical"[^>]*><span class="status">down \(hypothetical\)<\/span>/);
    expect(page).toMatch(/<rect class="tl-hypothetical"[^>]*><title>m1 down, hypothetically/);
    const json = JSON.parse((await cli('replay', file, '--json')).out);
    expect(json.hypothetical).toEqual(['m1']);
  });

  it('a violation the trace itself takes members down for shows no hypothetical outage', async () => {
    const dmz = corpusFile('dmz-ring', 'survivor-convergence');
    expect((await cli('replay', dmz, '--format', 'mermaid')).out).not.toMatch(/hypothetical/);
    expect((await cli('replay', dmz)).out).not.toMatch(/hypothetical/);
  });
});
