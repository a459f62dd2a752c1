// A Vega-Lite specification rendered to an SVG string in Node: compiled to
// Vega, run headless (renderer "none": no canvas, no DOM) and serialised.
// Loaded on demand, so other commands start without Vega.
import type { TopLevelSpec } from "vega-lite";

let libs: Promise<[typeof import("vega"), typeof import("vega-lite")]> | undefined;

export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const [vega, vl] = await (libs ??= Promise.all([import("vega"), import("vega-lite")]));
  // Legends show whole labels ("anomalous: factoring"), not Vega's 160 px cut.
  const compiled = vl.compile({ ...spec, config: { legend: { labelLimit: 320 }, ...spec.config } } as TopLevelSpec).spec;
  // Vega warns (e.g. of an empty scale domain) through its logger: a chart built here should give none.
  const warnings: string[] = [];
  const logger = vega.logger(vega.Warn);
  logger.warn = (...a: readonly unknown[]) => { warnings.push(a.join(" ")); return logger; };
  const view = new vega.View(vega.parse(compiled), { renderer: "none", logger });
  const svg = await view.toSVG();
  view.finalize();
  if (warnings.length) throw new Error(`vega: ${warnings.join("; ")}`);
  return svg;
}
