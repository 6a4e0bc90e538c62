/**
 * Text for a terminal: the width to wrap to, and words wrapped to it (with `wrap-ansi`) under a hanging
 * indent. No line is wider than the width except one that holds a single unbreakable token (a path, a
 * `--path` argument), which is never broken.
 */
import wrapAnsi from 'wrap-ansi';

export const DEFAULT_WIDTH = 80;
/** Narrower than this, a hanging indent leaves no room for words: wrap as if this wide. */
const MIN_WIDTH = 40;

/**
 * The terminal's width: `process.stdout.columns` on a terminal, else `COLUMNS` when it is a positive whole
 * number (`0`, `-1`, `1e9`, `80px` or `abc` are not: they give 80), else 80.
 */
export function terminalWidth(env: NodeJS.ProcessEnv = process.env, stdout: { isTTY?: boolean; columns?: number } = process.stdout): number {
  const set = env.COLUMNS?.trim() ?? '';
  const columns = stdout.isTTY && stdout.columns ? stdout.columns : /^[1-9]\d{0,8}$/.test(set) ? Number(set) : Number.NaN;
  return Number.isInteger(columns) && columns > 0 ? Math.max(MIN_WIDTH, columns) : DEFAULT_WIDTH;
}

/**
 * Words wrapped to `width` columns: the first line after `first`, the others after `indent` (by default
 * as many spaces as `first`). A KB number stays on one line with its "KB".
 */
export function wrapText(text: string, width: number, first = '', indent = ' '.repeat(first.length)): string {
  const words = text.replace(/\s+/g, ' ').trim().replace(/\bKB (?=\d)/g, 'KB\u00a0');
  const room = Math.max(10, width - indent.length);
  // A first prefix longer than the indent: a placeholder word of the difference holds its place on the
  // first line, so that every line gets its full width.
  const hold = Math.max(0, first.length - indent.length - 1);
  const lines = wrapAnsi(hold > 0 ? `${'x'.repeat(hold)} ${words}` : words, room, { hard: false, trim: true, wordWrap: true }).split('\n');
  if (hold > 0) lines[0] = lines[0]!.slice(hold + 1);
  return lines
    .map((line, i) => `${i === 0 ? first : indent}${line.replaceAll('\u00a0', ' ')}`.trimEnd())
    .filter((line, i) => i > 0 || line !== '' || lines.length === 1)
    .join('\n');
}

/**
 * A shell command wrapped with `\` continuations, so that it still runs when pasted; a quoted argument
 * stays whole, and a flag stays with its value.
 */
export function wrapCommand(command: string, width: number, first = '', indent = `${' '.repeat(first.length)}  `): string {
  // A flag stays on one line with its value (`--seed 1`).
  const pairs = command.match(/--[\w-]+ (?!-)(?:[^\s"]+|"[^"]*")+|(?:[^\s"]+|"[^"]*")+/g) ?? [];
  // ...unless the pair is too wide for a line of its own: then the value goes alone.
  const tokens = pairs.flatMap((t) => (indent.length + t.length + 2 > width && t.startsWith('--') ? t.split(/ (.*)/s).slice(0, 2) : [t]));
  const lines: string[] = [];
  let line = first;
  let empty = true;
  for (const token of tokens) {
    if (!empty && line.length + 1 + token.length + 2 > width) {
      lines.push(`${line} \\`);
      line = indent + token;
    } else line += empty ? token : ` ${token}`;
    empty = false;
  }
  lines.push(line);
  return lines.join('\n');
}

/** The widest line of a text. */
export function widest(text: string): number {
  return Math.max(0, ...text.split('\n').map((l) => l.length));
}
