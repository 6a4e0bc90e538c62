/**
 * The trace explorer of one violation, the way the TLA+ Toolbox's trace table and Stateright's Explorer
 * show a trace: a grid with one row per step and one column per member (up, down or cut off, the records
 * it holds with the new ones marked), the replication hop of that step, the violating step highlighted
 * with the property's message and the vendor's advice; a per-member timeline (outages and cut links as
 * bars, writes and hops as marks); and stepping with ← → through the steps, each showing what changed and
 * which other actions were enabled there.
 *
 * Everything here is read off the states of replaying the trace on the plain model (`tellTrace`,
 * `tellSettling`) and the model's own rules (`enabled`, `blockedSends`); the verdict and its message come
 * from the caller (the checker's or the replay's judgement), never from here.
 */
import type { ClusterState } from '../model/state.ts';
import { describeAction } from '../model/step.ts';
import type { ClusterProperty } from '../properties/types.ts';
import type { Recommendation } from '../pgp/advice.ts';
import type { StoryStep } from '../pgp/story.ts';
import type { SettlingStory } from '../pgp/story-settling.ts';
import { cutLinks } from '../pgp/story-snapshot.ts';
import { type BlockedSend, blockedSends } from '../pgp/story-words.ts';
import type { Target } from '../pgp/target.ts';
import { riskNeeds } from '../pgp/needs.ts';
import { findProperty } from '../properties/index.ts';
import { escapeHtml, type Html, html, type ReportSection, safeId, trusted } from './html.ts';

export interface ExplorerInput {
  /** Unique within the page. */
  readonly id: string;
  readonly heading: string;
  readonly target: Target;
  readonly property: Pick<ClusterProperty, 'name' | 'kind' | 'statement' | 'source'>;
  readonly initial: ClusterState;
  readonly steps: readonly StoryStep[];
  readonly settling: SettlingStory | undefined;
  /** The violation as the checker (or the replay) judged it: after `step` actions. */
  readonly violation: { readonly step: number; readonly message: string } | undefined;
  /** Why, in the terms of this config (`advise`). */
  readonly explanation: string | undefined;
  /** What the vendor recommends instead, with its KB number (`advise`). */
  readonly recommendation: Recommendation | null;
  /** Lines about where the trace comes from (a file, a command to reproduce it). */
  readonly provenance: readonly string[];
}

/**
 * The members the violated property takes down after replication quiesces ("with any maxDown members
 * down"): failures no step of the trace shows, drawn apart and marked hypothetical (`pgp/needs.ts`).
 */
function hypotheticalDown(input: ExplorerInput): string[] {
  if (input.violation === undefined) return [];
  const needs = riskNeeds(input.target.config, findProperty(input.property.name), input.steps.map((s) => s.action), input.violation.step);
  return [...(needs?.hypothetical ?? [])];
}

const HYPOTHETICAL_WHY = 'the property allows any faults.maxDown members down once replication has quiesced; no step of the trace takes them down';

interface Row {
  readonly key: string;
  readonly label: string;
  readonly phase: 'start' | 'trace' | 'settling';
  /** The step number within its phase (0 for the start). */
  readonly step: number;
  readonly description: string;
  readonly lines: readonly string[];
  readonly before: ClusterState | undefined;
  readonly state: ClusterState;
  /** Records each member received or wrote in this step, by member id. */
  readonly fresh: ReadonlyMap<string, ReadonlySet<string>>;
  /** Records each member lost in this step. */
  readonly gone: ReadonlyMap<string, readonly string[]>;
  readonly hops: readonly { readonly from: string; readonly to: string; readonly records: readonly string[] }[];
  readonly writes: readonly string[];
  readonly lost: readonly BlockedSend[];
  /** The actions enabled in the state this step was taken from, other than the one taken. */
  readonly alternatives: readonly string[];
  /** On the last row: the sends a DMZ member still cannot make once the trace (and settling) ended. */
  pending: readonly BlockedSend[];
}

