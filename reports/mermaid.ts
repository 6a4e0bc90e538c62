/**
 * A replayed trace as a Mermaid sequence diagram, so that a counterexample renders on any code host that
 * shows Markdown: members are participants (in ring order), records moving from one member to another are
 * arrows, a send a DMZ member cannot make (its fixed successor is down or cut off, KB 161304) is a lost
 * message (`-x`) with the reason, a member's outage (or removal) is a grey bar on its lifeline from the
 * step it went down to the step it came back, a cut link is an orange block for as long as it lasts,
 * settling is a blue block and the violation a red one, with who holds what at that point.
 *
 * Like the text replay, it is drawn from the state differences of each step (`pgp/story-events.ts`) and the
 * model's own topology rules, not from action types, so a new action type needs no change here.
 */
import type { ClusterConfig } from '../config/schema.ts';
import type { CompiledCluster } from '../model/cluster.ts';
import type { ClusterState } from '../model/state.ts';
import type { StoryStep } from '../pgp/story.ts';
import type { StoryEvent } from '../pgp/story-events.ts';
import { cutLinks } from '../pgp/story-snapshot.ts';
import { type BlockedSend, blockedSends, describeEvents } from '../pgp/story-words.ts';
import { oneLine, wellFormed } from '../io/untrusted.ts';

export interface DiagramViolation {
  readonly property: string;
  /** After this many actions of the trace. */
  readonly step: number;
  readonly message: string;
  /**
   * Members the property takes down after replication quiesces ("with any maxDown members down"): no
   * action of the trace does, so they are drawn apart, marked hypothetical (`pgp/needs.ts`).
   */
  readonly hypothetical?: readonly string[];
}

export interface DiagramInput {
  /** Short (`dmz-ring: survivor-convergence`): Mermaid centres the title over the diagram and clips what is wider. */
  readonly title: string;
  /** Where the trace comes from (a file name): a comment in the source, not drawn. */
  readonly source?: string;
  readonly config: ClusterConfig;
  readonly cluster: CompiledCluster;
  /** The state before the first step. */
  readonly initial: ClusterState;
  readonly steps: readonly StoryStep[];
  /** For `eventually` properties: what settling did after the trace. */
  readonly settling?: { readonly summary: string; readonly steps: readonly StoryStep[] } | undefined;
  readonly violations: readonly DiagramViolation[];
  /** Shown when nothing is violated, for example `survivor-convergence holds`. */
  readonly verdictWhenNone: string;
}

/**
 * Text that Mermaid reads as text, whatever it holds: on one line (control, bidirectional and line-separator
 * characters written visibly as `\uXXXX`, so no newline can start a statement of its own), and every
 * character Mermaid's syntax gives a meaning written as an entity code: `;` (the end of a statement), `#`
 * (an entity code), `%` (`%%` comments and `%%{init}%%` directives, read anywhere in the text), `<` and
 * `>` (markup such as `<br/>`), `&` and `"`. Mermaid shows each as the character it stands for.
 */
