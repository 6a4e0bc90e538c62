/**
 * The report's inline stylesheet and script, as string constants (no bundler, no network): `html.ts`
 * puts them into every page.
 */

export const REPORT_CSS = `
:root { --down: #9e9e9e; --removed: #555; --cut: #f0a030; --new: #1a7f37; --bad: #ffe0e0; --bad-edge: #c62828; --cur: #dbe9ff; --cur-edge: #1f5fbf; }
* { box-sizing: border-box; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; margin: 0 auto; padding: 16px 24px; max-width: 1400px; color: #1d1d1f; }
h1 { font-size: 22px; margin: 0 0 4px; } h2 { font-size: 18px; margin: 28px 0 8px; border-bottom: 1px solid #ddd; padding-bottom: 4px; }
h3 { font-size: 15px; margin: 18px 0 6px; } h4 { margin: 0 0 6px; font-size: 14px; } h5 { margin: 0 0 4px; font-size: 13px; color: #555; }
.subtitle, .provenance { color: #555; margin: 2px 0; } .provenance { font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: 12px; word-break: break-all; }
.kb { color: #555; white-space: nowrap; } .label { font-weight: 600; }
.toc ol { margin: 8px 0; padding-left: 20px; }
.scroll { overflow-x: auto; }
table { border-collapse: collapse; }
.summary td, .summary th { border: 1px solid #ddd; padding: 4px 8px; text-align: left; vertical-align: top; }
.summary th { background: #f4f4f4; }
.bounds { color: #666; font-size: 11.5px; }
.v-violated, .v-unreached { color: var(--bad-edge); font-weight: 600; } .v-holds, .v-reached { color: var(--new); } .v-accepted { color: #8a5a00; font-weight: 600; }
.grid { width: 100%; font-size: 12.5px; }
.grid th, .grid td { border: 1px solid #d6d6d6; padding: 3px 6px; vertical-align: top; text-align: left; }
.grid thead th { background: #f4f4f4; position: sticky; top: 0; }
.grid tr.step { cursor: pointer; }
.grid tr.settling th, .grid tr.settling td.action { background: #eef4ff; }
.grid tr.phase td { background: #e3ecff; font-style: italic; }
.grid tr.violating > * { background: var(--bad); }
.grid tr.violating > th { box-shadow: inset 4px 0 0 var(--bad-edge); }
.grid tr.current > * { box-shadow: inset 0 2px 0 var(--cur-edge), inset 0 -2px 0 var(--cur-edge); }
.grid tr.current > th { background: var(--cur); }
td.member .status { display: inline-block; font-size: 11px; padding: 0 5px; border-radius: 8px; background: #e6f4ea; color: #0b5d1e; }
td.member.down .status { background: var(--down); color: #fff; } td.member.removed .status { background: var(--removed); color: #fff; }
td.member.waiting .status { background: #eee; color: #555; } td.member.cut .status { background: var(--cut); color: #222; }
td.member.down, td.member.removed { background: repeating-linear-gradient(45deg, #f3f3f3, #f3f3f3 6px, #e9e9e9 6px, #e9e9e9 12px); }
ul.records { list-style: none; margin: 2px 0 0; padding: 0; }
ul.records li { font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: 11.5px; }
ul.records li.new { color: var(--new); font-weight: 700; } ul.records li.new::before { content: "+ "; }
ul.records li.gone { color: var(--bad-edge); text-decoration: line-through; } ul.records li.gone::before { content: "− "; }
td.hops .hop { color: #1f4fa0; } td.hops .lost, li.lost { color: var(--bad-edge); }
.verdict { border-left: 4px solid; padding: 6px 10px; margin: 8px 0; }
.verdict.bad { border-color: var(--bad-edge); background: var(--bad); } .verdict.ok { border-color: var(--new); background: #e6f4ea; }
.verdict p { margin: 3px 0; }
tr.verdict-row > td { padding: 0; border: none; } tr.verdict-row .verdict { margin: 0; }
.step-detail { border: 1px solid var(--cur-edge); background: #f7faff; padding: 8px 10px; margin: 6px 0 10px; }
.step-detail .columns { display: flex; gap: 24px; flex-wrap: wrap; } .step-detail .columns > div { flex: 1 1 320px; }
.step-detail ul { margin: 0; padding-left: 18px; } ul.alternatives { columns: 2 280px; font-size: 12px; }
.hint { color: #555; font-size: 12.5px; }
svg.timeline { font-size: 11px; display: block; }
.tl-lane { stroke: #bbb; stroke-width: 1; } .tl-name { font-weight: 600; fill: #333; } .tl-step { fill: #555; }
.tl-hypothetical { fill: none; stroke: var(--down); stroke-width: 2; stroke-dasharray: 4 3; }
td.member.hypothetical .status { border: 2px dashed var(--down); } tr.hypothetical th, tr.hypothetical td.action { font-style: italic; }
.tl-down { fill: var(--down); } .tl-removed { fill: var(--removed); } .tl-waiting { fill: #e2e2e2; } .tl-cut { fill: var(--cut); }
.tl-write { fill: #1f5fbf; } .tl-hop { stroke: #1f4fa0; stroke-width: 2; } .tl-arrowhead { fill: #1f4fa0; }
.tl-lost { stroke: var(--bad-edge); stroke-width: 2; stroke-dasharray: 4 3; } .tl-x { fill: var(--bad-edge); font-weight: 700; font-size: 14px; }
.tl-violation { fill: var(--bad); } .tl-settling { fill: #eef4ff; }
.tl-cursor { fill: none; stroke: var(--cur-edge); stroke-width: 2; } .tl-legend text { fill: #444; }
.explorer:focus { outline: none; }
@media print {
  body { max-width: none; padding: 0; font-size: 11px; }
  .no-print, .toc { display: none !important; }
  .scroll { overflow: visible; }
  .grid thead th { position: static; }
  .grid tr.current > * { box-shadow: none; } .tl-cursor { display: none; }
  tr, .verdict { break-inside: avoid; }
  section { break-before: page; } section:first-of-type { break-before: auto; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
`;

