/**
 * The published JSON Schema (`schema/cluster-config.schema.json`): in step with the zod schema, complete
 * enough for editors (a description and default for every field, no unknown fields), and checked with a
 * real JSON Schema validator (ajv, draft 2020-12) against every example and every bad input.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { BAD_CONFIGS } from '../test/bad-configs.ts';
import { clusterConfigJsonSchema, clusterConfigJsonSchemaText, JSON_SCHEMA_FILE, resolveWorkload } from './schema.ts';
import { EDITOR_KEYWORDS } from '../test/editor-keywords.ts';
import { resolveConfig, validateConfig } from './validate.ts';

const root = join(import.meta.dirname, '..');
const published = readFileSync(join(root, JSON_SCHEMA_FILE), 'utf8');
const examplesDir = join(root, 'examples');
const examples = readdirSync(examplesDir).filter((f) => f.endsWith('.json') && f !== 'expected.json');

function compile() {
  // strict: ajv refuses unknown keywords and other schema mistakes, so the published file is clean.
  const ajv = new Ajv2020({ allErrors: true, strict: true });
  // The keywords editors read (VS Code's JSON language service) and validators ignore.
  ajv.addVocabulary([...EDITOR_KEYWORDS]);
  return ajv.compile(JSON.parse(published));
}
const compiled = compile();
const validator = () => compiled;

interface Node {
  type?: string;
  properties?: Record<string, Node>;
  required?: string[];
  additionalProperties?: unknown;
  items?: Node;
  anyOf?: Node[];
  description?: string;
  default?: unknown;
}

/** Every object schema in the document, with its path. */
function objects(node: Node, path = '$'): [string, Node][] {
  const found: [string, Node][] = node.type === 'object' ? [[path, node]] : [];
  for (const [key, child] of Object.entries(node.properties ?? {})) found.push(...objects(child, `${path}.${key}`));
  if (node.items) found.push(...objects(node.items, `${path}[]`));
  for (const option of node.anyOf ?? []) found.push(...objects(option, path));
  return found;
}

describe('the published JSON Schema', () => {
  it('is in step with config/schema.ts (if not: npm run schema)', () => {
    expect(published, 'schema/cluster-config.schema.json differs from config/schema.ts: run `npm run schema`').toBe(
      clusterConfigJsonSchemaText(),
    );
  });

  it('is a valid draft 2020-12 schema that ajv compiles in strict mode', () => {
    expect(JSON.parse(published).$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(() => compile()).not.toThrow();
  });

  it('rejects unknown fields in every object, and describes every field', () => {
    const all = objects(clusterConfigJsonSchema() as Node);
    expect(all.map(([path]) => path)).toEqual([
      '$',
      '$.members[]',
      '$.webMessenger',
      '$.loadBalancer',
      '$.faults',
      '$.keyCache',
      '$.assumptions',
      '$.accept[]',
      '$.workload',
    ]);
    for (const [path, node] of all) {
      expect(node.additionalProperties, path).toBe(false);
      for (const [key, field] of Object.entries(node.properties ?? {})) expect(field.description, `${path}.${key}`).toMatch(/\w/);
    }
  });

  it('gives the default of every optional field: the value validation fills in', () => {
    // Optional without a default: decided from other fields (role, switchTo, maxSiteSplits from the sites), not part of the
    // cluster, "every member" (accept[].members), or none (a member in no site); the workload block is left out of a
    // resolved config and filled in by `resync` (`resolveWorkload`).
    const noDefault = new Set([
      '$.$schema',
      '$.members[].role',
      '$.members[].site',
      '$.webMessenger.switchTo',
      '$.faults.maxSiteSplits',
      '$.accept[].members',
      '$.workload',
    ]);
    const config = resolveConfig({ members: [{ id: 'm1' }, { id: 'm2' }] });
    const validated = validateConfig({ members: [{ id: 'm1' }, { id: 'm2' }] });
    if (!validated.ok) throw new Error('a minimal config should be valid');
    const resolved: Record<string, unknown> = {
      // `accept` is not part of the resolved config (it changes how results are judged, not the model).
      $: { ...config, accept: validated.accept },
      '$.members[]': config.members[1],
      '$.webMessenger': config.webMessenger,
      '$.loadBalancer': config.loadBalancer,
      '$.faults': config.faults,
      '$.keyCache': config.keyCache,
      '$.assumptions': config.assumptions,
      '$.workload': resolveWorkload(config),
    };
    let checked = 0;
    for (const [path, node] of objects(clusterConfigJsonSchema() as Node)) {
      for (const [key, field] of Object.entries(node.properties ?? {})) {
        const at = `${path}.${key}`;
        if ((node.required ?? []).includes(key) || noDefault.has(at)) continue;
        expect(field, at).toHaveProperty('default');
        // A whole section defaults to {}: its fields' defaults are checked one by one.
        if (field.type === 'object') continue;
        expect((resolved[path] as Record<string, unknown>)[key], at).toEqual(field.default);
        checked++;
      }
    }
    // The cluster's fields, and the 9 of the workload.
    expect(checked).toBe(19 + 9);
  });
});

describe('ajv with the published schema', () => {
  it.each(examples)('accepts examples/%s, which names the schema in "$schema"', (file) => {
    const document = JSON.parse(readFileSync(join(examplesDir, file), 'utf8'));
    const validate = validator();
    expect(validate(document), JSON.stringify(validate.errors)).toBe(true);
    expect(resolve(examplesDir, document.$schema)).toBe(join(root, JSON_SCHEMA_FILE));
    expect(validateConfig(document).ok).toBe(true);
  });

  const json = BAD_CONFIGS.filter((c) => c.jsonSchema !== 'text');
  it.each(json.filter((c) => c.jsonSchema === 'rejects').map((c) => [c.name, c] as const))('rejects: %s', (_name, bad) => {
    expect(validator()(JSON.parse(bad.text))).toBe(false);
  });

  // What JSON Schema cannot say (it needs the whole document): only `check` rejects these. Asserted, so
  // that the list of what editors miss stays true.
  it.each(json.filter((c) => c.jsonSchema === 'cross-field').map((c) => [c.name, c] as const))(
    'cannot express (check rejects it): %s',
    (_name, bad) => {
      const document = JSON.parse(bad.text);
      expect(validator()(document)).toBe(true);
      expect(validateConfig(document).ok).toBe(false);
    },
  );

  it('agrees with validation that the minimal and the fully written configs are valid', () => {
    const validate = validator();
    const minimal = { members: [{ id: 'm1' }, { id: 'm2' }] };
    const resolved = validateConfig(minimal);
    if (!resolved.ok) throw new Error('minimal config should be valid');
    // The resolved config, every default written out, is itself a valid config file.
    expect(validate(minimal)).toBe(true);
    expect(validate(resolved.config), JSON.stringify(validate.errors)).toBe(true);
    expect(validateConfig(resolved.config)).toMatchObject({ ok: true, config: resolved.config });
  });
});
