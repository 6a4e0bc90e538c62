import { describe, expect, it } from 'vitest';
import { DEFAULT_WIDTH, terminalWidth, widest, wrapCommand, wrapText } from './width.ts';

describe('terminal width', () => {
  it('is the terminal columns, else COLUMNS, else 80', () => {
    expect(terminalWidth({ COLUMNS: '120' }, { isTTY: true, columns: 90 })).toBe(90);
    expect(terminalWidth({ COLUMNS: '120' }, { isTTY: false })).toBe(120);
    expect(terminalWidth({}, { isTTY: false })).toBe(DEFAULT_WIDTH);
    expect(terminalWidth({ COLUMNS: 'wide' }, {})).toBe(DEFAULT_WIDTH);
  });

  it.each(['0', '-1', '1e9', 'abc', '80px', '1.5', '0x50', '', ' '])('COLUMNS=%j is not a positive whole number: 80', (columns) => {
    expect(terminalWidth({ COLUMNS: columns }, { isTTY: false })).toBe(DEFAULT_WIDTH);
  });
});

describe('wrapping', () => {
  const text = 'gateway is in the DMZ and keeps sending to its fixed successor pgp1 even while pgp1 is down (KB 161304: a DMZ member does not re-route), so nothing reaches pgp2.';
  it.each([40, 60, 80, 100])('words at %i columns under a hanging indent, never mid-word, KB numbers whole', (width) => {
    const wrapped = wrapText(text, width, '  why:       ');
    expect(widest(wrapped)).toBeLessThanOrEqual(width);
    expect(wrapped.replace(/\s+/g, ' ')).toBe(`  why: ${text}`.replace(/\s+/g, ' '));
    expect(wrapped).toMatch(/KB 161304/);
    for (const line of wrapped.split('\n').slice(1)) expect(line).toMatch(/^ {13}\S/);
  });

  it('leaves an unbreakable token whole, alone on its line', () => {
    const path = `counterexamples/${'x'.repeat(90)}.json`;
    const wrapped = wrapText(`saved at ${path} today`, 60);
    expect(wrapped.split('\n')).toContain(path);
    expect(wrapped.split('\n').filter((l) => l.length > 60)).toEqual([path]);
  });

  it('wraps a command with continuations, keeping quoted arguments whole', () => {
    const command = 'npx pgp-cluster-check check --config examples/dmz-gateway.json --property survivor-convergence --seed 1 --path "13:0:0:1:2"';
    const wrapped = wrapCommand(command, 60, '  reproduce: ');
    expect(widest(wrapped)).toBeLessThanOrEqual(60);
    expect(wrapped.replace(/ \\\n\s+/g, ' ')).toBe(`  reproduce: ${command}`);
    expect(wrapped).toMatch(/--path "13:0:0:1:2"$/);
  });
});