function rowsOf(input: ExplorerInput): Row[] {
  const { target } = input;
  const enabledIn = (state: ClusterState, except?: string) =>
    target.model
      .enabled(state)
      .map(describeAction)
      .filter((a) => a !== except);
  const rows: Row[] = [
    {
      key: '0',
      label: 'start',
      phase: 'start',
      step: 0,
      description: 'the initial state',
      lines: [],
      before: undefined,
      state: input.initial,
      fresh: new Map(),
      gone: new Map(),
      hops: [],
      writes: [],
      lost: [],
      alternatives: enabledIn(input.initial),
      pending: [],
    },
  ];
  const add = (step: StoryStep, before: ClusterState, phase: 'trace' | 'settling') => {
    const fresh = new Map<string, Set<string>>();
    const gone = new Map<string, string[]>();
    const hops: { from: string; to: string; records: string[] }[] = [];
    const writes: string[] = [];
    for (const e of step.events) {
      if (e.kind === 'received') {
        fresh.set(e.member, new Set([...(fresh.get(e.member) ?? []), ...e.records.map((r) => r.id)]));
        if (step.actor !== undefined && step.actor !== e.member) hops.push({ from: step.actor, to: e.member, records: e.records.map((r) => `${r.id} (${r.version})`) });
        else writes.push(e.member);
      } else if (e.kind === 'lost') gone.set(e.member, [...e.records]);
    }
    const lost = step.action.type === 'replicate' && step.actor !== undefined ? blockedSends(target.cluster, before).filter((b) => b.from === step.actor) : [];
    rows.push({
      key: phase === 'trace' ? String(step.step) : `s${step.step}`,
      label: phase === 'trace' ? String(step.step) : `s${step.step}`,
      phase,
      step: step.step,
      description: step.description,
      lines: step.lines,
      before,
      state: step.state,
      fresh,
      gone,
      hops,
      writes,
      lost,
      alternatives: enabledIn(before, step.description),
      pending: [],
    });
  };
  let before = input.initial;
  for (const step of input.steps) {
    add(step, before, 'trace');
    before = step.state;
  }
  for (const step of input.settling?.steps ?? []) {
    add(step, before, 'settling');
    before = step.state;
  }
  rows[rows.length - 1]!.pending = blockedSends(target.cluster, before);
  return rows;
}

function statusOf(state: ClusterState, member: number): { text: string; css: string } {
  const m = state.members[member]!;
  const cut = cutLinks(state)
    .filter((l) => l.split('|').includes(m.id))
    .map((l) => l.split('|').find((x) => x !== m.id)!);
  if (m.status !== 'up') return { text: m.status === 'waiting' ? 'waiting to join' : m.status, css: m.status };
  if (cut.length > 0) return { text: `up, cut off from ${cut.join(', ')}`, css: 'cut' };
  return { text: 'up', css: 'up' };
}

function cell(row: Row, member: number): Html {
  const m = row.state.members[member]!;
  const status = statusOf(row.state, member);
  const fresh = row.fresh.get(m.id) ?? new Set<string>();
  const records = Object.keys(m.records).sort();
  const gone = row.gone.get(m.id) ?? [];
  return html`<td class="member ${status.css}"><span class="status">${status.text}</span><ul class="records">${records.map((r) =>
    fresh.has(r) ? html`<li class="new" title="new in this step">${r}</li>` : html`<li>${r}</li>`,
  )}${gone.map((r) => html`<li class="gone" title="gone in this step">${r}</li>`)}</ul></td>`;
}

function hopCell(row: Row): Html {
  const hops = row.hops.map((h) => html`<div class="hop">${h.from} → ${h.to}: ${h.records.join(', ')}</div>`);
  const lost = row.lost.map(
    (b) => html`<div class="lost">${b.from} ✕→ ${b.to}: ${b.records.map((r) => r.id).join(', ')} does not arrive: ${b.reason}</div>`,
  );
  const pending = row.pending.map(
    (b) => html`<div class="lost">then ${b.from} ✕→ ${b.to}: ${b.records.map((r) => r.id).join(', ')} cannot arrive: ${b.reason}</div>`,
  );
  return html`<td class="hops">${hops}${lost}${pending}</td>`;
}

/** The row after which the violation is told: the violating step, or for an `eventually` property the end of settling. */
function verdictAfter(input: ExplorerInput, rows: readonly Row[]): number {
  if (input.violation === undefined) return rows.length - 1;
  if (input.property.kind === 'eventually') return rows.length - 1;
  return rows.findIndex((r) => r.phase !== 'settling' && r.step === input.violation!.step);
}

