/**
 * The resync curve as a self-contained SVG (no scripts, no external fonts or styles): resync time against
 * outage length, High Availability against Home Server, with the bounds that limit what it means
 * (`faults.maxOutageDays`, the SKM key validity) and the seed article's claim quoted beside the curve.
 * Pure: data in, text out.
 */
import { oneLine, wellFormed } from '../io/untrusted.ts';

export interface ResyncSeries {
  readonly label: string;
  readonly colour: string;
  /** Points: outage hours (> 0) and resync hours. */
  readonly points: readonly { readonly hours: number; readonly resyncHours: number }[];
}

export interface ResyncPlot {
  readonly title: string;
  readonly series: readonly ResyncSeries[];
  /** Vertical markers: an outage length and what it marks. */
  readonly markers: readonly { readonly hours: number; readonly label: string }[];
  /** A quotation to set beside the curve, and its source. */
  readonly quote?: { readonly text: string; readonly source: string };
}

const WIDTH = 760;
const HEIGHT = 440;
const LEFT = 70;
const RIGHT = 20;
const TOP = 50;
const BOTTOM = 60;

/**
 * Text for XML, always well-formed: control, bidirectional and line-separator characters written visibly
 * as `\uXXXX` (`oneLine`), lone surrogates and the non-characters U+FFFE and U+FFFF (which XML forbids) as
 * U+FFFD, and markup characters as entities.
 */
export function xml(text: string): string {
  return oneLine(wellFormed(text))
    .replace(/[\ufffe\uffff]/g, '\ufffd')
    .replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** `1 h`, `6 h`, `1 d`, `30 d`. */
function outageLabel(hours: number): string {
  return hours < 24 ? `${hours} h` : `${Math.round((hours / 24) * 10) / 10} d`;
}

/** A round step for an axis from 0 to `max` with about five ticks. */
function niceStep(max: number): number {
  const raw = max / 5;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  for (const m of [1, 2, 5, 10]) if (raw <= m * magnitude) return m * magnitude;
  return 10 * magnitude;
}

/** Splits a long quotation into lines of at most `width` characters. */
function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    if (line !== '' && line.length + word.length + 1 > width) {
      lines.push(line);
      line = word;
    } else line = line === '' ? word : `${line} ${word}`;
  }
  if (line !== '') lines.push(line);
  return lines;
}

export function resyncSvg(plot: ResyncPlot): string {
  const all = plot.series.flatMap((s) => s.points);
  const minX = Math.min(...all.map((p) => p.hours));
  const maxX = Math.max(...all.map((p) => p.hours));
  const maxY = Math.max(1, ...all.map((p) => p.resyncHours));
  const step = niceStep(maxY);
  const top = Math.ceil(maxY / step) * step;
  const plotW = WIDTH - LEFT - RIGHT;
  const plotH = HEIGHT - TOP - BOTTOM;
  // Outage length on a log scale (1 hour to 30 days spans three decades), resync time linear.
  const x = (hours: number) => LEFT + (maxX === minX ? 0 : ((Math.log(hours) - Math.log(minX)) / (Math.log(maxX) - Math.log(minX))) * plotW);
  const y = (h: number) => TOP + plotH - (h / top) * plotH;
  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="sans-serif" font-size="12">`);
  out.push(`<title>${xml(plot.title)}</title>`);
  out.push(`<rect width="${WIDTH}" height="${HEIGHT}" fill="white"/>`);
  out.push(`<text x="${LEFT}" y="24" font-size="15" font-weight="bold">${xml(plot.title)}</text>`);
  // Axes and grid.
  for (let v = 0; v <= top + 1e-9; v += step) {
    out.push(`<line x1="${LEFT}" y1="${y(v).toFixed(1)}" x2="${WIDTH - RIGHT}" y2="${y(v).toFixed(1)}" stroke="#e5e5e5"/>`);
    out.push(`<text x="${LEFT - 6}" y="${(y(v) + 4).toFixed(1)}" text-anchor="end">${Math.round(v * 100) / 100}</text>`);
  }
  for (const p of plot.series[0]?.points ?? []) {
    out.push(`<line x1="${x(p.hours).toFixed(1)}" y1="${TOP + plotH}" x2="${x(p.hours).toFixed(1)}" y2="${TOP + plotH + 5}" stroke="black"/>`);
    out.push(`<text x="${x(p.hours).toFixed(1)}" y="${TOP + plotH + 18}" text-anchor="middle">${outageLabel(p.hours)}</text>`);
  }
  out.push(`<line x1="${LEFT}" y1="${TOP}" x2="${LEFT}" y2="${TOP + plotH}" stroke="black"/>`);
  out.push(`<line x1="${LEFT}" y1="${TOP + plotH}" x2="${WIDTH - RIGHT}" y2="${TOP + plotH}" stroke="black"/>`);
  out.push(`<text x="${LEFT + plotW / 2}" y="${HEIGHT - 14}" text-anchor="middle">outage length (log scale)</text>`);
  out.push(`<text x="16" y="${TOP + plotH / 2}" text-anchor="middle" transform="rotate(-90 16 ${TOP + plotH / 2})">resync time (hours)</text>`);
  // Markers.
  for (const m of plot.markers) {
    if (m.hours < minX || m.hours > maxX) continue;
    const mx = x(m.hours).toFixed(1);
    out.push(`<line x1="${mx}" y1="${TOP}" x2="${mx}" y2="${TOP + plotH}" stroke="#999" stroke-dasharray="4 3"/>`);
    out.push(`<text x="${mx}" y="${TOP - 4}" text-anchor="middle" fill="#555">${xml(m.label)}</text>`);
  }
  // Curves and legend.
  plot.series.forEach((s, i) => {
    const points = s.points.map((p) => `${x(p.hours).toFixed(1)},${y(p.resyncHours).toFixed(1)}`).join(' ');
    out.push(`<polyline points="${points}" fill="none" stroke="${xml(s.colour)}" stroke-width="2"/>`);
    for (const p of s.points) out.push(`<circle cx="${x(p.hours).toFixed(1)}" cy="${y(p.resyncHours).toFixed(1)}" r="3" fill="${xml(s.colour)}"/>`);
    const ly = TOP + 14 + i * 18;
    out.push(`<line x1="${LEFT + 12}" y1="${ly - 4}" x2="${LEFT + 32}" y2="${ly - 4}" stroke="${xml(s.colour)}" stroke-width="2"/>`);
    out.push(`<text x="${LEFT + 38}" y="${ly}">${xml(s.label)}</text>`);
  });
  // The claim, beside the curve.
  if (plot.quote) {
    const lines = wrap(`“${plot.quote.text}”`, 52);
    const qx = LEFT + 12;
    const qy = TOP + 20 + plot.series.length * 18 + 8;
    out.push(`<g fill="#333" font-style="italic">`);
    lines.forEach((line, i) => {
      out.push(`<text x="${qx}" y="${qy + i * 15}">${xml(line)}</text>`);
    });
    out.push(`</g><text x="${qx}" y="${qy + lines.length * 15 + 2}" fill="#555">— ${xml(plot.quote.source)}</text>`);
  }
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}
