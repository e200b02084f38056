/** Escapes text for HTML element content and double-quoted attributes. */
export function escapeHtml(value: unknown): string {
  return String(value).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
}

/** Drops lone surrogates and control characters that would make the page invalid, then escapes. */
export function text(value: unknown, max = 200): string {
  let s = String(value)
    .replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd')
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, '');
  if (s.length > max) s = `${s.slice(0, max)}…`;
  return escapeHtml(s);
}

export const pct = (x: number | null | undefined, digits = 1): string => (x === null || x === undefined || !Number.isFinite(x) ? '—' : `${(100 * x).toFixed(digits)}%`);
export const num = (x: number | null | undefined, digits = 2): string => (x === null || x === undefined || !Number.isFinite(x) ? '—' : x.toFixed(digits));
export const int = (x: number): string => Math.round(x).toLocaleString('en-US');

/** JSON for a `<script type="application/json">` block: `<` escaped so the text can never close the element. */
export function jsonBlock(id: string, data: unknown): string {
  const json = JSON.stringify(data).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
  return `<script type="application/json" id="${escapeHtml(id)}">${json}</script>`;
}

const STYLE = `
body{font:14px/1.5 -apple-system,"Segoe UI","PingFang SC","Noto Sans CJK SC","Microsoft YaHei",sans-serif;margin:0;background:#f6f7f9;color:#1d2430}
header{background:#1f3a5f;color:#fff;padding:16px 28px}header h1{margin:0;font-size:20px}header p{margin:4px 0 0;opacity:.8}
main{padding:20px 28px;display:grid;grid-template-columns:repeat(auto-fill,minmax(460px,1fr));gap:18px}
section{background:#fff;border:1px solid #dde2ea;border-radius:8px;padding:14px 18px}section.wide{grid-column:1/-1}
h2{font-size:15px;margin:0 0 10px}table{border-collapse:collapse;width:100%;font-size:13px}
td,th{border-bottom:1px solid #eef0f4;padding:4px 6px;text-align:left;vertical-align:top}th{color:#5b6575;font-weight:600}
td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}.kpis{display:flex;flex-wrap:wrap;gap:12px}
.kpi{flex:1 1 130px;border:1px solid #dde2ea;border-radius:8px;padding:10px 12px;background:#fbfcfd}
.kpi b{display:block;font-size:22px}.kpi span{color:#5b6575;font-size:12px}.muted{color:#8a93a3}.note{color:#8a5a00}
svg{max-width:100%;height:auto;display:block}svg text{font-size:11px;fill:#3b4556}
`;

/** A complete, self-contained page: inline CSS, inline SVG, no scripts, a CSP that forbids every external load. */
export function page(title: string, subtitle: string, body: string, data: unknown): string {
  return `<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<header><h1>${escapeHtml(title)}</h1><p>${subtitle}</p></header>
<main>
${body}
</main>
${jsonBlock('kefu-report-data', data)}
</body>
</html>
`;
}

export function section(title: string, content: string, options: { wide?: boolean; id?: string } = {}): string {
  return `<section${options.wide === true ? ' class="wide"' : ''}${options.id === undefined ? '' : ` id="${escapeHtml(options.id)}"`}><h2>${escapeHtml(title)}</h2>${content}</section>`;
}

export function kpi(id: string, label: string, value: string): string {
  return `<div class="kpi" data-metric="${escapeHtml(id)}"><b>${escapeHtml(value)}</b><span>${escapeHtml(label)}</span></div>`;
}

/** A table; cells are already-escaped HTML. Columns listed in `numeric` are right-aligned. */
export function table(head: readonly string[], rows: readonly (readonly string[])[], numeric: readonly number[] = []): string {
  const cls = (i: number): string => (numeric.includes(i) ? ' class="n"' : '');
  return `<table><thead><tr>${head.map((h, i) => `<th${cls(i)}>${escapeHtml(h)}</th>`).join('')}</tr></thead><tbody>${rows
    .map((r) => `<tr>${r.map((c, i) => `<td${cls(i)}>${c}</td>`).join('')}</tr>`)
    .join('')}</tbody></table>`;
}
