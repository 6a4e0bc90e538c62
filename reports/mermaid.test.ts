/**
 * The Mermaid output is checked with Mermaid itself: the `mermaid` package's own parser (the one its
 * renderer uses) reads every diagram, under a jsdom window because Mermaid sanitizes text with DOMPurify,
 * which needs a DOM. A deliberately broken diagram is rejected, so the check can fail.
 */
import { JSDOM } from 'jsdom';
import { beforeAll, describe, expect, it } from 'vitest';
import { cli, corpusFile, doctored, readJson, tempDir, writeDoc } from '../test/cli.ts';
import { counterexampleFiles } from '../traces/index-file.ts';
import { escapeText, TITLE_LIMIT, wrap } from './mermaid.ts';

interface SequenceDb {
  getActors(): Map<string, { description: string }>;
  getDiagramTitle(): string;
  getMessages(): { type: number; from?: string; to?: string; message: string }[];
}
interface Mermaid {
  initialize(config: object): void;
  parse(text: string): Promise<unknown>;
  mermaidAPI: { getDiagramFromText(text: string): Promise<{ db: unknown }> };
}

let mermaid: Mermaid;

beforeAll(async () => {
  const { window } = new JSDOM('');
  Object.assign(globalThis, { window, document: window.document });
  mermaid = (await import('mermaid')).default as unknown as Mermaid;
  // As the project renders it everywhere: a diagram's own directives cannot loosen this.
  mermaid.initialize({ startOnLoad: false, securityLevel: 'strict' });
});

const drawn = new Map<string, Promise<{ text: string; db: SequenceDb }>>();

/** A file's diagram, parsed once per file (the corpus tests look at each diagram twice). */
function diagramOf(file: string): Promise<{ text: string; db: SequenceDb }> {
  if (!drawn.has(file)) drawn.set(file, draw(file));
  return drawn.get(file)!;
}

async function draw(file: string): Promise<{ text: string; db: SequenceDb }> {
  const { status, out } = await cli('replay', file, '--format', 'mermaid');
  expect(status).toBeLessThan(2);
  await expect(mermaid.parse(out)).resolves.toMatchObject({ diagramType: 'sequence' });
  const diagram = await mermaid.mermaidAPI.getDiagramFromText(out);
  return { text: out, db: diagram.db as SequenceDb };
}

// Mermaid's sequence message types (LINETYPE in mermaid's sequenceDb).
const SOLID_ARROW = 0;
const NOTE = 2;
const SOLID_CROSS = 3;
const ACTIVE_START = 17;
const ACTIVE_END = 18;
const RECT_START = 22;
const RECT_END = 23;

