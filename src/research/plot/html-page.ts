// A self-contained HTML page: inline CSS and inline SVG, no script and no
// link to anything outside, so it opens offline and prints as it shows.
export function escapeHtml(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

export interface Figure { id: string; title: string; svg: string; caption: string }

/** A table: header cells and rows of cells, all text (escaped here). */
export function htmlTable(head: readonly string[], rows: readonly (readonly (string | number)[])[]): string {
  // Figures align right: numbers, and texts that are only a figure ("0.894", "–", "2 / 4").
  const figure = (v: string | number) => typeof v === "number" || /^(–|-?[\d.]+( \/ [\d.]+)?)$/.test(v);
  const cell = (tag: string, v: string | number) => `<${tag}${tag === "td" && figure(v) ? ' class="num"' : ""}>${escapeHtml(String(v))}</${tag}>`;
  return `<table><thead><tr>${head.map((h) => cell("th", h)).join("")}</tr></thead><tbody>\n` +
    rows.map((r) => `<tr>${r.map((v) => cell("td", v)).join("")}</tr>`).join("\n") + "\n</tbody></table>";
}

export function figureHtml(f: Figure): string {
  return `<figure id="${escapeHtml(f.id)}"><h2>${escapeHtml(f.title)}</h2>\n<div class="chart">${f.svg}</div>\n<figcaption>${escapeHtml(f.caption)}</figcaption></figure>`;
}

const STYLE = `body{font:14px/1.4 system-ui,sans-serif;margin:24px;color:#222;max-width:1000px}
h1{font-size:20px}h2{font-size:16px;margin:0 0 6px}figure{margin:28px 0}figcaption{color:#555;font-size:12px;max-width:800px}
table{border-collapse:collapse;margin:8px 0 20px;font-size:13px}th,td{border:1px solid #ccc;padding:3px 8px;text-align:left}td.num{text-align:right}
.chart svg{max-width:100%;height:auto}`;

export function page(title: string, body: string[]): string {
  return `<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>\n<style>${STYLE}</style></head>\n<body>\n<h1>${escapeHtml(title)}</h1>\n${body.join("\n")}\n</body></html>\n`;
}