function verdictBlock(input: ExplorerInput, brief = false): Html {
  const { violation, recommendation, explanation, property } = input;
  if (violation === undefined) return html`<div class="verdict ok"><strong>${property.name}</strong> is not violated by this trace.</div>`;
  return html`<div class="verdict bad">
<p><strong>${property.name} is violated after step ${violation.step}</strong>${property.kind === 'eventually' ? ' (judged after settling)' : ''}: ${violation.message}</p>
${!brief && explanation && explanation !== violation.message ? html`<p><span class="label">Why:</span> ${explanation}</p>` : ''}
${!brief && recommendation ? html`<p><span class="label">${recommendation.by === 'vendor' ? 'The vendor recommends' : 'Our inference'}:</span> ${recommendation.text} <span class="kb">(${recommendation.source})</span></p>` : ''}
</div>`;
}

/** The row of hypothetical failures, after the row the violation is told at: each member the property takes down, marked. */
function hypotheticalRow(input: ExplorerInput, row: Row): Html | string {
  const down = hypotheticalDown(input);
  if (down.length === 0) return '';
  const cells = input.target.config.members.map((m, i) =>
    down.includes(m.id)
      ? html`<td class="member down hypothetical" title="${HYPOTHETICAL_WHY}"><span class="status">down (hypothetical)</span></td>`
      : html`<td class="member ${statusOf(row.state, i).css}"><span class="status">${statusOf(row.state, i).text}</span></td>`,
  );
  return html`<tr class="step hypothetical"><th scope="row">then</th><td class="action">hypothetically: ${down.join(', ')} down (${HYPOTHETICAL_WHY})</td>${cells}<td class="hops"></td></tr>`;
}

function grid(input: ExplorerInput, rows: readonly Row[]): Html {
  const { config } = input.target;
  const violating = input.violation === undefined ? -1 : rows.findIndex((r) => r.phase !== 'settling' && r.step === input.violation!.step);
  const after = verdictAfter(input, rows);
  const width = config.members.length + 3;
  const body = rows.map((row, i) => {
    const first = row.phase === 'settling' && rows[i - 1]?.phase !== 'settling';
    const settlingHead = first
      ? html`<tr class="phase"><td colspan="${width}">${input.settling?.summary ?? 'settling'}</td></tr>`
      : '';
    const classes = ['step', row.phase, i === violating ? 'violating' : ''].filter((c) => c !== '').join(' ');
    const tr = html`<tr class="${classes}" data-row="${i}" data-step="${row.key}" tabindex="-1"><th scope="row">${row.label}</th><td class="action">${row.description}</td>${config.members.map((_, m) => cell(row, m))}${hopCell(row)}</tr>`;
    const hypothetical = i === after ? hypotheticalRow(input, row) : '';
    const verdict = i === after ? html`<tr class="verdict-row"><td colspan="${width}">${verdictBlock(input)}</td></tr>` : '';
    return html`${settlingHead}${tr}${hypothetical}${verdict}`;
  });
  return html`<table class="grid"><thead><tr><th scope="col">step</th><th scope="col">action</th>${config.members.map(
    (m) => html`<th scope="col">${m.id}${m.role === 'sponsor' ? ' (sponsor)' : ''}${m.zone === 'dmz' ? ' (DMZ)' : ''}</th>`,
  )}<th scope="col">replication hop</th></tr></thead><tbody>${body}</tbody></table>`;
}

const COLUMN = 44;
const LANE = 30;
const LEFT = 120;
const TOP = 24;

