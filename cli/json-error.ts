/**
 * Where a JSON text first goes wrong. Node's `JSON.parse` does not always say where (Node 20 often
 * quotes the text instead), so a small recursive-descent reader finds the offset and what was expected.
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

/**
 * Reads a JSON text, calling `onKey` for each field name with the names seen so far in its object;
 * returns where the text first goes wrong, or undefined when it is valid.
 */
function scanJson(text: string, onKey: (keys: Map<string, number>, key: string, offset: number) => void): JsonSyntaxError | undefined {
  let i = 0;
  const fail = (message: string): never => {
    throw { offset: i, message } satisfies JsonSyntaxError;
  };
  const space = () => {
    while (i < text.length && ' \t\n\r'.includes(text[i]!)) i++;
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
  const number = () => {
    const match = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i));
    if (!match) fail(`unexpected ${show()}; expected a value`);
    i += match![0].length;
  };
  const value = (): void => {
    space();
    const c = text[i];
    if (c === '{') object();
    else if (c === '[') array();
    else if (c === '"') string();
    else if (c === 't') literal('true');
    else if (c === 'f') literal('false');
    else if (c === 'n') literal('null');
    else if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) number();
    else fail(`unexpected ${show()}; expected a value`);
  };
  const object = () => {
    i++;
    space();
    if (text[i] === '}') {
      i++;
      return;
    }
    const keys = new Map<string, number>();
    for (;;) {
      space();
      if (text[i] !== '"') fail(`unexpected ${show()}; expected a field name in double quotes${text[i] === '}' ? ' (a comma before "}"?)' : ''}`);
      const start = i;
      string();
      onKey(keys, JSON.parse(text.slice(start, i)) as string, start);
      space();
      if (text[i] !== ':') fail(`unexpected ${show()}; expected ":" after a field name`);
      i++;
      value();
      space();
      if (text[i] === ',') {
        i++;
        continue;
      }
      if (text[i] === '}') {
        i++;
        return;
      }
      fail(`unexpected ${show()}; expected "," or "}"`);
    }
  };
  const array = () => {
    i++;
    space();
    if (text[i] === ']') {
      i++;
      return;
    }
    for (;;) {
      space();
      if (text[i] === ']') fail('unexpected "]"; expected a value (a comma before "]"?)');
      value();
      space();
      if (text[i] === ',') {
        i++;
        continue;
      }
      if (text[i] === ']') {
        i++;
        return;
      }
      fail(`unexpected ${show()}; expected "," or "]"`);
    }
  };
  try {
    if (text.charCodeAt(0) === 0xfeff) i = 1;
    value();
    space();
    if (i < text.length) fail(`unexpected ${show()} after the end of the JSON value`);
    return undefined;
  } catch (error) {
    if (typeof error === 'object' && error !== null && 'offset' in error) return error as JsonSyntaxError;
    throw error;
  }
}
