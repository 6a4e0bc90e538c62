/**
 * Text that came from a user's files or flags, made safe for the places it is shown: a POSIX shell (a
 * printed or saved command someone pastes), a terminal (names, descriptions, ids, messages, paths), and
 * the Markdown index of a counterexample folder.
 */

/**
 * Characters a terminal or a reader must not get raw: C0 controls (escape sequences, carriage returns,
 * line breaks), DEL, C1 controls, line and paragraph separators, and the bidirectional overrides and
 * isolates that make text read differently from what it is ("Trojan Source").
 */
const UNSAFE = /[\p{Cc}\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/gu;
/** The same, but keeping line breaks and tabs: for whole texts (reports), where lines are intended. */
const UNSAFE_KEEPING_LINES = /(?![\t\n])[\p{Cc}\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/gu;

const escapeChar = (c: string) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;

/**
 * One line of untrusted text (a config name, a scenario description, a file name, a message from a
 * file): every control character, line breaks included, written as `\uXXXX`, so a name can neither
 * clear the screen nor forge a line of the report.
 */
export function oneLine(text: string): string {
  return text.replace(UNSAFE, escapeChar);
}

/**
 * A whole report: control characters other than line breaks and tabs written as `\uXXXX`. The last
 * guard on everything the command line prints; `\uXXXX` is also what JSON would write, so a JSON
 * document stays valid and means the same.
 */
export function terminalSafe(text: string): string {
  return text.replace(UNSAFE_KEEPING_LINES, escapeChar);
}

/** Lone surrogates (half a character, which no UTF-8 file can hold) as U+FFFD, as `String.prototype.toWellFormed` does. */
export function wellFormed(text: string): string {
  return text.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd');
}

/** Whether a text holds a character that `oneLine` would escape. */
export function hasControlCharacter(text: string): boolean {
  UNSAFE.lastIndex = 0;
  const found = UNSAFE.test(text);
  UNSAFE.lastIndex = 0;
  return found;
}

/** Words a POSIX shell reads as they are (no quoting needed). */
const SHELL_PLAIN = /^[A-Za-z0-9_@%+=:,./-]+$/;

/**
 * One argument for a POSIX shell: as it is when it holds only plain characters, else in single quotes
 * (inside which nothing is special but the quote itself, written `'\''`). A control character cannot
 * be shown safely in a line someone pastes, so it is written as the text `\uXXXX` (`oneLine`): the
 * command then names another file, which fails visibly rather than doing something else.
 */
export function shellQuote(arg: string): string {
  if (SHELL_PLAIN.test(arg)) return arg;
  return `'${oneLine(arg).replace(/'/g, `'\\''`)}'`;
}

/** A command line from its words, each quoted for a POSIX shell. */
export function shellCommand(words: readonly string[]): string {
  return words.map(shellQuote).join(' ');
}

/**
 * A cell of a Markdown table: on one line (control characters escaped), and with the characters that
 * end a cell, start markup or inline HTML escaped with a backslash.
 */
export function markdownCell(text: string): string {
  return oneLine(text).replace(/[\\|`*_[\]<>#!~&]/g, (c) => `\\${c}`);
}
