/**
 * The Mermaid output is checked with Mermaid itself: the `mermaid` package's own parser (the one its
 * renderer uses) reads every diagram, under a jsdom window because Mermaid sanitizes text with DOMPurify,
 * which needs a DOM. A deliberately broken diagram is rejected, so the check can fail.
 */
import { readFileSync } from 'node:fs';
import { JSDOM } from 'jsdom';
import { beforeAll, describe, expect, it } from 'vitest';
import { cli, tempDir, writeDoc } from '../test/cli.ts';
import { counterexampleFiles } from './counterexample-save.ts';
import { escapeText, wrap } from './mermaid.ts';

interface SequenceDb {
  getActors(): Map<string, { description: string }>;
  getMessages(): { type: number; from?: string; to?: string; message: string }[];
}
interface Mermaid {
  parse(text: string): Promise<unknown>;
  mermaidAPI: { getDiagramFromText(text: string): Promise<{ db: unknown }> };
}

let mermaid: Mermaid;

beforeAll(async () => {
  const { window } = new JSDOM('');
  Object.assign(globalThis, { window, document: window.document });
  mermaid = (await import('mermaid')).default as unknown as Mermaid;
});

async function diagramOf(file: string): Promise<{ text: string; db: SequenceDb }> {
  const { status, out } = await cli('replay', file, '--format', 'mermaid');
  expect(status).toBeLessThan(2);
  await expect(mermaid.parse(out)).resolves.toMatchObject({ diagramType: 'sequence' });
  const diagram = await mermaid.mermaidAPI.getDiagramFromText(out);
  return { text: out, db: diagram.db as SequenceDb };
}

// Mermaid's sequence message types (LINETYPE in mermaid's sequenceDb).
const SOLID_ARROW = 0;
const NOTE = 2;
const RECT_START = 22;
const RECT_END = 23;

describe('replay --format mermaid', () => {
  it.each(counterexampleFiles('counterexamples'))('%s parses as a Mermaid sequence diagram, the violation in a red block', async (file) => {
    const { text, db } = await diagramOf(file);
    const labels = [...db.getActors().values()].map((a) => a.description.replace(/ \(.*\)$/, ''));
    // Whatever its config: a participant per member of the file's config.
    const members = (JSON.parse(readFileSync(file, 'utf8')) as { config: { members: { id: string }[] } }).config.members.map((m) => m.id);
    expect(labels).toEqual(expect.arrayContaining(members));
    const messages = db.getMessages();
    const violation = messages.findIndex((m) => m.type === NOTE && m.message.startsWith('❌'));
    expect(violation).toBeGreaterThan(0);
    expect(messages[violation - 1]).toMatchObject({ type: RECT_START, message: 'rgb(255, 221, 221)' });
    expect(messages[violation + 1]).toMatchObject({ type: RECT_END });
    expect(text).toMatch(/^sequenceDiagram\n {2}title /);
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

  it('text that Mermaid would read as syntax is escaped, and long text wrapped', async () => {
    expect(escapeText('a; b #1')).toBe('a#59; b #35;1');
    expect(wrap('one two three four', 9)).toBe('one two<br/>three<br/>four');
    await expect(mermaid.parse(`sequenceDiagram\n  participant P1 as m1\n  Note over P1: ${wrap('x; y # z: w')}\n`)).resolves.toBeTruthy();
  });
});