export function escapeText(text: string): string {
  return oneLine(wellFormed(text)).replace(/[#;%<>&"]/g, (c) => `#${c.charCodeAt(0)};`);
}

/** Breaks a long text into lines of about `width` characters at spaces, joined by `<br/>`. */
export function wrap(text: string, width = 56): string {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line !== '' && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line === '' ? word : `${line} ${word}`;
  }
  if (line !== '') lines.push(line);
  return lines.map(escapeText).join('<br/>');
}

/**
 * Participants are named `P1`, `P2`, ... in ring order and labelled with the member ids, so that no
 * member id (`end`, `box`, `m-1`) can clash with Mermaid's keywords or syntax.
 */
function participantIds(config: ClusterConfig): Map<string, string> {
  return new Map(config.members.map((m, i) => [m.id, `P${i + 1}`]));
}

function participantLabel(config: ClusterConfig, index: number): string {
  const m = config.members[index]!;
  const notes = [m.role === 'sponsor' ? 'sponsor' : undefined, m.zone === 'dmz' ? 'DMZ' : undefined].filter((n) => n !== undefined);
  return notes.length === 0 ? m.id : `${m.id} (${notes.join(', ')})`;
}

/** Members a step's events concern, in ring order. */
function involved(config: ClusterConfig, events: readonly StoryEvent[], actor: string | undefined): string[] {
  const names = new Set<string>();
  if (actor) names.add(actor);
  for (const e of events) {
    if (e.kind === 'status' || e.kind === 'received' || e.kind === 'lost') names.add(e.member);
    else if (e.kind === 'link') {
      names.add(e.a);
      names.add(e.b);
    } else if (e.kind === 'split') {
      for (const m of config.members) if (m.site === e.site) names.add(m.id);
    } else if (e.kind === 'client') names.add(e.member);
    else if (e.kind === 'account') names.add(e.home);
    else if (e.kind === 'other' && e.member) names.add(e.member);
  }
  return config.members.map((m) => m.id).filter((id) => names.has(id));
}

function noteOver(ids: Map<string, string>, members: readonly string[], fallback: readonly string[]): string {
  const span = members.length > 0 ? members : fallback;
  const first = ids.get(span[0]!)!;
  const last = ids.get(span[span.length - 1]!)!;
  return first === last ? `Note over ${first}` : `Note over ${first},${last}`;
}

/** Grey bars for outages: Mermaid's activation bar, coloured by the diagram's theme. */
const THEME = '%%{init: {"themeVariables": {"activationBkgColor": "#c8c8c8", "activationBorderColor": "#777777"}}}%%';
const CUT_BLOCK = 'rect rgb(255, 236, 204)';
const SETTLING_BLOCK = 'rect rgb(232, 240, 255)';
const VIOLATION_BLOCK = 'rect rgb(255, 221, 221)';
const HOLDS_BLOCK = 'rect rgb(221, 255, 221)';
const HYPOTHETICAL_BLOCK = 'rect rgb(238, 238, 238)';

function recordsText(records: BlockedSend['records']): string {
  return records.map((r) => `${r.id} (${r.version})`).join(', ');
}

/** Who is down and who holds what: `m1 (down): policy:default · m2: policy:default, user:bob`. */
function holdings(state: ClusterState): string {
  const status = (s: string) => (s === 'up' ? '' : s === 'waiting' ? ' (waiting to join)' : ` (${s})`);
  return state.members
    .map((m) => `${m.id}${status(m.status)}: ${Object.keys(m.records).sort().join(', ') || 'nothing'}`)
    .join(' · ');
}

class Drawing {
  readonly lines: string[] = [];
  private readonly ids: Map<string, string>;
  private readonly everyone: string[];
  /** Members whose grey bar is open. */
  private readonly away = new Set<string>();
  /** The cut links the open orange block stands for ('' when none is open). */
  private cut = '';
  /** What the legend must explain. */
  readonly used = { bar: false, cut: false, lost: false, hypothetical: false };

  constructor(private readonly input: DiagramInput) {
    this.ids = participantIds(input.config);
    this.everyone = input.config.members.map((m) => m.id);
  }

  get span(): string {
    return noteOver(this.ids, this.everyone, this.everyone);
  }

  push(line: string): void {
    this.lines.push(`  ${line}`);
  }

  /** Opens or closes the orange block so that it shows the links cut in `state` (closed when `state` is undefined). */
  showCuts(state: ClusterState | undefined): void {
    const links = state === undefined ? [] : cutLinks(state);
    const key = links.join(',');
    if (key === this.cut) return;
    if (this.cut !== '') this.push('end');
    this.cut = key;
    if (key === '') return;
    const ends = this.everyone.filter((id) => links.some((l) => l.split('|').includes(id)));
    this.used.cut = true;
    this.push(CUT_BLOCK);
    const text = links.map((l) => `the link ${l} is cut: ${l.replace('|', ' and ')} cannot reach each other`).join('<br/>');
    this.push(`${noteOver(this.ids, ends, ends)}: ✂ ${text.split('<br/>').map((t) => wrap(t)).join('<br/>')}`);
  }

  /** Starts or ends grey bars for the members whose status a step changed. */
  private bars(events: readonly StoryEvent[], when: 'before' | 'after'): void {
    for (const e of events) {
      if (e.kind !== 'status') continue;
      const gone = e.after === 'down' || e.after === 'removed';
      const id = this.ids.get(e.member);
      if (id === undefined) continue;
      // The bar covers the note of the step that took it down and the note of the step that brought it back.
      if (when === 'before' && gone && !this.away.has(e.member)) {
        this.push(`activate ${id}`);
        this.away.add(e.member);
        this.used.bar = true;
      }
      if (when === 'after' && !gone && this.away.has(e.member)) {
        this.push(`deactivate ${id}`);
        this.away.delete(e.member);
      }
    }
  }

  lost(sends: readonly BlockedSend[], label: string): void {
    for (const send of sends) {
      this.used.lost = true;
      this.push(`${this.ids.get(send.from)}-x${this.ids.get(send.to)}: ${wrap(`${label}${recordsText(send.records)} does not arrive: ${send.reason}`)}`);
    }
  }

  step(step: StoryStep, before: ClusterState, label: string): void {
    const { config, cluster } = this.input;
    // A DMZ member's hop to a fixed successor that cannot receive: a lost message (KB 161304).
    const lost =
      step.action.type === 'replicate' && step.actor !== undefined ? blockedSends(cluster, before).filter((b) => b.from === step.actor) : [];
    // Records that moved from the acting member to another member are arrows; every other change is a note.
    const arrows = step.events.flatMap((e) =>
      e.kind === 'received' && step.actor !== undefined && step.actor !== e.member ? [{ to: e.member, records: e.records }] : [],
    );
    const arrowed = new Set(arrows.map((a) => a.to));
    const noted = step.events.filter((e) => !(e.kind === 'received' && arrowed.has(e.member)));
    this.bars(step.events, 'before');
    if (noted.length > 0 || (arrows.length === 0 && lost.length === 0)) {
      const text = [`${label} ${step.description}`, ...(noted.length === 0 ? step.lines : describeEvents(config, noted, step.actor))]
        .map((l) => wrap(l))
        .join('<br/>');
      this.push(`${noteOver(this.ids, involved(config, noted, step.actor), step.actor ? [step.actor] : this.everyone)}: ${text}`);
    }
    for (const arrow of arrows) {
      const records = arrow.records.map((r) => `${r.id} (${r.version})`).join(', ');
      this.push(`${this.ids.get(step.actor!)}->>${this.ids.get(arrow.to)}: ${wrap(`${label} ${step.description}: ${records}`)}`);
    }
    this.lost(lost, `${label} ${step.description}: `);
    this.bars(step.events, 'after');
  }

  block(colour: string, text: string): void {
    this.push(colour);
    this.push(`${this.span}: ${text}`);
    this.push('end');
  }

  violationsAt(after: number, state: ClusterState): void {
    for (const v of this.input.violations.filter((x) => x.step === after)) {
      const down = (v.hypothetical ?? []).filter((m) => this.ids.has(m));
      if (down.length > 0) {
        this.used.hypothetical = true;
        this.push(HYPOTHETICAL_BLOCK);
        const them = down.length === 1 ? 'it' : 'them';
        this.push(
          `${noteOver(this.ids, down, down)}: ${wrap(`hypothetical: ${down.join(', ')} down (the property allows any maxDown members down once replication has quiesced; no action of the trace takes ${them} down)`)}`,
        );
        this.push('end');
      }
      this.push(VIOLATION_BLOCK);
      this.push(`${this.span}: ${wrap(`❌ ${v.property} is violated: ${v.message}`, 70)}`);
      this.push(`${this.span}: ${wrap(`at this point: ${holdings(state)}`, 70)}`);
      this.push('end');
    }
  }

  /** Closes the grey bars still open, so that they run to the end of the diagram. */
  close(): void {
    for (const member of this.away) this.push(`deactivate ${this.ids.get(member)}`);
    this.away.clear();
  }
}

/**
 * Mermaid writes the title from about the middle of the diagram rightwards, on one line, and clips what
 * passes the edge; a title longer than this (a long config name) goes into a note over every member instead.
 */
export const TITLE_LIMIT = 60;

/** The Mermaid source of a sequence diagram for a replayed trace. */
export function mermaidDiagram(input: DiagramInput): string {
  const { config } = input;
  const d = new Drawing(input);
  const long = input.title.length > TITLE_LIMIT;
  const head = [THEME, 'sequenceDiagram', ...(long ? [] : [`  title ${escapeText(input.title)}`])];
  if (input.source !== undefined) head.push(`  %% ${escapeText(input.source)}`);
  config.members.forEach((m, i) => {
    head.push(`  participant ${participantIds(config).get(m.id)} as ${escapeText(participantLabel(config, i))}`);
  });
  const states = [input.initial, ...input.steps.map((s) => s.state)];
  const final = states[states.length - 1]!;
  if (input.steps.length === 0) d.push(`${d.span}: the initial state (no actions)`);
  d.showCuts(input.initial);
  // A violation after step n is drawn after that step; one after the last step, after the settling.
  if (input.steps.length > 0) d.violationsAt(0, input.initial);
  input.steps.forEach((step, i) => {
    d.step(step, states[i]!, `${step.step}.`);
    d.showCuts(step.state);
    if (step.step < input.steps.length) d.violationsAt(step.step, step.state);
  });
  let end = final;
  if (input.settling) {
    d.showCuts(undefined);
    d.push(SETTLING_BLOCK);
    d.push(`${d.span}: ${wrap(input.settling.summary, 70)}`);
    d.showCuts(final);
    let before = final;
    for (const step of input.settling.steps) {
      d.step(step, before, `s${step.step}.`);
      d.showCuts(step.state);
      before = step.state;
    }
    end = before;
    d.lost(blockedSends(input.cluster, end), 'after settling: ');
    d.showCuts(undefined);
    d.push('end');
  } else {
    d.lost(blockedSends(input.cluster, end), 'at the end: ');
  }
  d.showCuts(undefined);
  d.violationsAt(input.steps.length, end);
  if (input.violations.length === 0) d.block(HOLDS_BLOCK, wrap(`✅ ${input.verdictWhenNone}`, 70));
  d.close();
  const legend = [
    d.used.bar ? 'grey bar on a lifeline: the member is down (or removed)' : undefined,
    d.used.cut ? 'orange block: a link is cut' : undefined,
    d.used.lost ? 'arrow ending in ✕: a send that cannot arrive' : undefined,
    d.used.hypothetical ? 'light grey block: members taken down hypothetically, not by the trace' : undefined,
  ].filter((l) => l !== undefined);
  if (long) head.push(`  ${d.span}: ${wrap(input.title, 70)}`);
  if (legend.length > 0) head.push(`  ${d.span}: ${wrap(legend.join(' · '), 70)}`);
  return `${[...head, ...d.lines].join('\n')}\n`;
}
