/**
 * A config as text that fits a width, and the difference between two configs as a unified diff of those
 * texts (`repair` prints the changes it proposes so; `--write` writes the repaired config in the same
 * layout). An object or list stays on one line when it fits, and opens one entry a line when it does not.
 */

/** JSON on one line, with a space after each `:` and `,` and inside braces: `{ "id": "m1", "services": ["mail"] }`. */
function oneLineJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(oneLineJson).join(', ')}]`;
  const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
  return entries.length === 0 ? '{}' : `{ ${entries.map(([k, v]) => `${JSON.stringify(k)}: ${oneLineJson(v)}`).join(', ')} }`;
}

/** JSON laid out to fit `width` columns: on one line where it fits, one entry a line where it does not. */
export function fittedJson(value: unknown, width = 100, indent = '', prefix = 0): string {
  const compact = oneLineJson(value);
  if (value === null || typeof value !== 'object' || indent.length + prefix + compact.length <= width) return compact;
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    return `[\n${value.map((v) => `${inner}${fittedJson(v, width, inner)}`).join(',\n')}\n${indent}]`;
  }
  const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
  if (entries.length === 0) return '{}';
  return `{\n${entries.map(([k, v]) => `${inner}${JSON.stringify(k)}: ${fittedJson(v, width, inner, JSON.stringify(k).length + 2)}`).join(',\n')}\n${indent}}`;
}

/** The longest common subsequence of two line lists, as pairs of indexes. */
function commonLines(a: readonly string[], b: readonly string[]): [number, number][] {
  const n = a.length;
  const m = b.length;
  const table = Array.from({ length: n + 1 }, () => new Int32Array(m + 1));
  for (let i = n - 1; i >= 0; i--) for (let j = m - 1; j >= 0; j--) table[i]![j] = a[i] === b[j] ? table[i + 1]![j + 1]! + 1 : Math.max(table[i + 1]![j]!, table[i]![j + 1]!);
  const pairs: [number, number][] = [];
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (a[i] === b[j]) {
      pairs.push([i, j]);
      i++;
      j++;
    } else if (table[i + 1]![j]! >= table[i]![j + 1]!) i++;
    else j++;
  }
  return pairs;
}

/**
 * A unified diff of two texts (`---`/`+++` headers, `@@` hunks with `context` lines around each change),
 * or the empty string when they are equal.
 */
export function unifiedDiff(before: string, after: string, names: { readonly before: string; readonly after: string }, context = 2): string {
  const a = before.split('\n');
  const b = after.split('\n');
  // Each line of either text: kept (in both), removed (before only) or added (after only), in order.
  const ops: { kind: ' ' | '-' | '+'; line: string; at: [number, number] }[] = [];
  let i = 0;
  let j = 0;
  for (const [x, y] of [...commonLines(a, b), [a.length, b.length] as [number, number]]) {
    while (i < x) ops.push({ kind: '-', line: a[i]!, at: [i++, j] });
    while (j < y) ops.push({ kind: '+', line: b[j]!, at: [i, j++] });
    if (x < a.length) ops.push({ kind: ' ', line: a[i]!, at: [i++, j++] });
  }
  const changed = ops.flatMap((op, k) => (op.kind === ' ' ? [] : [k]));
  if (changed.length === 0) return '';
  const hunks: [number, number][] = [];
  for (const k of changed) {
    const from = Math.max(0, k - context);
    const to = Math.min(ops.length - 1, k + context);
    const last = hunks.at(-1);
    if (last !== undefined && from <= last[1] + 1) last[1] = Math.max(last[1], to);
    else hunks.push([from, to]);
  }
  const out = [`--- ${names.before}`, `+++ ${names.after}`];
  for (const [from, to] of hunks) {
    const slice = ops.slice(from, to + 1);
    const beforeCount = slice.filter((op) => op.kind !== '+').length;
    const afterCount = slice.filter((op) => op.kind !== '-').length;
    out.push(`@@ -${slice[0]!.at[0] + 1},${beforeCount} +${slice[0]!.at[1] + 1},${afterCount} @@`);
    for (const op of slice) out.push(`${op.kind}${op.line}`);
  }
  return out.join('\n');
}
