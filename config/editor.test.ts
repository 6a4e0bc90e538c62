/**
 * The config in an editor (issue 12): VS Code's JSON language service (`vscode-json-languageservice`),
 * given the published schema, completes a member's fields with their descriptions and defaults, describes
 * every enum value, and flags a misspelled field, a bad member id and a second sponsor in readable words.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { getLanguageService, type JSONSchema } from 'vscode-json-languageservice';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { describe, expect, it } from 'vitest';
import { memberSchema, ROLES, SERVICES, ZONES } from './schema.ts';

const root = join(import.meta.dirname, '..');
const published = readFileSync(join(root, 'schema', 'cluster-config.schema.json'), 'utf8');
const schema = JSON.parse(published) as JSONSchema;
const SCHEMA_URI = 'file:///work/schema/cluster-config.schema.json';
// The editor loads a file's "$schema" (a path relative to the file) through this, as VS Code would.
const service = getLanguageService({
  schemaRequestService: (uri) => (uri === SCHEMA_URI ? Promise.resolve(published) : Promise.reject(new Error(`no schema at ${uri}`))),
  workspaceContext: { resolveRelativePath: (relative, resource) => new URL(relative, resource).href },
});
service.configure({ validate: true, allowComments: false, schemas: [{ uri: SCHEMA_URI, fileMatch: ['*.json'], schema }] });

function open(text: string, uri = 'file:///work/my-cluster.json') {
  const document = TextDocument.create(uri, 'json', 1, text);
  return { document, json: service.parseJSONDocument(document) };
}

/** The text with `|` marking the cursor: the document and the position. */
function at(textWithCursor: string) {
  const offset = textWithCursor.indexOf('|');
  const { document, json } = open(textWithCursor.replace('|', ''));
  return { document, json, position: document.positionAt(offset) };
}

const documentation = (d: unknown) => (typeof d === 'string' ? d : ((d as { value?: string } | undefined)?.value ?? ''));

interface Node {
  enum?: unknown[];
  enumDescriptions?: string[];
  default?: unknown;
  description?: string;
  markdownDescription?: string;
  [key: string]: unknown;
}

function nodes(node: unknown, path = '$'): [string, Node][] {
  if (node === null || typeof node !== 'object') return [];
  const found: [string, Node][] = Array.isArray(node) ? [] : [[path, node as Node]];
  for (const [key, child] of Object.entries(node)) if (key !== 'default' && key !== 'enum') found.push(...nodes(child, `${path}.${key}`));
  return found;
}

describe('the schema for editors', () => {
  it('describes every enum value, and every field with a default shows it in hover text', () => {
    const all = nodes(schema);
    const enums = all.filter(([, n]) => Array.isArray(n.enum));
    expect(enums.length).toBeGreaterThanOrEqual(7);
    for (const [path, n] of enums) {
      expect(n.enumDescriptions, path).toHaveLength(n.enum!.length);
      for (const d of n.enumDescriptions!) expect(d, path).toMatch(/\w/);
    }
    const listed = enums.flatMap(([, n]) => n.enum as string[]);
    expect(listed).toEqual(expect.arrayContaining([...SERVICES, ...ZONES, ...ROLES]));
    const defaulted = all.filter(([, n]) => 'default' in n);
    expect(defaulted.length).toBeGreaterThan(10);
    for (const [path, n] of defaulted) expect(n.markdownDescription, path).toContain(`Default: \`${JSON.stringify(n.default)}\``);
  });

  it('completes the fields of a member, each with its description', async () => {
    const { document, json, position } = at('{\n  "members": [\n    { "id": "pgp1", | }\n  ]\n}\n');
    const list = await service.doComplete(document, position, json);
    const items = new Map((list?.items ?? []).map((i) => [i.label, i]));
    const fields = Object.keys(memberSchema.shape).filter((f) => f !== 'id');
    expect([...items.keys()]).toEqual(expect.arrayContaining(fields));
    for (const field of fields) expect(documentation(items.get(field)!.documentation), field).toMatch(/\w{3}/);
    expect(documentation(items.get('zone')!.documentation)).toMatch(/KB 161304/);
  });

  it('completes a zone value with what it means', async () => {
    const { document, json, position } = at('{ "members": [ { "id": "pgp1", "zone": | } ] }');
    const list = await service.doComplete(document, position, json);
    const dmz = list?.items.find((i) => i.label === '"dmz"');
    expect(dmz).toBeDefined();
    expect(documentation(dmz!.documentation)).toMatch(/fixed replication successor/);
  });

  it('hovers a field with its default', async () => {
    const text = '{ "members": [ { "id": "pgp1" }, { "id": "pgp2" } ], "faults": { "maxDown": 1 } }';
    const { document, json } = open(text);
    const hover = await service.doHover(document, document.positionAt(text.indexOf('maxDown') + 2), json);
    const shown = JSON.stringify(hover?.contents);
    expect(shown).toMatch(/Fault budget/);
    expect(shown).toMatch(/Default: `1`/);
  });

  it('flags a misspelled field, a bad member id and a second sponsor, in readable words', async () => {
    const text = JSON.stringify({
      members: [{ id: 'pgp1', role: 'sponsor', zon: 'dmz' }, { id: 'bad id!', role: 'sponsor' }],
    });
    const { document, json } = open(text);
    const messages = (await service.doValidation(document, json)).map((d) => d.message);
    expect(messages).toContainEqual(expect.stringMatching(/Property zon is not allowed/));
    expect(messages).toContainEqual(expect.stringMatching(/^Not a member id: a member id is 1 to 32 letters/));
    expect(messages).toContainEqual(expect.stringMatching(/at most one of them with "role": "sponsor"/));
  });

  it('a correct config has no diagnostics (the check can tell the two apart)', async () => {
    // examples/dmz-gateway.json names the schema by a relative "$schema", which the editor follows.
    const { document, json } = open(readFileSync(join(root, 'examples', 'dmz-gateway.json'), 'utf8'), 'file:///work/examples/dmz-gateway.json');
    expect(await service.doValidation(document, json)).toEqual([]);
  });
});
