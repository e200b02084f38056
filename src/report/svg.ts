import { escapeHtml, text } from './html.js';

const f = (x: number): string => (Number.isFinite(x) ? (Math.round(x * 10) / 10).toString() : '0');

/** Horizontal bars, one per item, value label at the end; `max` defaults to the largest value. */
export function barChart(items: readonly { label: string; value: number; display: string }[], options: { id: string; max?: number; color?: string; width?: number }): string {
  const width = options.width ?? 440;
  const labelW = 150;
  const row = 20;
  const max = options.max ?? Math.max(1e-12, ...items.map((i) => i.value));
  const barW = width - labelW - 100;
  const h = Math.max(row, items.length * row) + 4;
  const bars = items
    .map((it, k) => {
      const w = Math.max(0, (Number.isFinite(it.value) ? it.value : 0) / max) * barW;
      const y = k * row + 2;
      return `<g class="bar"><title>${text(it.label)}: ${escapeHtml(it.display)}</title><text x="${labelW - 6}" y="${y + 13}" text-anchor="end">${text(it.label, 22)}</text><rect x="${labelW}" y="${y + 3}" width="${f(w)}" height="${row - 6}" fill="${options.color ?? '#3b7dd8'}"/><text x="${f(labelW + w + 4)}" y="${y + 13}">${escapeHtml(it.display)}</text></g>`;
    })
    .join('');
  return `<svg id="${escapeHtml(options.id)}" role="img" viewBox="0 0 ${width} ${h}" width="${width}" height="${h}" xmlns="http://www.w3.org/2000/svg">${bars}</svg>`;
}

/** Vertical columns over an ordered axis (hours, days), with every `labelEvery`-th label. */
export function columnChart(items: readonly { label: string; value: number }[], options: { id: string; labelEvery?: number; color?: string; width?: number; height?: number }): string {
  const width = options.width ?? 440;
  const height = options.height ?? 160;
  const pad = { l: 36, b: 22, t: 8, r: 6 };
  const max = Math.max(1, ...items.map((i) => i.value));
  const n = Math.max(1, items.length);
  const cw = (width - pad.l - pad.r) / n;
  const ph = height - pad.b - pad.t;
  const every = options.labelEvery ?? Math.max(1, Math.ceil(n / 12));
  const cols = items
    .map((it, k) => {
      const h = (it.value / max) * ph;
      const x = pad.l + k * cw;
      const label = k % every === 0 ? `<text x="${f(x + cw / 2)}" y="${height - 6}" text-anchor="middle">${text(it.label, 12)}</text>` : '';
      return `<g class="col"><title>${text(it.label)}: ${it.value}</title><rect x="${f(x + 1)}" y="${f(pad.t + ph - h)}" width="${f(Math.max(1, cw - 2))}" height="${f(h)}" fill="${options.color ?? '#3b7dd8'}"/>${label}</g>`;
    })
    .join('');
  const axis = `<line x1="${pad.l}" y1="${pad.t + ph}" x2="${width - pad.r}" y2="${pad.t + ph}" stroke="#b8c0cc"/><text x="${pad.l - 4}" y="${pad.t + 8}" text-anchor="end">${max}</text><text x="${pad.l - 4}" y="${pad.t + ph}" text-anchor="end">0</text>`;
  return `<svg id="${escapeHtml(options.id)}" role="img" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" xmlns="http://www.w3.org/2000/svg">${axis}${cols}</svg>`;
}

/** A heat map of `counts[row][col]` with row/column labels; darker = more. Diagonal cells are green, others red. */
export function heatMap(labels: readonly string[], counts: readonly (readonly number[])[], options: { id: string; rowTitle: string; colTitle: string }): string {
  const n = labels.length;
  const cell = n > 30 ? 12 : n > 15 ? 18 : 26;
  const labelW = 130;
  const top = 120;
  const width = labelW + n * cell + 80;
  const height = top + n * cell + 24;
  const max = Math.max(1, ...counts.flatMap((r, i) => r.filter((_, j) => j !== i)));
  const maxDiag = Math.max(1, ...counts.map((r, i) => r[i] ?? 0));
  const cells: string[] = [];
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const v = counts[i]?.[j] ?? 0;
      if (v === 0) continue;
      const a = i === j ? 0.15 + 0.85 * (v / maxDiag) : 0.2 + 0.8 * (v / max);
      const color = i === j ? `rgba(34,139,84,${a.toFixed(3)})` : `rgba(214,69,65,${a.toFixed(3)})`;
      const show = cell >= 18 ? `<text x="${labelW + j * cell + cell / 2}" y="${top + i * cell + cell / 2 + 4}" text-anchor="middle">${v}</text>` : '';
      cells.push(`<g class="cell" data-gold="${text(labels[i])}" data-predicted="${text(labels[j])}" data-count="${v}"><title>${text(labels[i])} → ${text(labels[j])}: ${v}</title><rect x="${labelW + j * cell}" y="${top + i * cell}" width="${cell}" height="${cell}" fill="${color}"/>${show}</g>`);
    }
  }
  const rowLabels = labels.map((l, i) => `<text x="${labelW - 4}" y="${top + i * cell + cell / 2 + 4}" text-anchor="end">${text(l, 20)}</text>`).join('');
  const colLabels = labels
    .map((l, j) => `<text transform="translate(${labelW + j * cell + cell / 2 + 4},${top - 4}) rotate(-60)">${text(l, 20)}</text>`)
    .join('');
  const grid = `<rect x="${labelW}" y="${top}" width="${n * cell}" height="${n * cell}" fill="none" stroke="#dde2ea"/>`;
  const titles = `<text x="4" y="12">${escapeHtml(options.rowTitle)} ↓ / ${escapeHtml(options.colTitle)} →</text>`;
  return `<svg id="${escapeHtml(options.id)}" role="img" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" xmlns="http://www.w3.org/2000/svg">${titles}${grid}${cells.join('')}${rowLabels}${colLabels}</svg>`;
}

