/**
 * Where a JSON text first goes wrong. Node's `JSON.parse` does not always say where (Node 20 often
 * quotes the text instead), so a small reader finds the offset and what was expected.
 */
export interface JsonSyntaxError {
  readonly offset: number;
  readonly message: string;
}

export function locateJsonError(text: string): JsonSyntaxError | undefined {
  return scanJson(text, () => {});
}

/** A field name that appears twice in one object: `JSON.parse` silently keeps only the last. */
export interface DuplicateKey {
  readonly key: string;
  /** Offset of the later occurrence, and of the first. */
  readonly offset: number;
  readonly firstOffset: number;
}

/** Every repeated field name in the objects of a (valid) JSON text. */
export function duplicateKeys(text: string): DuplicateKey[] {
  const found: DuplicateKey[] = [];
  scanJson(text, (keys, key, offset) => {
    const first = keys.get(key);
    if (first === undefined) keys.set(key, offset);
    else found.push({ key, offset, firstOffset: first });
  });
  return found;
}

/** The deepest nesting of objects and arrays read (a config needs 4 levels, a counterexample file 5). */
export const MAX_JSON_DEPTH = 64;

/**
 * Reads a JSON text, calling `onKey` for each field name with the names seen so far in its object;
 * returns where the text first goes wrong (or nests deeper than `MAX_JSON_DEPTH`), or undefined when it
 * is valid. Iterative, with its own stack of open objects and arrays, so no depth overflows the call stack.
 */
function scanJson(text: string, onKey: (keys: Map<string, number>, key: string, offset: number) => void): JsonSyntaxError | undefined {
  let i = 0;
  const fail = (message: string): never => {
    throw { offset: i, message } satisfies JsonSyntaxError;
  };
  const space = () => {
    while (i < text.length) {
      const c = text.charCodeAt(i);
      if (c !== 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) break;
      i++;
    }
  };
  const show = () => (i >= text.length ? 'end of file' : JSON.stringify(text[i]));
  const literal = (word: string) => {
    if (text.startsWith(word, i)) i += word.length;
    else fail(`unexpected ${show()}; expected a value`);
  };
  const string = () => {
    i++;
    while (i < text.length && text[i] !== '"') {
      if (text[i] === '\\') {
        i++;
        if (text[i] === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 1, i + 5))) fail('bad \\u escape in a string');
          i += 4;
        } else if (!'"\\/bfnrt'.includes(text[i] ?? '')) fail('bad escape in a string');
      } else if (text.charCodeAt(i) < 0x20) fail('a control character (such as a line break) inside a string');
      i++;
    }
    if (i >= text.length) fail('a string is not closed');
    i++;
  };
  const NUMBER = /-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/y;
  const number = () => {
    NUMBER.lastIndex = i;
    const match = NUMBER.exec(text);
    if (!match) fail(`unexpected ${show()}; expected a value`);
    i += match![0].length;
  };
  /** The open objects and arrays, innermost last; an object keeps the field names it has seen. */
  const open: { readonly kind: 'object' | 'array'; readonly keys: Map<string, number> }[] = [];
  const fieldName = () => {
    space();
    if (text[i] !== '"') fail(`unexpected ${show()}; expected a field name in double quotes${text[i] === '}' ? ' (a comma before "}"?)' : ''}`);
    const start = i;
    string();
    onKey(open[open.length - 1]!.keys, JSON.parse(text.slice(start, i)) as string, start);
    space();
    if (text[i] !== ':') fail(`unexpected ${show()}; expected ":" after a field name`);
    i++;
  };
  try {
    if (text.charCodeAt(0) === 0xfeff) i = 1;
    let wantValue = true;
    for (;;) {
      if (wantValue) {
        space();
        const c = text[i];
        if (c === '{' || c === '[') {
          if (open.length >= MAX_JSON_DEPTH) fail(`nested deeper than ${MAX_JSON_DEPTH} levels of objects and arrays`);
          i++;
          space();
          if (text[i] === (c === '{' ? '}' : ']')) {
            i++;
            wantValue = false;
          } else {
            open.push({ kind: c === '{' ? 'object' : 'array', keys: new Map() });
            if (c === '{') fieldName();
            continue;
          }
        } else {
          if (c === '"') string();
          else if (c === 't') literal('true');
          else if (c === 'f') literal('false');
          else if (c === 'n') literal('null');
          else if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) number();
          else fail(`unexpected ${show()}; expected a value`);
          wantValue = false;
        }
      }
      const top = open[open.length - 1];
      if (top === undefined) break;
      space();
      if (text[i] === ',') {
        i++;
        if (top.kind === 'object') fieldName();
        else {
          space();
          if (text[i] === ']') fail('unexpected "]"; expected a value (a comma before "]"?)');
        }
        wantValue = true;
        continue;
      }
      if (text[i] === (top.kind === 'object' ? '}' : ']')) {
        i++;
        open.pop();
        continue;
      }
      fail(`unexpected ${show()}; expected "," or "${top.kind === 'object' ? '}' : ']'}"`);
    }
    space();
    if (i < text.length) fail(`unexpected ${show()} after the end of the JSON value`);
    return undefined;
  } catch (error) {
    if (typeof error === 'object' && error !== null && 'offset' in error) return error as JsonSyntaxError;
    throw error;
  }
}
