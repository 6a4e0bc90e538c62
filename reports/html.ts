/**
 * The self-contained HTML report (`replay FILE --format html`, `check --html FILE`): one file with its CSS
 * and script inline, no network request (a Content-Security-Policy forbids any), that prints legibly.
 *
 * Every string that goes into the markup passes through `html`, a tagged template that escapes each
 * interpolated value (config names, member ids, record keys and messages are untrusted text) unless it is
 * already `Html`. A report is a list of sections: the check's summary, one trace explorer per violation,
 * and whatever a later command adds (`ReportSection`, for example an SVG plot made with `trusted`).
 */
import { createHash } from 'node:crypto';
import { terminalSafe, wellFormed } from '../io/untrusted.ts';
import { EXPLORER_SCRIPT, REPORT_CSS } from './assets.ts';

/** Markup that is safe to put into the page as it is. */
export class Html {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
}

const ENTITIES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/**
 * Text for HTML: markup characters as entities, and control, bidirectional and line-separator characters
 * (which would reorder or hide what the page shows) written visibly as `\uXXXX`; line breaks and tabs kept.
 */
export function escapeHtml(text: string): string {
  return terminalSafe(wellFormed(text)).replace(/[&<>"']/g, (c) => ENTITIES[c]!);
}

function piece(value: unknown): string {
  if (value instanceof Html) return value.text;
  if (Array.isArray(value)) return value.map(piece).join('');
  if (value === undefined || value === null || value === false) return '';
  return escapeHtml(String(value));
}

/** A template whose interpolations are escaped (arrays are joined; `Html` is kept; undefined, null and false vanish). */
export function html(strings: TemplateStringsArray, ...values: readonly unknown[]): Html {
  let out = strings[0]!;
  values.forEach((v, i) => {
    out += piece(v) + strings[i + 1]!;
  });
  return new Html(out);
}

/** Markup made by code that escapes what it embeds itself (an SVG drawn from numbers): the caller vouches for it. */
export function trusted(markup: string): Html {
  return new Html(markup);
}

/** One part of a report: a heading and its body. */
export interface ReportSection {
  /** The element id (letters, digits, `-`), for links from the table of contents. */
  readonly id: string;
  readonly heading: string;
  readonly body: Html;
}

export interface Report {
  readonly title: string;
  /** A line under the title: what was checked, when, with which tool. */
  readonly subtitle?: string;
  readonly sections: readonly ReportSection[];
}

/** Element ids from any text: what is not a letter, digit or `-` becomes `-`. */
export function safeId(text: string): string {
  return text.replace(/[^A-Za-z0-9-]/g, '-');
}

/** A Content-Security-Policy source for exactly this inline text. */
function hashSource(text: string): string {
  return `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;
}

/**
 * Nothing from the network; the page's own stylesheet and script only (by their hashes: a script or style
 * that an escape let slip would not run), no form may send anywhere, no `<base>` may move the links.
 */
export const CSP = `default-src 'none'; style-src ${hashSource(REPORT_CSS)}; script-src ${hashSource(EXPLORER_SCRIPT)}; img-src data:; form-action 'none'; base-uri 'none'`;

/** The whole page. */
export function renderReport(report: Report): string {
  const toc =
    report.sections.length > 1
      ? html`<nav class="toc"><ol>${report.sections.map((s) => html`<li><a href="#${safeId(s.id)}">${s.heading}</a></li>`)}</ol></nav>`
      : html``;
  const page = html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${report.title}</title>
<style>${trusted(REPORT_CSS)}</style>
</head>
<body>
<header><h1>${report.title}</h1>${report.subtitle ? html`<p class="subtitle">${report.subtitle}</p>` : ''}</header>
${toc}
<main>
${report.sections.map((s) => html`<section id="${safeId(s.id)}"><h2>${s.heading}</h2>${s.body}</section>\n`)}
</main>
<script>${trusted(EXPLORER_SCRIPT)}</script>
</body>
</html>
`;
  return page.text;
}
