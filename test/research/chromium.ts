// Renders an HTML page in headless Chromium (Debian's package) without the
// DevTools protocol: a copy of the page gets a probe script that records
// console errors and failed loads and, on load, each figure's chart: how many
// data marks (Vega's `.role-mark` items) have a non-empty box, and where it
// sits on the page. `--dump-dom` returns the probe's findings; a screenshot
// of the same page at the same size is then read back (png.ts) so a test can
// count the non-white pixels inside each chart.
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { inkedPixels, readPng } from "./png.js";

export function findChromium(): string | null {
  for (const name of ["chromium", "chromium-browser", "google-chrome"]) {
    const r = spawnSync("sh", ["-c", `command -v ${name}`], { encoding: "utf8" });
    if (r.status === 0 && r.stdout.trim()) return r.stdout.trim();
  }
  return null;
}

const PROBE = `<script>
window.__probe = { errors: [] };
console.error = (...a) => window.__probe.errors.push("console.error: " + a.join(" "));
console.warn = (...a) => window.__probe.errors.push("console.warn: " + a.join(" "));
addEventListener("error", (e) => window.__probe.errors.push("error: " + (e.message || (e.target && (e.target.src || e.target.href)) || "a resource")), true);
addEventListener("load", () => {
  const charts = [...document.querySelectorAll("figure")].map((f) => {
    const svgs = [...f.querySelectorAll("svg")];
    const marks = svgs.flatMap((s) => [...s.querySelectorAll(".role-mark > *")]).filter((m) => { const b = m.getBBox(); return b.width > 0 || b.height > 0; }).length;
    const r = (svgs[0] || f).getBoundingClientRect();
    return { id: f.id, svgs: svgs.length, marks, rect: [r.left + scrollX, r.top + scrollY, r.width, r.height] };
  });
  document.documentElement.setAttribute("data-probe", JSON.stringify({ charts, errors: window.__probe.errors, height: document.documentElement.scrollHeight }));
});
</script>`;

export interface ChartCheck { id: string; svgs: number; marks: number; rect: [number, number, number, number]; inked: number }
export interface PageCheck { charts: ChartCheck[]; errors: string[]; consoleLines: string[] }

const WIDTH = 1100;

function chromiumArgs(profile: string): string[] {
  return ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", `--user-data-dir=${profile}`, "--force-device-scale-factor=1",
    "--hide-scrollbars", "--enable-logging=stderr", "--v=0", "--virtual-time-budget=10000"];
}

export function checkPage(chromium: string, htmlFile: string): PageCheck {
  const work = mkdtempSync(path.join(tmpdir(), "skytrace-chromium-"));
  try {
    const html = readFileSync(htmlFile, "utf8");
    const probed = path.join(work, "page.html");
    writeFileSync(probed, html.replace("<head>", `<head>${PROBE}`));
    const dump = spawnSync(chromium, [...chromiumArgs(path.join(work, "p1")), `--window-size=${WIDTH},900`, "--dump-dom", `file://${probed}`],
      { encoding: "utf8", timeout: 120_000, maxBuffer: 64 << 20 });
    if (dump.status !== 0) throw new Error(`chromium --dump-dom failed (${dump.status}): ${dump.stderr.slice(-500)}`);
    const m = /data-probe="([^"]*)"/.exec(dump.stdout);
    if (!m) throw new Error("the probe did not run: no data-probe attribute in the dumped DOM");
    const probe = JSON.parse(m[1].replace(/&quot;/g, '"').replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&")) as
      { charts: Omit<ChartCheck, "inked">[]; errors: string[]; height: number };
    // Chromium logs every console message of a page as CONSOLE; the probe itself logs none.
    const consoleLines = dump.stderr.split("\n").filter((l) => l.includes(":CONSOLE"));
    const shot = path.join(work, "shot.png");
    execFileSync(chromium, [...chromiumArgs(path.join(work, "p2")), `--window-size=${WIDTH},${Math.ceil(probe.height)}`, `--screenshot=${shot}`, `file://${probed}`],
      { stdio: "ignore", timeout: 120_000 });
    const img = readPng(readFileSync(shot));
    const charts = probe.charts.map((c) => ({ ...c, inked: inkedPixels(img, ...c.rect) }));
    return { charts, errors: probe.errors, consoleLines };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
