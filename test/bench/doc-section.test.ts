// bench/doc-section.ts: a benchmark's table replaces what is between its markers, nothing else.
import { describe, it, expect } from "vitest";
import { replaceSection } from "../../bench/doc-section.js";

describe("bench/doc-section.ts", () => {
  const doc = "intro\n<!-- bench:t:begin (made by x) -->\nold\nrows\n<!-- bench:t:end -->\nafter\n";
  it("replaces the section's body and keeps the rest", () => {
    expect(replaceSection(doc, "t", "| new |")).toBe("intro\n<!-- bench:t:begin (made by x) -->\n| new |\n<!-- bench:t:end -->\nafter\n");
  });
  it("refuses a document without exactly one pair of markers", () => {
    expect(() => replaceSection(doc, "other", "x")).toThrow(/exactly one/);
    expect(() => replaceSection(doc + "<!-- bench:t:end -->\n", "t", "x")).toThrow(/exactly one/);
    expect(() => replaceSection("<!-- bench:t:end -->\n<!-- bench:t:begin -->\n", "t", "x")).toThrow(/exactly one/);
  });
});