/** The per-member timeline as an inline SVG: one lane per member, one column per row of the grid. */
function timeline(input: ExplorerInput, rows: readonly Row[]): Html {
  const members = input.target.config.members;
  const lane = new Map(members.map((m, i) => [m.id, i]));
  const width = Math.max(LEFT + (rows.length + 1) * COLUMN + 10, LEFT + 600);
  const height = TOP + members.length * LANE + 26;
  const x = (i: number) => LEFT + i * COLUMN;
  const y = (m: number) => TOP + m * LANE;
  const parts: string[] = [];
  const e = escapeHtml;
  const violating = input.violation === undefined ? -1 : rows.findIndex((r) => r.phase !== 'settling' && r.step === input.violation!.step);
  const settlingStart = rows.findIndex((r) => r.phase === 'settling');
  if (settlingStart >= 0)
    parts.push(`<rect class="tl-settling" x="${x(settlingStart)}" y="${TOP - 20}" width="${(rows.length - settlingStart) * COLUMN}" height="${members.length * LANE + 20}"><title>settling</title></rect>`);
  if (violating >= 0) parts.push(`<rect class="tl-violation" x="${x(violating)}" y="${TOP - 20}" width="${COLUMN}" height="${members.length * LANE + 20}"><title>the violating step</title></rect>`);
  members.forEach((m, i) => {
    parts.push(`<text class="tl-name" x="${LEFT - 8}" y="${y(i) + LANE / 2 + 4}" text-anchor="end">${e(m.id)}</text>`);
    parts.push(`<line class="tl-lane" x1="${LEFT}" x2="${x(rows.length)}" y1="${y(i) + LANE / 2}" y2="${y(i) + LANE / 2}"/>`);
  });
  rows.forEach((row, c) => {
    parts.push(`<text class="tl-step" x="${x(c) + COLUMN / 2}" y="${TOP - 8}" text-anchor="middle">${e(row.label)}</text>`);
    members.forEach((m, i) => {
      const status = statusOf(row.state, i);
      if (status.css === 'down' || status.css === 'removed' || status.css === 'waiting')
        parts.push(`<rect class="tl-${status.css}" x="${x(c)}" y="${y(i) + 6}" width="${COLUMN}" height="${LANE - 12}"><title>${e(`${m.id} ${status.text} at ${row.label}`)}</title></rect>`);
      if (status.css === 'cut')
        parts.push(`<rect class="tl-cut" x="${x(c)}" y="${y(i) + 3}" width="${COLUMN}" height="6"><title>${e(`${m.id} ${status.text} at ${row.label}`)}</title></rect>`);
    });
    for (const member of row.writes) {
      const i = lane.get(member)!;
      parts.push(`<circle class="tl-write" cx="${x(c) + COLUMN / 2}" cy="${y(i) + LANE / 2}" r="5"><title>${e(`${row.label}. ${row.description}`)}</title></circle>`);
    }
    for (const hop of row.hops) {
      const a = lane.get(hop.from)!;
      const b = lane.get(hop.to)!;
      const cx = x(c) + COLUMN / 2;
      parts.push(`<line class="tl-hop" x1="${cx}" x2="${cx}" y1="${y(a) + LANE / 2}" y2="${y(b) + LANE / 2 + (b > a ? -6 : 6)}" marker-end="url(#tl-arrow)"><title>${e(`${row.label}. ${hop.from} → ${hop.to}: ${hop.records.join(', ')}`)}</title></line>`);
    }
    const sends = [...row.lost.map((send) => ({ send, dx: 0 })), ...row.pending.map((send) => ({ send, dx: row.hops.length > 0 ? 10 : 0 }))];
    for (const { send, dx } of sends) {
      const a = lane.get(send.from)!;
      const b = lane.get(send.to)!;
      const cx = x(c) + COLUMN / 2 + dx;
      parts.push(`<line class="tl-lost" x1="${cx}" x2="${cx}" y1="${y(a) + LANE / 2}" y2="${y(b) + LANE / 2}"><title>${e(`${row.label}. ${send.from} ✕→ ${send.to}: ${send.reason}`)}</title></line>`);
      parts.push(`<text class="tl-x" x="${cx}" y="${y(b) + LANE / 2 + 5}" text-anchor="middle">✕</text>`);
    }
  });
  // After the last row, the members the property takes down hypothetically: dashed, not filled.
  const hypothetical = hypotheticalDown(input);
  if (hypothetical.length > 0) {
    parts.push(`<text class="tl-step" x="${x(rows.length) + COLUMN / 2}" y="${TOP - 8}" text-anchor="middle">then</text>`);
    for (const member of hypothetical)
      parts.push(`<rect class="tl-hypothetical" x="${x(rows.length) + 2}" y="${y(lane.get(member)!) + 6}" width="${COLUMN - 4}" height="${LANE - 12}"><title>${e(`${member} down, hypothetically: ${HYPOTHETICAL_WHY}`)}</title></rect>`);
  }
  parts.push(`<rect class="tl-cursor" x="${x(0)}" y="${TOP - 20}" width="${COLUMN}" height="${members.length * LANE + 20}"/>`);
  const items: [string, string][] = [
    ['<rect class="tl-down" x="0" y="-10" width="14" height="10"/>', 'down'],
    ['<rect class="tl-removed" x="0" y="-10" width="14" height="10"/>', 'removed'],
    ['<rect class="tl-cut" x="0" y="-8" width="14" height="6"/>', 'cut off'],
    ['<circle class="tl-write" cx="7" cy="-5" r="4"/>', 'write'],
    ['<line class="tl-hop" x1="0" x2="11" y1="-5" y2="-5" marker-end="url(#tl-arrow)"/>', 'hop'],
    ['<text class="tl-x" x="7" y="0" text-anchor="middle">✕</text>', 'send that cannot arrive'],
    ...(hypothetical.length > 0 ? ([['<rect class="tl-hypothetical" x="0" y="-10" width="14" height="10"/>', 'down, hypothetically']] as [string, string][]) : []),
  ];
  let at = 0;
  const legendParts = items.map(([mark, label]) => {
    const part = `<g transform="translate(${at},0)">${mark}<text x="20" y="0">${label}</text></g>`;
    at += 28 + label.length * 6.5;
    return part;
  });
  const legend = `<g class="tl-legend" transform="translate(${LEFT},${height - 8})">${legendParts.join('')}</g>`;
  const svg = `<svg class="timeline" xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="timeline per member"><defs><marker id="tl-arrow" viewBox="0 0 10 10" refX="8" refY="5" markerWidth="6" markerHeight="6" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" class="tl-arrowhead"/></marker></defs>${parts.join('')}${legend}</svg>`;
  return trusted(svg);
}