describe('replay --format mermaid', () => {
  it.each(counterexampleFiles('counterexamples'))('%s parses as a Mermaid sequence diagram, the violation in a red block', async (file) => {
    const { text, db } = await diagramOf(file);
    const labels = [...db.getActors().values()].map((a) => a.description.replace(/ \(.*\)$/, ''));
    expect(labels).toEqual((readJson(file).config as { members: { id: string }[] }).members.map((m) => m.id));
    const messages = db.getMessages();
    const violation = messages.findIndex((m) => m.type === NOTE && m.message.startsWith('❌'));
    expect(violation).toBeGreaterThan(0);
    expect(messages[violation - 1]).toMatchObject({ type: RECT_START, message: 'rgb(255, 221, 221)' });
    // Then who is down and who holds what at that point, one entry per member of the file's config.
    expect(messages[violation + 1]).toMatchObject({ type: NOTE, message: expect.stringMatching(/^at this point: /) });
    for (const id of labels) expect(messages[violation + 1]!.message.replace(/<br\/>/g, ' ')).toContain(`${id}`);
    expect(messages[violation + 2]).toMatchObject({ type: RECT_END });
    expect(text).toMatch(/^%%\{init: .*\}%%\nsequenceDiagram\n/);
    // A short title (Mermaid clips one wider than the diagram): the config and the property, not the file name;
    // a longer one (a long config name) in a note over every member.
    const doc = readJson(file);
    const title = `${(doc.config as { name: string }).name}: ${doc.property as string}`;
    if (title.length <= TITLE_LIMIT) expect(db.getDiagramTitle()).toBe(title);
    else expect(messages[0]!.message.replace(/<br\/>/g, ' ')).toBe(title);
  });

  it.each(counterexampleFiles('counterexamples'))('%s: notes speak of members and records, not of the model\'s bookkeeping', async (file) => {
    const { db } = await diagramOf(file);
    const texts = db.getMessages().map((m) => m.message);
    // Internal state fields (`members[i].<field>`, `clock`) show up as `where: before → after` when untold.
    const bookkeeping = ['cachedAt', 'purgedAt', 'downSince', 'upSince', 'owedAtReturn', 'acknowledgedCachedAt', 'skmIssued', 'lastContact'];
    for (const text of texts) {
      expect(text).not.toMatch(/ → /);
      for (const field of bookkeeping) expect(text).not.toContain(field);
    }
  });

  it('draws an outage as a bar on the member\'s lifeline from the step it goes down to the step it comes back', async () => {
    const file = writeDoc(tempDir(), 'scenario.json', {
      preset: 'recommended',
      actions: [
        { type: 'write', member: 'm1', record: { kind: 'user', key: 'alice' } },
        { type: 'crash', member: 'm2' },
        { type: 'replicate', member: 'm1' },
        { type: 'recover', member: 'm2' },
        { type: 'crash', member: 'm3' },
      ],
    });
    const { db } = await diagramOf(file);
    const ids = new Map([...db.getActors()].map(([id, actor]) => [actor.description.replace(/ \(.*\)$/, ''), id]));
    const messages = db.getMessages();
    const at = (type: number, member: string) => messages.findIndex((m) => m.type === type && m.from === ids.get(member));
    const noteIndex = (text: string) => messages.findIndex((m) => m.type === NOTE && m.message.includes(text));
    // m2's bar starts before the crash's note and ends after the recovery's; the hop in between re-routes to m3.
    expect(at(ACTIVE_START, 'm2')).toBeGreaterThan(-1);
    expect(at(ACTIVE_START, 'm2')).toBeLessThan(noteIndex('m2 went down'));
    expect(at(ACTIVE_END, 'm2')).toBeGreaterThan(noteIndex('m2 came back up'));
    expect(messages.findIndex((m) => m.type === SOLID_ARROW && m.to === ids.get('m3'))).toBeLessThan(at(ACTIVE_END, 'm2'));
    // m3 is still down at the end: its bar runs to the end of the diagram.
    expect(at(ACTIVE_START, 'm3')).toBeGreaterThan(at(ACTIVE_END, 'm2'));
    expect(at(ACTIVE_END, 'm3')).toBe(messages.length - 1);
  });

  it('draws a DMZ member\'s send to a fixed successor that is down as a lost message with the reason (KB 161304)', async () => {
    const file = writeDoc(tempDir(), 'scenario.json', {
      preset: 'dmz-ring',
      actions: [
        { type: 'crash', member: 'm1' },
        { type: 'write', member: 'm4', record: { kind: 'user', key: 'alice' } },
        { type: 'replicate', member: 'm4' },
      ],
    });
    const { db } = await diagramOf(file);
    const ids = new Map([...db.getActors()].map(([id, actor]) => [actor.description.replace(/ \(.*\)$/, ''), id]));
    const lost = db.getMessages().filter((m) => m.type === SOLID_CROSS);
    expect(lost[0]).toMatchObject({ from: ids.get('m4'), to: ids.get('m1') });
    expect(lost[0]!.message).toMatch(/^3\. replicate m4: user:alice .*does not<br\/>arrive: m1 is down.*KB 161304/);
    // Still pending at the end of the trace.
    expect(lost.at(-1)!.message).toMatch(/^at the end: user:alice/);
    // An internal member re-routes instead: no lost message on the recommended preset.
    const internal = writeDoc(tempDir(), 'scenario.json', {
      preset: 'recommended',
      actions: [{ type: 'crash', member: 'm2' }, { type: 'write', member: 'm1', record: { kind: 'user', key: 'alice' } }, { type: 'replicate', member: 'm1' }],
    });
    expect((await diagramOf(internal)).db.getMessages().filter((m) => m.type === SOLID_CROSS)).toEqual([]);
  });

  it('shows a cut link as a block for as long as it lasts, and a send across it from a DMZ member as lost', async () => {
    const file = writeDoc(tempDir(), 'scenario.json', {
      preset: 'dmz-ring',
      actions: [
        { type: 'partition', a: 'm4', b: 'm1' },
        { type: 'write', member: 'm4', record: { kind: 'user', key: 'alice' } },
        { type: 'replicate', member: 'm4' },
        { type: 'heal', a: 'm4', b: 'm1' },
        { type: 'replicate', member: 'm4' },
      ],
    });
    const { db } = await diagramOf(file);
    const messages = db.getMessages();
    const start = messages.findIndex((m) => m.type === RECT_START && m.message === 'rgb(255, 236, 204)');
    const end = messages.findIndex((m, i) => i > start && m.type === RECT_END);
    expect(messages[start + 1]!.message).toContain('the link m1|m4 is cut');
    const inside = messages.slice(start, end).map((m) => m.message);
    expect(inside).toContainEqual(expect.stringContaining('2. write user:alice on m4'));
    expect(inside).toContainEqual(expect.stringMatching(/^3\. replicate m4: .*the link m1\|m4 is cut/));
    expect(inside.at(-1)).toContain('4. heal m4 | m1');
    expect(messages.slice(end)).toContainEqual(expect.objectContaining({ type: SOLID_ARROW, message: expect.stringContaining('5. replicate m4') }));
  });

  it('draws replication hops as arrows from sender to receiver, and outages and cut links as notes', async () => {
    const file = writeDoc(tempDir(), 'scenario.json', {
      preset: 'recommended',
      actions: [
        { type: 'partition', a: 'm1', b: 'm2' },
        { type: 'write', member: 'm1', record: { kind: 'domain', key: 'example.com' } },
        { type: 'replicate', member: 'm1' },
        { type: 'heal', a: 'm1', b: 'm2' },
        { type: 'crash', member: 'm3' },
        { type: 'enroll', client: 'laptop1', member: 'm2' },
        { type: 'recover', member: 'm3' },
      ],
    });
    const { db } = await diagramOf(file);
    const ids = new Map([...db.getActors()].map(([id, actor]) => [actor.description.replace(/ \(.*\)$/, ''), id]));
    const messages = db.getMessages();
    // m1 is cut off from m2, so it re-routes to m3.
    expect(messages).toContainEqual(
      expect.objectContaining({ type: SOLID_ARROW, from: ids.get('m1'), to: ids.get('m3'), message: expect.stringContaining('domain:example.com') }),
    );
    const notes = messages.filter((m) => m.type === NOTE).map((m) => m.message);
    expect(notes).toContainEqual(expect.stringContaining('the link m1|m2 is cut'));
    expect(notes).toContainEqual(expect.stringContaining('m3 went down'));
    expect(notes).toContainEqual(expect.stringContaining('m3 came back up'));
    expect(notes).toContainEqual(expect.stringContaining('✅ no property is violated'));
  });

  it('the parse check can fail: a broken diagram is rejected', async () => {
    const { text } = await diagramOf(counterexampleFiles('counterexamples')[0]!);
    await expect(mermaid.parse(text.replace('sequenceDiagram', 'sequenceDiagrm'))).rejects.toThrow(/No diagram type detected/);
    await expect(mermaid.parse(`${text}  P1->>: nothing\n`)).rejects.toThrow(/Parse error/);
  });

  it('a title too long for one line goes into a note over every member', async () => {
    const name = 'a-cluster-with-a-rather-long-name-that-would-not-fit';
    const file = doctored(corpusFile('dmz-ring', 'survivor-convergence'), (doc) => ({ ...doc, config: { ...(doc.config as object), name } }));
    const { db } = await diagramOf(file);
    expect(db.getDiagramTitle()).toBe('');
    expect(db.getMessages()[0]!.message.replace(/<br\/>/g, ' ')).toBe(`${name}: survivor-convergence`);
  });

  it('a config name or client id holding newlines, a %%{init}%% directive, a link, `end`s and a note adds no statement to the diagram', async () => {
    const injected = '\n%%{init: {"securityLevel": "loose"}}%%\nlink P1: FORGED @ javascript:alert(1)\nend\nend\n  Note over P1: forged;\u202e';
    const withName = (name: string) =>
      doctored(corpusFile('dmz-ring', 'survivor-convergence'), (doc) => ({
        ...doc,
        config: { ...(doc.config as object), name },
        actions: (doc.actions as { client?: string }[]).map((a) => (a.client === undefined ? a : { ...a, client: name })),
      }));
    const hostile = await diagramOf(withName(injected));
    const plain = await diagramOf(withName('x'.repeat(injected.length)));
    expect(hostile.db.getMessages().map((m) => m.type)).toEqual(plain.db.getMessages().map((m) => m.type));
    expect(hostile.db.getActors().size).toBe(plain.db.getActors().size);
    expect(hostile.text.split('\n')).toHaveLength(plain.text.split('\n').length);
    expect(hostile.text.split('%%{')).toHaveLength(2);
    expect(hostile.text).not.toMatch(/^\s*(link|click|end\s*$\n\s*end)/m);
  });

  it('text that Mermaid would read as syntax is escaped, and long text wrapped', async () => {
    expect(escapeText('a; b #1')).toBe('a#59; b #35;1');
    expect(escapeText('%%{init}%% <br/> & "q"\n\u202e')).toBe('#37;#37;{init}#37;#37; #60;br/#62; #38; #34;q#34;\\u000a\\u202e');
    expect(wrap('one two three four', 9)).toBe('one two<br/>three<br/>four');
    await expect(mermaid.parse(`sequenceDiagram\n  participant P1 as m1\n  Note over P1: ${wrap('x; y # z: w')}\n`)).resolves.toBeTruthy();
  });
});