/**
 * Stepping: each explorer keeps a current row; ← and → move it (on the explorer last clicked or focused,
 * the first one at the start), clicking a row selects it. The current row is outlined, its details (what
 * changed, what else was enabled) are shown, and the timeline's cursor moves to its column.
 */
export const EXPLORER_SCRIPT = `
(function () {
  'use strict';
  var explorers = Array.prototype.slice.call(document.querySelectorAll('.explorer'));
  var active = explorers[0];
  function rowsOf(ex) { return Array.prototype.slice.call(ex.querySelectorAll('tr.step')); }
  function show(ex, index) {
    var rows = rowsOf(ex);
    if (rows.length === 0) return;
    var i = Math.max(0, Math.min(rows.length - 1, index));
    ex.dataset.current = String(i);
    rows.forEach(function (r, k) { r.classList.toggle('current', k === i); r.setAttribute('aria-current', k === i ? 'step' : 'false'); });
    Array.prototype.forEach.call(ex.querySelectorAll('.detail'), function (d) { d.hidden = d.getAttribute('data-row') !== String(i); });
    var cursor = ex.querySelector('.tl-cursor');
    var column = ex.querySelectorAll('.tl-step')[i];
    if (cursor && column) cursor.setAttribute('x', String(Number(column.getAttribute('x')) - Number(cursor.getAttribute('width')) / 2));
  }
  explorers.forEach(function (ex) {
    show(ex, Number(ex.dataset.start || 0));
    ex.addEventListener('click', function (event) {
      active = ex;
      var row = event.target.closest ? event.target.closest('tr.step') : null;
      if (row) show(ex, Number(row.getAttribute('data-row')));
    });
    ex.addEventListener('focusin', function () { active = ex; });
  });
  document.addEventListener('keydown', function (event) {
    if (!active || event.altKey || event.ctrlKey || event.metaKey) return;
    var current = Number(active.dataset.current || 0);
    if (event.key === 'ArrowRight' || event.key === 'ArrowDown') { show(active, current + 1); event.preventDefault(); }
    else if (event.key === 'ArrowLeft' || event.key === 'ArrowUp') { show(active, current - 1); event.preventDefault(); }
    else if (event.key === 'Home') { show(active, 0); event.preventDefault(); }
    else if (event.key === 'End') { show(active, rowsOf(active).length - 1); event.preventDefault(); }
  });
})();
`;