function details(rows: readonly Row[]): Html {
  return html`${rows.map(
    (row, i) => html`<div class="detail" data-row="${i}"${trusted(i === 0 ? '' : ' hidden')}>
<h4>${row.phase === 'start' ? 'The start' : `${row.phase === 'settling' ? 'Settling step' : 'Step'} ${row.label}: ${row.description}`}</h4>
<div class="columns"><div><h5>What changed</h5><ul>${row.phase === 'start' ? html`<li>nothing yet: every member starts with the default policy</li>` : row.lines.map((l) => html`<li>${l}</li>`)}${[...row.lost, ...row.pending].map((b) => html`<li class="lost">${b.from} cannot send ${b.records.map((r) => r.id).join(', ')} to ${b.to}: ${b.reason}</li>`)}</ul></div>
<div><h5>${row.phase === 'start' ? 'Actions enabled here' : 'Other actions enabled here'} (${row.alternatives.length})</h5><ul class="alternatives">${row.alternatives.map((a) => html`<li>${a}</li>`)}</ul></div></div>
</div>`,
  )}`;
}

/** One violation's explorer, as a report section. */
export function explorerSection(input: ExplorerInput): ReportSection {
  const rows = rowsOf(input);
  const { property } = input;
  const violating = input.violation === undefined ? 0 : Math.max(0, rows.findIndex((r) => r.phase !== 'settling' && r.step === input.violation!.step));
  const body = html`<div class="explorer" data-explorer="${safeId(input.id)}" data-start="${violating}" tabindex="0">
<p class="property"><strong>${property.name}</strong> (${property.kind}): ${property.statement} <span class="kb">(${property.source})</span></p>
${input.provenance.map((p) => html`<p class="provenance">${p}</p>`)}
${verdictBlock(input, true)}
<h3>Timeline</h3>
<div class="scroll">${timeline(input, rows)}</div>
<h3>Step by step</h3>
<p class="hint no-print">Use ← and → (or click a row) to step through the trace; the row in blue is the current step, the red one the violating step.</p>
<div class="step-detail no-print" aria-live="polite">${details(rows)}</div>
<div class="scroll">${grid(input, rows)}</div>
</div>`;
  return { id: input.id, heading: input.heading, body };
}