/** Reliability diagram: per confidence bin, bars of observed accuracy against the diagonal of perfect calibration. */
export function reliabilityDiagram(bins: readonly { lower: number; upper: number; confidence: number; accuracy: number; count: number }[], options: { id: string }): string {
  const size = 300;
  const pad = 34;
  const plot = size - 2 * pad;
  const x = (v: number): number => pad + v * plot;
  const y = (v: number): number => size - pad - v * plot;
  const bars = bins
    .filter((b) => b.count > 0)
    .map(
      (b) =>
        `<g class="bin" data-count="${b.count}"><title>${(b.lower * 100).toFixed(0)}–${(b.upper * 100).toFixed(0)}%: accuracy ${(b.accuracy * 100).toFixed(1)}%, mean confidence ${(b.confidence * 100).toFixed(1)}%, n = ${b.count}</title>` +
        `<rect x="${f(x(b.lower) + 1)}" y="${f(y(b.accuracy))}" width="${f(Math.max(1, (b.upper - b.lower) * plot - 2))}" height="${f(b.accuracy * plot)}" fill="#3b7dd8" fill-opacity="0.75"/>` +
        `<circle cx="${f(x(b.confidence))}" cy="${f(y(b.accuracy))}" r="2.5" fill="#1f3a5f"/></g>`,
    )
    .join('');
  const ticks = [0, 0.25, 0.5, 0.75, 1]
    .map((t) => `<text x="${f(x(t))}" y="${size - pad + 14}" text-anchor="middle">${t}</text><text x="${pad - 4}" y="${f(y(t) + 4)}" text-anchor="end">${t}</text>`)
    .join('');
  return `<svg id="${escapeHtml(options.id)}" role="img" viewBox="0 0 ${size} ${size}" width="${size}" height="${size}" xmlns="http://www.w3.org/2000/svg"><rect x="${pad}" y="${pad}" width="${plot}" height="${plot}" fill="none" stroke="#b8c0cc"/>${bars}<line x1="${x(0)}" y1="${y(0)}" x2="${x(1)}" y2="${y(1)}" stroke="#d64541" stroke-dasharray="4 3"/>${ticks}<text x="${size / 2}" y="${size - 4}" text-anchor="middle">confidence</text><text transform="translate(10,${size / 2}) rotate(-90)" text-anchor="middle">accuracy</text></svg>`;
}

/** Latency histogram with p50 / p95 / p99 markers. */
export function histogram(
  bins: readonly { startMs: number; endMs: number; count: number }[],
  marks: readonly { label: string; value: number }[],
  options: { id: string },
): string {
  const width = 460;
  const height = 190;
  const pad = { l: 40, r: 10, t: 24, b: 26 };
  const lo = bins[0]?.startMs ?? 0;
  const hi = bins[bins.length - 1]?.endMs ?? 1;
  const span = hi - lo || 1;
  const max = Math.max(1, ...bins.map((b) => b.count));
  const pw = width - pad.l - pad.r;
  const ph = height - pad.t - pad.b;
  const x = (v: number): number => pad.l + ((v - lo) / span) * pw;
  const rects = bins
    .map((b) => `<g class="hbin"><title>${b.startMs.toFixed(3)}–${b.endMs.toFixed(3)} ms: ${b.count}</title><rect x="${f(x(b.startMs))}" y="${f(pad.t + ph - (b.count / max) * ph)}" width="${f(Math.max(1, x(b.endMs) - x(b.startMs) - 1))}" height="${f((b.count / max) * ph)}" fill="#3b7dd8"/></g>`)
    .join('');
  const colors = ['#228b54', '#d68a00', '#d64541'];
  const lines = marks
    .map((m, k) => {
      const xv = Math.min(width - pad.r, Math.max(pad.l, x(m.value)));
      return `<g class="mark"><line x1="${f(xv)}" y1="${pad.t - 4}" x2="${f(xv)}" y2="${pad.t + ph}" stroke="${colors[k % 3]}" stroke-width="1.5"/><text x="${f(xv)}" y="${12 + (k % 2) * 0}" dx="${k * 0}" text-anchor="middle" fill="${colors[k % 3]}">${escapeHtml(m.label)}</text></g>`;
    })
    .join('');
  const axis = `<line x1="${pad.l}" y1="${pad.t + ph}" x2="${width - pad.r}" y2="${pad.t + ph}" stroke="#b8c0cc"/><text x="${pad.l}" y="${height - 8}">${lo.toFixed(3)} ms</text><text x="${width - pad.r}" y="${height - 8}" text-anchor="end">${hi.toFixed(3)} ms</text><text x="${pad.l - 4}" y="${pad.t + 8}" text-anchor="end">${max}</text>`;
  return `<svg id="${escapeHtml(options.id)}" role="img" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" xmlns="http://www.w3.org/2000/svg">${axis}${rects}${lines}</svg>`;
}
