// What every page of `skytrace plot` must satisfy: nothing to fetch or run
// (opens offline), and in Chromium every chart drawn.
import { expect } from "vitest";
import { checkPage } from "./chromium.js";

export function expectSelfContained(html: string): void {
  expect(html).not.toMatch(/<script|<link|<img|<iframe|@import|\b(src|href)\s*=/i);
  // The only URLs are SVG's namespace names.
  expect(html.match(/https?:\/\/[^\s"')]+/g)?.filter((u) => !/^http:\/\/www\.w3\.org\//.test(u)) ?? []).toEqual([]);
}

/** Every figure, in order, has one SVG with marks that have a box, ink on 2 % of its area, and the page no console error. */
export function expectChartsDrew(chromium: string, file: string, figures: string[]): void {
  const page = checkPage(chromium, file);
  expect(page.errors).toEqual([]);
  expect(page.consoleLines).toEqual([]);
  expect(page.charts.map((c) => c.id)).toEqual(figures);
  for (const c of page.charts) {
    expect(c.svgs, c.id).toBe(1);
    expect(c.marks, c.id).toBeGreaterThan(0);
    expect(c.inked, c.id).toBeGreaterThan(0.02 * c.rect[2] * c.rect[3]);
  }
}
