/**
 * `schema/check-result.schema.json` describes what `check --json` prints: real output, of a user's config
 * (with accepted and stale risks) and of a preset, validates against it with ajv; its verdicts are
 * `checker/verdict.ts`'s.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { STOP_CAUSES, VERDICTS } from '../checker/verdict.ts';
import { cli, tempDir, writeDoc } from '../test/cli.ts';
import { TOOL_VERSION } from '../reports/version.ts';

const root = join(import.meta.dirname, '..');
const schema = JSON.parse(readFileSync(join(root, 'schema', 'check-result.schema.json'), 'utf8'));
const validate = new Ajv2020({ allErrors: true, strict: true }).compile(schema);

function valid(document: unknown): string {
  return validate(document) ? '' : JSON.stringify(validate.errors, null, 1);
}

describe('schema/check-result.schema.json', () => {
  it('names the verdict vocabulary of checker/verdict.ts', () => {
    expect(schema.$defs.result.properties.verdict.enum).toEqual([...VERDICTS]);
    expect(Object.keys(schema.properties.summary.properties.counts.properties)).toEqual([...VERDICTS]);
    expect(schema.$defs.stoppedExploration.properties.cause.enum).toEqual([...STOP_CAUSES]);
  });

  it('describes check --json of an exploration that did not finish (its stop on each result and in the summary)', async () => {
    const { out } = await cli('check', '--config', join(root, 'examples', 'two-sites.json'), '--max-states', '1000', '--seed', '1', '--runs', '20', '--workers', '1', '--json', '--no-save');
    const doc = JSON.parse(out);
    expect(valid(doc)).toBe('');
    expect(doc.summary.stopped).toHaveLength(1);
    expect(doc.results.filter((r: { budget?: number }) => r.budget === 1000).length).toBeGreaterThan(0);
  });

  it('describes check --json of a user config with accepted and stale risks', async () => {
    const example = JSON.parse(readFileSync(join(root, 'examples', 'dmz-gateway.json'), 'utf8'));
    const config = writeDoc(tempDir(), 'c.json', {
      ...example,
      $schema: undefined,
      accept: [
        { property: 'desktop-policy-availability', reason: 'pinned on purpose', members: ['pgp1', 'pgp2', 'gateway'] },
        { property: 'private-key-availability', reason: 'stale' },
      ],
    });
    const { out } = await cli('check', '--config', config, '--seed', '1', '--runs', '100', '--json', '--no-save');
    const doc = JSON.parse(out);
    expect(valid(doc)).toBe('');
    expect(doc.summary).toMatchObject({ config: 'dmz-gateway', version: TOOL_VERSION, accepted: 1 });
    expect(doc.summary.staleAcceptances).toHaveLength(1);
    // The counts add up to the results.
    expect(Object.values(doc.summary.counts).reduce((a, b) => Number(a) + Number(b), 0)).toBe(doc.results.length);
  });

  it('describes check --json of a preset, with a saved counterexample', async () => {
    const { out } = await cli('check', '--preset', 'dmz-ring', '--seed', '1', '--runs', '100', '--json', '--save-dir', tempDir());
    const doc = JSON.parse(out);
    expect(valid(doc)).toBe('');
    expect(doc.results.some((r: { counterexample: unknown }) => typeof r.counterexample === 'string')).toBe(true);
  });

  it('rejects a document that lacks the summary (the schema can fail)', async () => {
    const { out } = await cli('check', '--preset', 'recommended', '--seed', '1', '--runs', '20', '--json', '--no-save', '--property', 'no-lost-writes');
    const { summary: _summary, ...rest } = JSON.parse(out);
    expect(valid(rest)).not.toBe('');
  });
});
