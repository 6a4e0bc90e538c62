/**
 * A replayed trace as a Mermaid sequence diagram, so that a counterexample renders on any code host that
 * shows Markdown: members are participants (in ring order), records moving from one member to another are
 * arrows, outages, cut links and everything else a step changed are notes, settling is a shaded block, and
 * the violation is a red block at the point where the property fails.
 *
 * Like the text replay, it is drawn from the state differences of each step (`replay-story.ts`), not from
 * action types, so a new action type needs no change here.
 */
import type { ClusterConfig } from '../config/schema.ts';
import { describeEvents, type StoryEvent, type StoryStep } from './replay-story.ts';

export interface DiagramViolation {
  readonly property: string;
  /** After this many actions of the trace. */
  readonly step: number;
  readonly message: string;
}

export interface DiagramInput {
  readonly title: string;
  readonly config: ClusterConfig;
  readonly steps: readonly StoryStep[];
  /** For `eventually` properties: what settling did after the trace. */
  readonly settling?: { readonly summary: string; readonly steps: readonly StoryStep[] } | undefined;
  readonly violations: readonly DiagramViolation[];
  /** Shown when nothing is violated, for example `survivor-convergence holds`. */
  readonly verdictWhenNone: string;
}

/** Mermaid's sequence syntax reads `;` as the end of a statement and `#` as the start of an entity code. */
export function escapeText(text: string): string {
  return text.replace(/[#;]/g, (c) => (c === '#' ? '#35;' : '#59;'));
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

function drawStep(lines: string[], ids: Map<string, string>, config: ClusterConfig, step: StoryStep, label: string): void {
  // Records that moved from the acting member to another member are arrows; every other change is a note.
  const arrows = step.events.flatMap((e) =>
    e.kind === 'received' && step.actor !== undefined && step.actor !== e.member ? [{ to: e.member, records: e.records }] : [],
  );
  const arrowed = new Set(arrows.map((a) => a.to));
  const noted = step.events.filter((e) => !(e.kind === 'received' && arrowed.has(e.member)));
  if (noted.length > 0 || arrows.length === 0) {
    const text = [`${label} ${step.description}`, ...describeEvents(config, noted, step.actor)].map((l) => wrap(l)).join('<br/>');
    const everyone = config.members.map((m) => m.id);
    lines.push(`  ${noteOver(ids, involved(config, noted, step.actor), step.actor ? [step.actor] : everyone)}: ${text}`);
  }
  for (const arrow of arrows) {
    const records = arrow.records.map((r) => `${r.id} (${r.version})`).join(', ');
    lines.push(`  ${ids.get(step.actor!)}->>${ids.get(arrow.to)}: ${wrap(`${label} ${step.description}: ${records}`)}`);
  }
}

/** The Mermaid source of a sequence diagram for a replayed trace. */
export function mermaidDiagram(input: DiagramInput): string {
  const { config } = input;
  const ids = participantIds(config);
  const everyone = config.members.map((m) => m.id);
  const span = noteOver(ids, everyone, everyone);
  const lines = ['sequenceDiagram', `  title ${escapeText(input.title)}`];
  config.members.forEach((m, i) => {
    const id = ids.get(m.id)!;
    const label = participantLabel(config, i);
    lines.push(`  participant ${id} as ${escapeText(label)}`);
  });
  const drawViolations = (after: number) => {
    for (const v of input.violations.filter((x) => x.step === after)) {
      lines.push('  rect rgb(255, 221, 221)');
      lines.push(`  ${span}: ${wrap(`❌ ${v.property} is violated: ${v.message}`, 70)}`);
      lines.push('  end');
    }
  };
  if (input.steps.length === 0) lines.push(`  ${span}: the initial state (no actions)`);
  drawViolations(0);
  for (const step of input.steps) {
    drawStep(lines, ids, config, step, `${step.step}.`);
    if (step.step < input.steps.length) drawViolations(step.step);
  }
  if (input.settling) {
    lines.push('  rect rgb(232, 240, 255)');
    lines.push(`  ${span}: ${wrap(input.settling.summary, 70)}`);
    for (const step of input.settling.steps) drawStep(lines, ids, config, step, `s${step.step}.`);
    lines.push('  end');
  }
  drawViolations(input.steps.length);
  if (input.violations.length === 0) {
    lines.push('  rect rgb(221, 255, 221)');
    lines.push(`  ${span}: ${wrap(`✅ ${input.verdictWhenNone}`, 70)}`);
    lines.push('  end');
  }
  return `${lines.join('\n')}\n`;
}
